"""What changed against the previous run in the same output folder: every score that moved, and why. Pure."""

from __future__ import annotations

from dataclasses import dataclass

from grader.common.text import number

WHYS = ("new hand-in", "no hand-in", "override", "deadline", "identity", "key")
"""Why a score changed: another file (or none), an override, a deadline or late policy, an identity check, else the key (or the course)."""


@dataclass(frozen=True)
class Mark:
    """What a score depended on, to tell why it changed."""

    score: float | None
    """The score that counts (None: nothing counted)."""
    handin: str
    """The file's digest (or its name, from a grader that wrote no digest); "" when nothing was handed in."""
    overrides: tuple
    late: tuple
    held: bool


@dataclass(frozen=True)
class Change:
    """One learner's score on one activity, then and now."""

    learner: str
    activity: str
    old: float | None
    new: float | None
    why: tuple[str, ...]

    def row(self) -> list:
        """Its changes.csv line."""
        shown = ["" if v is None else number(v) for v in (self.old, self.new)]
        return [self.learner, self.activity, *shown, "; ".join(self.why)]

    def as_json(self) -> dict:
        return {"learner": self.learner, "activity": self.activity, "old": self.old, "new": self.new, "why": list(self.why)}


def make_mark(score: float | None, handin: str, overrides: list[dict] | None, late: dict | None, identity: dict | None) -> Mark:
    """A Mark from the parts of a result as results.json writes them."""
    done = tuple((o.get("kind"), o.get("question"), o.get("after")) for o in overrides or ())
    mismatch = identity is not None and identity.get("matches") is False
    held = mismatch and not any(o[0] in ("release", "set") for o in done)
    return Mark(score, handin, done, (late.get("days"), late.get("penalty")) if late else (), held)


def mark_of(result: dict) -> Mark:
    """A results.json result's Mark; fields an older grader did not write count as absent."""
    handin = result.get("digest") or result.get("file") or ""
    return make_mark(result.get("score"), handin, result.get("overrides"), result.get("late"), result.get("identity"))


def marks(doc: dict) -> dict[tuple[str, str], Mark]:
    """(learner, activity) -> Mark for every result and every missing learner of a results document."""
    found = {(r["learner"]["id"], r["quiz"]): mark_of(r) for r in doc.get("results") or () if isinstance(r, dict)}
    for missing in doc.get("missing") or ():
        overrides = tuple((o.get("kind"), None, o.get("after")) for o in missing.get("overrides") or ())
        found.setdefault((missing["learner"], missing["quiz"]), Mark(missing.get("score"), "", overrides, (), False))
    return found


def _why(old: Mark | None, new: Mark | None) -> tuple[str, ...]:
    if old is None or not old.handin:
        return ("new hand-in",) if new and new.handin else ("override",)
    if new is None or not new.handin:
        return ("override",) if new and new.overrides else ("no hand-in",)
    why = []
    if old.handin != new.handin:
        why.append("new hand-in")
    if old.overrides != new.overrides:
        why.append("override")
    if old.late != new.late:
        why.append("deadline")
    if old.held != new.held:
        why.append("identity")
    return tuple(why) or ("key",)


def compare(before: dict[tuple[str, str], Mark], now: dict[tuple[str, str], Mark]) -> list[Change]:
    """Every (learner, activity) whose score is not what it was, in learner then activity order, each with why."""
    out = []
    for key in sorted(set(before) | set(now)):
        old, new = before.get(key), now.get(key)
        then = old.score if old else None
        score = new.score if new else None
        if then == score:
            continue
        out.append(Change(key[0], key[1], then, score, _why(old, new)))
    return out
