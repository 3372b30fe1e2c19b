"""No learner text runs as code where it lands: feedback Markdown, the terminal, report.html, Canvas and Moodle imports.

Each place is tested the way its reader reads it: feedback through Python-Markdown with the course's
extensions (and in Chromium, tests/browser/test_hostile_pages.py), printed text as the raw bytes a
terminal receives, the exports through a model of each LMS importer's documented rules.
"""

from __future__ import annotations

import csv
import html
import io
import json
import re
import sys
from types import SimpleNamespace

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from grader.analytics import gradebooks as exports
from grader.cli import main, progress
from grader.common import escape
from grader.common.text import number
from tests import hostile
from tests.conftest import MINI, ROOT
from tests.outputs import run_grader, strict_json
from tests.test_html_report import Outline

# ---------------------------------------------------------------- feedback Markdown


@pytest.fixture(scope="module")
def hostile_class(tmp_path_factory):
    """The hostile class graded by the real command: the output folder and learner id -> text."""
    return hostile.graded_class(tmp_path_factory.mktemp("hostile"))


@pytest.fixture(scope="module")
def markdown():
    """Python-Markdown with the course's extensions."""
    return hostile.course_markdown()


def test_the_hostile_class_is_read_as_written(hostile_class):
    out, learners = hostile_class
    results = hostile.results_document(out)["results"]
    assert {r["learner"]["id"]: r["learner"]["name"] for r in results} == {k: v.strip() for k, v in learners.items()}
    assert {r["items"][5]["answer"] for r in results} == set(learners.values())


def test_feedback_renders_learner_text_as_text(hostile_class):
    out, learners = hostile_class
    for result, page in hostile.rendered_feedback(out):
        found = hostile.elements(page)
        assert hostile.markup_problems(found, hostile.FEEDBACK_TAGS, link=hostile.feedback_link) == [], result["file"]
        tags = [tag for tag, _ in found]
        assert (tags.count("h1"), tags.count("h2")) == (1, hostile.feedback_headings(result)), result["file"]
        # Whole in its table cell (the matching question's first pair), however many `|` it holds.
        assert escape.one_line(learners[result["learner"]["id"]]).strip() in hostile.cell_texts(page), result["file"]
        # Escaped, not dropped: the learner still reads what they wrote, on one line.
        name = learners[result["learner"]["id"]].strip()
        assert (
            f"<strong>Learner:</strong> {html.escape(escape.one_line(name), quote=False)} ({result['learner']['id']})</li>"
            in page
        )


def test_feedback_pages_write_learner_text_as_text(hostile_class):
    out, learners = hostile_class
    for result, page in hostile.feedback_pages(out):
        found = hostile.elements(page)
        assert hostile.markup_problems(found, hostile.FEEDBACK_PAGE_TAGS, link=hostile.feedback_link) == [], result["file"]
        tags = [tag for tag, _ in found]
        assert (tags.count("h1"), tags.count("h2"), tags.count("section")) == (
            1,
            hostile.feedback_headings(result),
            hostile.feedback_headings(result),
        ), result["file"]
        outline = Outline()
        outline.feed(page)
        assert outline.errors == [] and outline.stack == [], result["file"]
        assert len(outline.ids) == len(set(outline.ids)) and set(outline.labelledby) <= set(outline.ids), result["file"]
        # Escaped, not dropped, on one line as in the Markdown page, and whole in its table cell.
        text = escape.one_line(learners[result["learner"]["id"]])
        assert f"<dd>{html.escape(text.strip())} ({result['learner']['id']})</dd>" in page, result["file"]
        assert text.strip() in hostile.cell_texts(page), result["file"]


@settings(max_examples=300, deadline=None)
@given(st.text(st.characters(blacklist_categories=("Cs",)), max_size=40))
def test_markdown_text_renders_exactly_as_written(markdown, text):
    page = markdown.reset().convert("x " + escape.md_text(text) + " y")
    assert [tag for tag, _ in hostile.elements(page)] == ["p"]
    shown = html.unescape(re.fullmatch(r"<p>(.*)</p>", page, re.S).group(1))
    assert shown == "x " + escape.one_line(text) + " y"


@settings(max_examples=300, deadline=None)
@given(st.text(st.characters(blacklist_categories=("Cs",)), min_size=1, max_size=40).filter(str.strip))
def test_inline_code_holds_any_text(markdown, text):
    page = markdown.reset().convert("x " + escape.md_code(text))
    assert [tag for tag, _ in hostile.elements(page)] == ["p", "code"]
    code = html.unescape(re.search(r"<code>(.*)</code>", page, re.S).group(1))
    assert code == escape.one_line(text).strip()


