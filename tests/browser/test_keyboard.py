"""One quiz (every question type, a dialogue included) and one practice dialogue, done with the keyboard alone."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from grader.course import load_course
from grader.dialogue.analysis import analyse_paths
from grader.formats.loader import load_file
from grader.grading.scoring import score_quiz
from tests.browser import plans, widgets
from tests.browser.conftest import ROOT
from tests.browser.gradebook import grade
from tests.browser.widgets import focused, tab_to

pytestmark = pytest.mark.browser

COURSE = load_course(ROOT, keys=True)
FULL = next(
    q
    for q in sorted(COURSE.quizzes.values(), key=lambda q: q.id)
    if {x.type for x in q.questions} >= {"single", "multiple", "true_false", "ordering", "matching", "short_text", "dialogue"}
)


def choose_radio(page: Page, field: str, value: str) -> None:
    """Tab into a radio group, then arrow to the wanted option (arrows select as they move)."""
    tab_to(page, f"{field} input[type=radio]")
    for _ in range(10):
        if focused(page, "e.value") == value:
            break
        page.keyboard.press("ArrowDown")
    page.keyboard.press("Space")
    assert focused(page, "e.value + ':' + e.checked") == f"{value}:true"


def choose_option(page: Page, select: str, value: str) -> None:
    """Arrow through a closed select until it shows the wanted choice."""
    tab_to(page, select)
    for _ in range(30):
        if focused(page, "e.value") == value:
            return
        page.keyboard.press("ArrowDown")
    raise AssertionError(f"{select} never offered {value}")


def arrange(page: Page, field: str, wanted: list[str]) -> None:
    """Order items with Move up, pressed by Enter; focus stays on the pressed button, so the walk only goes forward."""

    def order() -> list[str]:
        return page.eval_on_selector_all(f"{field} li[data-item]", "(items) => items.map((li) => li.dataset.item)")

    for position, item in enumerate(wanted):
        steps = order().index(item) - position
        if steps:
            tab_to(page, f'{field} li[data-item="{item}"] [data-move=up]')
            for _ in range(steps):
                page.keyboard.press("Enter")
    assert order() == wanted


def test_a_whole_quiz_by_keyboard_gets_full_marks(page, served, tmp_path):
    answers = plans.right_answers(FULL, COURSE.keys[FULL.id], COURSE)
    expected = score_quiz(FULL, COURSE.keys[FULL.id], answers, COURSE.dialogues)
    assert expected.score == FULL.max_points
    widgets.visit(page, served.url + served.pages_with(f'data-course-quiz="{FULL.id}"')[0])
    base = f'[data-course-quiz="{FULL.id}"]'
    if any(q.type == "ordering" and answers[q.id] == [i.id for i in q.items] for q in FULL.questions):
        pytest.fail("an ordering question is shown in its right order")

    for q in FULL.questions:
        field, value = f'{base} fieldset[data-question="{q.id}"]', answers[q.id]
        if q.type == "single":
            choose_radio(page, field, value)
        elif q.type == "true_false":
            choose_radio(page, field, "true" if value else "false")
        elif q.type == "multiple":
            for option in [o.id for o in q.options if o.id in value]:
                tab_to(page, f'{field} input[value="{option}"]')
                page.keyboard.press("Space")
        elif q.type == "ordering":
            arrange(page, field, value)
        elif q.type == "matching":
            for pair in q.pairs:
                choose_option(page, f'{field} select[data-pair="{pair.id}"]', value[pair.id])
        elif q.type == "short_text":
            tab_to(page, f"{field} input[type=text]")
            page.keyboard.type(value)
        elif q.type == "dialogue":
            for reply in value:
                tab_to(page, f'{field} .course-reply[data-reply="{reply}"]')
                page.keyboard.press("Enter")
            assert focused(page, "e.matches('[data-debrief]')"), "the ending's debrief should take the focus"

    tab_to(page, f"{base} [data-learner-id]")
    page.keyboard.type("ada.l")
    page.keyboard.press("Tab")
    page.keyboard.type("Ada Lovelace")
    tab_to(page, f"{base} [data-action=download]")
    with page.expect_download() as caught:
        page.keyboard.press("Enter")
    file = widgets.save(caught.value, tmp_path)
    assert load_file(file, answer=True).data["answers"] == plans.as_written(FULL, answers)
    expect(widgets.status(widgets.quiz(page, FULL.id))).to_have_text(f"Downloaded {FULL.id}-ada.l.yml.")

    grades = grade([file], tmp_path / "grades")
    row = grades.row("ada.l", FULL.id)
    assert (row["status"], float(row["score"])) == ("graded", FULL.max_points)


def test_a_practice_dialogue_by_keyboard_with_restart_and_undo(page, served, tmp_path):
    scenario = plans.practice_scenarios(COURSE)[1]
    d = COURSE.dialogues[scenario]
    best = list(analyse_paths(d).best_path)
    widgets.visit(page, served.url + served.pages_with(f'data-course-dialogue="{scenario}" data-mode="practice"')[0])
    base = f'[data-course-dialogue="{scenario}"][data-mode=practice]'
    root = widgets.practice(page, scenario)

    tab_to(page, f'{base} .course-reply[data-reply="{best[0]}"]')
    page.keyboard.press("Enter")
    assert focused(page, "e.matches('[data-log] > li.course-feedback')"), "after a reply the focus goes to its feedback"
    tab_to(page, f"{base} [data-action=restart]")
    page.keyboard.press("Enter")
    expect(root.locator("[data-action=restart]")).to_have_text("Restart? Press again")
    page.keyboard.press("Enter")
    expect(root.locator("[data-log] .course-you")).to_have_count(0)

    for reply in best[:2]:
        tab_to(page, f'{base} .course-reply[data-reply="{reply}"]')
        page.keyboard.press("Enter")
    tab_to(page, f"{base} [data-action=undo]")
    page.keyboard.press("Enter")
    expect(root.locator("[data-log] .course-you")).to_have_count(1)
    for n, reply in enumerate(best[1:]):
        # Undo keeps the focus on itself, below the replies: the first one is reached backwards.
        tab_to(page, f'{base} .course-reply[data-reply="{reply}"]', back=n == 0)
        page.keyboard.press("Enter")
    assert focused(page, "e.matches('[data-debrief]')")

    tab_to(page, f"{base} [data-learner-id]")
    page.keyboard.type("g.hopper")
    tab_to(page, f"{base} [data-action=download]")
    with page.expect_download() as caught:
        page.keyboard.press("Enter")
    file = widgets.save(caught.value, tmp_path)
    assert load_file(file, answer=True).data["answers"] == {"path": best}
    shown, _ = widgets.debrief_worth(root)
    assert shown == d.points
