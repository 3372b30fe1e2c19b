"""Learner text opened in Chromium from file://: feedback rendered as MkDocs renders it, the feedback pages as written,
and report.html from hostile results. No script runs, no dialog opens, nothing is fetched, and the DOM holds only what
the templates write."""

from __future__ import annotations

import re
from types import SimpleNamespace

import pytest

from grader.common import escape
from tests import hostile

pytestmark = pytest.mark.browser

# Every element with its attributes, names lowercased as an HTML parser gives them.
DOM = """() => [...document.querySelectorAll('*')].map((e) => [
  e.localName.toLowerCase(), Object.fromEntries([...e.attributes].map((a) => [a.name.toLowerCase(), a.value]))])"""
PAGE = '<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>Feedback</title></head><body>{}</body></html>'
PAGE_TAGS = {"html": {"lang"}, "head": set(), "meta": {"charset"}, "title": set(), "body": set()}


@pytest.fixture
def tab(browser):
    """A page in a fresh context, and what it did: dialogs (dismissed), script errors and requests off the disk."""
    context = browser.new_context()
    tab = SimpleNamespace(page=context.new_page(), seen=[])
    tab.page.on("dialog", lambda dialog: (tab.seen.append(f"dialog: {dialog.message}"), dialog.dismiss()))
    tab.page.on("pageerror", lambda error: tab.seen.append(f"script error: {error}"))
    tab.page.on(
        "request", lambda request: None if request.url.startswith("file://") else tab.seen.append(f"request: {request.url}")
    )
    yield tab
    context.close()


def open_file(tab, path) -> list:
    """Load `path` and return its DOM as (tag, attributes) pairs, once the events of the load have run."""
    tab.page.goto(path.as_uri())
    tab.page.wait_for_load_state("load")
    tab.page.evaluate("() => new Promise((done) => requestAnimationFrame(() => setTimeout(done)))")
    return [tuple(pair) for pair in tab.page.evaluate(DOM)]


def shown(text: str) -> str:
    """Text as a browser lays it out: runs of spaces and line breaks shown as one space."""
    return re.sub(r"[ \t\n]+", " ", text).strip()


def test_feedback_pages_run_no_learner_script(tab, tmp_path):
    out, learners = hostile.graded_class(tmp_path)
    problems = {}
    for result, body in hostile.rendered_feedback(out):
        page = tmp_path / "pages" / f"{result['learner']['id']}.html"
        page.parent.mkdir(exist_ok=True)
        page.write_text(PAGE.format(body), encoding="utf-8")
        found = open_file(tab, page)
        wrong = tab.seen + hostile.markup_problems(found, {**PAGE_TAGS, **hostile.FEEDBACK_TAGS}, link=hostile.feedback_link)
        headings = (tab.page.locator("h1").count(), tab.page.locator("h2").count())
        if headings != (1, hostile.feedback_headings(result)):
            wrong.append(f"headings (h1, h2): {headings}")
        # Escaped, not dropped: the learner reads what they wrote.
        learner = tab.page.locator("li", has_text="Learner:").first.inner_text()
        if learner != shown(f"Learner: {escape.one_line(learners[result['learner']['id']].strip())} ({result['learner']['id']})"):
            wrong.append(f"the learner line reads {learner!r}")
        if wrong:
            problems[result["file"]] = wrong
        tab.seen.clear()
    assert problems == {}, "\n".join(f"{file}: {problem}" for file, found in problems.items() for problem in found)


def test_feedback_html_pages_run_no_learner_script(tab, tmp_path):
    out, learners = hostile.graded_class(tmp_path)
    problems = {}
    for result, _ in hostile.feedback_pages(out):
        found = open_file(tab, out / "feedback" / result["learner"]["id"] / f"{result['quiz']}.html")
        wrong = tab.seen + hostile.markup_problems(found, hostile.FEEDBACK_PAGE_TAGS, link=hostile.feedback_link)
        headings = (tab.page.locator("h1").count(), tab.page.locator("h2").count())
        if headings != (1, hostile.feedback_headings(result)):
            wrong.append(f"headings (h1, h2): {headings}")
        # Escaped, not dropped: the learner reads what they wrote, and in the table cell it was written to.
        learner = tab.page.locator("dl.facts dd").first.inner_text()
        text = escape.one_line(learners[result["learner"]["id"]].strip())
        if learner != shown(f"{text} ({result['learner']['id']})"):
            wrong.append(f"the learner line reads {learner!r}")
        cells = [shown(cell) for cell in tab.page.locator("td").all_inner_texts()]
        if shown(text) not in cells:
            wrong.append("the learner's text is not whole in its table cell")
        if wrong:
            problems[result["file"]] = wrong
        tab.seen.clear()
    assert problems == {}, "\n".join(f"{file}: {problem}" for file, found in problems.items() for problem in found)


def test_report_from_hostile_results_runs_no_script(tab, tmp_path):
    report, doc = hostile.hostile_report(tmp_path)
    found = open_file(tab, report)
    assert tab.seen == []
    assert hostile.markup_problems(found, hostile.REPORT_TAGS) == []
    ids = [attrs["id"] for _, attrs in found if "id" in attrs]
    assert len(ids) == len(set(ids)) and all(hostile.REPORT_ID.fullmatch(i) for i in ids)
    # Every label and link still finds its element, so the charts and contents stay usable.
    labels = [target for _, attrs in found for target in attrs.get("aria-labelledby", "").split()]
    links = [attrs["href"][1:] for tag, attrs in found if tag == "a"]
    for target in labels + links:
        assert tab.page.locator(f"#{target}").count() == 1, target
    # The hostile texts are there, shown as text.
    assert shown(doc["results"][0]["learner"]["id"]) in tab.page.locator("body").inner_text()
