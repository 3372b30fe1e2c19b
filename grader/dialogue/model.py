"""A branching dialogue as data: meters, rules, nodes and their replies, endings; and what analysing or replaying one gives."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

OUTCOMES = ("resolved_retained", "resolved", "escalated", "lost")


STATE_LIMIT = 200_000
"""Most (node, meter values) states the checker explores before giving up."""


RELAX_LIMIT = 5_000_000
"""Most score updates spent on loops before the analysis gives up."""


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
class Variant:
    """One way a practice scenario can open, chosen at random when it starts: its meter starts and some turns' lines."""

    id: str
    label: str
    """What is different, as the learner is told it ("He is quietly furious")."""
    start: FrozenMap
    """meter id -> start value, for the meters this variant starts elsewhere."""
    say: FrozenMap
    """node id -> the customer's line in this variant."""
    note: FrozenMap
    """node id -> the stage direction in this variant."""


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
    variants: tuple[Variant, ...] = ()
    """Ways it can open; one is chosen at random when a learner starts (none: it always plays as written)."""
    details: FrozenMap = field(default_factory=FrozenMap)
    """Detail name -> the texts one is chosen from at random, filling `{name}` in the scenario's lines."""
    exam: bool = False
    """Played in exam mode in a graded quiz: its scoring lives in an answer key, never in the scenario file."""
    key_file: str = ""
    """For an exam scenario, the key its scores, steps, mistakes and feedback were merged from ("" until then)."""

    @property
    def scored(self) -> bool:
        """True when the replies and endings carry their scores: a practice scenario, or an exam one merged with its key."""
        return not self.exam or bool(self.key_file)


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

    @property
    def valid_ending(self) -> Ending:
        """The ending a valid path reaches; only a bug asks it of a path that is not valid."""
        if not self.ok or self.ending is None:
            raise ValueError(f"a path that is not valid has no ending to score: {self.reason}")
        return self.ending
