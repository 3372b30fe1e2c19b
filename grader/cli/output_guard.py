"""Where `--output`/`--out` may write: a new file, or this command's own earlier output; anything else needs --force.

Each command recognises its own earlier output by its content:
  grader report        an HTML file whose head has <meta name="generator" content="grader report">
  grader stats         a JSON file whose first key is "generated_by": "grader stats"
  grader export        a CSV whose header is exactly the Canvas or Moodle layout it writes, or the GIFT file's first line,
                       or a zip of Moodle feedback folders whose comment is its own
"""

from __future__ import annotations

import csv
import io
import itertools
import os
import re
import zipfile
from collections.abc import Iterable
from pathlib import Path

from grader.analytics.gift import GIFT_HEAD
from grader.analytics.gradebooks import CANVAS_IDENTITY, MOODLE_IDENTITY
from grader.analytics.moodle_feedback import COMMENT as MOODLE_FEEDBACK_COMMENT
from grader.common.problems import UsageError
from grader.grading.output_folder import INTERNAL, MARK

STATS = "grader stats"
REPORT = "grader report"
EXPORTS = {to: f"grader export --to {to}" for to in ("canvas", "moodle", "gift", "moodle-feedback")}
CANVAS, MOODLE, GIFT = EXPORTS["canvas"], EXPORTS["moodle"], EXPORTS["gift"]
# What `grader grade` writes into its output folder; either of the first two marks the folder as grade output.
GRADE_FILES = ("results.json", "gradebook.csv", "rejected.csv", "mail-merge.csv")
GRADE_MARKS = ("results.json", "gradebook.csv")
HEAD = 64 * 1024
_STATS_START = re.compile(r'\A\s*\{\s*"generated_by"\s*:\s*"grader stats"')
_QUIZ_COLUMN = re.compile(r"^.+ \([a-z0-9][a-z0-9-]*\)$")
_MOODLE_LABELS = {label for _, label in MOODLE_IDENTITY}


class Refused(UsageError):
    """A target the command will not write without --force; the message is one line saying why."""


def _head(path: Path) -> str | None:
    """The start of the file as text (a character cut in two at the end, or bytes that are not UTF-8, as U+FFFD)."""
    try:
        with open(path, "rb") as handle:
            return handle.read(HEAD).decode("utf-8", errors="replace")
    except OSError:
        return None


def _csv_rows(text: str, count: int) -> list[list[str]]:
    try:
        return list(itertools.islice(csv.reader(io.StringIO(text)), count))
    except csv.Error:
        return []


def _moodle_header(header: list[str]) -> bool:
    if header[:2] == ["ID number", "Full name"]:
        rest = header[2:]
    elif header[:2] == ["Learner ID", "Full name"]:
        rest = header[2:]
        while rest and rest[0] in _MOODLE_LABELS:
            rest = rest[1:]
    else:
        return False
    return all(_QUIZ_COLUMN.match(cell.removesuffix(" %").removesuffix(" feedback")) for cell in rest)


def _zip_comment(path: Path) -> bytes | None:
    try:
        with zipfile.ZipFile(path) as archive:
            return archive.comment
    except (OSError, zipfile.BadZipFile):
        return None


def written_by(path: Path) -> str | None:
    """Which grader command wrote the file at `path`, judged by its content; None when none did."""
    from grader.analytics.report_page import GENERATOR  # the report's modules are heavy; only its mark is needed

    text = _head(path)
    if text is None:
        return None
    if text.startswith("<!DOCTYPE html>") and GENERATOR in text[:4096]:
        return REPORT
    if _STATS_START.match(text):
        return STATS
    if text.startswith(GIFT_HEAD):
        return GIFT
    if text.startswith("PK\x03\x04"):
        return EXPORTS["moodle-feedback"] if _zip_comment(path) == MOODLE_FEEDBACK_COMMENT else None
    rows = _csv_rows(text, 2)
    if not rows:
        return None
    header = rows[0]
    if (
        header[:5] == CANVAS_IDENTITY
        and len(rows) > 1
        and rows[1][:1] == ["Points Possible"]
        and all(_QUIZ_COLUMN.match(c) for c in header[5:])
    ):
        return CANVAS
    if _moodle_header(header):
        return MOODLE
    return None


def _grade_folder(folder: Path) -> bool:
    return (folder / INTERNAL / MARK).is_file() or any((folder / name).is_file() for name in GRADE_MARKS)


def grade_output_part(target: Path) -> str | None:
    """What part of a `grader grade` output set `target` is (one of its files, or under its feedback/), or None."""
    if target.name in GRADE_FILES and _grade_folder(target.parent):
        return f"the grade output's {target.name}"
    for folder in target.parents:
        if folder.name == "feedback" and _grade_folder(folder.parent):
            return f"a learner's feedback in the grade output {folder.parent}"
        if folder.name == INTERNAL and _grade_folder(folder.parent):
            return f"the grader's own record of the runs in {folder.parent}"
    return None


def _same_file(a: os.stat_result, b: Path) -> bool:
    try:
        other = b.stat()
    except OSError:
        return False
    return (a.st_dev, a.st_ino) == (other.st_dev, other.st_ino)


def target(
    given: str | os.PathLike, *, command: str, inputs: Iterable[Path] = (), force: bool = False, option: str = "--output"
) -> Path:
    """The path to write `given` to, or Refused when it holds something `command` did not write (unless `force`)."""
    path = Path(given).resolve()
    shown = f"{option} {given}" if option else str(given)
    try:
        info = path.stat()
    except FileNotFoundError:
        return path
    except OSError as error:
        raise Refused(f"{shown}: cannot be checked ({error.strerror or error}); choose another file") from None
    if path.is_dir():
        raise Refused(f"{shown} is a folder; give a file name")
    if force:
        return path
    tail = "refusing to overwrite it (pass --force to overwrite it anyway, or choose another file)"
    for source in inputs:
        if _same_file(info, Path(source)):
            raise Refused(f"{shown} is an input of this command ({source}); {tail}")
    writer = written_by(path)
    if writer == command:
        return path
    part = grade_output_part(path)
    if part:
        raise Refused(f"{shown} is {part}, written by `grader grade`; {tail}")
    if writer:
        raise Refused(f"{shown} was written by `{writer}`, not `{command}`; {tail}")
    if _grade_folder(path.parent):
        raise Refused(f"{shown} is in the grade output folder {path.parent} and was not written by `{command}`; {tail}")
    raise Refused(f"{shown} already exists and was not written by `{command}`; {tail}")


def checked_target(given, option: str, command: str, inputs: list[Path], force: bool) -> Path:
    """Where to write `given`; a Usage error when that would overwrite something `command` did not write."""
    return target(given, command=command, inputs=inputs, force=force, option=option)


def overwrite_help(what: str, own: str) -> str:
    """The --help paragraph on which existing files a command overwrites."""
    return (
        f"{what} goes to a new file, or replaces {own}. It refuses to overwrite any other file (an input of the command, "
        "a file of a `grader grade` output: results.json, gradebook.csv, rejected.csv, feedback/ or anything beside results.json or gradebook.csv; "
        "another command's output; anything else already there) unless --force is given."
    )
