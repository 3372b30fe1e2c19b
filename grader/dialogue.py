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
"""

from __future__ import annotations

import difflib
import functools
import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Callable, Iterator

from grader.problems import Problem

ID = re.compile(r"[a-z0-9][a-z0-9-]*")
STEP_ID = re.compile(r"[a-z0-9-]+\.[a-z0-9-]+")
LESSON = re.compile(r"[^\s]+\.md(#[A-Za-z0-9_-]+)?")
OUTCOMES = ("resolved_retained", "resolved", "escalated", "lost")
STATE_LIMIT = 200_000
"""Most (node, meter values) states the checker explores before giving up."""
RELAX_LIMIT = 5_000_000
"""Most score updates spent on loops before the analysis gives up."""

LineOf = Callable[[tuple], "int | None"]


class FrozenMap(Mapping):
    """A read-only mapping that keeps its order and can be hashed."""

    __slots__ = ("_data", "_hash")

    def __init__(self, items: Any = ()):
        self._data = dict(items)
        self._hash: int | None = None

    def __getitem__(self, key):
        return self._data[key]

    def __iter__(self) -> Iterator:
        return iter(self._data)

    def __len__(self) -> int:
        return len(self._data)

    # Direct paths to the dict: the checker asks these millions of times.
    def __contains__(self, key) -> bool:
        return key in self._data

    def get(self, key, default=None):
        return self._data.get(key, default)

    def items(self):
        return self._data.items()

    def keys(self):
        return self._data.keys()

    def values(self):
        return self._data.values()

    def __hash__(self) -> int:
        # Computed once: caches keyed by a whole scenario would otherwise re-hash every node per call.
        if self._hash is None:
            self._hash = hash(tuple(self._data.items()))
        return self._hash

    def __repr__(self) -> str:
        return f"FrozenMap({self._data!r})"


@dataclass(frozen=True)
class Meter:
    """A gauge of the customer's state, such as calm or trust."""

    id: str
    label: str
    min: int
    max: int
    start: int


@dataclass(frozen=True)
class Rule:
    """Ends the dialogue as soon as a meter reaches a limit."""

    meter: str
    at_most: int | None
    at_least: int | None
    ending: str


@dataclass(frozen=True)
class Reply:
    """One thing the learner can say at a node."""

    id: str
    """Unique in the whole scenario; answer files list these."""
    text: str
    next: str
    """A node id or an ending id."""
    score: int
    steps: tuple[str, ...]
    """Model steps this reply practises, `model.step`."""
    mistakes: tuple[str, ...]
    """Anti-pattern ids this reply shows."""
    effect: FrozenMap
    """meter id -> change, in file order."""
    feedback: str
    lesson: str | None


@dataclass(frozen=True)
class Node:
    """One customer turn and the replies on offer."""

    id: str
    say: str
    note: str
    replies: tuple[Reply, ...]


@dataclass(frozen=True)
class Ending:
    """Where a path stops, with its debrief and score."""

    id: str
    outcome: str
    """resolved_retained | resolved | escalated | lost."""
    title: str
    debrief: str
    score: int


@dataclass(frozen=True)
class Dialogue:
    """A whole scenario, as written in quizzes/dialogues/<id>.yml."""

    id: str
    title: str
    summary: str
    lessons: tuple[str, ...]
    points: float
    setting: str
    customer: str
    meters: FrozenMap
    """meter id -> Meter, in file order."""
    rules: tuple[Rule, ...]
    start: str
    nodes: FrozenMap
    """node id -> Node, in file order."""
    endings: FrozenMap
    """ending id -> Ending, in file order."""
    file: str
    version: str
    """First 8 hex digits of the SHA-256 of the file's bytes."""


@dataclass(frozen=True)
class Analysis:
    """What the complete paths through a scenario add up to."""

    states: int
    """(node, meter values) states explored."""
    complete: bool
    """False when the state or loop limit cut the analysis short; the figures below are then unknown."""
    paths: int | None
    """Complete paths; None when a loop makes them unbounded."""
    best: int | None
    """Highest raw score; None when no path ends or a loop makes it unbounded."""
    worst: int | None
    """Lowest raw score; None when no path ends or a loop makes it unbounded."""
    best_unbounded: bool
    worst_unbounded: bool
    longest: int | None
    """Decisions on the longest complete path; None when a loop makes it unbounded."""
    endings_reached: tuple[str, ...]
    """Ending ids some path reaches, in file order."""
    paths_by_ending: FrozenMap
    """Every ending id -> complete paths reaching it (0 when none, None when unbounded)."""
    best_path: tuple[str, ...]
    """Reply ids of a shortest path with the best raw score; () when unknown."""
    worst_path: tuple[str, ...]
    """Reply ids of a shortest path with the worst raw score; () when unknown."""


@dataclass(frozen=True)
class Replay:
    """A learner's path walked through the scenario."""

    ok: bool
    """True when every choice was on offer and the path ends exactly at an ending."""
    reason: str
    """Why the path is not valid; "" when ok."""
    raw: int
    """Reply scores so far plus the ending's score."""
    ending: Ending | None
    steps_shown: tuple[str, ...]
    """Model steps of the replies taken, first time each, in order."""
    mistakes: tuple[str, ...]
    """Anti-patterns of the replies taken, first time each, in order."""
    meters: list
    """Meter values: the start, then one dict after each reply taken."""
    taken: list
    """(node id, Reply) for each valid choice, in order."""


