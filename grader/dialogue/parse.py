"""A scenario file's data built into a Dialogue.

The schema (dialogue.schema.json) is the only check of the file's structure. The builder takes
what it is given without judging it, and lets what is malformed drop out, so that the checks
in `grader.dialogue.check` (references between parts, meter ranges, the graph) can still run
and a course author hears about every problem in one go.
"""

from __future__ import annotations

import dataclasses
from typing import Any

from grader.dialogue.model import Dialogue, Ending, FrozenMap, Meter, Node, Reply, Rule, Variant


def _whole_or_none(value: Any) -> int | None:
    """An int from a schema-valid whole number; None for anything else (the schema has said why)."""
    if isinstance(value, bool) or not isinstance(value, (int, float)) or value != value or value in (float("inf"), float("-inf")):
        return None
    return int(value)


def _whole(value: Any) -> int:
    """An int from a schema-valid whole number; 0 for anything else (the schema has said why)."""
    whole = _whole_or_none(value)
    return 0 if whole is None else whole


def _mapping(value: Any) -> dict:
    return value if isinstance(value, dict) else {}


def _items(value: Any) -> list:
    return value if isinstance(value, list) else []


def _text(value: Any) -> str:
    return value if isinstance(value, str) else ""


def build(data: Any, file: str, version: str) -> Dialogue:
    """The Dialogue that `data` describes: defaults filled in, malformed parts left out."""
    data = _mapping(data)
    meters = {
        mid: Meter(mid, _text(spec.get("label")), _whole(spec.get("min")), _whole(spec.get("max")), _whole(spec.get("start")))
        for mid, spec in _mapping(data.get("meters")).items()
        if isinstance(spec, dict)
    }
    rules = tuple(
        Rule(_text(r.get("meter")), _whole_or_none(r.get("at_most")), _whole_or_none(r.get("at_least")), _text(r.get("ending")))
        for r in _items(data.get("rules"))
        if isinstance(r, dict)
    )
    nodes = {
        nid: Node(
            nid,
            _text(spec.get("say")),
            _text(spec.get("note")),
            tuple(_reply(r) for r in _items(spec.get("replies")) if isinstance(r, dict)),
        )
        for nid, spec in _mapping(data.get("nodes")).items()
        if isinstance(spec, dict)
    }
    endings = {
        eid: Ending(eid, _text(e.get("outcome")), _text(e.get("title")), _text(e.get("debrief")), _whole(e.get("score")))
        for eid, e in _mapping(data.get("endings")).items()
        if isinstance(e, dict)
    }
    points = data.get("points", 1)
    return Dialogue(
        _text(data.get("id")),
        _text(data.get("title")),
        _text(data.get("summary")),
        tuple(x for x in _items(data.get("lessons")) if isinstance(x, str)),
        points if isinstance(points, (int, float)) and not isinstance(points, bool) else 1,
        _text(data.get("setting")),
        _text(data.get("customer")),
        FrozenMap(meters),
        rules,
        _text(data.get("start")),
        FrozenMap(nodes),
        FrozenMap(endings),
        file,
        version,
        tuple(_variant(v) for v in _items(data.get("variants")) if isinstance(v, dict)),
        FrozenMap(
            (name, tuple(x for x in options if isinstance(x, str)))
            for name, options in _mapping(data.get("details")).items()
            if isinstance(options, list)
        ),
        data.get("exam") is True,
    )


def _variant(spec: dict) -> Variant:
    starts = {mid: _whole(value) for mid, value in _mapping(spec.get("start")).items()}
    lines = {nid: _mapping(turn) for nid, turn in _mapping(spec.get("nodes")).items()}
    return Variant(
        _text(spec.get("id")),
        _text(spec.get("label")),
        FrozenMap(starts),
        FrozenMap((nid, turn["say"]) for nid, turn in lines.items() if isinstance(turn.get("say"), str)),
        FrozenMap((nid, turn["note"]) for nid, turn in lines.items() if isinstance(turn.get("note"), str)),
    )


def _reply(spec: dict) -> Reply:
    effect = {mid: _whole(change) for mid, change in _mapping(spec.get("effect")).items()}
    return Reply(
        _text(spec.get("id")),
        _text(spec.get("text")),
        _text(spec.get("next")),
        _whole(spec.get("score")),
        tuple(x for x in _items(spec.get("steps")) if isinstance(x, str)),
        tuple(x for x in _items(spec.get("mistakes")) if isinstance(x, str)),
        FrozenMap(effect),
        _text(spec.get("feedback")),
        spec.get("lesson") if isinstance(spec.get("lesson"), str) else None,
    )


def scored_by(d: Dialogue, key: Any, key_file: str) -> Dialogue:
    """An exam scenario with its key's scores, steps, mistakes, feedback, lessons, outcomes and debriefs merged in."""
    key = _mapping(key)
    replies, endings = _mapping(key.get("replies")), _mapping(key.get("endings"))

    def reply(r: Reply) -> Reply:
        spec = _mapping(replies.get(r.id))
        return _reply({"id": r.id, "text": r.text, "next": r.next, "effect": dict(r.effect), **spec})

    def ending(e: Ending) -> Ending:
        spec = _mapping(endings.get(e.id))
        return Ending(e.id, _text(spec.get("outcome")), e.title, _text(spec.get("debrief")), _whole(spec.get("score")) or 0)

    nodes = FrozenMap((n.id, Node(n.id, n.say, n.note, tuple(map(reply, n.replies)))) for n in d.nodes.values())
    return dataclasses.replace(
        d, nodes=nodes, endings=FrozenMap((e.id, ending(e)) for e in d.endings.values()), key_file=key_file
    )
