"""Feedback pages packed for Moodle's "Upload multiple feedback files in a zip": one folder per participant, as Moodle names them.

Moodle's importer (mod/assign/feedback/file/importziplib.php, `is_valid_filename_for_import`) splits each part of a
file's path at `_` and takes the first part of the form `<full name>_<participant id>_<plugin type>_<plugin name>`
as the participant's folder; `<participant id>` is the assignment's own number for the learner, the "Participant
123456" of its grading worksheet, and the plugin may be any installed one. "Download all submissions"
(mod/assign/locallib.php) names each folder `<full name>_<participant id>_assignsubmission_file`, with `_` in the name
made a space, and so does this export. The learner is found in the worksheet by email, by ID number or username
equal to the learner id, or by full name when only one participant has it.
"""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from grader.common.problems import UsageError
from grader.common.sheets import read_rows

COMMENT = b"grader export --to moodle-feedback"
"""The zip's comment, by which the export knows an earlier zip of its own."""
PLUGIN = "assignsubmission_file"
# Moodle's worksheet names its columns in the site's language; these are its English names (mod/assign/lang/en).
IDENTIFIER, FULL_NAME, EMAIL, ID_NUMBER, USERNAME = "Identifier", "Full name", "Email address", "ID number", "Username"
_PARTICIPANT = re.compile(r"^\D*?(\d+)\s*$")
# What Moodle's clean_filename() takes out of a name, and `_`, which would split the folder name in the wrong place.
_UNSAFE = re.compile(r'[\x00-\x1f\x7f/\\:*?"<>|_]')
_DATE = (1980, 1, 1, 0, 0, 0)
"""Every entry's time: the same results make the same zip."""


@dataclass(frozen=True)
class Participant:
    """One row of Moodle's grading worksheet."""

    id: str
    """The assignment's participant number."""
    name: str
    email: str = ""
    id_number: str = ""
    username: str = ""


@dataclass
class Matching:
    """Which participant each learner is, and who could not be matched, with why."""

    found: dict[str, Participant] = field(default_factory=dict)
    how: dict[str, str] = field(default_factory=dict)
    """Learner id -> what matched them: email, ID number, username or name."""
    unmatched: list[tuple[str, str]] = field(default_factory=list)


def _all_emails(values: list[str]) -> bool:
    filled = [v.strip() for v in values if v.strip()]
    return bool(filled) and all(re.fullmatch(r"[^@\s]+@[^@\s]+", v) for v in filled)


def read_worksheet(path: Path) -> list[Participant]:
    """The participants in Moodle's grading worksheet for the assignment ("Download grading worksheet")."""
    given = read_rows(path, "worksheet")
    rows = [row for row in given if any(cell.strip() for cell in row)]
    if not rows:
        raise UsageError(f"{path}: the worksheet is empty; download it again from the assignment's grading page")
    header = [cell.strip() for cell in rows[0]]
    # The identifier is Moodle's first column; its name is in the site's language, so a column of "<word> <number>" does.
    at = header.index(IDENTIFIER) if IDENTIFIER in header else 0
    if IDENTIFIER not in header and not all(_PARTICIPANT.match(row[0]) for row in rows[1:] if row):
        raise UsageError(
            f"{path}:1: no {IDENTIFIER} column of participants (such as 'Participant 123456'); give the grading worksheet "
            "Moodle downloads for the assignment (Download grading worksheet)"
        )
    column = {name: header.index(name) for name in (FULL_NAME, EMAIL, ID_NUMBER, USERNAME) if name in header}
    # In another language: the full name is Moodle's second column, and the email the one every value of which has an @.
    if FULL_NAME not in column and len(header) > 1 and at == 0:
        column[FULL_NAME] = 1
    if EMAIL not in column:
        emails = [i for i in range(len(header)) if i != at and _all_emails([row[i] for row in rows[1:] if i < len(row)])]
        column.update({EMAIL: emails[0]} if emails else {})
    found = []
    for line, row in enumerate(rows[1:], 2):
        cell = row[at].strip() if at < len(row) else ""
        number = _PARTICIPANT.match(cell)
        if not number:
            raise UsageError(
                f"{path}:{line}: {cell!r} is not a participant such as 'Participant 123456'; keep the worksheet as Moodle wrote it"
            )

        def value(name: str, row: list[str] = row) -> str:
            return row[column[name]].strip() if name in column and column[name] < len(row) else ""

        found.append(Participant(number.group(1), value(FULL_NAME), value(EMAIL), value(ID_NUMBER), value(USERNAME)))
    return found


def _plain(text: str) -> str:
    return " ".join(text.split()).casefold()


def match(learners: dict[str, str], participants: list[Participant], emails: dict[str, str]) -> Matching:
    """Each learner's participant: by email, by ID number or username equal to the learner id, else by a name only one has.

    `learners` maps learner id -> the name they gave; `emails` learner id -> their email (from a map file or roster).
    """
    by_email = {_plain(p.email): p for p in participants if p.email}
    by_id = {p.id_number: p for p in participants if p.id_number}
    by_username = {p.username.casefold(): p for p in participants if p.username}
    names: dict[str, list[Participant]] = {}
    for p in participants:
        names.setdefault(_plain(p.name), []).append(p)
    matching = Matching()
    for learner in sorted(learners):
        email = _plain(emails.get(learner, ""))
        same_name = names.get(_plain(learners[learner]), []) if learners[learner].strip() else []
        ways = [
            ("email", by_email.get(email) if email else None),
            ("ID number", by_id.get(learner)),
            ("username", by_username.get(learner.casefold())),
            ("name", same_name[0] if len(same_name) == 1 else None),
        ]
        how, found = next(((way, p) for way, p in ways if p is not None), ("", None))
        if found is None:
            why = (
                f"{len(same_name)} participants are named {learners[learner].strip()!r}"
                if len(same_name) > 1
                else "no participant in the worksheet has their email, ID number, username or name"
            )
            matching.unmatched.append((learner, why))
        elif found in matching.found.values():
            other = next(lr for lr, p in matching.found.items() if p == found)
            matching.unmatched.append((learner, f"matches Participant {found.id}, whom learner '{other}' matched first"))
        else:
            matching.found[learner] = found
            matching.how[learner] = how
    return matching


def folder_name(participant: Participant) -> str:
    """The participant's folder as Moodle's "Download all submissions" names it."""
    # Without a leading dot either, which would hide the folder once the zip is unpacked.
    name = " ".join(_UNSAFE.sub(" ", participant.name).split()).lstrip(". ") or "Participant"
    return f"{name}_{participant.id}_{PLUGIN}"


def feedback_zip(found: dict[str, Participant], quiz: str, page: Callable[[str], bytes]) -> bytes:
    """The zip Moodle imports: `<participant folder>/<quiz>-feedback.html` for each matched learner; `page` reads a learner's page."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.comment = COMMENT
        for learner in sorted(found, key=lambda lr: (folder_name(found[lr]), lr)):
            entry = zipfile.ZipInfo(f"{folder_name(found[learner])}/{quiz}-feedback.html", _DATE)
            entry.compress_type = zipfile.ZIP_DEFLATED
            archive.writestr(entry, page(learner))
    return buffer.getvalue()
