"""Load and check one answer file against the answer-file contract, giving a Submission or a clear rejection."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, replace
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from grader.common.files import is_utf8, shown
from grader.common.ids import ACTIVITY_ID, check_learner_id
from grader.common.problems import Problem
from grader.formats.loader import Loaded, LoadError, load_file

FORMAT = 1
KNOWN_FIELDS = {"format", "quiz", "version", "learner", "submitted", "answers"}
# A `submitted` time before the course existed, or more than a day after the run, is not believed:
# it would decide --keep on the learner's word alone.
COURSE_START = datetime(2026, 1, 1, tzinfo=UTC)
FUTURE_SLACK = timedelta(days=1)


@dataclass(frozen=True)
class Submission:
    """One learner's answers to one quiz or dialogue, as handed in."""

    file: str
    """Path as it will appear in the gradebook."""
    quiz: str
    """Quiz or scenario id."""
    version: str | None
    """Content version the learner saw, if given."""
    learner_id: str
    learner_name: str
    submitted: datetime | None
    """When the learner saved it, if given (UTC)."""
    answers: dict
    """Question id -> answer as written."""
    warnings: tuple[str, ...] = ()
    """Things the grader set aside or noticed but graded anyway."""
    mtime: float = 0.0
    """File modification time (0 when unknown)."""
    digest: str = ""
    """SHA-256 of the file's text: the same digest is the same hand-in, whatever the file is called."""


class Rejected(Exception):
    """An answer file that cannot be graded; `.problem` says why."""

    def __init__(self, problem: Problem):
        self.problem = problem
        super().__init__(str(problem))


def _claimed_time(value: Any, now: datetime) -> tuple[datetime | None, str | None]:
    """The `submitted` time in UTC when it is believable; else None and a warning saying why."""
    shown = repr(str(value)[:40])
    text = value.isoformat() if isinstance(value, datetime) else str(value).strip()
    try:
        moment = datetime.fromisoformat(text.replace("z", "Z"))
    except ValueError:
        return None, f"submitted time {shown} is not ISO 8601; ignored"
    instead = "ordered by the file's time instead"
    try:
        moment = moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)
    except OverflowError:
        return None, f"submitted time {shown} is out of range; {instead}"
    if moment < COURSE_START:
        return None, f"submitted time {shown} is before the course began ({COURSE_START:%Y-%m-%d}); {instead}"
    if moment > now + FUTURE_SLACK:
        return None, f"submitted time {shown} is more than a day after this run; {instead}"
    return moment, None


def _as_text(value: Any) -> Any:
    """A number becomes the text it was written as (the loader keeps it); anything else stays as it is."""
    return str(value) if isinstance(value, (int, float)) and not isinstance(value, bool) else value


def parse(loaded: Loaded, activities: dict, *, now: datetime | None = None) -> Submission:
    """Check loaded answer-file data; `activities` maps quiz id -> current version, `now` is the run's time."""
    data, file = loaded.data, loaded.file

    def reject(message: str, *path) -> Rejected:
        return Rejected(Problem(file, message, loaded.line_of(path), ".".join(map(str, path))))

    if not isinstance(data, dict):
        raise reject("an answer file is a mapping with format, quiz, learner and answers; see `grader template QUIZ`")
    if "format" not in data:
        raise reject("missing `format: 1` at the top")
    if data["format"] != FORMAT or isinstance(data["format"], bool):
        raise reject(f"format {data['format']!r} is not one this grader reads (it reads format {FORMAT})", "format")
    quiz = data.get("quiz")
    if not isinstance(quiz, str) or not ACTIVITY_ID.fullmatch(quiz):
        raise reject("`quiz` must be a quiz or dialogue id such as five-step-process", "quiz")
    if quiz not in activities:
        known = ", ".join(sorted(activities)[:12])
        raise reject(f"quiz '{quiz}' is not in this course (it has: {known})", "quiz")
    learner = data.get("learner")
    if not isinstance(learner, dict):
        raise reject("missing `learner:` with your `id:` (and optional `name:`)", "learner")
    learner_id = _as_text(learner.get("id"))
    reason = check_learner_id(learner_id)
    if reason:
        raise reject(reason, "learner", "id")
    name = learner.get("name")
    name = "" if name is None else str(name).strip()
    answers = data.get("answers")
    if answers is None:
        answers = {}
    if not isinstance(answers, dict):
        raise reject("`answers` must be a mapping of question id to answer", "answers")

    warnings = []
    version = data.get("version")
    if version is not None:
        version = str(version)  # an unquoted all-digit hash reads as a number: its text, as typed
    if version is None:
        warnings.append("no version given; graded against the current quiz")
    elif version != activities[quiz]:
        warnings.append(f"answered version {version}, the quiz is now {activities[quiz]}")
    submitted = None
    if data.get("submitted") not in (None, ""):
        submitted, doubt = _claimed_time(data["submitted"], now or datetime.now(UTC))
        if doubt:
            warnings.append(doubt)
    extra = sorted(str(k) for k in data if k not in KNOWN_FIELDS)
    if extra:
        warnings.append(f"ignored field(s) {', '.join(extra)}: the grader computes every score itself")
    return Submission(file, quiz, version, learner_id, name, submitted, answers, tuple(warnings), loaded.mtime)


def read(path: str | Path, activities: dict, *, display: str | None = None) -> Submission:
    """Load and check one answer file from disk."""
    name = display or shown(str(path))
    if not is_utf8(str(path)):
        raise Rejected(
            Problem(name, "the file name is not UTF-8 text (shown here with \\xNN escapes); rename the file and grade it again")
        )
    try:
        loaded = load_file(path, answer=True, display=name)
    except LoadError as error:
        raise Rejected(error.problem) from None
    if loaded.data is None:
        raise Rejected(Problem(name, "the file is empty"))
    return replace(parse(loaded, activities), digest=hashlib.sha256(loaded.text.encode("utf-8", "surrogatepass")).hexdigest())
