"""What each reply on a played path cost, and the turning point: the reply that cost the most.

A reply's cost is the best raw score still possible just before it, less the best still possible just after it
(its own score included, and the ending's when it ends the dialogue): 0 for a reply on a best path from there,
more for a reply that gave points up, whether at once or by where it led. The page script reckons the same way
(docs/javascripts/scenario.js). No I/O.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass

from grader.dialogue.analysis import INF, study
from grader.dialogue.engine import plan_for
from grader.dialogue.model import Dialogue, Replay

TURNING_OUTCOMES = ("escalated", "lost")
"""Endings after which the learner is shown the turning point."""


@dataclass(frozen=True)
class TurningPoint:
    """The costliest reply of a played path."""

    turn: int
    """Its place in the path, from 0."""
    reply: str
    cost: int


@functools.lru_cache(maxsize=64)
def _index(d: Dialogue) -> dict:
    """(node id, meter values) -> its place in the explored space, built once per scenario (a class replays it thousands of times)."""
    return {state: i for i, state in enumerate(study(d).space.states)}


def reply_costs(d: Dialogue, rep: Replay) -> list[int | None]:
    """The cost of each reply taken, in order, on a whole path or one still in play; None where it cannot be known (the analysis gave up, or a loop is endless)."""
    explored = study(d)
    best = explored.best
    if not best or not rep.taken:
        return [None] * len(rep.taken)
    plan = plan_for(d)
    index = _index(d)

    def best_from(nid: str, meters: dict) -> float | None:
        found = index.get((nid, tuple(meters.get(m) for m in plan.order)))
        value = best[found] if found is not None else None
        return None if value is None or value[0] in (INF, -INF) else value[0]

    out: list[int | None] = []
    for i, (nid, reply) in enumerate(rep.taken):
        before = best_from(nid, rep.meters[i])
        if i + 1 < len(rep.taken):
            after = best_from(rep.taken[i + 1][0], rep.meters[i + 1])
        elif rep.ending is not None:
            after = rep.ending.score
        else:  # a path that stops before an ending (play in progress): from where the reply led
            after = best_from(reply.next, rep.meters[i + 1])
        out.append(None if before is None or after is None else int(before - reply.score - after))
    return out


def turning_point(d: Dialogue, rep: Replay) -> TurningPoint | None:
    """The reply that cost the most (the first, when two cost the same); None when no reply gave anything up."""
    costs = reply_costs(d, rep)
    known = [(cost, -i) for i, cost in enumerate(costs) if cost is not None]
    if not known or max(known)[0] <= 0:
        return None
    cost, turn = max(known)
    return TurningPoint(-turn, rep.taken[-turn][1].id, cost)
