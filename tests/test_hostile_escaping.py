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

from grader import escape, progress
from grader.cli import main
from tests import hostile
from tests.conftest import CASES, MINI, ROOT
from tests.outputs import run_grader, strict_json
from tests.test_html_report import Outline

# ---------------------------------------------------------------- feedback Markdown

# What the feedback template itself writes, once rendered: toc's heading ids and permalinks, the lesson links.
FEEDBACK_TAGS = {
    "h1": {"id"}, "h2": {"id"}, "a": {"href", "class", "title"},
    "p": set(), "ul": set(), "li": set(), "strong": set(), "em": set(), "blockquote": set(), "code": set(),
}


def feedback_link(href: str) -> bool:
    """Links the template writes: a heading's permalink, a lesson page in the course, or the published site."""
    return href.startswith(("#", "lessons/", "https://")) and not re.search(r"[\s<>\"']", href)


def feedback_headings(result: dict) -> int:
    """The h2 headings the template writes: one per question, and "What to revisit" when a wrong answer has a lesson."""
    return len(result["items"]) + any(not i["correct"] and i["lesson"] for i in result["items"])


@pytest.fixture(scope="module")
def hostile_class(tmp_path_factory):
    """A class whose every learner-written field carries markup, graded by the real command."""
    root = tmp_path_factory.mktemp("hostile")
    learners = hostile.write_class(root / "class", {**hostile.MARKUP, **hostile.TERMINAL})
    done = run_grader("--course", MINI, "grade", root / "class", "--out", root / "out", "--json", cwd=ROOT)
    assert done.code == 0, done.err
    return root / "out", learners


def rendered_feedback(out):
    """(result, HTML) for every feedback file, rendered by Python-Markdown with the course's extensions."""
    md = hostile.course_markdown()
    for result in hostile.results_document(out)["results"]:
        text = (out / "feedback" / result["learner"]["id"] / f"{result['quiz']}.md").read_text(encoding="utf-8")
        yield result, md.reset().convert(text)


def test_the_hostile_class_is_read_as_written(hostile_class):
    out, learners = hostile_class
    results = hostile.results_document(out)["results"]
    assert {r["learner"]["id"]: r["learner"]["name"] for r in results} == {k: v.strip() for k, v in learners.items()}
    assert {r["items"][5]["answer"] for r in results} == set(learners.values())


def test_feedback_renders_learner_text_as_text(hostile_class):
    out, learners = hostile_class
    for result, page in rendered_feedback(out):
        found = hostile.elements(page)
        assert hostile.markup_problems(found, FEEDBACK_TAGS, link=feedback_link) == [], result["file"]
        tags = [tag for tag, _ in found]
        assert (tags.count("h1"), tags.count("h2")) == (1, feedback_headings(result)), result["file"]
        # Escaped, not dropped: the learner still reads what they wrote, on one line.
        name = learners[result["learner"]["id"]].strip()
        assert f"<strong>Learner:</strong> {html.escape(escape.one_line(name), quote=False)} ({result['learner']['id']})</li>" in page


@settings(max_examples=300, deadline=None)
@given(st.text(st.characters(blacklist_categories=("Cs",)), max_size=40))
def test_markdown_text_renders_exactly_as_written(text):
    page = MARKDOWN.reset().convert("x " + escape.md_text(text) + " y")
    assert [tag for tag, _ in hostile.elements(page)] == ["p"]
    shown = html.unescape(re.fullmatch(r"<p>(.*)</p>", page, re.S).group(1))
    assert shown == "x " + escape.one_line(text) + " y"


@settings(max_examples=300, deadline=None)
@given(st.text(st.characters(blacklist_categories=("Cs",)), min_size=1, max_size=40).filter(str.strip))
def test_inline_code_holds_any_text(text):
    page = MARKDOWN.reset().convert("x " + escape.md_code(text))
    assert [tag for tag, _ in hostile.elements(page)] == ["p", "code"]
    code = html.unescape(re.search(r"<code>(.*)</code>", page, re.S).group(1))
    assert code == escape.one_line(text).strip()


MARKDOWN = hostile.course_markdown()


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
    assert sorted(r["file"] for r in summary["rejected_files"]) == sorted(
        str(root / "class" / hostile.file_name(f"{k}-bad-id", t)) for k, t in hostile.TERMINAL.items()
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


@pytest.mark.parametrize("args", [
    ["grade", f"missing{ALL}"],
    ["grade", ".", "--keep", ALL],
    ["stats", f"missing{ALL}"],
    ["report", f"nowhere{ALL}"],
    ["export", "--to", "canvas", "--results", f"missing{ALL}.json"],
    ["template", f"quiz{ALL}"],
], ids=["grade", "usage", "stats", "report", "export", "template"])
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
    """report.html written by the real command from a results.json whose ids and texts are hostile."""
    root = tmp_path_factory.mktemp("report")
    done = run_grader("--course", MINI, "grade", CASES / "grade" / "class", "--out", root / "out", "--json", cwd=ROOT)
    assert done.code == 1, done.err
    doc = hostile.hostile_results(hostile.results_document(root / "out"))
    (root / "out" / "results.json").write_text(json.dumps(doc, indent=2, ensure_ascii=False), encoding="utf-8")
    done = run_grader("--course", MINI, "report", root / "out", cwd=ROOT)
    assert done.code == 0, done.err
    return root / "out" / "report.html", doc


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