# ---------------------------------------------------------------- the terminal


def assert_printable(raw: bytes, where: str) -> None:
    """Nothing a terminal would act on: UTF-8 text with no control, C1 or bidi character but newline and tab."""
    text = raw.decode("utf-8")  # strict: a raw byte from a name that is not UTF-8 would fail here
    assert not hostile.CONTROL.search(text), f"{where}: {sorted(set(hostile.CONTROL.findall(text)))!r}"


@pytest.fixture(scope="module")
def terminal_class(tmp_path_factory):
    """Files named with escape sequences, whose names, answers and extra fields carry them, plus a resubmission and rejects."""
    root = tmp_path_factory.mktemp("terminal")
    folder = root / "class"
    learners = hostile.write_class(folder, hostile.TERMINAL)
    for n, (key, text) in enumerate(sorted(hostile.TERMINAL.items()), 1):
        hostile.write_answer(folder, hostile.file_name(f"{key}-again", text), hostile.answer_file(f"s{n:03d}", text))
        hostile.write_answer(folder, hostile.file_name(f"{key}-bad-id", text), hostile.answer_file(f"x{text}", text))
    return root, learners


@pytest.fixture(scope="module")
def terminal_grades(terminal_class):
    root, _ = terminal_class
    done = run_grader("--course", MINI, "grade", root / "class", "--out", root / "out", cwd=ROOT)
    return root / "out", done


def test_grade_summary_shows_control_characters(terminal_grades):
    _, done = terminal_grades
    assert done.code == 1, done.err
    assert_printable(done.raw_out, "stdout")
    assert_printable(done.raw_err, "stderr")
    for text in hostile.TERMINAL.values():
        assert escape.visible(text) in done.out
    # The "Rejected" heading is a line of its own, and every rejection under it is listed.
    assert re.search(r"^Rejected \((\d+);", done.out, re.M).group(1) == str(len(hostile.TERMINAL))
    assert done.out.count(": learner id 'x") == len(hostile.TERMINAL)


def test_grade_json_is_printable_and_parses_back(terminal_class):
    root, _ = terminal_class
    done = run_grader("--course", MINI, "grade", root / "class", "--out", root / "out-json", "--json", cwd=ROOT)
    assert_printable(done.raw_out, "stdout")
    assert_printable(done.raw_err, "stderr")
    summary = strict_json(done.out)
    # File names reach every output in the one readable form, control characters as escapes.
    assert sorted(r["file"] for r in summary["rejected_files"]) == sorted(
        escape.visible(str(root / "class" / hostile.file_name(f"{k}-bad-id", t))) for k, t in hostile.TERMINAL.items()
    )


@pytest.mark.parametrize("source", ["results", "answers"])
def test_stats_text_shows_control_characters(terminal_class, terminal_grades, source):
    root, learners = terminal_class
    out, _ = terminal_grades
    done = run_grader("--course", MINI, "stats", out if source == "results" else root / "class", cwd=ROOT)
    assert done.code == (0 if source == "results" else 1), done.err
    assert_printable(done.raw_out, "stdout")
    assert_printable(done.raw_err, "stderr")
    # Every learner is weak somewhere, so each name is printed; the answers are in the answer tables.
    for name in learners.values():
        assert escape.visible(name.strip()) in done.out


@pytest.mark.parametrize("source", ["results", "answers"])
def test_stats_json_is_printable_and_parses_back(terminal_class, terminal_grades, source):
    root, learners = terminal_class
    out, _ = terminal_grades
    done = run_grader("--course", MINI, "stats", out if source == "results" else root / "class", "--json", cwd=ROOT)
    assert_printable(done.raw_out, "stdout")
    assert_printable(done.raw_err, "stderr")
    result = strict_json(done.out)
    assert {lr["id"]: lr["name"] for lr in result["steps"]["learners"]} == {k: v.strip() for k, v in learners.items()}
    short_text = next(q for q in result["quizzes"][0]["questions"] if q["type"] == "short_text")
    given = {r["answer"] for r in short_text["responses"] if r["count"] and not r["answer"].startswith("(")}
    assert given and given <= {" ".join(t.split()).casefold() for t in learners.values()}


ALL = "".join(hostile.TERMINAL.values())