# ---------------------------------------------------------------- parsing


def _where(path: tuple) -> str:
    """Key path as authors write it: `nodes.n3.replies[1].next`."""
    out = ""
    for part in path:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out


def _line(line_of: LineOf | None, path: tuple) -> int | None:
    """Line of `path`, or of its nearest parent that has one."""
    if line_of is None:
        return None
    for end in range(len(path), -1, -1):
        try:
            line = line_of(tuple(path[:end]))
        except Exception:  # a line is a courtesy; a broken lookup must not hide the problem
            line = None
        if line:
            return line
    return None


def _show(value: Any) -> str:
    """A short, safe description of any value for a message."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if value is None:
        return "empty (null)"
    if isinstance(value, (int, float)):
        return f"the number {value}"
    if isinstance(value, str):
        text = value if len(value) <= 40 else value[:37] + "..."
        return f"'{text}'" if text.isprintable() else repr(text)
    if isinstance(value, (list, tuple)):
        return f"a list of {len(value)}"
    if isinstance(value, dict):
        return "a mapping"
    return f"a {type(value).__name__}"


def _suggest(word: Any, known, listing: str = "") -> str:
    """'; did you mean 'x'?' when a known id is close to `word`, else `listing` of the known ids when short."""
    known = [k for k in known if isinstance(k, str)]
    close = difflib.get_close_matches(word, known, n=1, cutoff=0.6) if isinstance(word, str) else []
    if close:
        return f"; did you mean '{close[0]}'?"
    if listing and 0 < len(known) <= 12:
        return f" ({listing}: {', '.join(known)})"
    return ""


TOP_KEYS = ("id", "title", "summary", "lessons", "points", "setting", "customer", "meters", "rules", "start", "nodes", "endings")
TOP_REQUIRED = ("id", "title", "summary", "start", "nodes", "endings")
METER_KEYS = ("label", "min", "max", "start")
RULE_KEYS = ("meter", "at_most", "at_least", "ending")
NODE_KEYS = ("say", "note", "replies")
REPLY_KEYS = ("id", "text", "next", "score", "steps", "mistakes", "effect", "feedback", "lesson")
REPLY_REQUIRED = ("id", "text", "next", "feedback")
ENDING_KEYS = ("outcome", "title", "debrief", "score")


class _Reader:
    """Reads one scenario's data, collecting every problem instead of stopping at the first."""

    def __init__(self, file: str, line_of: LineOf | None):
        self.file, self.line_of = file, line_of
        self.problems: list[Problem] = []

    def fail(self, path: tuple, message: str) -> None:
        self.problems.append(Problem(self.file, message, _line(self.line_of, path), _where(path)))

    def mapping(self, value: Any, path: tuple, what: str, keys: tuple, required: tuple) -> bool:
        """Check that `value` is a mapping with only `keys` and every `required` key."""
        if not isinstance(value, dict):
            self.fail(path, f"{what} must be a mapping of keys, not {_show(value)}")
            return False
        for key in value:
            if key not in keys:
                hint = _suggest(key, keys)[2:] or f"the keys are: {', '.join(keys)}"
                self.fail(path + (key,), f"{what} has an unknown key '{key}'; {hint}")
        for key in required:
            if key not in value:
                self.fail(path, f"{what} lacks the key '{key}'; add it")
        return True

    def text(self, data: dict, key: str, path: tuple, what: str, default: str | None = "") -> str | None:
        """A text value; required when `default` is None."""
        if key not in data:
            return default
        value = data[key]
        if isinstance(value, str) and (value.strip() or default is not None):
            return value
        self.fail(path + (key,), f"{what}: `{key}` must be {'non-empty ' if default is None else ''}text, not {_show(value)}")
        return None

    def ident(self, value: Any, path: tuple, what: str, pattern: re.Pattern = ID) -> str | None:
        if isinstance(value, str) and pattern.fullmatch(value):
            return value
        shape = "`model.step`, lower case" if pattern is STEP_ID else "lower case letters, digits and '-', starting with a letter or digit"
        self.fail(path, f"{what} {_show(value)} is not a valid id: use {shape}")
        return None

    def whole(self, data: dict, key: str, path: tuple, what: str, default: int | None = None) -> int | None:
        """A whole number; required when `default` is None."""
        if key not in data:
            if default is None:
                return None
            return default
        value = data[key]
        if isinstance(value, float) and value.is_integer():
            value = int(value)
        if isinstance(value, int) and not isinstance(value, bool):
            return value
        self.fail(path + (key,), f"{what}: `{key}` must be a whole number, not {_show(value)}")
        return None

    def id_list(self, data: dict, key: str, path: tuple, what: str, pattern: re.Pattern = ID) -> tuple[str, ...]:
        value = data.get(key, [])
        if value is None:
            value = []
        if not isinstance(value, list):
            self.fail(path + (key,), f"{what}: `{key}` must be a list, not {_show(value)}")
            return ()
        out = []
        for i, item in enumerate(value):
            good = self.ident(item, path + (key, i), f"{what}: `{key}` entry", pattern)
            if good in out:
                self.fail(path + (key, i), f"{what}: `{key}` lists '{good}' twice; keep one")
            elif good:
                out.append(good)
        return tuple(out)

    def lesson(self, value: Any, path: tuple, what: str) -> str | None:
        if isinstance(value, str) and LESSON.fullmatch(value):
            return value
        self.fail(path, f"{what}: lesson {_show(value)} must be a page path under docs/ such as lessons/x.md#section")
        return None


