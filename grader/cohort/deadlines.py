"""Deadlines, extensions and the late policy, and which time of a hand-in is trusted: the LMS's, then the file's, then the learner's own. Pure."""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

from grader.common.problems import UsageError

DAY = timedelta(days=1)
DOUBT = timedelta(days=1)
"""A file that claims to be this much older than the LMS's time for it is flagged."""
WHEN_EXAMPLE = "2026-12-10T23:59+01:00"


def parse_when(text: str, what: str) -> datetime:
    """An ISO 8601 date and time with its offset from UTC (`2026-12-10T23:59+01:00`, or `Z` for UTC), in UTC; else a UsageError naming `what`."""
    value = str(text).strip()
    try:
        moment = datetime.fromisoformat(value.replace("z", "Z"))
    except ValueError:
        raise UsageError(
            f"{what} {value!r} is not a date and time; write it as ISO 8601 with its offset, such as {WHEN_EXAMPLE}"
        ) from None
    if moment.tzinfo is None or "T" not in value.upper():
        raise UsageError(
            f"{what} {value!r} has no {'time and ' if 'T' not in value.upper() else ''}offset from UTC; "
            f"add them, such as {WHEN_EXAMPLE} (or Z for UTC), so the deadline means the same everywhere"
        )
    return moment.astimezone(UTC)


def iso(moment: datetime | None) -> str | None:
    """A time as results.json writes it: ISO 8601 in UTC, to the second."""
    return moment.astimezone(UTC).replace(microsecond=0).isoformat().replace("+00:00", "Z") if moment else None


def shown_time(moment: datetime) -> str:
    """A time as people read it in summaries and feedback."""
    return moment.astimezone(UTC).strftime("%Y-%m-%d %H:%M UTC")


@dataclass(frozen=True)
class Policy:
    """What happens to a late hand-in."""

    per_day: float = 0.0
    """Per cent of the activity's points taken off for each day or part of a day late (as Canvas's late policy does)."""
    cap: float | None = None
    """The most per cent taken off, however late."""
    reject: bool = False
    """Late hand-ins are not graded at all."""

    def as_json(self) -> dict:
        return {"late": "reject" if self.reject else "penalty", "penalty_per_day": self.per_day, "cap": self.cap}


@dataclass(frozen=True)
class Deadlines:
    """The deadline of every activity (or one for all), the learners' extensions and the late policy."""

    default: dict[str | None, datetime] = field(default_factory=dict)
    """Activity id (None: every activity) -> deadline."""
    extensions: dict[tuple[str, str | None], datetime] = field(default_factory=dict)
    """(learner id, activity id or None for every activity) -> that learner's deadline."""
    policy: Policy = Policy()

    def deadline_for(self, learner: str, activity: str) -> tuple[datetime, bool] | None:
        """The deadline that holds for this learner and activity, and whether it is an extension; None when there is none."""
        for mine in ((learner, activity), (learner, None)):
            if mine in self.extensions:
                return self.extensions[mine], True
        for every in (activity, None):
            if every in self.default:
                return self.default[every], False
        return None

    def as_json(self) -> dict:
        return {
            "deadlines": {activity or "*": iso(when) for activity, when in self.default.items()},
            "extensions": [
                {"learner": learner, "activity": activity, "deadline": iso(when)}
                for (learner, activity), when in sorted(self.extensions.items(), key=lambda kv: (kv[0][0], kv[0][1] or ""))
            ],
            **self.policy.as_json(),
        }


@dataclass(frozen=True)
class TimeUsed:
    """The time a hand-in is judged by, where it came from, and the time the file claims for itself."""

    used: str | None
    """`lms`, `file` or `submitted` (the learner's own claim), or None when there is no time at all."""
    at: datetime | None
    claimed: datetime | None
    doubt: str = ""
    """Why the file's own claim is not believed, when it is far from the LMS's time."""

    def as_json(self) -> dict:
        return {"used": self.used, "at": iso(self.at), "claimed": iso(self.claimed)}


def trusted_time(lms_at: datetime | None, file_at: datetime | None, claimed: datetime | None) -> TimeUsed:
    """The most trustworthy time there is: the LMS's, else the file's modification time, else the `submitted` time the learner's browser wrote."""
    doubt = ""
    if lms_at and claimed and claimed < lms_at - DOUBT:
        doubt = f"the file claims {shown_time(claimed)}, {(lms_at - claimed).days} day(s) before the LMS received it"
    for used, at in (("lms", lms_at), ("file", file_at), ("submitted", claimed)):
        if at is not None:
            return TimeUsed(used, at, claimed, doubt)
    return TimeUsed(None, None, claimed)


@dataclass(frozen=True)
class Late:
    """How late one hand-in was, and what it cost."""

    days: int
    """Days or parts of a day after the deadline (at least 1)."""
    percent: float
    """Per cent of the activity's points taken off."""
    penalty: float
    """Points taken off (never more than the hand-in earned)."""
    deadline: datetime
    extension: bool
    """Whether the deadline was the learner's extension."""
    lms_marked: bool = False
    """The LMS called it late although its time is not after the deadline."""

    def as_json(self) -> dict:
        return {
            "days": self.days,
            "percent": self.percent,
            "penalty": self.penalty,
            "deadline": iso(self.deadline),
            "extension": self.extension,
            "lms_marked": self.lms_marked,
        }

    def words(self) -> str:
        """How late, and the cost, in a few words: `1 day late (-10%, -2 points)`."""
        cost = f" (-{self.percent:g}%, -{self.penalty:g} points)" if self.percent else ""
        return f"{self.days} day{'s' if self.days != 1 else ''} late{cost}"


def lateness(
    time: TimeUsed,
    deadline: tuple[datetime, bool] | None,
    policy: Policy,
    *,
    lms_late: bool | None,
    max_points: float,
    score: float,
) -> Late | None:
    """How late a hand-in was by its trusted time (an LMS that marks it late makes it at least a day late); None when on time."""
    if deadline is None:
        return None
    when, extension = deadline
    over = (time.at - when) if time.at is not None else None
    days = math.ceil(over / DAY) if over is not None and over > timedelta(0) else 0
    # The LMS judges by its own due date; an extension given here is one it does not know.
    marked = bool(lms_late) and days == 0 and not extension
    if marked:
        days = 1
    if not days:
        return None
    percent = min(policy.per_day * days, 100.0 if policy.cap is None else policy.cap, 100.0)
    penalty = round(min(max(score, 0.0), max_points * percent / 100), 4)
    return Late(days, round(percent, 4), penalty, when, extension, marked)
