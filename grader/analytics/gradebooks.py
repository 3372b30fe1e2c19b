"""Gradebook CSVs for Canvas and Moodle from results.json, with every learner of the roster or map file; each importer's traps defused. Pure text out."""

from __future__ import annotations

import html
import re
from dataclasses import dataclass, field

from grader.common.csv_text import csv_text, safe_cell
from grader.common.text import number

MISSING = ("blank", "zero")
"""What an export writes for a learner who handed nothing in: an empty cell (the LMS leaves the grade alone) or 0."""


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


def roster_map(doc: dict) -> dict[str, dict] | None:
    """learner id -> identity fields from the roster results.json carries, or None when it has none.

    A roster with no SIS user ids at all gives each learner's id as theirs, as an export without a map does.
    """
    roster = doc.get("roster")
    if not roster:
        return None
    no_sis = not any(lr.get("sis_user_id") for lr in roster)
    return {lr["id"]: {**lr, **({"sis_user_id": lr["id"]} if no_sis else {})} for lr in roster}


def _grades(doc: dict) -> tuple[list[str], dict[str, dict], dict[str, str]]:
    """Quiz ids in order, learner -> quiz -> result (or the score an override set for a learner with no hand-in), learner -> name."""
    missing = doc.get("missing") or ()
    used = {r["quiz"] for r in doc["results"]} | {m["quiz"] for m in missing}
    quizzes = sorted(q for q in doc["quizzes"] if q in used)
    grades: dict[str, dict] = {}
    names: dict[str, str] = {}
    for result in doc["results"]:
        learner = result["learner"]["id"]
        grades.setdefault(learner, {})[result["quiz"]] = result
        names[learner] = names.get(learner) or result["learner"].get("name") or ""
    for entry in missing:
        if entry.get("score") is not None:
            grades.setdefault(entry["learner"], {}).setdefault(entry["quiz"], {"score": entry["score"], "set": True})
    return quizzes, grades, names


def _everyone(grades: dict, mapping: dict | None) -> list[str]:
    """Every learner an export lists: those with grades, and everyone in the roster or map, handed in or not."""
    return sorted(set(grades) | set(mapping or ()))


def _cell(grades: dict, learner: str, quiz: str, missing: str) -> str | float | int:
    found = grades.get(learner, {}).get(quiz)
    if found is not None:
        return number(found["score"])
    return 0 if missing == "zero" else ""


def _header(cells: list[str]) -> list[str]:
    return [safe_cell(c) for c in cells]


def canvas_csv(doc: dict, mapping: dict | None = None, *, missing: str = "blank") -> Table:
    """Canvas's gradebook layout: Student, ID, SIS User ID, SIS Login ID, Section, then one points column per quiz.

    Without a map, SIS User ID holds the learner id; with one (a roster or a map file), everyone in it is a row,
    handed in or not (`missing` says what their cell holds), and a learner with grades who is not in it is left out.
    """
    quizzes, grades, names = _grades(doc)
    header = _header(CANVAS_IDENTITY + [_canvas_column(q, doc["quizzes"][q]) for q in quizzes])
    rows: list[list] = [["Points Possible", "", "", "", ""] + [number(doc["quizzes"][q]["max"]) for q in quizzes]]
    unmapped = []
    for learner in _everyone(grades, mapping):
        if mapping is not None and learner not in mapping:
            unmapped.append(learner)
            continue
        who = (mapping or {}).get(learner, {})
        identity = [
            canvas_name(who.get("name") or names.get(learner) or learner),
            who.get("lms_id", ""),
            who.get("sis_user_id", "") if mapping is not None else learner,
            who.get("sis_login_id", ""),
            who.get("section", ""),
        ]
        rows.append(identity + [_cell(grades, learner, q, missing) for q in quizzes])
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


def _missing_feedback(entry: dict | None, missing: str) -> str:
    """The feedback cell of a learner who handed nothing in."""
    if entry is not None:
        return "Nothing handed in here; your instructor set this score."
    return "Nothing handed in." if missing == "zero" else ""


def moodle_feedback(result: dict, course=None) -> str:
    """One line of feedback for Moodle's feedback column."""
    line = f"{number(result['score'])} of {number(result['max'])} points ({number(result['percent'])}%)."
    revisit = _revisit(result, course)
    return line + (f" Revisit: {'; '.join(revisit)}." if revisit else " Everything right.")


def moodle_csv(
    doc: dict, mapping: dict | None = None, *, feedback: bool = False, percent: bool = False, course=None, missing: str = "blank"
) -> Table:
    """Moodle's CSV grade import: identity columns, one grade column per quiz, optional feedback columns.

    The learner is matched on the first of Email address, ID number, Username or User ID that the
    map fills for everyone; without a map, ID number holds the learner id. A learner whose cell in that
    column Moodle would read as empty is left out: Moodle would store their grades for the row above.
    Everyone in the map is a row, handed in or not (`missing` says what their cells hold).
    """
    quizzes, grades, names = _grades(doc)
    everyone = _everyone(grades, mapping)
    kept = [lr for lr in everyone if mapping is None or lr in mapping]
    unmapped = [lr for lr in everyone if mapping is not None and lr not in mapping]
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
        name = _moodle_html(who.get("name") or names.get(learner) or learner)
        row: list[str | float] = (
            [learner, name, *(who.get(f, "") for f, _ in identity)] if mapping is not None else [learner, name]
        )
        for q in quizzes:
            result = grades.get(learner, {}).get(q)
            if result is None or result.get("set"):
                cell = _cell(grades, learner, q, missing)
                top = doc["quizzes"][q]["max"]
                grade = number(100 * float(cell) / top) if percent and cell != "" and top else cell
                row += [grade] + ([_moodle_html(_missing_feedback(result, missing))] if feedback else [])
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