def parse(data: Any, file: str, line_of: LineOf | None, version: str) -> tuple[Dialogue | None, list[Problem]]:
    """Build a Dialogue from loaded YAML data; returns (None, problems) whenever anything is wrong."""
    r = _Reader(file, line_of)
    if not r.mapping(data, (), "a scenario file", TOP_KEYS, TOP_REQUIRED):
        return None, r.problems
    did = r.ident(data["id"], ("id",), "the scenario id") if "id" in data else None
    title = r.text(data, "title", (), "the scenario", None)
    summary = r.text(data, "summary", (), "the scenario", None)
    setting = r.text(data, "setting", (), "the scenario")
    customer = r.text(data, "customer", (), "the scenario")
    lessons: list[str] = []
    raw_lessons = data.get("lessons", [])
    if not isinstance(raw_lessons, list):
        r.fail(("lessons",), f"`lessons` must be a list of lesson pages, not {_show(raw_lessons)}")
    else:
        lessons = [x for i, x in enumerate(raw_lessons) if r.lesson(x, ("lessons", i), "the scenario")]
    points = data.get("points", 1)
    if isinstance(points, bool) or not isinstance(points, (int, float)) or not 0 < points < float("inf"):
        r.fail(("points",), f"`points` must be a number above 0, not {_show(points)}")
        points = 1

    meters = _meters(r, data.get("meters", {}))
    endings = _endings(r, data.get("endings"))
    nodes = _nodes(r, data.get("nodes"), meters)
    rules = _rules(r, data.get("rules", []), meters, endings, nodes)
    start = data.get("start")
    if "start" in data:
        if not isinstance(start, str):
            r.fail(("start",), f"`start` must be a node id, not {_show(start)}")
        elif nodes is not None and start not in nodes:
            kind = "an ending; the dialogue must start at a node" if endings and start in endings else "not a node"
            r.fail(("start",), f"start '{start}' is {kind}{_suggest(start, nodes)}")
    if nodes is not None and endings is not None:
        for nid in nodes:
            if nid in endings:
                r.fail(("endings", nid), f"'{nid}' is both a node and an ending; rename one so `next` is not ambiguous")
        _check_targets(r, nodes, endings)
    if r.problems:
        return None, sorted(r.problems, key=lambda p: p.line or 0)
    return (
        Dialogue(did, title, summary, tuple(lessons), points, setting or "", customer or "", FrozenMap(meters), tuple(rules), start, FrozenMap(nodes), FrozenMap(endings), file, version),
        [],
    )


def _meters(r: _Reader, raw: Any) -> dict[str, Meter]:
    meters: dict[str, Meter] = {}
    if raw is None:
        return meters
    if not isinstance(raw, dict):
        r.fail(("meters",), f"`meters` must map meter ids to {{label, min, max, start}}, not {_show(raw)}")
        return meters
    for mid, spec in raw.items():
        path = ("meters", mid)
        what = f"meter '{mid}'"
        if not r.ident(mid, path, "meter id") or not r.mapping(spec, path, what, METER_KEYS, METER_KEYS):
            continue
        label = r.text(spec, "label", path, what, None)
        lo, hi, start = (r.whole(spec, k, path, what) for k in ("min", "max", "start"))
        if None in (label, lo, hi, start):
            continue
        if lo >= hi:
            r.fail(path + ("max",), f"{what}: max {hi} must be above min {lo}")
        elif not lo <= start <= hi:
            r.fail(path + ("start",), f"{what}: start {start} must lie between min {lo} and max {hi}")
        meters[mid] = Meter(mid, label, lo, hi, start)
    return meters


def _endings(r: _Reader, raw: Any) -> dict[str, Ending] | None:
    if raw is None or not isinstance(raw, dict) or not raw:
        if raw is not None:
            r.fail(("endings",), f"`endings` must map ending ids to endings, at least one, not {_show(raw)}")
        return None
    endings = {}
    for eid, spec in raw.items():
        path = ("endings", eid)
        what = f"ending '{eid}'"
        if not r.ident(eid, path, "ending id") or not r.mapping(spec, path, what, ENDING_KEYS, ("outcome", "title", "debrief")):
            continue
        outcome = spec.get("outcome")
        if "outcome" in spec and outcome not in OUTCOMES:
            r.fail(path + ("outcome",), f"{what}: outcome {_show(outcome)} must be one of {', '.join(OUTCOMES)}{_suggest(outcome, OUTCOMES)}")
        title = r.text(spec, "title", path, what, None)
        debrief = r.text(spec, "debrief", path, what, None)
        score = r.whole(spec, "score", path, what, 0)
        endings[eid] = Ending(eid, outcome, title, debrief, score)
    return endings


