"""Branching dialogues: build them from YAML data, check their graph, analyse every path, replay a learner's path.

The rules of play, which the browser widget repeats exactly:

1. Meters start at their `start` value.
2. After a reply, each meter in its `effect` changes by the amount given.
3. The `rules` are then tried in order: the first whose meter is `<= at_most`
   (or `>= at_least`) ends the dialogue at its ending.
4. Otherwise the dialogue goes to the reply's `next`: a node or an ending.

The raw score of a path is the sum of its reply scores plus its ending's score.
Meters are never clamped: one that leaves [min, max] after an effect is an
error in the scenario, which `check` reports with a path that gets there.

The engine plays these rules for the grader (replay) and for the path analysis (advance)."""

from __future__ import annotations

import functools
from dataclasses import dataclass
from typing import Any

from grader.dialogue.model import Dialogue, Ending, Replay, Reply
from grader.dialogue.text import shown

NODE, ENDING, OUT, MISSING = "node", "ending", "out", "missing"


@dataclass(frozen=True)
class Plan:
    """The meters as positions in a tuple, for fast stepping."""

    order: tuple[str, ...]
    low: tuple[int, ...]
    high: tuple[int, ...]
    start: tuple[int, ...]
    rules: tuple[tuple[int, int | None, int | None, str, int], ...]
    """(meter position, at_most, at_least, ending, rule index)."""
    effects: dict
    """id(reply) -> ((meter position, change), ...)."""


@functools.lru_cache(maxsize=64)
def plan_for(d: Dialogue) -> Plan:
    order = tuple(d.meters)
    pos = {m: i for i, m in enumerate(order)}
    return Plan(
        order,
        tuple(d.meters[m].min for m in order),
        tuple(d.meters[m].max for m in order),
        tuple(d.meters[m].start for m in order),
        tuple((pos[x.meter], x.at_most, x.at_least, x.ending, i) for i, x in enumerate(d.rules) if x.meter in pos),
        {id(r): tuple((pos[m], v) for m, v in r.effect.items() if m in pos) for n in d.nodes.values() for r in n.replies},
    )


def advance(d: Dialogue, plan: Plan, values: tuple[int, ...], reply: Reply):
    """One reply from `values`: (kind, target, new values, rule index or None).

    kind is NODE (target: node id), ENDING (target: ending id), OUT (target:
    (meter id, value) that left its range) or MISSING (target: the bad next).
    """
    effect = plan.effects.get(id(reply))
    if effect is None:  # a reply from another dialogue object: same rules, slower path
        effect = tuple((plan.order.index(m), v) for m, v in reply.effect.items() if m in plan.order)
    if effect:
        new = list(values)
        for i, delta in effect:
            new[i] += delta
        values = tuple(new)
        for i, _delta in effect:
            if not plan.low[i] <= values[i] <= plan.high[i]:
                return OUT, (plan.order[i], values[i]), values, None
    for pos, most, least, ending, index in plan.rules:
        v = values[pos]
        if (most is not None and v <= most) or (least is not None and v >= least):
            return ENDING, ending, values, index
    if reply.next in d.endings:
        return ENDING, reply.next, values, None
    if reply.next in d.nodes:
        return NODE, reply.next, values, None
    return MISSING, reply.next, values, None


def replay(d: Dialogue, path: Any) -> Replay:
    """Walk a submitted path of reply ids from the start; never raises, whatever `path` holds."""
    plan = plan_for(d)
    values = plan.start
    meters = [dict(zip(plan.order, values, strict=True))]
    taken: list = []
    steps: dict[str, None] = {}
    mistakes: dict[str, None] = {}
    raw = 0

    def result(ok: bool, reason: str, ending: Ending | None = None) -> Replay:
        return Replay(ok, reason, raw, ending, tuple(steps), tuple(mistakes), meters, taken)

    if not isinstance(path, (list, tuple)):
        return result(False, f"the path must be a list of reply ids, not {shown(path)}")
    nid = d.start
    for n, choice in enumerate(path, 1):
        node = d.nodes.get(nid)
        if node is None:
            return result(False, f"the dialogue has no node '{nid}' to continue from")
        if not isinstance(choice, str):
            return result(False, f"choice {n} is {shown(choice)}, not a reply id")
        reply = next((x for x in node.replies if x.id == choice), None)
        if reply is None:
            offered = ", ".join(x.id for x in node.replies) or "nothing"
            return result(False, f"choice {n}, {shown(choice)}, is not on offer at node {nid} (offered: {offered})")
        kind, target, values, _ = advance(d, plan, values, reply)
        raw += reply.score
        taken.append((nid, reply))
        meters.append(dict(zip(plan.order, values, strict=True)))
        steps.update(dict.fromkeys(reply.steps))
        mistakes.update(dict.fromkeys(reply.mistakes))
        if kind == ENDING:
            ending = d.endings[target]
            raw += ending.score
            rest = len(path) - n
            if rest:
                more = "1 more choice follows" if rest == 1 else f"{rest} more choices follow"
                return result(False, f"the dialogue ended at '{target}' after choice {n}; {more}", ending)
            return result(True, "", ending)
        if kind == OUT:
            mid, v = target
            return result(False, f"meter '{mid}' left its range ({v}) after choice {n}; the scenario needs fixing")
        if kind == MISSING:
            return result(False, f"choice {n}, '{choice}', leads to '{target}', which the scenario does not define")
        nid = target
    return result(False, f"the path stops at node {nid} before an ending")
