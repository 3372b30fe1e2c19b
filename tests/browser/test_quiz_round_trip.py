"""Every quiz, from the page to the gradebook: answer through the UI, download, `grader grade`, same score as Python."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from grader.common.ids import check_learner_id
from grader.course import load_course
from grader.formats.loader import load_file
from grader.grading.scoring import score_quiz
from tests.browser import plans, widgets
from tests.browser.conftest import ROOT
from tests.browser.gradebook import grade

COURSE = load_course(ROOT, keys=True)
LEARNER, NAME = "ada.lovelace_1@uni-x", 'Ada "Countess" Lovelace-Byron, née Byron'
REFUSED = ["../escape", "-dash-first", "with space", "émile", ".hidden", "a/b"]


def _only_page(served, marker: str) -> str:
    found = served.pages_with(marker)
    assert len(found) == 1, f"expected one page with {marker}, found {found}"
    return served.url + found[0]


def test_the_answer_plans_mix_full_partial_and_no_credit():
    for quiz_id, quiz in COURSE.quizzes.items():
        key = COURSE.keys[quiz_id]
        result = score_quiz(quiz, key, plans.quiz_answers(quiz, key, COURSE), COURSE.dialogues)
        scores = [(i.score, i.max) for i in result.items if i.answered]
        assert sum(not i.answered for i in result.items) == 1, quiz_id
        assert any(s == m for s, m in scores) and any(s <= 0 for s, m in scores), quiz_id
        if any((q.type, key.items[q.id].policy) in plans.PARTIAL_POLICIES for q in quiz.questions):
            assert any(0 < s < m for s, m in scores), f"{quiz_id}: no partly right answer"


@pytest.mark.browser
@pytest.mark.parametrize("quiz_id", sorted(COURSE.quizzes))
def test_a_quiz_answered_on_the_page_grades_as_expected(page, served, tmp_path, quiz_id):
    quiz, key = COURSE.quizzes[quiz_id], COURSE.keys[quiz_id]
    answers = plans.quiz_answers(quiz, key, COURSE)
    expected = score_quiz(quiz, key, answers, COURSE.dialogues)
    widgets.visit(page, _only_page(served, f'data-course-quiz="{quiz_id}"'))
    root = widgets.quiz(page, quiz_id)

    for q in quiz.questions:
        if q.id not in answers:
            continue
        field = widgets.question(root, q.id)
        if q.type == "dialogue":
            inner = field.locator("[data-course-dialogue][data-mode=quiz]")
            expect(inner).to_have_attribute("data-question", q.id)
            widgets.play(inner, answers[q.id])
            expect(inner.locator("[data-debrief]")).to_be_visible()
        else:
            widgets.answer(field, q.type, answers[q.id])
    written = plans.as_written(quiz, answers)
    assert widgets.stored(page, f"course:quiz:{quiz_id}") == {"version": quiz.version, "answers": written}

    widgets.sign(root, LEARNER, NAME)
    file = widgets.download(page, root, tmp_path / "downloads")
    skipped = next(n for n, q in enumerate(quiz.questions, 1) if q.id not in answers)
    expect(widgets.status(root)).to_contain_text(f"Not answered: question {skipped}.")
    expect(widgets.status(root)).to_contain_text(f"Downloaded {quiz_id}-{LEARNER}.yml.")

    assert file.name == f"{quiz_id}-{LEARNER}.yml"
    handed_in = load_file(file, answer=True).data
    assert handed_in["format"] == 1 and handed_in["quiz"] == quiz_id and handed_in["version"] == quiz.version
    assert handed_in["learner"] == {"id": LEARNER, "name": NAME}
    assert handed_in["answers"] == written

    grades = grade([file], tmp_path / "grades")
    assert grades.summary["graded"] == 1 and grades.summary["rejected"] == 0 and grades.summary["warnings"] == 0
    row = grades.row(LEARNER, quiz_id)
    assert row["status"] == "graded"
    assert float(row["score"]) == round(expected.score, 2)
    assert float(row["max"]) == quiz.max_points
    graded = grades.results["results"][0]
    assert graded["score"] == pytest.approx(expected.score)
    assert [(i["question"], i["score"]) for i in graded["items"]] == [
        (i.question, pytest.approx(i.score)) for i in expected.items
    ]


@pytest.mark.browser
def test_the_page_refuses_the_learner_ids_the_grader_refuses_in_its_words(page, served, tmp_path):
    quiz_id = sorted(COURSE.quizzes)[0]
    widgets.visit(page, _only_page(served, f'data-course-quiz="{quiz_id}"'))
    root = widgets.quiz(page, quiz_id)
    caught = []
    page.on("download", lambda d: caught.append(d))
    learner_id = root.locator("[data-learner-id]")
    for refused in ["", *REFUSED]:
        message = check_learner_id(refused)
        assert message, refused
        widgets.sign(root, refused)
        root.locator("[data-action=download]").click()
        expect(widgets.status(root)).to_have_text(message[0].upper() + message[1:] + ".")
        expect(learner_id).to_have_attribute("aria-invalid", "true")
        expect(learner_id).to_be_focused()
    assert caught == [], "a refused learner id still downloaded a file"
    widgets.sign(root, "x" * 65)
    expect(learner_id).to_have_value("x" * 64)  # the field holds no more than the grader allows

    widgets.sign(root, "s1234567")
    file = widgets.download(page, root, tmp_path)
    assert file.name == f"{quiz_id}-s1234567.yml"
    expect(learner_id).not_to_have_attribute("aria-invalid", "true")
