"""Where you are: the progress view on the home page and at the top of each lesson shows what this browser stores (read,
practice checks and their score, dialogue finished with its best ending, quiz answered and handed in); it survives a
reload and instant navigation, moves to another browser by file, refuses a file that is not its own, and clears."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from grader.course import load_course
from tests.browser import plans, widgets
from tests.browser.conftest import ROOT
from tests.browser.test_keyboard import tab_to
from tests.browser.test_practice_sets import answer_all, go, practice_set

pytestmark = pytest.mark.browser

COURSE = load_course(ROOT, keys=True)
LESSON = "lessons/five-step-process.md"
QUIZ = COURSE.quizzes["five-step-process"]
GOAL = COURSE.practice["five-step-process#goal"]
SCENARIO = COURSE.dialogues["poor-quality"]
PROGRESS = "course:progress:v1"
RECORD = """async ([url, kind, id, fields]) => {
  const { recordProgress } = await import(url + "javascripts/progress-store.js");
  recordProgress(kind, id, fields);
}"""
ROW = 'tr[data-lesson="{}"] [data-cell="{}"]'


def home(page: Page, served) -> None:
    widgets.visit(page, served.url)


def cell(page: Page, column: str, lesson: str = LESSON):
    return page.locator(ROW.format(lesson, column))


def lesson_line(page: Page):
    return page.locator('[data-course-progress="lesson"] .course-progress-line')


def read_lesson(page: Page) -> None:
    """Scroll to the end of the lesson, as a reader does."""
    page.locator("[data-course-lesson-end]").scroll_into_view_if_needed()
    expect(lesson_line(page)).to_contain_text("Read to the end: read")


def do_everything(page: Page, served, tmp_path: Path) -> None:
    """Read the Five-Step lesson, check a practice set, finish its dialogue, answer and hand in its quiz."""
    widgets.visit(page, served.url + "lessons/five-step-process/")
    expect(lesson_line(page)).to_contain_text("Read to the end: not yet")
    root = practice_set(page, GOAL.id)
    answer_all(root, GOAL, "wrong")
    root.locator("[data-action=check]").click()
    expect(root.locator(":scope > [data-status]")).to_contain_text("You scored")
    read_lesson(page)
    # The practice dialogue records its best ending through the shared store (docs/javascripts/progress-store.js);
    # recorded here as the player does, so the view is tested whichever build of the player is in.
    ending = SCENARIO.endings[next(e for e in SCENARIO.endings if SCENARIO.endings[e].outcome == "resolved_retained")]
    page.evaluate(
        RECORD,
        [
            served.url,
            "dialogues",
            SCENARIO.id,
            {"finished": True, "bestEnding": ending.id, "bestOutcome": ending.outcome, "bestTitle": ending.title},
        ],
    )
    widgets.visit(page, served.url + "quizzes/five-step-process/")
    quiz = widgets.quiz(page, QUIZ.id)
    first = QUIZ.questions[0]
    widgets.answer(
        widgets.question(quiz, first.id), first.type, plans.answer(first, COURSE.keys[QUIZ.id].items[first.id], "right", COURSE)
    )
    widgets.sign(quiz, "s1")
    widgets.download(page, quiz, tmp_path)


def expect_everything(page: Page) -> None:
    ending = next(e for e in SCENARIO.endings.values() if e.outcome == "resolved_retained")
    expect(cell(page, "read")).to_have_text("read")
    expect(cell(page, "practice")).to_have_text("1 of 8 checks done, 0 of 3 points")
    expect(cell(page, "dialogue")).to_have_text(f"finished, best ending: {ending.title} (resolved, customer kept)")
    expect(cell(page, "quiz")).to_have_text(f"1 of {len(QUIZ.questions)} answered, handed in")


def test_a_fresh_browser_has_done_nothing(page, served):
    home(page, served)
    for column, text in (("read", "not yet"), ("practice", "not started"), ("dialogue", "not played"), ("quiz", "not started")):
        expect(page.locator(f'[data-cell="{column}"]')).to_have_text([text] * 6)
    expect(page.locator("[data-course-start]")).to_have_text("Start the course: lesson 1, Treat the person, then the problem")


def test_the_views_show_reading_practising_playing_and_handing_in(page, served, tmp_path):
    do_everything(page, served, tmp_path)
    home(page, served)
    expect_everything(page)
    expect(cell(page, "read", "lessons/person-then-problem.md")).to_have_text("not yet")
    # The first lesson is not done, so the start button continues there.
    expect(page.locator("[data-course-start]")).to_have_text("Continue: lesson 1, Treat the person, then the problem")
    widgets.visit(page, served.url + "lessons/five-step-process/")
    expect(lesson_line(page)).to_have_text(
        "Read to the end: readPractice: 1 of 8 checks done, 0 of 3 pointsDialogue: finished, best ending: "
        + next(e.title for e in SCENARIO.endings.values() if e.outcome == "resolved_retained")
        + " (resolved, customer kept)Quiz: 1 of 10 answered, handed in"
    )


def test_progress_survives_a_reload_and_instant_navigation(page, served, tmp_path):
    do_everything(page, served, tmp_path)
    home(page, served)
    page.reload()
    widgets.settle(page)
    expect_everything(page)
    widgets.ready_to_navigate(page)
    go(page, page.locator('tr[data-lesson="lessons/five-step-process.md"] th a'))
    expect(lesson_line(page)).to_contain_text("Read to the end: read")
    expect(page.locator("[data-course-progress]")).to_have_count(1)
    go(page, page.locator(".md-tabs__link", has_text="Course"))
    expect_everything(page)
    expect(page.locator("[data-course-progress][data-ready]")).to_have_count(1)


def test_a_lesson_is_read_only_once_its_end_has_been_on_screen(page, served):
    widgets.visit(page, served.url + "lessons/four-key-steps/")
    page.mouse.wheel(0, 600)
    expect(lesson_line(page)).to_contain_text("Read to the end: not yet")
    assert "lessons/four-key-steps.md" not in (widgets.stored(page, PROGRESS) or {}).get("lessons", {})
    read_lesson(page)
    assert widgets.stored(page, PROGRESS)["lessons"] == {"lessons/four-key-steps.md": {"read": True}}


def _save(page: Page, tmp_path: Path) -> Path:
    with page.expect_download() as caught:
        page.locator("[data-action=export]").click()
    expect(page.locator("#progress [data-status]")).to_contain_text("Saved course-progress.json")
    return widgets.save(caught.value, tmp_path)


def _load(page: Page, path: Path) -> None:
    with page.expect_file_chooser() as chooser:
        page.locator("[data-action=import]").click()
    chooser.value.set_files(str(path))


def test_progress_moves_to_another_browser_by_file(page, served, browser, tmp_path, watch):
    do_everything(page, served, tmp_path)
    home(page, served)
    saved = _save(page, tmp_path / "saved")
    data = json.loads(saved.read_text(encoding="utf-8"))
    assert (data["format"], data["version"], data["course"]) == ("course-progress", 1, "Calming an Upset Customer")
    other = browser.new_context(accept_downloads=True)
    try:
        other.on("page", watch.attach)
        there = other.new_page()
        home(there, served)
        _load(there, saved)
        expect(there.locator("#progress [data-status]")).to_have_text(
            "Loaded course-progress.json: its progress is added to this browser's."
        )
        expect_everything(there)
        assert widgets.stored(there, PROGRESS) == widgets.stored(page, PROGRESS)
        # Loading adds, never loses: what the other browser did itself is kept.
        there.evaluate(RECORD, [served.url, "lessons", "lessons/person-then-problem.md", {"read": True}])
        _load(there, saved)
        expect(cell(there, "read", "lessons/person-then-problem.md")).to_have_text("read")
        expect_everything(there)
    finally:
        other.close()


@pytest.mark.parametrize(
    ("name", "content", "reason"),
    [
        ("notes.txt", "these are my notes", "it is not a progress file (it is not JSON)"),
        ("answers.json", '{"format": 1, "quiz": "five-step-process"}', "it is not a progress file of this course"),
        (
            "other.json",
            '{"format": "course-progress", "version": 1, "course": "Another course", "progress": {}}',
            'it holds the progress of another course, "Another course"',
        ),
        (
            "newer.json",
            '{"format": "course-progress", "version": 2, "course": "Calming an Upset Customer", "progress": {}}',
            "it was saved by another version of the course (format 2)",
        ),
        (
            "damaged.json",
            '{"format": "course-progress", "version": 1, "course": "Calming an Upset Customer", "progress": {"practice": {"x#y": {"score": "lots"}}}}',
            'the practice record "x#y" is damaged: its field `answered` is not what the course writes',
        ),
        (
            "foreign.json",
            '{"format": "course-progress", "version": 1, "course": "Calming an Upset Customer", "progress": {"quizzes": {"q": {"handedIn": true, "grade": "A"}}}}',
            'the quizzes record "q" is damaged: its field `grade` is not what the course writes',
        ),
        (
            "sneaky.json",
            '{"format": "course-progress", "version": 1, "course": "Calming an Upset Customer", "progress": {"lessons": {"__proto__": {"read": true}}}}',
            'the lessons record "__proto__" is damaged: its id is not one this course uses',
        ),
        ("huge.json", "[" + "0," * 200_000 + "0]", "it is far larger than a progress file"),
    ],
    ids=lambda value: value if isinstance(value, str) and len(value) < 16 else "",
)
def test_a_file_that_is_not_this_courses_progress_is_refused_and_changes_nothing(page, served, tmp_path, name, content, reason):
    widgets.visit(page, served.url + "lessons/four-key-steps/")
    read_lesson(page)
    home(page, served)
    before = page.evaluate(f"() => localStorage.getItem('{PROGRESS}')")
    path = tmp_path / name
    path.write_text(content, encoding="utf-8")
    _load(page, path)
    expect(page.locator("#progress [data-status]")).to_contain_text(f"{name} was not loaded: {reason}")
    expect(page.locator("#progress [data-status]")).to_contain_text("Your progress is unchanged.")
    assert page.evaluate(f"() => localStorage.getItem('{PROGRESS}')") == before
    expect(cell(page, "read", "lessons/four-key-steps.md")).to_have_text("read")


def test_clearing_forgets_progress_but_keeps_quiz_answers(page, served, tmp_path):
    do_everything(page, served, tmp_path)
    home(page, served)
    clear = page.locator("[data-action=clear]")
    clear.click()
    expect(page.locator("#progress [data-status]")).to_contain_text("Press Clear my progress again to confirm.")
    expect(cell(page, "read")).to_have_text("read")
    clear.click()
    expect(page.locator("#progress [data-status]")).to_contain_text("Your progress is cleared.")
    expect(cell(page, "read")).to_have_text("not yet")
    assert widgets.stored(page, PROGRESS) is None
    assert widgets.stored(page, f"course:quiz:{QUIZ.id}")["answers"]
    expect(page.locator("[data-course-start]")).to_have_text("Start the course: lesson 1, Treat the person, then the problem")


def test_saving_and_clearing_with_the_keyboard_alone(page, served, tmp_path):
    home(page, served)
    tab_to(page, "#progress [data-action=export]")
    with page.expect_download() as caught:
        page.keyboard.press("Enter")
    assert json.loads(Path(caught.value.path()).read_text(encoding="utf-8"))["format"] == "course-progress"
    tab_to(page, "#progress [data-action=clear]")
    page.keyboard.press("Enter")
    page.keyboard.press("Enter")
    expect(page.locator("#progress [data-status]")).to_contain_text("Your progress is cleared.")


@pytest.mark.parametrize("viewport", [{"width": 1280, "height": 900}, {"width": 390, "height": 844}], ids=["desktop", "phone"])
def test_the_start_button_is_above_the_fold(page, served, viewport):
    page.set_viewport_size(viewport)
    home(page, served)
    box = page.locator("[data-course-start]").bounding_box()
    assert box and box["y"] + box["height"] <= viewport["height"], box


def test_instructor_pages_are_out_of_the_learners_way(page, served):
    widgets.visit(page, served.url + "lessons/five-step-process/")
    expect(page.locator(".md-tabs__link", has_text="For instructors and authors")).to_be_visible()
    expect(page.locator(".md-sidebar--primary").get_by_role("link", name="Class statistics")).to_be_hidden()
    expect(page.locator(".md-sidebar--primary").get_by_role("link", name="The Five-Step Process").first).to_be_visible()