@pytest.mark.parametrize(
    "args",
    [
        ["grade", f"missing{ALL}"],
        ["grade", ".", "--keep", ALL],
        ["stats", f"missing{ALL}"],
        ["report", f"nowhere{ALL}"],
        ["export", "--to", "canvas", "--results", f"missing{ALL}.json"],
        ["template", f"quiz{ALL}"],
    ],
    ids=["grade", "usage", "stats", "report", "export", "template"],
)
def test_error_messages_show_control_characters(tmp_path, args):
    done = run_grader("--course", MINI, *(str(tmp_path / a) if "missing" in a or "nowhere" in a else a for a in args), cwd=ROOT)
    assert done.code == 2 and done.err.count("\n") >= 1, done.err
    assert_printable(done.raw_out, "stdout")
    assert_printable(done.raw_err, "stderr")


class Terminal(io.StringIO):
    """A stderr that says it is a terminal, so the progress bar draws."""

    def isatty(self) -> bool:
        return True


def test_progress_bar_still_returns_to_the_line_start(terminal_class, tmp_path, monkeypatch):
    root, _ = terminal_class
    screen = Terminal()
    # A clock that moves a second per reading, so every update draws.
    ticks = iter(range(10**6))
    monkeypatch.setattr(progress, "time", SimpleNamespace(monotonic=lambda: float(next(ticks))))
    monkeypatch.setattr(sys, "stderr", screen)
    monkeypatch.chdir(ROOT)
    assert main(["--course", str(MINI), "grade", str(root / "class"), "--out", str(tmp_path)]) == 1
    drawn = screen.getvalue()
    assert "\rgrading " in drawn and "\\r" not in drawn and drawn.endswith("\r")


# ---------------------------------------------------------------- report.html


@pytest.fixture(scope="module")
def hostile_report(tmp_path_factory):
    return hostile.hostile_report(tmp_path_factory.mktemp("report"))


def test_report_writes_ids_and_texts_from_results_as_data(hostile_report):
    path, doc = hostile_report
    page = path.read_text(encoding="utf-8")
    found = hostile.elements(page)
    assert hostile.markup_problems(found, hostile.REPORT_TAGS) == []
    outline = Outline()
    outline.feed(page)
    assert outline.errors == [] and outline.stack == []
    assert [i for i in outline.ids if not hostile.REPORT_ID.fullmatch(i)] == []
    assert len(outline.ids) == len(set(outline.ids)), "ids must be unique"
    assert set(outline.labelledby) <= set(outline.ids), "every aria-labelledby must point at an element"
    assert {link[1:] for link in outline.links} <= set(outline.ids), "every link must point at an element"
    # Still there, as text: a hostile learner id in the step table.
    learner = doc["results"][0]["learner"]["id"]
    assert html.escape(learner) in page


# ---------------------------------------------------------------- LMS imports

# Canvas's GradebookImporter (instructure/canvas-lms, app/models/gradebook_importer.rb), NON_ASSIGNMENT_COLUMN_HEADERS.
CANVAS_TOTALS = re.compile(
    "Current Score|Current Points|Current Grade|Final Score|Final Points|Final Grade|Override Score|Override Grade|Override Status"
)


def canvas_reads(text: str) -> dict:
    """What Canvas's gradebook import takes from a CSV, by the rules of its GradebookImporter
    (instructure/canvas-lms, app/models/gradebook_importer.rb):

    - the header row: "Student", "ID", "SIS User ID", "SIS Login ID", "Section", then assignments, but a
      column whose name contains one of NON_ASSIGNMENT_COLUMN_HEADERS is none (`grep_v`, unanchored);
    - "Title (123)" names Canvas's existing assignment 123 (Assignment.title_and_id);
    - a row whose first cell includes "Points Possible" sets the points of every assignment;
    - a row whose every cell matches /^\\s*(Muted|Manual Posting.*)?\\s*$/i (Ruby: per line) is skipped;
    - every other row is a student, whose grades are the assignment cells, stripped.
    """
    rows = list(csv.reader(io.StringIO(text)))  # Ruby's CSV reads RFC 4180 quoting as Python's csv does
    header = rows[0]
    assert [h in c for h, c in zip(("Student", "ID", "SIS User ID", "SIS Login ID", "Section"), header, strict=False)] == [
        True
    ] * 5
    assignments = {i: h for i, h in enumerate(header) if i >= 5 and not CANVAS_TOTALS.search(h)}
    read: dict = {"assignments": list(assignments.values()), "points": [], "students": []}
    read["existing"] = [h for h in assignments.values() if re.fullmatch(r"(.*)\s\((\d+)\)", h, re.S)]
    for row in rows[1:]:
        if "Points Possible" in row[0]:
            read["points"].append(sorted(row[i] for i in assignments))
        elif not all(re.search(r"^\s*(Muted|Manual Posting.*)?\s*$", cell, re.I | re.M) for cell in row):
            read["students"].append(
                {"name": row[0], "sis_user_id": row[2], "grades": sorted(row[i].strip() for i in assignments)}
            )
    return read


