"""A scenario's problems that no schema can see: references between its parts, meter ranges, and its graph over every path."""

from __future__ import annotations

import dataclasses

from grader.common.problems import Problem
from grader.dialogue.analysis import path_to, study
from grader.dialogue.model import STATE_LIMIT, Dialogue, Reply
from grader.dialogue.text import LineOf, suggest
from grader.dialogue.variants import PLACEHOLDER, as_written, played
from grader.formats.schemas import line_at, where


def structure(d: Dialogue, line_of: LineOf | None) -> list[Problem]:
    """What the schema cannot check: meter ranges, ids used twice, and every reference between the parts."""
    problems: list[Problem] = []

    def fail(path: tuple, message: str) -> None:
        problems.append(Problem(d.file, message, line_at(line_of, path), where(path)))

    for mid, meter in d.meters.items():
        if meter.min >= meter.max:
            fail(("meters", mid, "max"), f"meter '{mid}': max {meter.max} must be above min {meter.min}")
        elif not meter.min <= meter.start <= meter.max:
            fail(
                ("meters", mid, "start"),
                f"meter '{mid}': start {meter.start} must lie between min {meter.min} and max {meter.max}",
            )
    for nid in d.nodes:
        if nid in d.endings:
            fail(("endings", nid), f"'{nid}' is both a node and an ending; rename one so `next` is not ambiguous")
    if d.start not in d.nodes:
        kind = "an ending; the dialogue must start at a node" if d.start in d.endings else "not a node"
        fail(("start",), f"start '{d.start}' is {kind}{suggest(d.start, d.nodes)}")
    first_use: dict[str, str] = {}
    for node in d.nodes.values():
        for i, reply in enumerate(node.replies):
            at = ("nodes", node.id, "replies", i)
            if reply.id in first_use:
                fail(
                    at + ("id",),
                    f"reply id '{reply.id}' at node '{node.id}' is already used at node '{first_use[reply.id]}'; reply ids must be unique in the whole scenario",
                )
            first_use.setdefault(reply.id, node.id)
            if reply.next not in d.nodes and reply.next not in d.endings:
                fail(
                    at + ("next",),
                    f"reply '{reply.id}' at node '{node.id}' leads to '{reply.next}', which is neither a node nor an ending{suggest(reply.next, [*d.nodes, *d.endings], 'ids here')}",
                )
            for mid in reply.effect:
                if mid not in d.meters:
                    fail(
                        at + ("effect", mid),
                        f"reply '{reply.id}' at node '{node.id}': effect on meter '{mid}', which `meters` does not define{suggest(mid, d.meters)}",
                    )
    for i, rule in enumerate(d.rules):
        rule_at = ("rules", i)
        meter = d.meters.get(rule.meter)
        if meter is None:
            fail(
                rule_at + ("meter",),
                f"rule {i + 1} watches meter '{rule.meter}', which `meters` does not define{suggest(rule.meter, d.meters)}",
            )
        elif rule.at_most is not None and rule.at_most < meter.min:
            fail(
                rule_at + ("at_most",),
                f"rule {i + 1}: at_most {rule.at_most} is below the meter's min {meter.min}, so the rule can never fire",
            )
        elif rule.at_least is not None and rule.at_least > meter.max:
            fail(
                rule_at + ("at_least",),
                f"rule {i + 1}: at_least {rule.at_least} is above the meter's max {meter.max}, so the rule can never fire",
            )
        if rule.ending not in d.endings:
            kind = "a node; a rule must lead to an ending" if rule.ending in d.nodes else "not an ending"
            fail(
                rule_at + ("ending",), f"rule {i + 1} leads to '{rule.ending}', which is {kind}{suggest(rule.ending, d.endings)}"
            )
    _variants(d, fail)
    _details(d, fail)
    return sorted(problems, key=lambda p: p.line or 0)


