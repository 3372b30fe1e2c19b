"""Practice sets answer on the page: every set on every lesson scores full marks when answered right, and says right or
wrong and why, the right answer once tried or asked for, tries again; with the keyboard alone; once per page view."""

from __future__ import annotations

import random

import pytest
from playwright.sync_api import Locator, Page, expect

from grader.common.text import number
from grader.course import ItemKey, Question, load_course
from grader.grading.scoring import score_item
from tests.browser import plans, widgets
from tests.browser.conftest import ROOT
from tests.browser.test_keyboard import tab_to
from tests.scoring_cases import pattern_examples

pytestmark = pytest.mark.browser


def go(page: Page, link: Locator) -> None:
    """Follow a link by instant navigation, wherever its href is written relative to."""
    widgets.arrive(page, link.evaluate("(a) => a.href"), link.click)


COURSE = load_course(ROOT)
LESSONS = sorted({p.lesson for p in COURSE.practice.values()})
GOAL = COURSE.practice["five-step-process#goal"]  # single and short_text (a pattern only)
SITUATIONS = COURSE.practice["five-step-process#situations"]  # multiple (right_minus_wrong) and true_false


def right_answer(q: Question, key: ItemKey):
    if q.type == "short_text" and not key.accept:
        return pattern_examples(key.pattern, random.Random(q.id))[0]
    return plans.answer(q, key, "right", COURSE)


def lesson_url(served, lesson: str) -> str:
    return served.url + lesson.removesuffix(".md") + "/"


def practice_set(page: Page, set_id: str) -> Locator:
    return page.locator(f'[data-course-practice="{set_id}"]')


def answer_all(root: Locator, practice, mode: str = "right") -> None:
    for q in practice.questions:
        key = practice.keys[q.id]
        value = right_answer(q, key) if mode == "right" else plans.answer(q, key, mode, COURSE)
        widgets.answer(widgets.question(root, q.id), q.type, value)


def verdict(root: Locator, question_id: str) -> Locator:
    return widgets.question(root, question_id).locator("[data-verdict]")


def status(root: Locator) -> Locator:
    return root.locator(":scope > [data-status]")


@pytest.mark.parametrize("lesson", LESSONS, ids=lambda lesson: lesson.split("/")[-1][:-3])
def test_every_set_of_a_lesson_scores_full_marks_when_answered_right(page, served, lesson):
    widgets.visit(page, lesson_url(served, lesson))
    sets = [p for p in COURSE.practice.values() if p.lesson == lesson]
    assert page.locator("[data-course-practice]").count() == len(sets)
    for practice in sets:
        root = practice_set(page, practice.id)
        answer_all(root, practice)
        root.locator("[data-action=check]").click()
        points = f"{practice.max_points:g}"
        expect(status(root)).to_have_text(
            f"You scored {points} of {points} points: {len(practice.questions)} right. The feedback is under each question."
        )
        for q in practice.questions:
            expect(verdict(root, q.id)).to_have_attribute("data-outcome", "right")
    progress = widgets.stored(page, "course:progress:v1")["practice"]
    assert {p.id: (progress[p.id]["score"], progress[p.id]["max"]) for p in sets} == {
        p.id: (p.max_points, p.max_points) for p in sets
    }


def test_a_wrong_answer_says_why_and_shows_the_right_one(page, served):
    widgets.visit(page, lesson_url(served, GOAL.lesson))
    root = practice_set(page, GOAL.id)
    answer_all(root, GOAL, "wrong")
    root.locator("[data-action=check]").click()
    expect(status(root)).to_contain_text("You scored 0 of 3 points: 2 not right.")
    single = GOAL.questions[0]
    wrong = plans.answer(single, GOAL.keys[single.id], "wrong", COURSE)
    shown = verdict(root, single.id)
    expect(shown).to_contain_text("Not right: 0 of 2 points.")
    expect(shown).to_contain_text(GOAL.keys[single.id].feedback[wrong][:60])
    expect(shown.locator(".course-answer")).to_contain_text("Only half well.")
    # The feedback is the author's Markdown, rendered: "*win-win*" is emphasis.
    expect(verdict(root, GOAL.questions[1].id).locator("em")).to_have_text("win-win")