def php_fgetcsv(text: str) -> list[list[str]]:
    """Rows as Moodle's csv_import_reader reads a file (lib/csvlib.class.php): line ends made \\n, the text
    trimmed, then PHP's fgetcsv() with ',' and '"' and its default escape character '\\'. PHP's manual
    (fgetcsv, SplFileObject::setCsvControl): inside quotes '""' is one quote, and the escape character makes
    the next character literal, both kept, so '\\"' does not close the cell; leading blanks before an
    opening quote are dropped; text after a closing quote is kept up to the next comma."""
    text = re.sub("\r\n?", "\n", text).strip()
    rows, row, i = [], [], 0
    while True:
        start = i
        while i < len(text) and text[i] in " \t":
            i += 1
        value = ""
        if i < len(text) and text[i] == '"':
            i += 1
            while i < len(text):
                if text[i] == "\\" and i + 1 < len(text):
                    value, i = value + text[i : i + 2], i + 2
                elif text[i] == '"' and text[i + 1 : i + 2] == '"':
                    value, i = value + '"', i + 2
                elif text[i] == '"':
                    i += 1
                    break
                else:
                    value, i = value + text[i], i + 1
        else:
            i = start
        while i < len(text) and text[i] not in ",\n":
            value, i = value + text[i], i + 1
        row.append(value)
        if i >= len(text) or text[i] == "\n":
            rows.append(row)
            row = []
        if i >= len(text):
            return [r for r in rows if r != [""]]
        i += 1


def moodle_reads(text: str, identifier: str) -> dict[str, dict[str, str]]:
    """What Moodle's CSV grade import stores for each user, by the rules of gradeimport_csv_load_data
    (grade/import/csv/classes/load_data.php, prepare_import_grade_data): every row must have as many cells as
    the header (else "csvweirdcolumns" and nothing is imported); cells are trimmed; the identifier cell is
    read only when PHP's empty() is false (not '' and not '0'), and the user found is not reset between rows,
    so a row without one is stored for the user of the row above; the first such row stops the import."""
    rows = php_fgetcsv(text)
    header = [h.strip() for h in rows[0]]
    assert all(len(r) == len(header) for r in rows), "csvweirdcolumns: a row does not have the header's cells"
    at = header.index(identifier)
    user, stored = None, {}
    for line in rows[1:]:
        cells = [c.strip() for c in line]
        if cells[at] not in ("", "0"):
            user = cells[at]
        assert user is not None, "usermappingerrorusernotfound: the import stops"
        stored.setdefault(user, {}).update(
            {h: c for h, c in zip(header, cells, strict=True) if h.endswith(")") or h.endswith("feedback")}
        )
    return stored


def moodle_html(cell: str) -> str:
    """A cell Moodle shows as HTML (the import preview table, and feedback stored as FORMAT_MOODLE), as its reader sees it."""
    assert hostile.elements(cell) == [], f"{cell!r} holds HTML"
    return html.unescape(cell)


LMS_NAMES = {
    "points": "Ada Points Possible",
    "points-alone": "Points Possible",
    "points-loud": "POINTS POSSIBLE",
    "muted": "Muted",
    "posting": "Manual Posting",
    "test": "Student, Test",
    "spaces": "  Bob  ",
    "quote": 'Cy \\", \\"Dee',
    "trailing": "Eve, \\",
    "escaped-quote": 'Fay \\"',
    "html": "<img src=x onerror=alert(1)> & co",
}


@pytest.fixture(scope="module")
def lms_results(tmp_path_factory):
    """A graded class whose names an importer could read as its own rows, with a quiz id and titles Canvas reads specially."""
    root = tmp_path_factory.mktemp("lms")
    (root / "class").mkdir()
    for n, (key, name) in enumerate(sorted(LMS_NAMES.items()), 1):
        data = hostile.answer_file(f"s{n:03d}", "x")
        data["learner"]["name"], data["answers"]["q6"] = name, "fix"
        hostile.write_answer(root / "class", f"{key}.yml", data)
        hostile.write_answer(
            root / "class",
            f"{key}-tiny.yml",
            {"format": 1, "quiz": "tiny", "learner": {"id": f"s{n:03d}", "name": name}, "answers": {"path": ["r1", "r3"]}},
        )
    done = run_grader("--course", MINI, "grade", root / "class", "--out", root / "out", "--json", cwd=ROOT)
    assert done.code == 0, done.err
    doc = hostile.results_document(root / "out")
    doc["quizzes"]["mini-quiz"]["title"] = "Final Grade check"
    doc["quizzes"]["12345"] = doc["quizzes"].pop("tiny")
    for result in doc["results"]:
        result["quiz"] = "12345" if result["quiz"] == "tiny" else result["quiz"]
        for item in result["items"]:
            item["steps"], item["lesson"] = ["not.a-step"], "<img src=x onerror=alert(2)> & the rest"
    (root / "out" / "results.json").write_text(json.dumps(doc, indent=2, ensure_ascii=False), encoding="utf-8")
    return root / "out" / "results.json", doc


