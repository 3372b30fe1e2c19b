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
from tests.conftest import MINI, ROOT
from tests.outputs import run_grader, strict_json

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