def _nodes(r: _Reader, raw: Any, meters: dict[str, Meter]) -> dict[str, Node] | None:
    if raw is None or not isinstance(raw, dict) or not raw:
        if raw is not None:
            r.fail(("nodes",), f"`nodes` must map node ids to customer turns, at least one, not {_show(raw)}")
        return None
    nodes: dict[str, Node] = {}
    first_use: dict[str, str] = {}
    for nid, spec in raw.items():
        path = ("nodes", nid)
        what = f"node '{nid}'"
        if not r.ident(nid, path, "node id") or not r.mapping(spec, path, what, NODE_KEYS, ("say",)):
            continue
        say = r.text(spec, "say", path, what, None)
        note = r.text(spec, "note", path, what)
        raw_replies = spec.get("replies", [])
        if raw_replies is None:
            raw_replies = []
        replies = []
        if not isinstance(raw_replies, list):
            r.fail(path + ("replies",), f"{what}: `replies` must be a list, not {_show(raw_replies)}")
        else:
            for i, item in enumerate(raw_replies):
                reply = _reply(r, item, path + ("replies", i), nid, meters)
                if reply is None:
                    continue
                if reply.id in first_use:
                    r.fail(path + ("replies", i, "id"), f"reply id '{reply.id}' at node '{nid}' is already used at node '{first_use[reply.id]}'; reply ids must be unique in the whole scenario")
                first_use.setdefault(reply.id, nid)
                replies.append(reply)
        nodes[nid] = Node(nid, say, note or "", tuple(replies))
    return nodes


def _reply(r: _Reader, spec: Any, path: tuple, nid: str, meters: dict[str, Meter]) -> Reply | None:
    rid = spec.get("id") if isinstance(spec, dict) else None
    what = f"reply '{rid}' at node '{nid}'" if isinstance(rid, str) else f"reply {path[-1] + 1} at node '{nid}'"
    if not r.mapping(spec, path, what, REPLY_KEYS, REPLY_REQUIRED):
        return None
    before = len(r.problems)
    if "id" in spec:
        r.ident(rid, path + ("id",), f"{what}: id")
    text = r.text(spec, "text", path, what, None)
    target = spec.get("next")
    if "next" in spec and not isinstance(target, str):
        r.fail(path + ("next",), f"{what}: `next` must be a node or ending id, not {_show(target)}")
    score = r.whole(spec, "score", path, what, 0)
    steps = r.id_list(spec, "steps", path, what, STEP_ID)
    mistakes = r.id_list(spec, "mistakes", path, what)
    feedback = r.text(spec, "feedback", path, what, None)
    lesson = spec.get("lesson")
    if lesson is not None:
        lesson = r.lesson(lesson, path + ("lesson",), what)
    effect: dict[str, int] = {}
    raw_effect = spec.get("effect", {})
    if raw_effect is None:
        raw_effect = {}
    if not isinstance(raw_effect, dict):
        r.fail(path + ("effect",), f"{what}: `effect` must map meter ids to changes, such as {{calm: 1}}, not {_show(raw_effect)}")
    else:
        for mid, delta in raw_effect.items():
            if mid not in meters:
                r.fail(path + ("effect", mid), f"{what}: effect on meter '{mid}', which `meters` does not define{_suggest(mid, meters)}")
            amount = r.whole(raw_effect, mid, path + ("effect",), f"{what}: effect")
            if amount is not None:
                effect[mid] = amount
    if len(r.problems) > before:
        return None
    return Reply(rid, text, target, score, steps, mistakes, FrozenMap(effect), feedback, lesson)


def _rules(r: _Reader, raw: Any, meters: dict[str, Meter], endings: dict | None, nodes: dict | None) -> list[Rule]:
    rules: list[Rule] = []
    if raw is None:
        return rules
    if not isinstance(raw, list):
        r.fail(("rules",), f"`rules` must be a list of {{meter, at_most or at_least, ending}}, not {_show(raw)}")
        return rules
    for i, spec in enumerate(raw):
        path = ("rules", i)
        what = f"rule {i + 1}"
        if not r.mapping(spec, path, what, RULE_KEYS, ("meter", "ending")):
            continue
        mid, target = spec.get("meter"), spec.get("ending")
        most = r.whole(spec, "at_most", path, what)
        least = r.whole(spec, "at_least", path, what)
        if ("at_most" in spec) == ("at_least" in spec):
            r.fail(path, f"{what} needs exactly one of `at_most` and `at_least`")
        meter = meters.get(mid) if isinstance(mid, str) else None
        if "meter" in spec and meter is None:
            r.fail(path + ("meter",), f"{what}: meter {_show(mid)} is not defined in `meters`{_suggest(mid, meters)}")
        elif meter and most is not None and most < meter.min:
            r.fail(path + ("at_most",), f"{what}: at_most {most} is below the meter's min {meter.min}, so the rule can never fire")
        elif meter and least is not None and least > meter.max:
            r.fail(path + ("at_least",), f"{what}: at_least {least} is above the meter's max {meter.max}, so the rule can never fire")
        if "ending" in spec and endings is not None and target not in endings:
            kind = "a node; a rule must lead to an ending" if nodes and isinstance(target, str) and target in nodes else "not an ending"
            r.fail(path + ("ending",), f"{what}: '{target}' is {kind}{_suggest(target, endings)}")
        rules.append(Rule(mid, most, least, target))
    return rules


