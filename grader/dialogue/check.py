"""A scenario's problems that no schema can see: references between its parts, meter ranges, and its graph over every path."""

from __future__ import annotations

from grader.common.problems import Problem
from grader.dialogue.analysis import path_to, study
from grader.dialogue.model import STATE_LIMIT, Dialogue, Reply
from grader.dialogue.text import LineOf, suggest
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
    return sorted(problems, key=lambda p: p.line or 0)


def check(d: Dialogue, step_ids: set[str], anti_pattern_ids: set[str], line_of: LineOf | None) -> list[Problem]:
    """Every graph problem: unreachable or dead-end nodes, bad targets, unreached endings, endless loops, meters out of range, unknown ids, scoring."""
    problems: list[Problem] = []

    def fail(path: tuple, message: str) -> None:
        problems.append(Problem(d.file, message, line_at(line_of, path), where(path)))

    def reply_path(nid: str, reply: Reply) -> tuple:
        node = d.nodes.get(nid)
        at = next((i for i, x in enumerate(node.replies) if x is reply), None) if node else None
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
    explored = study(d)
    space, a = explored.space, explored.analysis
    if not a.complete:
        fail(
            ("nodes",),
            f"the scenario has more than {STATE_LIMIT:,} (node, meter) states or loops too tangled to score, so not every path could be checked; narrow the meter ranges or split the scenario",
        )
        return problems
    for state, nid, reply, mid, value in space.out_of_range:
        meter = d.meters[mid]
        side = f"below its min {meter.min}" if value < meter.min else f"above its max {meter.max}"
        path = ", ".join(path_to(space, state) + [reply.id])
        fail(
            reply_path(nid, reply) + ("effect", mid),
            f"meter '{mid}' reaches {value}, {side}, when reply '{reply.id}' is chosen at node '{nid}' (path: {path}); widen the meter's range or change this reply's effect",
        )
    for state, loop in explored.traps:
        path = ", ".join(path_to(space, state)) or "the start"
        fail(
            ("nodes", loop[0]),
            f"the dialogue can go round {' -> '.join(loop + (loop[0],))} for ever without reaching an ending (path into the loop: {path}); give a node in the loop a reply that leads to an ending",
        )
    for state, loop in explored.farms:
        path = ", ".join(path_to(space, state)) or "the start"
        fail(
            ("nodes", loop[0]),
            f"going round {' -> '.join(loop + (loop[0],))} gains points every time (path into the loop: {path}), so the best score has no limit; make the replies in the loop score 0 or less in total",
        )
    cut = bool(space.out_of_range)
    visited = {nid for nid, _ in space.states}
    for nid in d.nodes:
        if nid in seen and nid not in visited and not cut:
            fail(
                ("nodes", nid),
                f"node '{nid}' is never reached: on every path a rule ends the dialogue before any reply leading here; change the rules or the meters' effects",
            )
    targeted = {t for links in linked.values() for t in links} | {x.ending for x in d.rules}
    for eid in d.endings:
        if eid in a.endings_reached:
            continue
        if eid not in targeted:
            fail(("endings", eid), f"ending '{eid}' is never reached: no reply and no rule leads to it; link it or remove it")
        elif not cut:
            fail(
                ("endings", eid),
                f"ending '{eid}' is never reached: no path gets to a reply or rule that leads to it; check the replies' next and the rules' limits",
            )
    if not a.endings_reached:
        fail(("start",), "no path from the start reaches an ending; every scenario needs at least one complete path")
    elif a.best is not None and a.best <= 0:
        path = ", ".join(a.best_path)
        fail(
            ("endings",),
            f"the best raw score is {a.best} (path: {path}); it must be above 0 so a learner can earn the points; raise some reply or ending scores",
        )
    return sorted(problems, key=lambda p: p.line or 0)


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
