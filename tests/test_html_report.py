"""`grader report`: one well-formed, self-contained, accessible HTML file; opened from disk in Chromium with axe-core."""

from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path

import pytest

from tests.conftest import CASES, ROOT

STATS = CASES / "stats"
COURSE = STATS / "course"
ANSWERS = STATS / "answers"
AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
CHROMIUM = Path("/usr/bin/chromium")
VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}


@pytest.fixture(scope="module")
def report_file(tmp_path_factory) -> Path:
    from grader.cli import main

    out = tmp_path_factory.mktemp("graded")
    assert (
        main(
            [
                "--course",
                str(COURSE),
                "grade",
                str(ANSWERS),
                "--ignore-file-times",
                "--out",
                str(out),
                "--keep",
                "first",
                "--json",
            ]
        )
        == 0
    )
    assert main(["--course", str(COURSE), "report", str(out)]) == 0
    return out / "report.html"


class Outline(HTMLParser):
    """Checks that every element is closed in order, and collects ids, references, captions and links."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.stack: list[str] = []
        self.errors: list[str] = []
        self.ids: list[str] = []
        self.labelledby: list[str] = []
        self.links: list[str] = []
        self.captions: list[str] = []
        self.headings: list[int] = []
        self.svgs = 0
        self._caption = False

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if attrs.get("id"):
            self.ids.append(attrs["id"])
        if attrs.get("aria-labelledby"):
            self.labelledby += attrs["aria-labelledby"].split()
        for name in ("src", "href", "xlink:href", "action", "data"):
            if attrs.get(name):
                self.links.append(attrs[name])
        if tag == "svg":
            self.svgs += 1
            if attrs.get("role") != "img":
                self.errors.append("an svg without role=img")
        if re.fullmatch(r"h[1-6]", tag):
            self.headings.append(int(tag[1]))
        if tag == "caption":
            self._caption = True
            self.captions.append("")
        if tag not in VOID:
            self.stack.append(tag)

    def handle_startendtag(self, tag, attrs):
        self.handle_starttag(tag, attrs)
        if tag not in VOID:
            self.stack.pop()

    def handle_endtag(self, tag):
        if tag == "caption":
            self._caption = False
        if not self.stack or self.stack[-1] != tag:
            self.errors.append(f"</{tag}> closes <{self.stack[-1] if self.stack else 'nothing'}>")
            return
        self.stack.pop()

    def handle_data(self, data):
        if self._caption:
            self.captions[-1] += data


@pytest.fixture(scope="module")
def outline(report_file) -> Outline:
    parser = Outline()
    parser.feed(report_file.read_text(encoding="utf-8"))
    parser.close()
    return parser


def test_report_is_well_formed(outline):
    assert outline.errors == [] and outline.stack == []
    assert len(outline.ids) == len(set(outline.ids)), "ids must be unique"
    assert set(outline.labelledby) <= set(outline.ids), "every aria-labelledby must point at an element"


def test_headings_go_down_one_level_at_a_time(outline):
    assert outline.headings[0] == 1 and outline.headings.count(1) == 1
    for before, after in zip(outline.headings, outline.headings[1:], strict=False):
        assert after <= before + 1


def test_report_has_every_table(outline):
    captions = outline.captions
    expected = [
        "Every activity at a glance",
        "Practice: calm first: scores, and what they mean",
        "Practice: calm first: learners per score band",
        "Practice: calm first: item statistics",
        "A refund that never came: learners per score band",
        "A refund that never came: replies taken at each customer turn",
        "A refund that never came: endings reached",
        "A refund that never came: most common paths",
        "A refund that never came: replies that most often led to losing the customer",
        "Class mastery per model step",
        "Each learner's mastery per model step",
    ]
    for caption in expected:
        assert caption in captions, caption
    for question in ("q1", "q2", "q3", "q4", "q5", "q6"):
        assert any(c.startswith(f"{question} (") for c in captions), question


def test_every_chart_has_a_title_a_description_and_a_table(report_file):
    html = report_file.read_text(encoding="utf-8")
    charts = re.findall(r"<svg[^>]*aria-labelledby=\"([^\"]+)\"", html)
    assert len(charts) == 5  # two histograms, the item plot, the dialogue flow, the heat map
    for ids in charts:
        title, desc = ids.split()
        assert f'<title id="{title}">' in html and f'<desc id="{desc}">' in html
    after = html.split("</figure>")[1:]
    assert len(after) == 5
    for chunk in after:
        assert "<table" in chunk.split("<figure>")[0], "every chart is followed by a table of its numbers"


def test_report_is_self_contained(outline, report_file):
    html = report_file.read_text(encoding="utf-8")
    assert all(link.startswith("#") for link in outline.links), [x for x in outline.links if not x.startswith("#")]
    assert not re.search(r"""(src|href)\s*=\s*["']?\s*(https?:)?//""", html)
    assert "<script" not in html and "<link" not in html and "@import" not in html and "url(" not in html


