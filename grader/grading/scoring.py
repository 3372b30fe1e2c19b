"""Pure scoring: (question, key, answer) -> ItemResult, and a whole quiz -> QuizResult. No I/O."""

from __future__ import annotations

import bisect
import re
import unicodedata
from dataclasses import dataclass, field
from typing import Any

from grader.course import ItemKey, Key, Question, Quiz
from grader.dialogue.analysis import analyse_paths, item_score
from grader.dialogue.costs import reply_costs, turning_point
from grader.dialogue.variants import replay_answer

# A penalty applies only where a wrong answer is a single clear choice.
PENALISED = {"single", "true_false"}
PENALISED_POLICIES = {("multiple", "all_or_nothing"), ("ordering", "all_or_nothing"), ("matching", "all_or_nothing")}


# Slotted, not frozen: one is built per question per file, and frozen init is several times slower.
@dataclass(slots=True)
class ItemResult:
    """The score and feedback for one question of one submission."""

    question: str
    type: str
    score: float
    max: float
    answer: Any
    """The answer as written (None when unanswered)."""
    answered: bool
    correct: bool
    """Full marks."""
    feedback: tuple[str, ...]
    """What the learner reads about this answer."""
    note: str = ""
    """Why the answer could not be used as given, if so."""
    lesson: str = ""
    steps: tuple[str, ...] = ()
    evidence: dict = field(default_factory=dict)
    """Dialogue items: path, variant and seed, raw and best score, ending, outcome, steps shown, mistakes, each turn, the turning point."""


@dataclass(slots=True)
class QuizResult:
    """All item results for one submission, with the total (never below 0)."""

    items: tuple[ItemResult, ...]
    score: float
    max: float

    @property
    def percent(self) -> float:
        """Score as a percentage of the maximum."""
        return round(100 * self.score / self.max, 2) if self.max else 0.0


# Short text is compared after these steps, in order (docs/authors/formats.md states the same list):
# 1. Unicode NFKC (full-width letters, ligatures and composed accents become the usual ones);
# 2. every dash (Unicode category Pd, listed here as of Unicode 14) and the minus sign U+2212 become "-";
# 3. curly quotes become straight ones: U+2018 U+2019 U+201A U+201B -> ', U+201C U+201D U+201E U+201F -> ";
# 4. full case folding; 5. runs of white space become one space, none at either end.
DASHES = (
    0x058A,
    0x05BE,
    0x1400,
    0x1806,
    0x2010,
    0x2011,
    0x2012,
    0x2013,
    0x2014,
    0x2015,
    0x2E17,
    0x2E1A,
    0x2E3A,
    0x2E3B,
    0x2E40,
    0x2E5D,
    0x301C,
    0x3030,
    0x30A0,
    0xFE31,
    0xFE32,
    0xFE58,
    0xFE63,
    0xFF0D,
    0x10EAD,
    0x2212,
)
_PLAIN = {
    **dict.fromkeys(DASHES, "-"),
    **dict.fromkeys((0x2018, 0x2019, 0x201A, 0x201B), "'"),
    **dict.fromkeys((0x201C, 0x201D, 0x201E, 0x201F), '"'),
}


def normalise_text(text: str) -> str:
    """Short-text comparison form: NFKC, dashes and quotes made plain, case folded, spaces collapsed."""
    text = str(text)
    if not text.isascii():  # ASCII is already in this form but for case and spacing
        text = unicodedata.normalize("NFKC", text).translate(_PLAIN)
    return " ".join(text.split()).casefold()


def _ids(answer: Any) -> list[str] | None:
    """A list of ids from a list answer (or one id written alone), else None."""
    if isinstance(answer, str):
        return [answer]
    if isinstance(answer, list) and all(isinstance(a, (str, int)) and not isinstance(a, bool) for a in answer):
        return [str(a) for a in answer]
    return None


