"""Gradebook CSVs for Canvas and Moodle from results.json, with a map file's LMS identities; each importer's traps defused. Pure text out."""

from __future__ import annotations

import html
import re
from dataclasses import dataclass, field
from pathlib import Path

from grader.common.csv_text import csv_text, read_csv, safe_cell
from grader.common.problems import UsageError
from grader.common.text import number

MAP_FIELDS = ("name", "email", "lms_id", "sis_user_id", "sis_login_id", "section")


CANVAS_IDENTITY = ["Student", "ID", "SIS User ID", "SIS Login ID", "Section"]


# Moodle's CSV grade import matches learners on one of these user fields; the column is named as Moodle shows the field.
MOODLE_IDENTITY = (("email", "Email address"), ("sis_user_id", "ID number"), ("sis_login_id", "Username"), ("lms_id", "User ID"))


# What each importer reads specially (docs/instructor/lms.md says where each rule comes from).
# Canvas: a row whose first cell contains "Points Possible" is its points row, whoever it names.
CANVAS_POINTS_ROW = re.compile(r"(?i)(points)\s*(possible)")


# Canvas: a column whose name contains one of its own totals (Current Score, Final Grade, ...) is dropped.
CANVAS_TOTALS = re.compile(r"(?i)\b(current|final|override)\s+(score|points|grade|status)\b")


# Moodle reads cells with PHP's fgetcsv, whose escape character "\" keeps a following quote from closing
# the cell, so a backslash must never stand right before a quote or at the end of a cell.
MOODLE_ESCAPE = re.compile(r'\\(?="|\Z)')


@dataclass
class Table:
    """A gradebook export and what to tell the instructor about it."""

    text: str
    identifier: str = ""
    """The column the LMS should match learners on."""
    maps_to: str = ""
    """The LMS field to match that column against, in the LMS's words."""
    unmapped: list[str] = field(default_factory=list)
    """Learners left out because the map file has no row for them."""
    unidentified: list[tuple[str, str]] = field(default_factory=list)
    """Learners left out because the LMS could not tell them apart, with why."""


def read_map(path: Path) -> dict[str, dict]:
    """learner_id -> identity fields from a CSV map file; columns other than the known ones are ignored."""
    rows = read_csv(path, "map file", "save the map as CSV UTF-8")
    if not rows:
        raise UsageError(f"{path}: the map file is empty; its first line must name the columns, starting with learner_id")
    header = [h.strip().lower().replace(" ", "_").replace("-", "_") for h in rows[0]]
    if "learner_id" not in header:
        raise UsageError(f"{path}:1: no learner_id column; the header must name learner_id and any of {', '.join(MAP_FIELDS)}")
    at = {name: header.index(name) for name in ("learner_id", *MAP_FIELDS) if name in header}
    mapping: dict[str, dict] = {}
    first_line: dict[str, int] = {}
    for line, row in enumerate(rows[1:], 2):
        if not any(cell.strip() for cell in row):
            continue
        cells = {name: (row[i].strip() if i < len(row) else "") for name, i in at.items()}
        learner = cells.pop("learner_id")
        if not learner:
            raise UsageError(f"{path}:{line}: learner_id is empty; fill it in or delete the row")
        if learner in mapping:
            raise UsageError(
                f"{path}:{line}: learner '{learner}' is listed twice (first on line {first_line[learner]}); keep one row"
            )
        mapping[learner] = cells
        first_line[learner] = line
    return mapping


def _column(quiz_id: str, meta: dict) -> str:
    return f"{meta.get('title') or quiz_id} ({quiz_id})"


def canvas_name(name: str) -> str:
    """A learner's name as Canvas can only read it as a name; Canvas finds learners by their ids first, so the change is harmless."""
    return CANVAS_POINTS_ROW.sub(r"\1-\2", name)


def _canvas_column(quiz_id: str, meta: dict) -> str:
    """A quiz column Canvas reads as a new assignment: not one of its totals, and not "Title (123)", which means assignment 123."""
    title = CANVAS_TOTALS.sub(lambda m: f"{m.group(1)}-{m.group(2)}", meta.get("title") or quiz_id)
    return f"{title} (quiz {quiz_id})" if re.fullmatch(r"[0-9]+", quiz_id) else f"{title} ({quiz_id})"


def _moodle_cell(value):
    """A text cell as Moodle's CSV reader reads it back: no backslash before a quote or at the end."""
    return MOODLE_ESCAPE.sub(r"\\ ", value) if isinstance(value, str) else value


def _moodle_html(text: str) -> str:
    """Text for a cell Moodle shows as HTML: feedback (stored as FORMAT_MOODLE) and names (its import preview)."""
    return html.escape(text, quote=False)


def _moodle_blank(value: str) -> bool:
    """What PHP's empty() calls empty once Moodle has trimmed the cell: Moodle then keeps the user of the row above."""
    return value.strip() in ("", "0")


def _grades(doc: dict) -> tuple[list[str], dict[str, dict], dict[str, str]]:
    """Quiz ids in order, learner -> quiz -> result, learner -> name from the answer files."""
    quizzes = sorted(q for q in doc["quizzes"] if any(r["quiz"] == q for r in doc["results"]))
    grades: dict[str, dict] = {}
    names: dict[str, str] = {}
    for result in doc["results"]:
        learner = result["learner"]["id"]
        grades.setdefault(learner, {})[result["quiz"]] = result
        names[learner] = names.get(learner) or result["learner"].get("name") or ""
    return quizzes, grades, names