def _check_targets(r: _Reader, nodes: dict[str, Node], endings: dict[str, Ending]) -> None:
    for node in nodes.values():
        for i, reply in enumerate(node.replies):
            if isinstance(reply.next, str) and reply.next not in nodes and reply.next not in endings:
                r.fail(
                    ("nodes", node.id, "replies", i, "next"),
                    f"reply '{reply.id}' at node '{node.id}' leads to '{reply.next}', which is neither a node nor an ending{_suggest(reply.next, [*nodes, *endings], 'ids here')}",
                )


# ---------------------------------------------------------------- playing one reply

NODE, ENDING, OUT, MISSING = "node", "ending", "out", "missing"


@dataclass(frozen=True)
class _Plan:
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
def _plan(d: Dialogue) -> _Plan:
    order = tuple(d.meters)
    pos = {m: i for i, m in enumerate(order)}
    return _Plan(
        order,
        tuple(d.meters[m].min for m in order),
        tuple(d.meters[m].max for m in order),
        tuple(d.meters[m].start for m in order),
        tuple((pos[x.meter], x.at_most, x.at_least, x.ending, i) for i, x in enumerate(d.rules) if x.meter in pos),
        {id(r): tuple((pos[m], v) for m, v in r.effect.items() if m in pos) for n in d.nodes.values() for r in n.replies},
    )


def _advance(d: Dialogue, plan: _Plan, values: tuple[int, ...], reply: Reply):
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
        for i, delta in effect:
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


# ---------------------------------------------------------------- exploring every path


@dataclass
class _Space:
    """Every (node, meter values) state reachable from the start, found breadth first."""

    states: list
    """index -> (node id, values)."""
    parent: list
    """index -> (parent index, Reply) on a shortest path, None for the start."""
    edges: list
    """index -> [(Reply, kind, target, rule index)]; for NODE the target is a state index."""
    complete: bool
    out_of_range: list
    """First time each (reply, meter, side) leaves its range: (state index, node id, Reply, meter, value)."""


def _explore(d: Dialogue) -> _Space:
    plan = _plan(d)
    if d.start not in d.nodes:
        return _Space([], [], [], True, [])
    states = [(d.start, plan.start)]
    index = {states[0]: 0}
    parent: list = [None]
    edges: list = []
    out_seen: set = set()
    out_of_range: list = []
    complete = True
    i = 0
    while i < len(states):
        nid, values = states[i]
        row = []
        for reply in d.nodes[nid].replies:
            kind, target, new, rule = _advance(d, plan, values, reply)
            if kind == NODE:
                key = (target, new)
                j = index.get(key)
                if j is None:
                    if len(states) >= STATE_LIMIT:
                        complete = False
                        continue
                    j = len(states)
                    states.append(key)
                    index[key] = j
                    parent.append((i, reply))
                target = j
            elif kind == OUT:
                mid, v = target
                side = (reply.id, mid, v < d.meters[mid].min)
                if side not in out_seen:
                    out_seen.add(side)
                    out_of_range.append((i, nid, reply, mid, v))
            row.append((reply, kind, target, rule))
        edges.append(row)
        i += 1
        if not complete:
            break
    edges += [[] for _ in range(len(states) - len(edges))]
    return _Space(states, parent, edges, complete, out_of_range)


def _path_to(space: _Space, state: int) -> list[str]:
    """Reply ids of a shortest path from the start to `state`."""
    out = []
    while space.parent[state] is not None:
        state, reply = space.parent[state]
        out.append(reply.id)
    return out[::-1]


def _sccs(succ: list[list[int]]) -> list[list[int]]:
    """Strongly connected components, each after every component it leads to (Tarjan, without recursion)."""
    n = len(succ)
    index = [-1] * n
    low = [0] * n
    on_stack = [False] * n
    stack: list[int] = []
    out: list[list[int]] = []
    counter = 0
    for root in range(n):
        if index[root] != -1:
            continue
        work = [(root, 0)]
        index[root] = low[root] = counter
        counter += 1
        stack.append(root)
        on_stack[root] = True
        while work:
            v, k = work[-1]
            if k < len(succ[v]):
                work[-1] = (v, k + 1)
                w = succ[v][k]
                if index[w] == -1:
                    index[w] = low[w] = counter
                    counter += 1
                    stack.append(w)
                    on_stack[w] = True
                    work.append((w, 0))
                elif on_stack[w]:
                    low[v] = min(low[v], index[w])
                continue
            work.pop()
            if work:
                u = work[-1][0]
                low[u] = min(low[u], low[v])
            if low[v] == index[v]:
                comp = []
                while True:
                    w = stack.pop()
                    on_stack[w] = False
                    comp.append(w)
                    if w == v:
                        break
                out.append(sorted(comp))
    return out