def longest_ordered(answer: list[str], correct: list[str]) -> int:
    """Length of the longest subsequence of `answer` in the same relative order as `correct`."""
    rank = {item: i for i, item in enumerate(correct)}
    tails: list[int] = []
    for item in dict.fromkeys(answer):  # a repeated item counts once
        if item not in rank:
            continue
        at = bisect.bisect_left(tails, rank[item])
        tails[at : at + 1] = [rank[item]]
    return len(tails)


def _in_order(values) -> float:
    """Added one by one in a fixed order, as the page's scoring.js adds them: never in a set's order, which changes
    between runs, nor by sum(), which compensates for rounding from Python 3.12 on."""
    total = 0.0
    for value in values:
        total += value
    return total


def _blank(answer: Any) -> bool:
    """Not answered: nothing, or an empty text, list or mapping."""
    return answer is None or (not answer and isinstance(answer, (str, list, dict)))


def _result(
    question: Question, answer: Any, fraction: float, feedback, note: str = "", penalty: float = 0.0, **extra
) -> ItemResult:
    policy = extra.pop("policy", None)
    answered = not _blank(answer)
    wrong = answered and fraction < 1 and not note
    if wrong and penalty and (question.type in PENALISED or (question.type, policy) in PENALISED_POLICIES):
        score = -penalty * question.points
    else:
        score = question.points * min(max(fraction, 0.0), 1.0)
    return ItemResult(
        question=question.id,
        type=question.type,
        score=round(score, 4),
        max=question.points,
        answer=answer,
        answered=answered,
        correct=answered and fraction >= 1,
        feedback=tuple(f for f in feedback if f),
        note=note,
        lesson=question.lesson,
        steps=question.steps,
        **extra,
    )


def _verdict(key: ItemKey, right: bool) -> str:
    return key.feedback.get("correct" if right else "incorrect", "")


def score_item(question: Question, key: ItemKey, answer: Any, *, penalty: float = 0.0, scenario=None) -> ItemResult:
    """Score one answer; an answer of the wrong shape scores 0 with a note saying why."""
    kind = question.type
    if _blank(answer):
        return _result(question, None, 0.0, (), "not answered")
    if kind == "single":
        ids = [o.id for o in question.options]
        if not isinstance(answer, (str, int)) or isinstance(answer, bool) or str(answer) not in ids:
            return _result(question, answer, 0.0, (), f"{answer!r} is not one of the options ({', '.join(ids)})")
        choice = str(answer)
        return _result(question, answer, float(choice == key.correct), (key.feedback.get(choice, ""),), penalty=penalty)
    if kind == "true_false":
        if not isinstance(answer, bool):
            return _result(question, answer, 0.0, (), "answer with true or false")
        return _result(
            question,
            answer,
            float(answer == key.correct),
            (key.feedback.get("true" if answer else "false", ""),),
            penalty=penalty,
        )
    if kind == "multiple":
        ids = [o.id for o in question.options]
        chosen = _ids(answer)
        if chosen is None or any(c not in ids for c in chosen):
            return _result(question, answer, 0.0, (), f"answer with a list of option ids from: {', '.join(ids)}")
        picked, right = set(chosen), set(key.correct)
        if key.policy == "right_minus_wrong":
            fraction = (len(picked & right) - len(picked - right)) / len(right)
        elif key.policy == "weights":
            # Rounded, so that weights written as decimals adding up to 1 (0.35 + 0.3 + 0.35) give full marks.
            fraction = round(_in_order(key.weights.get(o, 0.0) for o in ids if o in picked), 9)
        else:
            fraction = float(picked == right)
        # Feedback on what they picked, then on the right options they missed.
        notes = [key.feedback.get(o, "") for o in ids if o in picked] + [
            key.feedback.get(o, "") for o in ids if o in right - picked
        ]
        return _result(question, answer, fraction, notes, penalty=penalty, policy=key.policy)
    if kind == "ordering":
        ids = [i.id for i in question.items]
        order = _ids(answer)
        if order is None or sorted(order) != sorted(ids):
            return _result(question, answer, 0.0, (), f"answer with every item id once, in your order ({', '.join(ids)})")
        if key.policy == "subsequence":
            run = longest_ordered(order, list(key.correct))
            fraction = run / len(ids) if run >= 2 else 0.0
        else:
            fraction = float(order == list(key.correct))
        return _result(question, answer, fraction, (_verdict(key, fraction >= 1),), penalty=penalty, policy=key.policy)
    if kind == "matching":
        pairs, choices = [p.id for p in question.pairs], {c.id for c in question.choices}
        if not isinstance(answer, dict) or any(str(p) not in pairs for p in answer):
            return _result(question, answer, 0.0, (), f"answer with a mapping of each of {', '.join(pairs)} to a choice id")
        given = {str(p): str(c) for p, c in answer.items() if isinstance(c, (str, int)) and str(c) in choices}
        hits = sum(given.get(p) == c for p, c in key.correct.items())
        fraction = hits / len(pairs) if key.policy == "per_pair" else float(hits == len(pairs))
        return _result(question, answer, fraction, (_verdict(key, fraction >= 1),), penalty=penalty, policy=key.policy)
    if kind == "short_text":
        if not isinstance(answer, (str, int, float)) or isinstance(answer, bool):
            return _result(question, answer, 0.0, (), "answer with a word or phrase")
        text = normalise_text(str(answer))
        accepted = text in {normalise_text(a) for a in key.accept}
        if not accepted and key.pattern:
            accepted = re.fullmatch(key.pattern, text, re.IGNORECASE) is not None
        return _result(question, answer, float(accepted), (_verdict(key, accepted),))
    if kind == "dialogue":
        return _dialogue_item(question, key, answer, scenario)
    return _result(question, answer, 0.0, (), f"unknown question type {kind}")


