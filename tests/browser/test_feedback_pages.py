"""The feedback pages as a learner opens them: from file://, in either colour scheme and on paper, with no request and no axe violation."""

from __future__ import annotations

import pytest

from tests.browser.test_accessibility import RUN, TAGS
from tests.conftest import CASES, MINI, ROOT
from tests.outputs import run_grader

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def pages(tmp_path_factory):
    """Every page of the small course's class, and of the example class with lesson links, as `grader grade` wrote them."""
    root = tmp_path_factory.mktemp("feedback")
    done = run_grader("--course", MINI, "grade", CASES / "grade" / "class", "--out", root / "mini")
    assert done.code == 1, done.err
    done = run_grader(
        "grade",
        ROOT / "examples" / "submissions",
        "--out",
        root / "example",
        "--site-url",
        "https://you.example/course/",
        cwd=ROOT,
    )
    assert done.code == 1, done.err
    found = sorted((root / "mini" / "feedback").rglob("*.html"))
    return found + sorted((root / "example" / "feedback").rglob("*.html"))[:4]


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_no_violation_and_no_request_from_file(browser, axe_source, pages, scheme):
    context = browser.new_context(color_scheme=scheme)
    requests: list[str] = []
    context.on("request", lambda request: requests.append(request.url))
    problems = {}
    try:
        page = context.new_page()
        errors: list[str] = []
        page.on("pageerror", lambda error: errors.append(str(error)))
        for path in pages:
            page.goto(path.as_uri())
            page.wait_for_load_state("load")
            page.add_script_tag(path=str(axe_source))
            found = page.evaluate(RUN, TAGS) + errors
            if found:
                problems[str(path)] = found
            errors.clear()
    finally:
        context.close()
    # axe's script is added from the disk too, so every request is a file: one.
    assert [url for url in requests if not url.startswith("file://")] == []
    assert problems == {}, "\n".join(f"{p}: {v}" for p, found in problems.items() for v in found)


def test_the_page_prints_without_its_contents_list_and_with_link_addresses(browser, pages):
    context = browser.new_context()
    try:
        page = context.new_page()
        linked = next(p for p in pages if 'href="https://you.example/course/' in p.read_text(encoding="utf-8"))
        page.goto(linked.as_uri())
        page.emulate_media(media="print")
        assert page.locator("nav").is_hidden()
        link = page.locator("a[href^='https://you.example/course/']").first
        after = link.evaluate("(a) => getComputedStyle(a, '::after').content")
        assert after.startswith('" (https://you.example/course/lessons/')
        # Printed in black on white, whatever the screen's scheme.
        assert page.evaluate("() => getComputedStyle(document.body).backgroundColor") == "rgb(255, 255, 255)"
    finally:
        context.close()


def test_every_question_is_reached_from_the_contents_by_keyboard(browser, pages):
    context = browser.new_context()
    try:
        page = context.new_page()
        page.goto(pages[0].as_uri())
        count = page.locator("section[id^='q']").count()
        assert count > 1
        for number in range(1, count + 1):
            page.keyboard.press("Tab")
            assert page.evaluate("() => document.activeElement.getAttribute('href')") == f"#q{number}"
        page.keyboard.press("Enter")
        assert page.evaluate("() => location.hash") == f"#q{count}"
    finally:
        context.close()