INF = float("inf")


@dataclass
class _Study:
    """The explored space plus what its paths add up to."""

    space: _Space
    analysis: Analysis
    traps: list
    """(first state, node ids in the loop) for loops that never reach an ending."""
    farms: list
    """(first state, node ids in the loop) for loops that gain points every time round."""


def _add(a, b):
    """Path counts where None stands for unbounded."""
    return None if a is None or b is None else a + b


@functools.lru_cache(maxsize=64)
def _study(d: Dialogue) -> _Study:
    space = _explore(d)
    n = len(space.states)
    empty = FrozenMap((e, 0) for e in d.endings)
    if not space.complete or n == 0:
        return _Study(space, Analysis(n, space.complete, None if n else 0, None, None, False, False, None, (), empty if n == 0 else FrozenMap((e, None) for e in d.endings), (), ()), [], [])
    succ = [[t for (_, kind, t, _) in row if kind == NODE] for row in space.edges]
    best: list = [None] * n  # (score, -decisions): highest score, then fewest decisions
    worst: list = [None] * n  # (score, decisions): lowest score, then fewest decisions
    counts: list = [None] * n  # ending id -> paths (None: unbounded)
    longest: list = [0] * n  # decisions (None: unbounded)
    traps, farms = [], []
    budget = RELAX_LIMIT
    best_unbounded = worst_unbounded = False
    for comp in _sccs(succ):
        inside = set(comp)
        cyclic = len(comp) > 1 or comp[0] in succ[comp[0]]
        for s in comp:
            b = w = None
            cnt: dict = {}
            lg = 0
            for reply, kind, t, _ in space.edges[s]:
                if kind == ENDING:
                    value = reply.score + d.endings[t].score
                    b = max(b, (value, -1)) if b else (value, -1)
                    w = min(w, (value, 1)) if w else (value, 1)
                    cnt[t] = _add(cnt.get(t, 0), 1)
                    lg = None if lg is None else max(lg, 1)
                elif kind == NODE and t not in inside and best[t] is not None:
                    cb = (best[t][0] + reply.score, best[t][1] - 1)
                    cw = (worst[t][0] + reply.score, worst[t][1] + 1)
                    b = max(b, cb) if b else cb
                    w = min(w, cw) if w else cw
                    for e, c in counts[t].items():
                        cnt[e] = _add(cnt.get(e, 0), c)
                    lg = None if lg is None or longest[t] is None else max(lg, longest[t] + 1)
            best[s], worst[s], counts[s], longest[s] = b, w, cnt, lg
        if not cyclic:
            continue
        # A loop: scores settle after len(comp) rounds unless going round changes them for ever.
        grows, budget = _relax(space, comp, inside, best, 1, budget)
        sinks, budget = _relax(space, comp, inside, worst, -1, budget)
        if budget < 0:
            return _Study(space, Analysis(n, False, None, None, None, False, False, None, (), FrozenMap((e, None) for e in d.endings), (), ()), [], [])
        nodes_in_loop = tuple(dict.fromkeys(space.states[s][0] for s in comp))
        if best[comp[0]] is None:
            traps.append((comp[0], nodes_in_loop))
            continue
        if grows:
            farms.append((comp[0], nodes_in_loop))
            best_unbounded = True
            for s in comp:
                best[s] = (INF, 0)
        if sinks:
            worst_unbounded = True
            for s in comp:
                worst[s] = (-INF, 0)
        ends = {e for s in comp for e in counts[s]}
        for s in comp:
            counts[s] = {e: None for e in ends}
            longest[s] = None
    # Anything that leads to a farm is itself unbounded.
    best_unbounded = best[0] is not None and best[0][0] == INF
    worst_unbounded = worst[0] is not None and worst[0][0] == -INF
    root = counts[0] or {}
    reached = tuple(e for e in d.endings if any(row[1] == ENDING and row[2] == e for edges in space.edges for row in edges))
    total = 0
    for c in root.values():
        total = _add(total, c)
    analysis = Analysis(
        states=n,
        complete=True,
        paths=total,
        best=None if best[0] is None or best_unbounded else best[0][0],
        worst=None if worst[0] is None or worst_unbounded else worst[0][0],
        best_unbounded=best_unbounded,
        worst_unbounded=worst_unbounded,
        longest=longest[0] if best[0] is not None else None,
        endings_reached=reached,
        paths_by_ending=FrozenMap((e, root.get(e, 0)) for e in d.endings),
        best_path=() if best_unbounded else _follow(d, space, best, 1),
        worst_path=() if worst_unbounded else _follow(d, space, worst, -1),
    )
    return _Study(space, analysis, _first_per_loop(traps), _first_per_loop(farms))


def _first_per_loop(found: list) -> list:
    """One report per set of nodes (the same loop at other meter values adds nothing), nearest the start first."""
    seen: dict = {}
    for state, loop in sorted(found):
        seen.setdefault(frozenset(loop), (state, loop))
    return list(seen.values())