def _header(cells: list[str]) -> list[str]:
    return [safe_cell(c) for c in cells]


def canvas_csv(doc: dict, mapping: dict | None = None) -> Table:
    """Canvas's gradebook layout: Student, ID, SIS User ID, SIS Login ID, Section, then one points column per quiz.

    Without a map, SIS User ID holds the learner id; with one, learners missing from it are left out.
    """
    quizzes, grades, names = _grades(doc)
    header = _header(CANVAS_IDENTITY + [_canvas_column(q, doc["quizzes"][q]) for q in quizzes])
    rows: list[list] = [["Points Possible", "", "", "", ""] + [number(doc["quizzes"][q]["max"]) for q in quizzes]]
    unmapped = []
    for learner in sorted(grades):
        if mapping is not None and learner not in mapping:
            unmapped.append(learner)
            continue
        who = (mapping or {}).get(learner, {})
        identity = [
            canvas_name(who.get("name") or names[learner] or learner),
            who.get("lms_id", ""),
            who.get("sis_user_id", "") if mapping is not None else learner,
            who.get("sis_login_id", ""),
            who.get("section", ""),
        ]
        rows.append(identity + [number(grades[learner][q]["score"]) if q in grades[learner] else "" for q in quizzes])
    text = csv_text(header, rows)
    return Table(text, "SIS User ID", "", unmapped)


def _revisit(result: dict, course) -> list[str]:
    """What to revisit after one quiz: the steps of the questions not fully right, else their lesson pages."""
    steps = course.steps if course is not None else {}
    seen: dict[str, None] = {}
    for item in result["items"]:
        if item.get("correct"):
            continue
        named = [steps[s].title for s in item.get("steps") or () if s in steps]
        for name in named or ([item["lesson"]] if item.get("lesson") else []):
            seen.setdefault(name, None)
    return list(seen)


def moodle_feedback(result: dict, course=None) -> str:
    """One line of feedback for Moodle's feedback column."""
    line = f"{number(result['score'])} of {number(result['max'])} points ({number(result['percent'])}%)."
    revisit = _revisit(result, course)
    return line + (f" Revisit: {'; '.join(revisit)}." if revisit else " Everything right.")


def moodle_csv(doc: dict, mapping: dict | None = None, *, feedback: bool = False, percent: bool = False, course=None) -> Table:
    """Moodle's CSV grade import: identity columns, one grade column per quiz, optional feedback columns.

    The learner is matched on the first of Email address, ID number, Username or User ID that the
    map fills for everyone; without a map, ID number holds the learner id. A learner whose cell in that
    column Moodle would read as empty is left out: Moodle would store their grades for the row above.
    """
    quizzes, grades, names = _grades(doc)
    kept = [lr for lr in sorted(grades) if mapping is None or lr in mapping]
    unmapped = [lr for lr in sorted(grades) if mapping is not None and lr not in mapping]
    if mapping is None:
        identity = [("sis_user_id", "ID number")]
        who_of = {lr: {"sis_user_id": lr} for lr in kept}
    else:
        identity = [(f, label) for f, label in MOODLE_IDENTITY if any(mapping[lr].get(f) for lr in kept)]
        who_of = {lr: mapping[lr] for lr in kept}
    complete = [label for f, label in identity if all(who_of[lr].get(f) for lr in kept)]
    identifier = complete[0] if complete else (identity[0][1] if identity else "Learner ID")
    field_of = {label: f for f, label in identity}.get(identifier)
    unidentified = []
    for learner in kept:
        value = who_of[learner].get(field_of, "") if field_of else learner
        if _moodle_blank(value):
            shown = "no value" if not value.strip() else f"the value '{value.strip()}', which Moodle reads as none"
            unidentified.append((learner, f"has {shown} in the '{identifier}' column that Moodle matches learners on"))
    left_out = {learner for learner, _ in unidentified}
    kept = [lr for lr in kept if lr not in left_out]
    header = ["Learner ID", "Full name", *(label for _, label in identity)] if mapping is not None else ["ID number", "Full name"]
    for q in quizzes:
        header.append(_column(q, doc["quizzes"][q]) + (" %" if percent else ""))
        if feedback:
            header.append(f"{_column(q, doc['quizzes'][q])} feedback")
    rows = []
    for learner in kept:
        who = who_of[learner]
        name = _moodle_html(who.get("name") or names[learner] or learner)
        row: list[str | float] = (
            [learner, name, *(who.get(f, "") for f, _ in identity)] if mapping is not None else [learner, name]
        )
        for q in quizzes:
            result = grades[learner].get(q)
            if result is None:
                row += [""] + ([""] if feedback else [])
                continue
            row.append(number(result["percent"]) if percent else number(result["score"]))
            if feedback:
                row.append(_moodle_html(moodle_feedback(result, course)))
        rows.append([_moodle_cell(cell) for cell in row])
    maps_to = {
        "Email address": "Email address",
        "ID number": "ID number",
        "Username": "Username",
        "User ID": "User ID",
        "Learner ID": "Username",
    }[identifier]
    return Table(csv_text(_header([_moodle_cell(h) for h in header]), rows), identifier, maps_to, unmapped, unidentified)
