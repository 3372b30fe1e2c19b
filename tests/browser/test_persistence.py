"""Answers and dialogue paths live in the browser: a reload restores them, start over clears them, and
instant navigation away and back starts each widget exactly once."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from grader.course import load_course
from grader.dialogue.analysis import analyse_paths
from tests.browser import plans, widgets
from tests.browser.conftest import ROOT

pytestmark = pytest.mark.browser

COURSE = load_course(ROOT, keys=True)
# The quiz with every question type, a dialogue included.
FULL = next(
    q
    for q in sorted(COURSE.quizzes.values(), key=lambda q: q.id)
    if {x.type for x in q.questions} >= {"single", "multiple", "true_false", "ordering", "matching", "short_text", "dialogue"}
)
SNAPSHOT = """(root) => Object.fromEntries([...root.querySelectorAll('form > fieldset[data-question]')].map((f) => [
  f.dataset.question,
  f.dataset.type === 'dialogue' ? [...f.querySelectorAll('.course-you')].map((li) => li.textContent) : {
    checked: [...f.querySelectorAll('input:checked')].map((i) => i.value),
    order: [...f.querySelectorAll('li[data-item]')].map((li) => li.dataset.item),
    selects: [...f.querySelectorAll('select')].map((s) => s.value),
    text: [...f.querySelectorAll('input[type=text]')].map((i) => i.value.trim()),
  }]))"""
PLAYED = """(root) => ({
  log: [...root.querySelectorAll('[data-log] > li')].map((li) => li.className + ': ' + li.textContent),
  replies: [...root.querySelectorAll('.course-reply')].map((b) => b.dataset.reply),
  meters: [...root.querySelectorAll('[data-meter-text]')].map((m) => m.textContent),
})"""
COUNT_WRITES = """() => {
  window.__writes = {};
  const original = Storage.prototype.setItem;
  Storage.prototype.setItem = function (key, value) {
    window.__writes[key] = (window.__writes[key] || 0) + 1;
    return original.call(this, key, value);
  };
}"""


def _url(served, marker: str) -> str:
    found = served.pages_with(marker)
    assert found, f"no page has {marker}"
    return served.url + found[0]


def _lesson_url(served, quiz) -> str:
    return served.url + quiz.lesson.removesuffix(".md") + "/"


def _writes(page, key: str, action) -> int:
    """How many times `action` writes `key` to localStorage."""
    page.evaluate("() => { window.__writes = {}; }")
    action()
    page.evaluate("0")
    return page.evaluate("(key) => window.__writes[key] || 0", key)


def _half_of_the_plan(quiz) -> dict:
    plan = plans.quiz_answers(quiz, COURSE.keys[quiz.id], COURSE)
    last_kind = max(n for n, q in enumerate(quiz.questions) if q.type in ("ordering", "matching", "short_text", "multiple"))
    return {q.id: plan[q.id] for n, q in enumerate(quiz.questions) if n <= last_kind and q.id in plan and q.type != "dialogue"}


def _fill_half(root, *, replies: int):
    """Answer half of the full quiz through the page and play the first replies of its dialogue.

    Returns the answers given, the dialogue question and the dialogue widget.
    """
    answers = _half_of_the_plan(FULL)
    for q in FULL.questions:
        if q.id in answers:
            widgets.answer(widgets.question(root, q.id), q.type, answers[q.id])
    talk = next(q for q in FULL.questions if q.type == "dialogue")
    inner = widgets.question(root, talk.id).locator("[data-course-dialogue]")
    widgets.play(inner, list(analyse_paths(COURSE.dialogues[talk.scenario]).best_path[:replies]))
    return answers, talk, inner


def test_a_half_done_quiz_and_its_dialogue_come_back_after_a_reload(page, served):
    widgets.visit(page, _url(served, f'data-course-quiz="{FULL.id}"'))
    root = widgets.quiz(page, FULL.id)
    answers, talk, inner = _fill_half(root, replies=2)
    root.locator("[data-learner-id]").fill("s7654321")
    root.locator("[data-learner-name]").fill("Émilie du Châtelet")
    root.locator("[data-learner-name]").press("Tab")  # the page remembers the learner once the field is left
    before, played = root.evaluate(SNAPSHOT), inner.evaluate(PLAYED)

    page.reload()
    widgets.settle(page)
    root = widgets.quiz(page, FULL.id)
    inner = widgets.question(root, talk.id).locator("[data-course-dialogue]")
    assert root.evaluate(SNAPSHOT) == before
    assert inner.evaluate(PLAYED) == played and len(played["replies"]) > 0
    saved = widgets.stored(page, f"course:quiz:{FULL.id}")
    assert saved["answers"] == {
        **plans.as_written(FULL, answers),
        talk.id: list(analyse_paths(COURSE.dialogues[talk.scenario]).best_path[:2]),
    }
    expect(root.locator("[data-learner-id]")).to_have_value("s7654321")
    expect(root.locator("[data-learner-name]")).to_have_value("Émilie du Châtelet")
    assert widgets.stored(page, "course:learner") == {"id": "s7654321", "name": "Émilie du Châtelet"}


def test_a_practice_dialogue_comes_back_after_a_reload_and_undo(page, served):
    scenario = plans.practice_scenarios(COURSE)[0]
    path = list(analyse_paths(COURSE.dialogues[scenario]).best_path[:3])
    widgets.visit(page, _url(served, f'data-course-dialogue="{scenario}" data-mode="practice"'))
    root = widgets.practice(page, scenario)
    widgets.play(root, path)
    played = root.evaluate(PLAYED)
    assert sum("course-you" in line for line in played["log"]) == 3

    page.reload()
    widgets.settle(page)
    root = widgets.practice(page, scenario)
    assert root.evaluate(PLAYED) == played
    root.locator("[data-action=undo]").click()
    assert widgets.stored(page, f"course:dialogue:{scenario}")["path"] == path[:2]
    page.reload()
    widgets.settle(page)
    root = widgets.practice(page, scenario)
    assert sum("course-you" in line for line in root.evaluate(PLAYED)["log"]) == 2


def test_start_over_asks_once_more_then_clears_the_quiz(page, served):
    widgets.visit(page, _url(served, f'data-course-quiz="{FULL.id}"'))
    root = widgets.quiz(page, FULL.id)
    blank = root.evaluate(SNAPSHOT)
    _fill_half(root, replies=1)
    filled = root.evaluate(SNAPSHOT)

    start = root.locator("[data-action=start-over]")
    start.click()
    expect(start).to_have_text("Start over? Press again")
    assert root.evaluate(SNAPSHOT) == filled and widgets.stored(page, f"course:quiz:{FULL.id}") is not None
    start.click()
    expect(start).to_have_text("Start over")
    expect(widgets.status(root)).to_have_text("Your answers are cleared.")
    assert root.evaluate(SNAPSHOT) == blank
    assert widgets.stored(page, f"course:quiz:{FULL.id}") is None
    page.reload()
    widgets.settle(page)
    assert widgets.quiz(page, FULL.id).evaluate(SNAPSHOT) == blank


def test_restart_asks_once_more_and_leaving_the_button_cancels(page, served):
    scenario = plans.practice_scenarios(COURSE)[-1]
    widgets.visit(page, _url(served, f'data-course-dialogue="{scenario}" data-mode="practice"'))
    root = widgets.practice(page, scenario)
    opening = root.evaluate(PLAYED)
    widgets.play(root, list(analyse_paths(COURSE.dialogues[scenario]).best_path[:2]))
    restart = root.locator("[data-action=restart]")
    restart.click()
    expect(restart).to_have_text("Restart? Press again")
    restart.blur()
    expect(restart).to_have_text("Restart")
    restart.click()
    restart.click()
    assert root.evaluate(PLAYED) == opening
    assert widgets.stored(page, f"course:dialogue:{scenario}") is None


def test_instant_navigation_away_and_back_starts_each_widget_once(page, served):
    quiz = next(q for q in sorted(COURSE.quizzes.values(), key=lambda q: q.id) if any(x.type == "ordering" for x in q.questions))
    order_q = next(q for q in quiz.questions if q.type == "ordering")
    choice_q = next(q for q in quiz.questions if q.type == "single")
    quiz_url, lesson_url = _url(served, f'data-course-quiz="{quiz.id}"'), _lesson_url(served, quiz)
    key = f"course:quiz:{quiz.id}"

    # A full load first; one answer is one write, before and after instant navigation.
    widgets.visit(page, quiz_url)
    page.evaluate(COUNT_WRITES)
    page.evaluate("() => { window.__loaded = true; }")  # gone after a full load, kept by instant navigation
    root = widgets.quiz(page, quiz.id)
    assert _writes(page, key, lambda: widgets.question(root, choice_q.id).locator("input").first.check()) == 1
    move = lambda: widgets.question(root, order_q.id).locator("[data-move=down]").first.click()  # noqa: E731
    assert _writes(page, key, move) == 1

    def go(url: str) -> None:
        link = page.locator(f'a.md-footer__link[href="{url}"]')
        expect(link).to_have_count(1)
        widgets.follow(page, link)
        assert page.evaluate("() => window.__loaded === true"), "the page reloaded: instant navigation is off"

    widgets.ready_to_navigate(page)
    go(lesson_url)
    scenario = page.locator("[data-course-dialogue][data-mode=practice]").first.get_attribute("data-course-dialogue")
    talk = widgets.practice(page, scenario)
    first = analyse_paths(COURSE.dialogues[scenario]).best_path[0]
    assert _writes(page, f"course:dialogue:{scenario}", lambda: widgets.play(talk, [first])) == 1
    expect(talk.locator("[data-log] .course-you")).to_have_count(1)

    go(quiz_url)
    root = widgets.quiz(page, quiz.id)
    expect(widgets.question(root, choice_q.id).locator("input").first).to_be_checked()
    assert _writes(page, key, lambda: widgets.question(root, choice_q.id).locator("input").nth(1).check()) == 1
    assert _writes(page, key, move) == 1

    widgets.arrive(page, lesson_url, page.go_back)
    assert page.evaluate("() => window.__loaded === true"), "going back reloaded the page"
    talk = widgets.practice(page, scenario)
    expect(talk.locator("[data-log] .course-you")).to_have_count(1)
    second = analyse_paths(COURSE.dialogues[scenario]).best_path[1]
    assert _writes(page, f"course:dialogue:{scenario}", lambda: widgets.play(talk, [second])) == 1
    expect(talk.locator("[data-log] .course-you")).to_have_count(2)