def _relax(space: _Space, comp: list[int], inside: set, value: list, sign: int, budget: int) -> tuple[bool, int]:
    """Settle best (sign 1) or worst (sign -1) scores inside a loop; True when a cycle improves them for ever."""
    for _ in range(len(comp)):
        changed = False
        for s in comp:
            for reply, kind, t, _ in space.edges[s]:
                if kind != NODE or t not in inside or value[t] is None:
                    continue
                budget -= 1
                cand = (value[t][0] + reply.score, value[t][1] - sign)
                if value[s] is None or (cand > value[s] if sign > 0 else cand < value[s]):
                    value[s] = cand
                    changed = True
        if not changed or budget < 0:
            return False, budget
    return True, budget


def _follow(d: Dialogue, space: _Space, value: list, sign: int) -> tuple[str, ...]:
    """Reply ids of the path that realises value[0], taking the first reply that does at each turn."""
    if value[0] is None:
        return ()
    out, s = [], 0
    for _ in range(len(space.states) + 1):
        for reply, kind, t, _ in space.edges[s]:
            if kind == ENDING:
                cand = (reply.score + d.endings[t].score, -sign)
            elif kind == NODE and value[t] is not None:
                cand = (value[t][0] + reply.score, value[t][1] - sign)
            else:
                continue
            if cand == value[s]:
                out.append(reply.id)
                if kind == ENDING:
                    return tuple(out)
                s = t
                break
        else:
            return ()  # cannot happen once the values have settled
    return ()


def analyse(d: Dialogue) -> Analysis:
    """Path statistics: paths, best and worst raw score, longest path, endings reached and paths per ending."""
    return _study(d).analysis


# ---------------------------------------------------------------- checking


def check(d: Dialogue, step_ids: set[str], anti_pattern_ids: set[str], line_of: LineOf | None) -> list[Problem]:
    """Every graph problem: unreachable or dead-end nodes, bad targets, unreached endings, endless loops, meters out of range, unknown ids, scoring."""
    problems: list[Problem] = []

    def fail(path: tuple, message: str) -> None:
        problems.append(Problem(d.file, message, _line(line_of, path), _where(path)))

    def reply_path(nid: str, reply: Reply) -> tuple:
        node = d.nodes.get(nid)
        at = next((i for i, x in enumerate(node.replies) if x is reply), None) if node else None
        return ("nodes", nid) if at is None else ("nodes", nid, "replies", at)

    if d.start not in d.nodes:
        fail(("start",), f"start '{d.start}' is not a node{_suggest(d.start, d.nodes)}")
    # Structure first: these hold whatever the meters do.
    linked: dict[str, set[str]] = {nid: set() for nid in d.nodes}
    for node in d.nodes.values():
        if not node.replies:
            fail(("nodes", node.id), f"node '{node.id}' has no replies, so the dialogue stops there without an ending; add replies, or make the replies that lead here go to an ending")
        for i, reply in enumerate(node.replies):
            at = ("nodes", node.id, "replies", i)
            linked[node.id].add(reply.next)
            if reply.next not in d.nodes and reply.next not in d.endings:
                fail(at + ("next",), f"reply '{reply.id}' at node '{node.id}' leads to '{reply.next}', which is neither a node nor an ending{_suggest(reply.next, [*d.nodes, *d.endings], 'ids here')}")
            for j, step in enumerate(reply.steps):
                if step not in step_ids:
                    fail(at + ("steps", j), f"reply '{reply.id}' at node '{node.id}' tags step '{step}', which quizzes/models.yml does not define{_suggest(step, step_ids)}")
            for j, mistake in enumerate(reply.mistakes):
                if mistake not in anti_pattern_ids:
                    fail(at + ("mistakes", j), f"reply '{reply.id}' at node '{node.id}' tags anti-pattern '{mistake}', which quizzes/models.yml does not define{_suggest(mistake, anti_pattern_ids)}")
    for i, rule in enumerate(d.rules):
        if rule.meter not in d.meters:
            fail(("rules", i, "meter"), f"rule {i + 1} watches meter '{rule.meter}', which `meters` does not define")
        if rule.ending not in d.endings:
            fail(("rules", i, "ending"), f"rule {i + 1} leads to '{rule.ending}', which is not an ending")
    seen = _reach(d.start, linked)
    for nid in d.nodes:
        if nid not in seen:
            fail(("nodes", nid), f"node '{nid}' cannot be reached: no reply on any path from the start '{d.start}' leads to it; link it from a reply or remove it")
    if d.start not in d.nodes:
        return problems

    study = _study(d)
    space, a = study.space, study.analysis
    if not a.complete:
        fail(("nodes",), f"the scenario has more than {STATE_LIMIT:,} (node, meter) states or loops too tangled to score, so not every path could be checked; narrow the meter ranges or split the scenario")
        return problems
    for state, nid, reply, mid, value in space.out_of_range:
        meter = d.meters[mid]
        side = f"below its min {meter.min}" if value < meter.min else f"above its max {meter.max}"
        path = ", ".join(_path_to(space, state) + [reply.id])
        fail(reply_path(nid, reply) + ("effect", mid), f"meter '{mid}' reaches {value}, {side}, when reply '{reply.id}' is chosen at node '{nid}' (path: {path}); widen the meter's range or change this reply's effect")
    for state, loop in study.traps:
        path = ", ".join(_path_to(space, state)) or "the start"
        fail(("nodes", loop[0]), f"the dialogue can go round {' -> '.join(loop + (loop[0],))} for ever without reaching an ending (path into the loop: {path}); give a node in the loop a reply that leads to an ending")
    for state, loop in study.farms:
        path = ", ".join(_path_to(space, state)) or "the start"
        fail(("nodes", loop[0]), f"going round {' -> '.join(loop + (loop[0],))} gains points every time (path into the loop: {path}), so the best score has no limit; make the replies in the loop score 0 or less in total")
    cut = bool(space.out_of_range)
    visited = {nid for nid, _ in space.states}
    for nid in d.nodes:
        if nid in seen and nid not in visited and not cut:
            fail(("nodes", nid), f"node '{nid}' is never reached: on every path a rule ends the dialogue before any reply leading here; change the rules or the meters' effects")
    targeted = {t for links in linked.values() for t in links} | {x.ending for x in d.rules}
    for eid in d.endings:
        if eid in a.endings_reached:
            continue
        if eid not in targeted:
            fail(("endings", eid), f"ending '{eid}' is never reached: no reply and no rule leads to it; link it or remove it")
        elif not cut:
            fail(("endings", eid), f"ending '{eid}' is never reached: no path gets to a reply or rule that leads to it; check the replies' next and the rules' limits")
    if not a.endings_reached:
        fail(("start",), "no path from the start reaches an ending; every scenario needs at least one complete path")
    elif a.best is not None and a.best <= 0:
        path = ", ".join(a.best_path)
        fail(("endings",), f"the best raw score is {a.best} (path: {path}); it must be above 0 so a learner can earn the points; raise some reply or ending scores")
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


