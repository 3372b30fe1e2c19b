"""LMS exports: gradebook CSV for Canvas and Moodle, and the quizzes as Moodle GIFT. Pure text out; the CLI writes it."""

from __future__ import annotations

import csv
import html
import io
import re
from dataclasses import dataclass, field
from pathlib import Path

from grader.report import csv_text, safe_cell

MAP_FIELDS = ("name", "email", "lms_id", "sis_user_id", "sis_login_id", "section")
CANVAS_IDENTITY = ["Student", "ID", "SIS User ID", "SIS Login ID", "Section"]
# Moodle's CSV grade import matches learners on one of these user fields; the column is named as Moodle shows the field.
MOODLE_IDENTITY = (("email", "Email address"), ("sis_user_id", "ID number"), ("sis_login_id", "Username"), ("lms_id", "User ID"))
# The first line of every GIFT export, by which `grader export --to gift` recognises its own earlier output.
GIFT_HEAD = "// Moodle GIFT export of the course quizzes, written by `grader export --to gift`."
# The grades Moodle accepts on an answer (percent); GIFT imports refuse others unless told to round.
MOODLE_FRACTIONS = (100, 90, 83.33333, 80, 75, 70, 66.66667, 60, 50, 40, 33.33333, 30, 25, 20, 16.66667, 14.28571, 12.5, 11.11111, 10, 5, 0)

# What each importer reads specially (docs/instructor/lms.md says where each rule comes from).
# Canvas: a row whose first cell contains "Points Possible" is its points row, whoever it names.
CANVAS_POINTS_ROW = re.compile(r"(?i)(points)\s*(possible)")
# Canvas: a column whose name contains one of its own totals (Current Score, Final Grade, ...) is dropped.
CANVAS_TOTALS = re.compile(r"(?i)\b(current|final|override)\s+(score|points|grade|status)\b")
# Moodle reads cells with PHP's fgetcsv, whose escape character "\" keeps a following quote from closing
# the cell, so a backslash must never stand right before a quote or at the end of a cell.
MOODLE_ESCAPE = re.compile(r'\\(?="|\Z)')


class ExportError(Exception):
    """A map file or a request that cannot be exported; the message names the file and the fix."""


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


# ---------------------------------------------------------------- the map file


def read_map(path: Path) -> dict[str, dict]:
    """learner_id -> identity fields from a CSV map file; columns other than the known ones are ignored."""
    try:
        text = path.read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        raise ExportError(f"{path}: no such map file") from None
    except UnicodeDecodeError:
        raise ExportError(f"{path}: not UTF-8 text; save the map as CSV UTF-8") from None
    reader = csv.reader(io.StringIO(text))
    rows = list(reader)
    if not rows:
        raise ExportError(f"{path}: the map file is empty; its first line must name the columns, starting with learner_id")
    header = [h.strip().lower().replace(" ", "_").replace("-", "_") for h in rows[0]]
    if "learner_id" not in header:
        raise ExportError(f"{path}:1: no learner_id column; the header must name learner_id and any of {', '.join(MAP_FIELDS)}")
    at = {name: header.index(name) for name in ("learner_id", *MAP_FIELDS) if name in header}
    mapping: dict[str, dict] = {}
    first_line: dict[str, int] = {}
    for line, row in enumerate(rows[1:], 2):
        if not any(cell.strip() for cell in row):
            continue
        cells = {name: (row[i].strip() if i < len(row) else "") for name, i in at.items()}
        learner = cells.pop("learner_id")
        if not learner:
            raise ExportError(f"{path}:{line}: learner_id is empty; fill it in or delete the row")
        if learner in mapping:
            raise ExportError(f"{path}:{line}: learner '{learner}' is listed twice (first on line {first_line[learner]}); keep one row")
        mapping[learner] = cells
        first_line[learner] = line
    return mapping


# ---------------------------------------------------------------- gradebooks


def _points(value: float) -> float | int:
    value = round(float(value), 2)
    return int(value) if value == int(value) else value


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
    rows: list[list] = [["Points Possible", "", "", "", ""] + [_points(doc["quizzes"][q]["max"]) for q in quizzes]]
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
        rows.append(identity + [_points(grades[learner][q]["score"]) if q in grades[learner] else "" for q in quizzes])
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
    line = f"{_points(result['score'])} of {_points(result['max'])} points ({_points(result['percent'])}%)."
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
        row = [learner, name, *(who.get(f, "") for f, _ in identity)] if mapping is not None else [learner, name]
        for q in quizzes:
            result = grades[learner].get(q)
            if result is None:
                row += [""] + ([""] if feedback else [])
                continue
            row.append(_points(result["percent"]) if percent else _points(result["score"]))
            if feedback:
                row.append(_moodle_html(moodle_feedback(result, course)))
        rows.append([_moodle_cell(cell) for cell in row])
    maps_to = {"Email address": "Email address", "ID number": "ID number", "Username": "Username", "User ID": "User ID", "Learner ID": "Username"}[identifier]
    return Table(csv_text(_header([_moodle_cell(h) for h in header]), rows), identifier, maps_to, unmapped, unidentified)


# ---------------------------------------------------------------- GIFT


def gift_escape(text: str) -> str:
    """Text safe inside GIFT: its special characters and backslashes escaped, line breaks as \\n."""
    text = str(text).replace("\\", "\\\\")
    for char in "~=#{}:":
        text = text.replace(char, "\\" + char)
    return text.replace("\r\n", "\n").replace("\n", "\\n")


def _percent(value: float) -> tuple[str, bool]:
    """A weight as a GIFT percentage from Moodle's list; True when it had to be rounded to fit."""
    sign = -1 if value < 0 else 1
    nearest = min(MOODLE_FRACTIONS, key=lambda f: abs(f - abs(value)))
    text = f"{sign * nearest:.5f}".rstrip("0").rstrip(".")
    return text, abs(nearest - abs(value)) > 1e-4


