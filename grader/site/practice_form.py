"""A practice set as a form that answers on the page: its questions, its buttons, and its keys (public by design)."""

from __future__ import annotations

from grader.common.text import points
from grader.course import Course, PracticeSet
from grader.site.html import page_data, tag
from grader.site.quiz_form import question_html
from grader.site.scoring_data import scored_item


def practice_prefix(practice: PracticeSet) -> str:
    """The id the set's elements start with: `p_<lesson>_<section>`."""
    return "p_" + practice.id.replace("#", "_")  # a file name and an anchor: no space in either


def practice_html(course: Course, practice: PracticeSet, href) -> str:
    """The set's questions as a form, with the buttons that check them and the region that says how it went."""
    prefix = practice_prefix(practice)
    data = {
        "id": practice.id,
        "lesson": practice.lesson,
        "questions": [scored_item(course, q, practice.keys[q.id], n, href) for n, q in enumerate(practice.questions, 1)],
    }
    count = len(practice.questions)
    title = tag("h3", "Check yourself", class_="course-practice-title", id=f"{prefix}_title")
    intro = tag(
        "p",
        f"{count} question{'' if count == 1 else 's'}, {points(practice.max_points)}. Practice only: nothing is handed in, "
        "and you can try as often as you like.",
        class_="course-hint",
    )
    questions = "".join(question_html(course, f"{prefix}_{q.id}", n, q, href) for n, q in enumerate(practice.questions, 1))
    buttons = tag(
        "p",
        tag("button", "Check", type="button", class_="md-button md-button--primary", data_action="check")
        + " " + tag("button", "Show the answers", type="button", class_="md-button", data_action="show")
        + " " + tag("button", "Try again", type="button", class_="md-button", data_action="retry"),
        class_="course-buttons", data_buttons=True, hidden=True,
    )
    nojs = tag("p", "Checking your answers here needs JavaScript.", class_="course-nojs", data_nojs=True)
    return tag(
        "section",
        title + intro + tag("form", questions, class_="course-form", novalidate=True) + buttons
        + tag("p", "", class_="course-status", role="status", data_status=True) + nojs,
        class_="course-practice", id=prefix, aria_labelledby=f"{prefix}_title",
        data_course_practice=practice.id, data_course=page_data(data),
    )
