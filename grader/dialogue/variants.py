"""Variants and details: what a seed chooses, the scenario as that choice plays it, and a dialogue answer replayed with its seed.

The page and the grader choose alike (docs/javascripts/scenario.js repeats this exactly): a seed from 0 to
2**32 - 1 starts a mulberry32 generator; its first draw picks the variant (when the scenario has variants),
then one draw per detail, in file order, picks that detail's text. A draw u picks item (u * n) >> 32 of n.
"""

from __future__ import annotations

import dataclasses
import functools
import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from grader.dialogue.engine import replay
from grader.dialogue.model import Dialogue, Ending, FrozenMap, Meter, Node, Replay, Reply
from grader.dialogue.text import shown

SEEDS = 2**32
"""Seeds run from 0 to SEEDS - 1: one unsigned 32-bit number."""
_MASK = SEEDS - 1
PLACEHOLDER = re.compile(r"\{([a-z0-9][a-z0-9-]*)\}")
"""`{name}` in a scenario's text: the detail of that name goes there."""
ANSWER_KEYS = ("replies", "variant", "seed")


def _draws(seed: int) -> Iterator[int]:
    """mulberry32: unsigned 32-bit draws, the same as the page script's."""
    state = seed & _MASK
    while True:
        state = (state + 0x6D2B79F5) & _MASK
        t = ((state ^ (state >> 15)) * (1 | state)) & _MASK
        t = ((t + ((t ^ (t >> 7)) * (61 | t))) & _MASK) ^ t
        yield (t ^ (t >> 14)) & _MASK


def _pick(draw: int, count: int) -> int:
    return (draw * count) >> 32


@dataclass(frozen=True)
class Choice:
    """What a play of a scenario was dealt: its variant (None: as written) and the text of each detail."""

    variant: str | None
    details: FrozenMap
    """Detail name -> the text chosen."""

    def __post_init__(self) -> None:
        if not isinstance(self.details, FrozenMap):  # a plain dict would make the choice unhashable
            object.__setattr__(self, "details", FrozenMap(self.details))


def random_choice(d: Dialogue, seed: int) -> Choice:
    """The variant and details `seed` chooses, as the page chose them."""
    draws = _draws(seed)
    variant = d.variants[_pick(next(draws), len(d.variants))].id if d.variants else None
    return Choice(variant, FrozenMap((name, texts[_pick(next(draws), len(texts))]) for name, texts in d.details.items() if texts))


def as_written(d: Dialogue) -> Choice:
    """No variant, and each detail's first text: how a scenario plays when no seed is given."""
    return Choice(None, FrozenMap((name, texts[0]) for name, texts in d.details.items() if texts))


def fill(text: str, details: FrozenMap) -> str:
    """`text` with each `{name}` of a known detail replaced by its chosen text."""
    return PLACEHOLDER.sub(lambda found: details.get(found.group(1), found.group(0)), text) if "{" in text else text


@functools.lru_cache(maxsize=256)
def played(d: Dialogue, choice: Choice) -> Dialogue:
    """The scenario as `choice` plays it: the variant's meter starts and lines, every detail filled in."""
    variant = next((v for v in d.variants if v.id == choice.variant), None)
    if variant is None and not choice.details:
        return d
    starts = variant.start if variant else FrozenMap()
    says = variant.say if variant else FrozenMap()
    notes = variant.note if variant else FrozenMap()
    details = choice.details

    def reply(r: Reply) -> Reply:
        return dataclasses.replace(r, text=fill(r.text, details), feedback=fill(r.feedback, details))

    def node(n: Node) -> Node:
        return Node(
            n.id, fill(says.get(n.id, n.say), details), fill(notes.get(n.id, n.note), details), tuple(map(reply, n.replies))
        )

    def ending(e: Ending) -> Ending:
        return dataclasses.replace(e, title=fill(e.title, details), debrief=fill(e.debrief, details))

    return dataclasses.replace(
        d,
        setting=fill(d.setting, details),
        meters=FrozenMap((m.id, Meter(m.id, m.label, m.min, m.max, starts.get(m.id, m.start))) for m in d.meters.values()),
        nodes=FrozenMap((n.id, node(n)) for n in d.nodes.values()),
        endings=FrozenMap((e.id, ending(e)) for e in d.endings.values()),
    )


@dataclass(frozen=True)
class PlayedAnswer:
    """A dialogue answer replayed: how the scenario was dealt, the scenario as it played, and the replay."""

    scenario: Dialogue
    """The scenario with the answer's variant and details applied."""
    replay: Replay
    variant: str | None
    seed: int | None
    path: list
    """The reply ids as written."""


def _refused(d: Dialogue, reason: str, path: Any = ()) -> PlayedAnswer:
    walked = Replay(False, reason, 0, None, (), (), [], [])
    return PlayedAnswer(d, walked, None, None, list(path) if isinstance(path, list) else [])


def replay_answer(d: Dialogue, answer: Any) -> PlayedAnswer:
    """Replay a dialogue answer: a list of reply ids, or `{replies: [...], variant: id, seed: n}` as the page writes it.

    Without a seed the scenario plays as written. With one, the variant and details are the ones the seed chooses,
    and a `variant` that the seed does not choose means the file was changed after it was played. Never raises.
    """
    if not isinstance(answer, dict):
        path = answer if isinstance(answer, list) else [answer]
        scenario = played(d, as_written(d))
        return PlayedAnswer(scenario, replay(scenario, path), None, None, path)
    extra = [str(k) for k in answer if k not in ANSWER_KEYS]
    if extra:
        return _refused(
            d, f"the answer has {shown(extra[0])}, which a dialogue answer does not hold (it holds replies, variant and seed)"
        )
    given, variant, seed = answer.get("replies"), answer.get("variant"), answer.get("seed")
    if not isinstance(given, list):
        return _refused(d, f"`replies` must be the list of reply ids taken, not {shown(given)}")
    path = list(given)
    if not (d.variants or d.details):
        return PlayedAnswer(d, replay(d, path), None, None, path)  # the scenario has no variants (any more): as written
    if seed is None:
        if variant is not None:
            return _refused(d, f"the variant {shown(variant)} is given without the seed that chose it", path)
        choice = as_written(d)
    elif isinstance(seed, bool) or not isinstance(seed, int) or not 0 <= seed < SEEDS:
        return _refused(d, f"`seed` must be a whole number from 0 to {SEEDS - 1}, not {shown(seed)}", path)
    else:
        choice = random_choice(d, seed)
        if variant is not None and not d.variants:
            return _refused(d, f"the variant {shown(variant)} is named, but the scenario has no variants", path)
        if variant is not None and variant != choice.variant:
            return _refused(
                d,
                f"the variant {shown(variant)} is not the one seed {seed} chooses ('{choice.variant}'); the file was changed after the dialogue was played",
                path,
            )
    scenario = played(d, choice)
    return PlayedAnswer(scenario, replay(scenario, path), choice.variant, seed, path)
