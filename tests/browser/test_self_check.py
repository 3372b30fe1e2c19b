"""The self-study build in Chromium: a graded quiz scores itself after "Check my answers", by the grader's rules, with
feedback under each question, the total, and the lesson sections to revisit."""

from __future__ import annotations

import functools
import threading

import pytest
from playwright.sync_api import expect

from grader.common.text import number
from grader.course import load_course
from grader.grading.scoring import score_quiz
from tests.browser import plans, widgets
from tests.browser.conftest import MOUNT, ROOT, Site, Watch, _Handler, _Server
from tests.test_self_check_build import build, self_check_copy

pytestmark = pytest.mark.browser

COURSE = load_course(ROOT, keys=True)
FULL = COURSE.quizzes["final-assessment"]


@pytest.fixture(scope="module")
def self_study(tmp_path_factory) -> Site:
    """The course built with `self_check: true`, served under /course/ as the default build is."""
    folder = tmp_path_factory.mktemp("self-study")
    site = folder / "site"
    site.mkdir()
    server = _Server(("127.0.0.1", 0), functools.partial(_Handler, directory=str(site)))
    origin = f"http://127.0.0.1:{server.server_address[1]}"
    copy = self_check_copy(folder / "project")
    done = build(copy, site, site_url=origin + MOUNT)
    assert done.returncode == 0, done.stdout + done.stderr
    thread = threading.Thread(target=server.serve_forever, name="self-study", daemon=True)
    thread.start()
    yield Site(origin, origin + MOUNT, site)
    server.shutdown()
    server.server_close()


@pytest.fixture
def watch(self_study) -> Watch:
    """Requests outside this served copy fail the test, as they do for the default build."""
    return Watch(self_study.url)


def _answer(root, quiz, answers) -> None:
    for q in quiz.questions:
        if q.id not in answers:
            continue
        field = widgets.question(root, q.id)
        if q.type == "dialogue":
            widgets.play(field.locator("[data-course-dialogue]"), answers[q.id])
        else:
            widgets.answer(field, q.type, answers[q.id])


def test_a_quiz_scores_itself_on_the_page_as_the_grader_would(page, self_study):
    widgets.visit(page, self_study.url + "quizzes/final-assessment/")
    root = widgets.quiz(page, FULL.id)
    answers = plans.quiz_answers(FULL, COURSE.keys[FULL.id], COURSE)
    _answer(root, FULL, answers)
    root.locator("[data-action=check]").click()
    result = score_quiz(FULL, COURSE.keys[FULL.id], plans.as_written(FULL, answers), COURSE.dialogues)
    shown = root.locator("[data-results]")
    expect(shown).to_be_focused()
    percent = f"{result.percent:g}"
    expect(shown.locator(".course-results-title")).to_have_text(
        f"Your score: {number(result.score)} of {number(result.max)} points ({percent}%)"
    )
    for item in result.items:
        outcome = "none" if not item.answered else "right" if item.correct else "partly" if item.score > 0 else "wrong"
        expect(widgets.question(root, item.question).locator(":scope > [data-verdict]")).to_have_attribute(
            "data-outcome", outcome
        )
    # What to revisit: each section of a question not fully right, once, linked.
    wanted = {COURSE.lesson_section(item.lesson).words() for item in result.items if not item.correct}
    links = shown.locator("li a")
    assert set(links.all_inner_texts()) == wanted
    assert links.count() == len(wanted)
    first = links.first
    assert "#" in first.get_attribute("href")


def test_negative_marking_and_a_dialogue_are_scored_as_the_grader_scores_them(page, self_study):
    widgets.visit(page, self_study.url + "quizzes/final-assessment/")
    root = widgets.quiz(page, FULL.id)
    answers = {q.id: plans.answer(q, COURSE.keys[FULL.id].items[q.id], "wrong", COURSE) for q in FULL.questions}
    _answer(root, FULL, answers)
    root.locator("[data-action=check]").click()
    result = score_quiz(FULL, COURSE.keys[FULL.id], plans.as_written(FULL, answers), COURSE.dialogues)
    assert any(item.score < 0 for item in result.items)  # the key's negative marking took points away
    expect(root.locator(".course-results-title")).to_contain_text(f"Your score: {number(result.score)} of")
    dialogue = next(item for item in result.items if item.type == "dialogue")
    verdict = widgets.question(root, dialogue.question).locator(":scope > [data-verdict]")
    expect(verdict).to_contain_text(f"{number(dialogue.score)} of {number(dialogue.max)} points")


def test_an_answer_changed_after_the_check_loses_its_verdict(page, self_study):
    quiz = COURSE.quizzes["five-step-process"]
    widgets.visit(page, self_study.url + "quizzes/five-step-process/")
    root = widgets.quiz(page, quiz.id)
    answers = plans.right_answers(quiz, COURSE.keys[quiz.id], COURSE)
    _answer(root, quiz, answers)
    root.locator("[data-action=check]").click()
    expect(root.locator(".course-results-title")).to_contain_text("(100%)")
    expect(root.locator("[data-results]")).to_contain_text("Nothing to revisit: every answer is right.")
    single = next(q for q in quiz.questions if q.type == "single")
    field = widgets.question(root, single.id)
    expect(field.locator(":scope > [data-verdict]")).to_have_count(1)
    widgets.answer(field, "single", next(o.id for o in single.options if o.id != COURSE.keys[quiz.id].items[single.id].correct))
    expect(field.locator(":scope > [data-verdict]")).to_have_count(0)


@pytest.mark.parametrize("scheme", ["default", "slate"])
def test_no_violations_on_a_checked_quiz_in_either_palette(page, self_study, axe_source, scheme):
    from tests.browser.test_accessibility import open_in, violations

    open_in(page, self_study.url + "quizzes/final-assessment/", scheme)
    root = widgets.quiz(page, FULL.id)
    _answer(root, FULL, plans.quiz_answers(FULL, COURSE.keys[FULL.id], COURSE))
    root.locator("[data-action=check]").click()
    expect(root.locator("[data-results]")).to_be_focused()
    found = violations(page, axe_source)
    assert not found, "\n".join(found)


def test_start_over_and_a_new_reply_clear_what_the_check_said(page, self_study):
    widgets.visit(page, self_study.url + "quizzes/final-assessment/")
    root = widgets.quiz(page, FULL.id)
    answers = plans.right_answers(FULL, COURSE.keys[FULL.id], COURSE)
    dialogue = next(q for q in FULL.questions if q.type == "dialogue")
    _answer(root, FULL, answers)
    root.locator("[data-action=check]").click()
    field = widgets.question(root, dialogue.id)
    expect(field.locator(":scope > [data-verdict]")).to_have_attribute("data-outcome", "right")
    field.locator("[data-action=undo]").click()
    expect(field.locator(":scope > [data-verdict]")).to_have_count(0)
    expect(root.locator("[data-verdict]")).to_have_count(len(FULL.questions) - 1)
    widgets.sign(root, "s1")
    start_over = root.locator("[data-action=start-over]")
    start_over.click()
    start_over.click()
    expect(root.locator("[data-verdict]")).to_have_count(0)
    expect(root.locator("[data-results]")).to_be_hidden()