def _feedback(text: str | None) -> str:
    return f"#{gift_escape(text)}" if text else ""


def _gift_question(quiz, question, key) -> list[str]:
    """GIFT lines for one question: comments, then the question."""
    title = f"::{gift_escape(quiz.id)} {gift_escape(question.id)}::"
    points = f"{question.points:g} point{'s' if question.points != 1 else ''}"
    lines = [f"// {question.id}: {question.type.replace('_', ' ')}, {points}; steps: {', '.join(question.steps) or 'none'}"]
    prompt = "[markdown]" + gift_escape(question.prompt.strip())
    fb = key.feedback if key else {}
    kind = question.type
    if kind == "single":
        lines.append(title + prompt + " {")
        lines += [f"\t{'=' if o.id == key.correct else '~'}{gift_escape(o.text)}{_feedback(fb.get(o.id))}" for o in question.options]
        lines.append("}")
    elif kind == "multiple":
        right = set(key.correct or ())
        if key.policy == "weights":
            weights = {o.id: 100 * float(key.weights.get(o.id, 0)) for o in question.options}
        elif key.policy == "right_minus_wrong":
            weights = {o: (100 / len(right) if o in right else -100 / len(right)) for o in (x.id for x in question.options)}
        else:
            weights = {o: (100 / len(right) if o in right else -100) for o in (x.id for x in question.options)}
            lines.append("// all or nothing here; in Moodle each right option earns its share and any wrong one cancels it all")
        rounded = []
        body = []
        for option in question.options:
            share, changed = _percent(weights[option.id])
            if changed:
                rounded.append(option.id)
            body.append(f"\t~%{share}%{gift_escape(option.text)}{_feedback(fb.get(option.id))}")
        if rounded:
            lines.append(f"// weights of {', '.join(rounded)} rounded to the nearest grade Moodle accepts")
        lines.append(title + prompt + " {")
        lines += body
        lines.append("}")
    elif kind == "true_false":
        # GIFT shows the first feedback after a wrong answer, the second after a right one.
        wrong_fb, right_fb = (fb.get("false"), fb.get("true")) if key.correct else (fb.get("true"), fb.get("false"))
        tail = (f"#{gift_escape(wrong_fb or '')}#{gift_escape(right_fb or '')}") if (wrong_fb or right_fb) else ""
        lines.append(title + prompt + " {" + ("TRUE" if key.correct else "FALSE") + tail + "}")
    elif kind == "matching":
        texts = {c.id: c.text for c in question.choices}
        used = set(key.correct.values())
        lines.append(title + prompt + " {")
        lines += [f"\t={gift_escape(p.text)} -> {gift_escape(texts[key.correct[p.id]])}" for p in question.pairs]
        lines += [f"\t= -> {gift_escape(c.text)}" for c in question.choices if c.id not in used]
        if key.policy == "all_or_nothing":
            lines.insert(1, "// all or nothing here; Moodle gives a share of the points for each pair")
        if fb.get("incorrect") or fb.get("correct"):
            lines.append(f"\t####{gift_escape(fb.get('incorrect') or fb.get('correct'))}")
        lines.append("}")
    elif kind == "short_text":
        if key.pattern:
            lines.append(f"// also accepted here: answers matching the pattern {key.pattern} (GIFT has no patterns; add them by hand)")
        lines.append(title + prompt + " {")
        lines += [f"\t={gift_escape(a)}{_feedback(fb.get('correct'))}" for a in key.accept]
        if fb.get("incorrect"):
            lines.append(f"\t=%0%*{_feedback(fb.get('incorrect'))}")
        lines.append("}")
    elif kind == "ordering":
        order = ", ".join(next(i.text for i in question.items if i.id == item) for item in key.correct)
        items = "\\n".join(f"- {gift_escape(i.text)}" for i in question.items)
        lines.append("// ordering has no GIFT form: exported as an essay to mark by hand")
        lines.append(f"// right order: {order}")
        lines.append(title + prompt + "\\n\\n" + items + " {}")
    elif kind == "dialogue":
        lines.append("// a branching dialogue has no GIFT form: exported as a description that sends learners to the course site")
        lines.append(title + prompt + "\\n\\n" + gift_escape(f"Play the dialogue '{question.scenario}' on the course site and hand in its answer file.") + "")
    return lines


def gift(course, quiz_ids: list[str] | None = None) -> str:
    """Every quiz (or the ones named) as Moodle GIFT, one category per quiz; needs the answer keys."""
    chosen = quiz_ids or sorted(course.quizzes)
    unknown = [q for q in chosen if q not in course.quizzes]
    if unknown:
        raise ExportError(f"no quiz {', '.join(repr(q) for q in unknown)} in this course (it has: {', '.join(sorted(course.quizzes))})")
    missing = [q for q in chosen if q not in course.keys]
    if missing:
        raise ExportError(f"no answer key for {', '.join(missing)}; GIFT needs the keys (pass --keys DIR)")
    out = [GIFT_HEAD,
           "// Import: Question bank > Import > GIFT format. Lines starting with // are notes for you; Moodle skips them.", ""]
    for quiz_id in chosen:
        quiz, key = course.quizzes[quiz_id], course.keys[quiz_id]
        out += [f"// {quiz.title} ({quiz.id}), {quiz.max_points:g} points", f"$CATEGORY: $course$/top/{quiz.title.replace('/', '-')}", ""]
        for question in quiz.questions:
            out += _gift_question(quiz, question, key.items.get(question.id))
            out.append("")
    return "\n".join(out)