def test_a_partly_right_answer_gets_part_of_the_points(page, served):
    widgets.visit(page, lesson_url(served, SITUATIONS.lesson))
    root = practice_set(page, SITUATIONS.id)
    multiple = SITUATIONS.questions[0]
    answer = plans.answer(multiple, SITUATIONS.keys[multiple.id], "partial", COURSE)
    widgets.answer(widgets.question(root, multiple.id), "multiple", answer)
    root.locator("[data-action=check]").click()
    expected = score_item(multiple, SITUATIONS.keys[multiple.id], answer)
    assert 0 < expected.score < expected.max
    expect(verdict(root, multiple.id)).to_contain_text(
        f"Partly right: {number(expected.score)} of {number(expected.max)} points."
    )
    expect(verdict(root, SITUATIONS.questions[1].id)).to_contain_text("Not answered.")
    expect(status(root)).to_contain_text("1 partly right, 1 not answered")


def test_show_the_answers_then_try_again(page, served):
    widgets.visit(page, lesson_url(served, GOAL.lesson))
    root = practice_set(page, GOAL.id)
    root.locator("[data-action=check]").click()
    expect(status(root)).to_have_text("Answer at least one question, then check.")
    expect(root.locator("[data-verdict]")).to_have_count(0)
    root.locator("[data-action=show]").click()
    expect(verdict(root, GOAL.questions[0].id)).to_contain_text("The answer: Only half well.")
    # A pattern-only answer is explained by its feedback for a right answer.
    expect(verdict(root, GOAL.questions[1].id)).to_contain_text("a win-win, where the customer and the business")
    assert "five-step-process#goal" not in (widgets.stored(page, "course:progress:v1") or {}).get("practice", {})
    answer_all(root, GOAL)
    root.locator("[data-action=check]").click()
    expect(status(root)).to_contain_text("You scored 3 of 3 points")
    expect(root.locator(".course-hint", has_text="Your last check")).to_have_text("Your last check: 3 of 3 points.")
    root.locator("[data-action=retry]").click()
    expect(root.locator("[data-verdict]")).to_have_count(0)
    expect(root.locator("input:checked")).to_have_count(0)
    expect(root.locator("input[type=text]")).to_have_value("")
    expect(root.locator("input").first).to_be_focused()
    expect(status(root)).to_have_text("Cleared. Try the questions again.")


def test_changing_an_answer_clears_what_was_said_about_it(page, served):
    widgets.visit(page, lesson_url(served, GOAL.lesson))
    root = practice_set(page, GOAL.id)
    answer_all(root, GOAL)
    root.locator("[data-action=check]").click()
    expect(root.locator("[data-verdict]")).to_have_count(2)
    widgets.question(root, GOAL.questions[1].id).locator("input[type=text]").fill("something else")
    expect(verdict(root, GOAL.questions[1].id)).to_have_count(0)
    expect(verdict(root, GOAL.questions[0].id)).to_have_count(1)


def test_a_set_done_with_the_keyboard_alone(page, served):
    widgets.visit(page, lesson_url(served, GOAL.lesson))
    base = f'[data-course-practice="{GOAL.id}"]'
    single, short = GOAL.questions
    tab_to(page, f'{base} fieldset[data-question="{single.id}"] input[type=radio]')
    for _ in range(6):
        if page.evaluate("() => document.activeElement.value") == GOAL.keys[single.id].correct:
            break
        page.keyboard.press("ArrowDown")
    page.keyboard.press("Space")
    tab_to(page, f'{base} fieldset[data-question="{short.id}"] input[type=text]')
    page.keyboard.type("Win-win")
    tab_to(page, f"{base} [data-action=check]")
    page.keyboard.press("Enter")
    expect(status(practice_set(page, GOAL.id))).to_contain_text("You scored 3 of 3 points")
    page.keyboard.press("Tab")
    assert page.evaluate("() => document.activeElement.dataset.action") == "show"


def test_sets_start_once_per_page_view_through_instant_navigation(page, served):
    widgets.visit(page, lesson_url(served, GOAL.lesson))
    widgets.ready_to_navigate(page)
    root = practice_set(page, GOAL.id)
    answer_all(root, GOAL)
    root.locator("[data-action=check]").click()
    link = page.locator(".md-footer__link--next")
    go(page, link)
    back = page.locator(".md-footer__link--prev")
    go(page, back)
    root = practice_set(page, GOAL.id)
    expect(root).to_have_attribute("data-ready", "1")
    expect(root.locator(".course-hint", has_text="Your last check")).to_have_count(1)
    answer_all(root, GOAL, "wrong")
    root.locator("[data-action=check]").click()
    # One start means one listener: the set is scored once, and says so once.
    expect(status(root)).to_contain_text("You scored 0 of 3 points")
    expect(verdict(root, GOAL.questions[0].id)).to_have_count(1)