def _dialogue_item(question: Question, key: ItemKey, answer: Any, scenario) -> ItemResult:
    played = replay_answer(scenario, answer)
    d, walked = played.scenario, played.replay
    costs = reply_costs(d, walked) if walked.ok else [None] * len(walked.taken)
    point = turning_point(d, walked) if walked.ok else None
    evidence = {
        "path": [str(p) for p in played.path] if all(isinstance(p, (str, int)) for p in played.path) else [],
        "variant": played.variant,
        "seed": played.seed,
        "raw": walked.raw,
        "best": analyse_paths(d).best,
        "ending": walked.ending.id if walked.ending else None,
        "outcome": walked.ending.outcome if walked.ending else None,
        "steps_shown": list(walked.steps_shown),
        "mistakes": list(walked.mistakes),
        # Each reply as the learner saw it (details filled in), what it scored and what it cost: the feedback file retells them.
        "turns": [
            {
                "node": nid,
                "reply": reply.id,
                "text": reply.text,
                "score": reply.score,
                "cost": cost,
                "steps": list(reply.steps),
                "mistakes": list(reply.mistakes),
            }
            for (nid, reply), cost in zip(walked.taken, costs, strict=True)
        ],
        "turning_point": {"turn": point.turn, "reply": point.reply, "cost": point.cost} if point else None,
    }
    if not walked.ok or walked.ending is None:
        return _result(question, answer, 0.0, (), walked.reason, evidence=evidence)
    score = item_score(d, walked, question.points)
    fraction = score / question.points if question.points else 0.0
    notes = (walked.valid_ending.debrief, _verdict(key, fraction >= 1))
    return _result(question, answer, fraction, notes, evidence=evidence)


def score_quiz(quiz: Quiz, key: Key, answers: dict, scenarios: dict) -> QuizResult:
    """Score every question of a quiz; the total never goes below 0."""
    items = tuple(
        score_item(q, key.items[q.id], answers.get(q.id), penalty=key.negative_marking, scenario=scenarios.get(q.scenario))
        for q in quiz.questions
    )
    total = max(0.0, round(_in_order(i.score for i in items), 4))
    return QuizResult(items, total, quiz.max_points)