# ---------------------------------------------------------------- replaying a learner's path


def depths(d: Dialogue) -> dict[str, int]:
    """Node id -> drawing column: its longest way from the start (its shortest where a loop makes that endless); unreached nodes last."""
    succ = {nid: [r.next for r in node.replies if r.next in d.nodes] for nid, node in d.nodes.items()}
    depth = {d.start: 0} if d.start in d.nodes else {}
    order = list(depth)
    queue = list(order)
    while queue:
        nid = queue.pop(0)
        for nxt in succ[nid]:
            if nxt not in depth:
                depth[nxt] = depth[nid] + 1
                order.append(nxt)
                queue.append(nxt)
    longest = dict(depth)
    # Relax at most once per node: a loop would otherwise push columns forever.
    for _ in range(len(depth) + 1):
        changed = False
        for nid in order:
            for nxt in succ[nid]:
                if longest[nxt] < longest[nid] + 1:
                    longest[nxt], changed = longest[nid] + 1, True
        if not changed:
            depth = longest
            break
    last = max(depth.values(), default=-1) + 1
    rank = {nid: i for i, nid in enumerate(order)}
    for nid in d.nodes:
        depth.setdefault(nid, last)
    return {nid: depth[nid] for nid in sorted(d.nodes, key=lambda n: (depth[n], rank.get(n, len(rank))))}


def replay(d: Dialogue, path: Any) -> Replay:
    """Walk a submitted path of reply ids from the start; never raises, whatever `path` holds."""
    plan = _plan(d)
    values = plan.start
    meters = [dict(zip(plan.order, values))]
    taken: list = []
    steps: dict[str, None] = {}
    mistakes: dict[str, None] = {}
    raw = 0

    def result(ok: bool, reason: str, ending: Ending | None = None) -> Replay:
        return Replay(ok, reason, raw, ending, tuple(steps), tuple(mistakes), meters, taken)

    if not isinstance(path, (list, tuple)):
        return result(False, f"the path must be a list of reply ids, not {_show(path)}")
    nid = d.start
    for n, choice in enumerate(path, 1):
        node = d.nodes.get(nid)
        if node is None:
            return result(False, f"the dialogue has no node '{nid}' to continue from")
        if not isinstance(choice, str):
            return result(False, f"choice {n} is {_show(choice)}, not a reply id")
        reply = next((x for x in node.replies if x.id == choice), None)
        if reply is None:
            offered = ", ".join(x.id for x in node.replies) or "nothing"
            return result(False, f"choice {n}, {_show(choice)}, is not on offer at node {nid} (offered: {offered})")
        kind, target, values, _ = _advance(d, plan, values, reply)
        raw += reply.score
        taken.append((nid, reply))
        meters.append(dict(zip(plan.order, values)))
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


def item_score(d: Dialogue, rep: Replay, points: float) -> float:
    """points x raw / best, kept between 0 and points; 0 for an invalid path or a scenario without a positive best."""
    best = analyse(d).best
    if not rep.ok or not best or best <= 0:
        return 0.0
    return round(min(max(points * rep.raw / best, 0.0), float(points)), 4)
