"""axe-core finds no WCAG 2.2 A/AA violation on any page, in either palette, with the widgets started and in use.

No rule and no element is excluded: problems in Material's own markup are fixed in docs/overrides/ and
docs/stylesheets/theme.css.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from grader.course import load_course
from grader.dialogue.analysis import analyse_paths
from tests.browser import plans, widgets
from tests.browser.conftest import ROOT

pytestmark = pytest.mark.browser

COURSE = load_course(ROOT, keys=True)
TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
SCHEMES = {"default": "light", "slate": "dark"}
# Transitions finish first: a button fading in is briefly pale, which is no contrast failure.
RUN = """async (tags) => {
  for (let round = 0; round < 10; round++) {
    const running = document.getAnimations().filter((a) => a.playState === 'running' && a.effect.getComputedTiming().endTime !== Infinity);
    if (!running.length) break;
    await Promise.all(running.map((a) => a.finished.catch(() => null)));  // a cancelled transition rejects
  }
  return (await axe.run(document, {runOnly: {type: 'tag', values: tags}, resultTypes: ['violations']})).violations.map((v) =>
  v.id + ' (' + v.impact + '): ' + v.help + v.nodes.slice(0, 5).map((n) => '\\n    ' + n.target.join(' ') + ': '
    + (n.failureSummary || '').replace(/\\s+/g, ' ')).join(''));
}"""


def _docs_pages() -> list[str]:
    """Every page the build makes, by its path below the site (from docs/, so tests can be named before the build)."""
    out = []
    for md in sorted((ROOT / "docs").rglob("*.md")):
        rel = md.relative_to(ROOT / "docs").with_suffix("")
        if "overrides" in rel.parts:
            continue
        parts = rel.parts[:-1] if rel.name in ("index", "README") else rel.parts
        out.append("/".join(parts) + "/" if parts else "")
    return out


PAGES = _docs_pages()


def violations(page: Page, axe: Path) -> list[str]:
    if not page.evaluate("() => typeof window.axe === 'object'"):
        page.add_script_tag(path=str(axe))
    return page.evaluate(RUN, TAGS)


def open_in(page: Page, url: str, scheme: str) -> None:
    page.emulate_media(color_scheme=SCHEMES[scheme])
    widgets.visit(page, url)
    expect(page.locator("body")).to_have_attribute("data-md-color-scheme", scheme)


def test_the_page_list_is_every_page_built(served):
    assert sorted(PAGES) == served.pages()


@pytest.mark.parametrize("path", PAGES, ids=lambda p: p.rstrip("/") or "home")
def test_no_violations_on_a_page_in_either_palette(page, served, axe_source, path):
    open_in(page, served.url + path, "default")
    found = violations(page, axe_source)
    assert not found, "light palette:\n" + "\n".join(found)
    # The learner's own switch, as a learner changes palette; the page stays, the colours change.
    page.locator('label[title="Switch to dark mode"]').click()
    expect(page.locator("body")).to_have_attribute("data-md-color-scheme", "slate")
    page.wait_for_function("() => getComputedStyle(document.body).backgroundColor !== 'rgb(255, 255, 255)'")
    found = violations(page, axe_source)
    assert not found, "dark palette:\n" + "\n".join(found)


@pytest.mark.parametrize("scheme", SCHEMES)
def test_no_violations_on_a_dialogue_at_its_debrief(page, served, axe_source, tmp_path, scheme):
    scenario = plans.practice_scenarios(COURSE)[2]
    open_in(page, served.url + served.pages_with(f'data-course-dialogue="{scenario}" data-mode="practice"')[0], scheme)
    if plans.dealt(COURSE.dialogues[scenario]):
        widgets.pin_seed(page, COURSE.dialogues[scenario], plans.plain_seed(COURSE.dialogues[scenario]))
    root = widgets.practice(page, scenario)
    widgets.play(root, list(analyse_paths(COURSE.dialogues[scenario]).worst_path))
    widgets.debrief_worth(root)
    expect(root.locator("[data-retry]")).to_be_visible()  # the worst path is lost: the turning point is offered
    widgets.sign(root, "s1")
    widgets.download(page, root, tmp_path)
    expect(widgets.status(root)).to_contain_text("Downloaded")
    found = violations(page, axe_source)
    assert not found, "\n".join(found)


@pytest.mark.parametrize("scheme", SCHEMES)
def test_no_violations_on_a_quiz_with_its_messages(page, served, axe_source, tmp_path, scheme):
    quiz = COURSE.quizzes["final-assessment"] if "final-assessment" in COURSE.quizzes else next(iter(COURSE.quizzes.values()))
    open_in(page, served.url + served.pages_with(f'data-course-quiz="{quiz.id}"')[0], scheme)
    root = widgets.quiz(page, quiz.id)
    answers = plans.quiz_answers(quiz, COURSE.keys[quiz.id], COURSE)
    for q in quiz.questions:
        if q.id in answers:
            field = widgets.question(root, q.id)
            if q.type == "dialogue":
                widgets.play(field.locator("[data-course-dialogue]"), answers[q.id])
            else:
                widgets.answer(field, q.type, answers[q.id])

    widgets.sign(root, "../not-allowed")
    root.locator("[data-action=download]").click()
    expect(widgets.status(root)).to_contain_text("is not allowed")
    expect(root.locator("[data-learner-id]")).to_have_attribute("aria-invalid", "true")
    found = violations(page, axe_source)
    assert not found, "refused learner id:\n" + "\n".join(found)

    widgets.sign(root, "s1")
    widgets.download(page, root, tmp_path)
    expect(widgets.status(root)).to_contain_text("Not answered")
    root.locator("[data-action=start-over]").click()
    expect(root.locator("[data-action=start-over]")).to_contain_text("Press again")
    found = violations(page, axe_source)
    assert not found, "after download:\n" + "\n".join(found)


@pytest.mark.parametrize("scheme", SCHEMES)
def test_no_violations_on_a_lesson_with_its_practice_checked(page, served, axe_source, scheme):
    practice = COURSE.practice["five-step-process#situations"]
    open_in(page, served.url + "lessons/five-step-process/", scheme)
    root = page.locator(f'[data-course-practice="{practice.id}"]')
    for q, mode in zip(practice.questions, ("partial", "wrong"), strict=True):
        widgets.answer(widgets.question(root, q.id), q.type, plans.answer(q, practice.keys[q.id], mode, COURSE))
    root.locator("[data-action=check]").click()
    expect(root.locator("[data-verdict]")).to_have_count(2)
    other = page.locator('[data-course-practice="five-step-process#goal"]')
    other.locator("[data-action=show]").click()
    page.locator("[data-course-lesson-end]").scroll_into_view_if_needed()
    expect(page.locator(".course-progress-line")).to_contain_text("Read to the end: read")
    found = violations(page, axe_source)
    assert not found, "\n".join(found)


@pytest.mark.parametrize("scheme", SCHEMES)
def test_no_violations_on_the_home_page_with_progress_and_a_refused_file(page, served, axe_source, tmp_path, scheme):
    open_in(page, served.url + "lessons/four-key-steps/", scheme)
    page.locator("[data-course-lesson-end]").scroll_into_view_if_needed()
    expect(page.locator(".course-progress-line")).to_contain_text("Read to the end: read")
    open_in(page, served.url, scheme)
    expect(page.locator('tr[data-lesson="lessons/four-key-steps.md"] [data-cell="read"]')).to_have_text("read")
    bad = tmp_path / "not-progress.json"
    bad.write_text("{}", encoding="utf-8")
    with page.expect_file_chooser() as chooser:
        page.locator("[data-action=import]").click()
    chooser.value.set_files(str(bad))
    expect(page.locator("#progress [data-status]")).to_contain_text("was not loaded")
    found = violations(page, axe_source)
    assert not found, "\n".join(found)
