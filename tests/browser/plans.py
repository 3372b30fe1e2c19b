"""Known answer sets and dialogue paths, derived from the real keys and scenarios. Pure: no browser here."""

from __future__ import annotations

from typing import Any

from grader.course import Course, ItemKey, Question, Quiz
from grader.dialogue.analysis import analyse_paths
from grader.dialogue.costs import reply_costs
from grader.dialogue.engine import replay
from grader.dialogue.variants import random_choice

PARTIAL_POLICIES = {
    ("multiple", "right_minus_wrong"),
    ("multiple", "weights"),
    ("ordering", "subsequence"),
    ("matching", "per_pair"),
}
LONGEST_WALK = 60


def _first_other(ids: list[str], avoid) -> str:
    return next(i for i in ids if i not in avoid)


def answer(q: Question, key: ItemKey, mode: str, course: Course) -> Any:
    """An answer to `q` that is right, wrong or partly right (`mode`) by its key."""
    if q.type == "single":
        return key.correct if mode == "right" else _first_other([o.id for o in q.options], {key.correct})
    if q.type == "true_false":
        return key.correct if mode == "right" else not key.correct
    if q.type == "multiple":
        ids, right = [o.id for o in q.options], set(key.correct)
        if mode == "right":
            return [i for i in ids if i in right]
        if mode == "wrong":
            return [_first_other(ids, right)]
        some = [i for i in ids if i in right][:-1]  # all but one right option, so right_minus_wrong and weights give part
        return some or [i for i in ids if i in right] + [_first_other(ids, right)]
    if q.type == "ordering":
        correct = list(key.correct)
        if mode == "right":
            return correct
        if mode == "wrong":
            return correct[::-1]
        return [correct[1], correct[0], *correct[2:]]  # one swap: the longest ordered run is n - 1
    if q.type == "matching":
        choices, correct = [c.id for c in q.choices], dict(key.correct)
        if mode == "right":
            return correct
        wrong = {p: _first_other(choices, {c}) for p, c in correct.items()}
        if mode == "wrong":
            return wrong
        first = next(iter(correct))
        return {**correct, first: wrong[first]}
    if q.type == "short_text":
        # The grader ignores case and spacing; the page trims.
        return "  " + key.accept[0].upper().replace(" ", "  ") + " " if mode == "right" else "no idea"
    if q.type == "dialogue":
        d = course.dialogues[q.scenario]
        analysis = analyse_paths(d)
        return list(analysis.best_path if mode == "right" else analysis.worst_path if mode == "wrong" else walk(d, 0))
    raise ValueError(f"no answer for {q.type}")


def quiz_answers(quiz: Quiz, key, course: Course) -> dict[str, Any]:
    """Answers to every question but the second: right, wrong and (where the policy allows) partly right in turn."""
    modes: dict[bool, int] = {True: 0, False: 0}
    out = {}
    for n, q in enumerate(quiz.questions):
        if n == 1:
            continue  # left unanswered
        item = key.items[q.id]
        partial = (q.type, item.policy) in PARTIAL_POLICIES or q.type == "dialogue"
        cycle = ("partial", "right", "wrong") if partial else ("right", "wrong")
        out[q.id] = answer(q, item, cycle[modes[partial] % len(cycle)], course)
        modes[partial] += 1
    return out


def right_answers(quiz: Quiz, key, course: Course) -> dict[str, Any]:
    return {q.id: answer(q, key.items[q.id], "right", course) for q in quiz.questions}


def as_written(quiz: Quiz, answers: dict) -> dict:
    """The answers as the page writes them: short text trimmed."""
    kinds = {q.id: q.type for q in quiz.questions}
    return {k: v.strip() if kinds[k] == "short_text" else v for k, v in answers.items()}


# ---------------------------------------------------------------- dialogue paths


def walk(d, pick: int) -> list[str]:
    """The path that takes the reply at index `pick` (wrapping) at every turn, to an ending."""
    path: list[str] = []
    node = d.start
    while len(path) < LONGEST_WALK:
        replies = d.nodes[node].replies
        path.append(replies[pick % len(replies)].id)
        replayed = replay(d, path)
        if replayed.ending is not None:
            return path
        node = replayed.taken[-1][1].next
    raise AssertionError(f"{d.id}: taking reply {pick} every turn never ends")


def ended_by_rule(d, path: list[str]) -> bool:
    """True when a meter rule, not the last reply's target, ended the dialogue."""
    final = replay(d, path).meters[-1]
    return any(
        (r.at_most is not None and final[r.meter] <= r.at_most) or (r.at_least is not None and final[r.meter] >= r.at_least)
        for r in d.rules
    )


def rule_path(d) -> list[str]:
    """A shortest path that a meter rule ends, found breadth first."""
    frontier, seen = [[]], set()
    while frontier:
        grown = []
        for path in frontier:
            node = d.start if not path else replay(d, path).taken[-1][1].next
            for reply in d.nodes[node].replies:
                candidate = path + [reply.id]
                replayed = replay(d, candidate)
                state = (replayed.taken[-1][1].next, tuple(sorted(replayed.meters[-1].items())))
                if replayed.ending is not None and ended_by_rule(d, candidate):
                    return candidate
                if replayed.ending is None and state not in seen:
                    seen.add(state)
                    grown.append(candidate)
        frontier = grown if len(frontier[0]) < LONGEST_WALK else []
    raise AssertionError(f"{d.id}: no meter rule ends any path")


def practice_scenarios(course: Course) -> list[str]:
    """Ids of the practice scenarios, sorted: those no quiz question grades (a scenario is one or the other)."""
    graded = {q.scenario for quiz in course.quizzes.values() for q in quiz.questions if q.type == "dialogue"}
    return sorted(set(course.dialogues) - graded)


def practice_paths(course: Course) -> dict[str, tuple[str, list[str]]]:
    """For each practice scenario, a named path to an ending: the best, one a meter rule ends, the worst, and fixed picks."""
    ways = [
        ("best", lambda d: list(analyse_paths(d).best_path)),
        ("ended by a meter rule", rule_path),
        ("worst", lambda d: list(analyse_paths(d).worst_path)),
        ("first reply each turn", lambda d: walk(d, 0)),
        ("last reply each turn", lambda d: walk(d, -1)),
        ("second reply each turn", lambda d: walk(d, 1)),
    ]
    return {
        sid: (ways[n % len(ways)][0], ways[n % len(ways)][1](course.dialogues[sid]))
        for n, sid in enumerate(practice_scenarios(course))
    }


def plain_seed(d) -> int:
    """A seed that deals the scenario as written, so paths found on the file play the same: a variant that changes nothing."""
    plain = [v.id for v in d.variants if not (v.start or v.say or v.note)] or [None]
    return next(seed for seed in range(10_000) if random_choice(d, seed).variant == plain[0])


def dealt(d) -> bool:
    """Whether the page deals the scenario a variant or details."""
    return bool(d.variants or d.details)


def best_from(d, prefix: list[str]) -> list[str]:
    """The replies that finish `prefix` as well as it can still end: at each turn, one that costs nothing."""
    path = list(prefix)
    while replay(d, path).ending is None:
        rep = replay(d, path)
        node = rep.taken[-1][1].next if rep.taken else d.start
        path.append(next(r.id for r in d.nodes[node].replies if reply_costs(d, replay(d, [*path, r.id]))[-1] == 0))
    return path