def _variants(d: Dialogue, fail) -> None:
    """Each variant's id is its own, and it starts only meters that exist, within their range, and changes only nodes that exist."""
    first: dict[str, int] = {}
    for i, variant in enumerate(d.variants):
        at = ("variants", i)
        if variant.id in first:
            fail(
                at + ("id",),
                f"variant id '{variant.id}' is already used by variant {first[variant.id] + 1}; give each variant its own id",
            )
        first.setdefault(variant.id, i)
        for mid, value in variant.start.items():
            meter = d.meters.get(mid)
            if meter is None:
                fail(
                    at + ("start", mid),
                    f"variant '{variant.id}' starts meter '{mid}', which `meters` does not define{suggest(mid, d.meters)}",
                )
            elif not meter.min <= value <= meter.max:
                fail(
                    at + ("start", mid),
                    f"variant '{variant.id}' starts meter '{mid}' at {value}, outside its range {meter.min} to {meter.max}",
                )
        for nid in {**variant.say, **variant.note}:
            if nid not in d.nodes:
                fail(
                    at + ("nodes", nid),
                    f"variant '{variant.id}' changes node '{nid}', which `nodes` does not define{suggest(nid, d.nodes)}",
                )


def _texts(d: Dialogue):
    """(key path, text) for every text a detail may fill."""
    yield ("setting",), d.setting
    for node in d.nodes.values():
        yield ("nodes", node.id, "say"), node.say
        yield ("nodes", node.id, "note"), node.note
        for i, reply in enumerate(node.replies):
            yield ("nodes", node.id, "replies", i, "text"), reply.text
            yield ("nodes", node.id, "replies", i, "feedback"), reply.feedback
    for ending in d.endings.values():
        yield ("endings", ending.id, "title"), ending.title
        yield ("endings", ending.id, "debrief"), ending.debrief
    for i, variant in enumerate(d.variants):
        for nid, text in variant.say.items():
            yield ("variants", i, "nodes", nid, "say"), text
        for nid, text in variant.note.items():
            yield ("variants", i, "nodes", nid, "note"), text


def _details(d: Dialogue, fail) -> None:
    """Every `{name}` names a detail, and every detail is written somewhere."""
    used: set[str] = set()
    for path, text in _texts(d):
        for name in PLACEHOLDER.findall(text):
            used.add(name)
            if name not in d.details:
                fail(
                    path,
                    f"{{{name}}} names no detail; define '{name}' under `details`{suggest(name, d.details)}, or reword the text",
                )
    for name in d.details:
        if name not in used:
            fail(("details", name), f"detail '{name}' is never used; write {{{name}}} where its text goes, or remove it")


def check(d: Dialogue, step_ids: set[str], anti_pattern_ids: set[str], line_of: LineOf | None) -> list[Problem]:
    """Every graph problem: unreachable or dead-end nodes, bad targets, unreached endings, endless loops, meters out of range, unknown ids, scoring."""
    problems: list[Problem] = []

    def fail(path: tuple, message: str) -> None:
        problems.append(Problem(d.file, message, line_at(line_of, path), where(path)))

    def reply_path(nid: str, reply: Reply) -> tuple:
        node = d.nodes.get(nid)
        at = next((i for i, x in enumerate(node.replies) if x.id == reply.id), None) if node else None
        return ("nodes", nid) if at is None else ("nodes", nid, "replies", at)

    found = structure(d, line_of)
    if found:
        return found  # the graph cannot be walked until its parts refer to each other correctly
    # Then what holds whatever the meters do.
    linked: dict[str, set[str]] = {nid: set() for nid in d.nodes}
    for node in d.nodes.values():
        if not node.replies:
            fail(
                ("nodes", node.id),
                f"node '{node.id}' has no replies, so the dialogue stops there without an ending; add replies, or make the replies that lead here go to an ending",
            )
        for i, reply in enumerate(node.replies):
            at = ("nodes", node.id, "replies", i)
            linked[node.id].add(reply.next)
            for j, step in enumerate(reply.steps):
                if step not in step_ids:
                    fail(
                        at + ("steps", j),
                        f"reply '{reply.id}' at node '{node.id}' tags step '{step}', which quizzes/models.yml does not define{suggest(step, step_ids)}",
                    )
            for j, mistake in enumerate(reply.mistakes):
                if mistake not in anti_pattern_ids:
                    fail(
                        at + ("mistakes", j),
                        f"reply '{reply.id}' at node '{node.id}' tags anti-pattern '{mistake}', which quizzes/models.yml does not define{suggest(mistake, anti_pattern_ids)}",
                    )
    seen = _reach(d.start, linked)
    for nid in d.nodes:
        if nid not in seen:
            fail(
                ("nodes", nid),
                f"node '{nid}' cannot be reached: no reply on any path from the start '{d.start}' leads to it; link it from a reply or remove it",
            )
    # Then every path, for the scenario as written and for each variant (which may start the meters elsewhere).
    reached: set[str] = set()
    visited: set[str] = set()
    cut = False
    plays = [("", played(d, as_written(d)))] + [
        (f"in variant '{v.id}', ", played(d, dataclasses.replace(as_written(d), variant=v.id))) for v in d.variants
    ]
    for prefix, scenario in plays:
        explored = study(scenario)
        if not explored.analysis.complete:
            fail(
                ("nodes",),
                f"{prefix}the scenario has more than {STATE_LIMIT:,} (node, meter) states or loops too tangled to score, so not every path could be checked; narrow the meter ranges or split the scenario",
            )
            return problems
        _paths(scenario, explored, prefix, fail, reply_path)
        cut = cut or bool(explored.space.out_of_range)
        visited |= {nid for nid, _ in explored.space.states}
        reached |= set(explored.analysis.endings_reached)
    for nid in d.nodes:
        if nid in seen and nid not in visited and not cut:
            fail(
                ("nodes", nid),
                f"node '{nid}' is never reached: on every path a rule ends the dialogue before any reply leading here; change the rules or the meters' effects",
            )
    targeted = {t for links in linked.values() for t in links} | {x.ending for x in d.rules}
    for eid in d.endings:
        if eid in reached:
            continue
        if eid not in targeted:
            fail(("endings", eid), f"ending '{eid}' is never reached: no reply and no rule leads to it; link it or remove it")
        elif not cut:
            fail(
                ("endings", eid),
                f"ending '{eid}' is never reached: no path gets to a reply or rule that leads to it; check the replies' next and the rules' limits",
            )
    return sorted(problems, key=lambda p: p.line or 0)