def scores(doc: dict) -> dict[str, list[str]]:
    """learner id -> their points in each quiz, as the exports write them."""
    found: dict[str, list[str]] = {}
    for result in doc["results"]:
        found.setdefault(result["learner"]["id"], []).append(str(number(result["score"])))
    return {learner: sorted(points) for learner, points in found.items()}


def test_canvas_reads_every_learner_and_only_the_real_points_row(cli, lms_results):
    path, doc = lms_results
    run = cli("--course", MINI, "export", "--to", "canvas", "--results", path, "--output", "-")
    assert run.code == 0, run.err
    read = canvas_reads(run.out)
    assert len(read["assignments"]) == len(doc["quizzes"]) and read["existing"] == []
    assert read["points"] == [sorted(str(number(q["max"])) for q in doc["quizzes"].values())]
    assert {s["sis_user_id"]: s["grades"] for s in read["students"]} == scores(doc)
    # A name is rewritten only as far as the importer needs: it still reads as the learner's name.
    assert sorted(s["name"] for s in read["students"]) == sorted(exports.canvas_name(n.strip()) for n in LMS_NAMES.values())
    assert exports.canvas_name("Ada Points Possible") == "Ada Points-Possible"


def test_moodle_reads_every_grade_for_its_own_learner(cli, lms_results):
    path, doc = lms_results
    run = cli("--course", MINI, "export", "--to", "moodle", "--results", path, "--feedback", "--output", "-")
    assert run.code == 0, run.err
    stored = moodle_reads(run.out, "ID number")
    assert {
        learner: sorted(v for k, v in cells.items() if not k.endswith("feedback")) for learner, cells in stored.items()
    } == scores(doc)
    feedback = [moodle_html(v) for cells in stored.values() for k, v in cells.items() if k.endswith("feedback")]
    revisits = [f for f in feedback if "Revisit" in f]
    assert revisits and all(f.endswith("Revisit: <img src=x onerror=alert(2)> & the rest.") for f in revisits)
    # Names as written, trimmed as Moodle trims cells; a backslash before a quote gets a space after it.
    names = [moodle_html(row[1]).strip() for row in php_fgetcsv(run.out)[1:]]
    assert sorted(names) == sorted(n.strip().replace('\\"', '\\ "') for n in LMS_NAMES.values())


def test_moodle_leaves_out_a_learner_it_could_not_tell_apart(cli, lms_results, tmp_path):
    path, doc = lms_results
    # A map that gives no email for s002, and a learner whose id is 0, which PHP's empty() reads as blank.
    emails = "".join(f"s{n:03d},s{n:03d}@example.edu\n" for n in range(1, len(LMS_NAMES) + 1) if n != 2)
    (tmp_path / "map.csv").write_text("learner_id,email\n" + emails + "s002,\n", encoding="utf-8")
    run = cli("--course", MINI, "export", "--to", "moodle", "--results", path, "--map", tmp_path / "map.csv", "--output", "-")
    assert run.code == 1 and "learner 's002'" in run.err and run.err.count("\n") == 1, run.err
    stored = moodle_reads(run.out, "Email address")
    expected = {f"{k}@example.edu": v for k, v in scores(doc).items() if k != "s002"}
    assert {user: sorted(cells.values()) for user, cells in stored.items()} == expected

    zero = json.loads(json.dumps(doc))
    for result in zero["results"]:
        result["learner"]["id"] = "0" if result["learner"]["id"] == "s003" else result["learner"]["id"]
    (tmp_path / "zero.json").write_text(json.dumps(zero), encoding="utf-8")
    run = cli("--course", MINI, "export", "--to", "moodle", "--results", tmp_path / "zero.json", "--output", "-")
    assert run.code == 1 and "learner '0'" in run.err, run.err
    stored = moodle_reads(run.out, "ID number")
    assert {user: sorted(cells.values()) for user, cells in stored.items()} == {k: v for k, v in scores(zero).items() if k != "0"}