def test_report_prints(report_file):
    html = report_file.read_text(encoding="utf-8")
    assert "@media print" in html and "break-inside: avoid" in html


def test_report_errors(cli, tmp_path):
    run = cli("--course", COURSE, "report", tmp_path)
    assert run.code == 2 and "no results.json there" in run.err and run.err.count("\n") == 1


def test_report_output_option(cli, tmp_path, report_file):
    target = tmp_path / "elsewhere" / "class.html"
    run = cli("--course", COURSE, "report", report_file.parent / "results.json", "--output", target)
    assert run.code == 0 and target.read_text(encoding="utf-8") == report_file.read_text(encoding="utf-8")


@pytest.mark.browser
def test_report_in_chromium_makes_no_request_and_passes_axe(report_file):
    from playwright import sync_api as playwright

    # Never a skip: a browser test that cannot run must say so and fail.
    if not CHROMIUM.exists() or not AXE.exists():
        pytest.fail("needs /usr/bin/chromium and node_modules/axe-core: run `make test`, which installs both")
    with playwright.sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path=str(CHROMIUM),
            args=[
                "--headless",
                "--no-sandbox",
                "--disable-gpu",
                "--disable-background-networking",
                "--disable-component-update",
                "--no-first-run",
            ],
        )
        try:
            page = browser.new_page()
            requests: list[str] = []
            page.on("request", lambda request: requests.append(request.url))
            page.goto(report_file.as_uri())
            page.wait_for_load_state("load")
            assert [u for u in requests if not u.startswith("file://")] == []
            assert page.locator("h1").inner_text() == "Class report"
            page.add_script_tag(path=str(AXE))
            found = page.evaluate(
                "async () => (await axe.run(document, {runOnly: {type: 'tag', values: ['wcag2a','wcag2aa','wcag21a','wcag21aa','wcag22aa']}}))"
                ".violations.map(v => v.id + ': ' + v.nodes.length + ' ' + v.nodes.slice(0, 3).map(n => n.target.join(' ')).join(' | '))"
            )
            assert found == []
            # The first things to know come first, and the keyboard reaches every link and scrolling table.
            assert page.locator("h2").nth(1).inner_text() == "First things to know"
            wanted = page.evaluate("document.querySelectorAll('a[href], [tabindex=\"0\"]').length")
            reached = []
            for _ in range(wanted + 2):
                page.keyboard.press("Tab")
                reached.append(
                    page.evaluate(
                        "(() => { const e = document.activeElement; return e.id || e.getAttribute('href') || e.getAttribute('aria-label') || e.tagName; })()"
                    )
                )
            assert reached[0] == "#main", "the skip link comes first"
            regions = page.evaluate("[...document.querySelectorAll('[tabindex=\"0\"]')].map(e => e.getAttribute('aria-label'))")
            assert regions and set(regions) <= set(reached)
            page.emulate_media(media="print")
            assert page.locator("nav").is_hidden()
        finally:
            browser.close()