def _paths(d: Dialogue, explored, prefix: str, fail, reply_path) -> None:
    """What one way of playing the scenario gets wrong: meters out of range, endless loops, and, once scored, points without limit or none."""
    space, a = explored.space, explored.analysis
    for state, nid, reply, mid, value in space.out_of_range:
        meter = d.meters[mid]
        side = f"below its min {meter.min}" if value < meter.min else f"above its max {meter.max}"
        path = ", ".join(path_to(space, state) + [reply.id])
        fail(
            reply_path(nid, reply) + ("effect", mid),
            f"{prefix}meter '{mid}' reaches {value}, {side}, when reply '{reply.id}' is chosen at node '{nid}' (path: {path}); widen the meter's range or change this reply's effect",
        )
    for state, loop in explored.traps:
        path = ", ".join(path_to(space, state)) or "the start"
        fail(
            ("nodes", loop[0]),
            f"{prefix}the dialogue can go round {' -> '.join(loop + (loop[0],))} for ever without reaching an ending (path into the loop: {path}); give a node in the loop a reply that leads to an ending",
        )
    if not a.endings_reached:
        fail(("start",), f"{prefix}no path from the start reaches an ending; every scenario needs at least one complete path")
    elif d.scored:
        score_problems(d, explored, prefix, fail)


def score_problems(d: Dialogue, explored, prefix: str, fail) -> None:
    """Scores that make the item unfair: a loop that gains points for ever, or no path worth more than 0."""
    space, a = explored.space, explored.analysis
    for state, loop in explored.farms:
        path = ", ".join(path_to(space, state)) or "the start"
        fail(
            ("nodes", loop[0]),
            f"{prefix}going round {' -> '.join(loop + (loop[0],))} gains points every time (path into the loop: {path}), so the best score has no limit; make the replies in the loop score 0 or less in total",
        )
    if a.best is not None and a.best <= 0:
        path = ", ".join(a.best_path)
        fail(
            ("endings",),
            f"{prefix}the best raw score is {a.best} (path: {path}); it must be above 0 so a learner can earn the points; raise some reply or ending scores",
        )


def _reach(start: str, linked: dict[str, set[str]]) -> set[str]:
    """Node ids reachable from `start` through replies, ignoring meters and rules."""
    seen, todo = set(), [start]
    while todo:
        nid = todo.pop()
        if nid in seen or nid not in linked:
            continue
        seen.add(nid)
        todo.extend(linked[nid])
    return seen
