"""The final assessment's dialogue in exam mode: no meters, no feedback, no undo, the customer still reacts, and the
learner's feedback comes only in the feedback file, after grading."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from grader.course import load_course
from grader.dialogue.analysis import analyse_paths, item_score
from grader.dialogue.engine import replay
from grader.formats.loader import load_file
from tests.browser import widgets
from tests.browser.conftest import ROOT
from tests.browser.gradebook import grade
from tests.browser.test_accessibility import violations
from tests.browser.widgets import focused, tab_to

pytestmark = pytest.mark.browser

COURSE = load_course(ROOT, keys=True)
QUIZ, TALK = next((quiz, q) for quiz in COURSE.quizzes.values() for q in quiz.questions if q.type == "dialogue")


def test_the_exam_dialogue_plays_without_meters_feedback_or_undo_and_grades_as_played(page, served, tmp_path, axe_source):
    d = COURSE.dialogues[TALK.scenario]
    assert d.exam and QUIZ.id == "final-assessment"
    path = list(analyse_paths(d).worst_path)
    widgets.visit(page, served.url + served.pages_with(f'data-course-quiz="{QUIZ.id}"')[0])
    field = f'fieldset[data-question="{TALK.id}"]'
    inner = widgets.question(widgets.quiz(page, QUIZ.id), TALK.id).locator("[data-course-dialogue]")
    for absent in ("[data-meter]", "[data-meters]", "[data-action=undo]", "[data-action=restart]"):
        expect(inner.locator(absent)).to_have_count(0)
    expect(inner).to_contain_text("there are no meters, no feedback and no undo")

    for n, reply in enumerate(path, 1):
        tab_to(page, f'{field} .course-reply[data-reply="{reply}"]')
        page.keyboard.press("Enter")
        expect(inner.locator("[data-log] .course-you")).to_have_count(n)
        if n < len(path):  # the customer reacts, and the new line takes the focus
            rep = replay(d, path[:n])
            expect(inner.locator("[data-log] > li").last).to_contain_text(d.nodes[rep.taken[-1][1].next].say)
            assert focused(page, "e.matches('li.course-customer')")
    expect(inner.locator(".course-feedback, .course-mistake")).to_have_count(0)
    assert focused(page, "e.matches('[data-debrief]')")
    debrief = inner.locator("[data-debrief]")
    ending = replay(d, path).ending
    expect(debrief).to_contain_text(f"Ending: {ending.title}")
    expect(debrief).to_contain_text("feedback on them comes with your grade")
    for hidden in ("Score", "Outcome", "Turning point", "Mistake", ending.debrief[:40]):
        expect(debrief).not_to_contain_text(hidden)
    # Nothing the key holds is on the page as it is played.
    text = page.locator("body").inner_text()
    leaked = [r.id for n in d.nodes.values() for r in n.replies if r.feedback[:50] in text]
    assert not leaked, f"feedback of {leaked} is on the page"
    found = violations(page, axe_source)
    assert not found, "\n".join(found)

    widgets.sign(widgets.quiz(page, QUIZ.id), "s777")
    file = widgets.download(page, widgets.quiz(page, QUIZ.id), tmp_path)
    assert load_file(file, answer=True).data["answers"][TALK.id] == path
    grades = grade([file], tmp_path / "grades")
    item = next(i for i in grades.results["results"][0]["items"] if i["question"] == TALK.id)
    assert item["score"] == pytest.approx(item_score(d, replay(d, path), TALK.points))
    assert item["evidence"]["ending"] == ending.id and item["evidence"]["turning_point"] is not None
    # The learner reads the feedback only now, in the feedback file.
    feedback = next((tmp_path / "grades" / "feedback" / "s777").glob("*.md")).read_text(encoding="utf-8")
    assert ending.debrief.split(".")[0] in feedback
