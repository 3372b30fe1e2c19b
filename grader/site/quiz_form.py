"""A quiz as a form: every question by type, its hint, and the hand-in panel; no answer key reaches it but in the self-study build."""

from __future__ import annotations

from grader.course import Choice, Course, Question, Quiz
from grader.site.dialogue_widget import dialogue_html
from grader.site.handin import LEARNER, handin
from grader.common.text import points
from grader.site.html import esc, inline_html, input_tag, markdown_html, page_data, plain_text, tag
from grader.site.scoring_data import scored_item


HINTS = {
    "single": "Choose one answer.",
    "multiple": "Choose every answer that applies.",
    "true_false": "Choose true or false.",
    "ordering": "Put the items in order with the Move up and Move down buttons.",
    "matching": "Choose a match for each item.",
    "short_text": "Type a word or a short phrase.",
    "dialogue": "Play the conversation to an ending; the replies you choose are your answer.",
}


def _choices(name: str, prefix: str, kind: str, choices) -> str:
    return tag("div", "".join(
        tag("label", input_tag(type=kind, name=name, value=c.id, id=f"{prefix}_{c.id}") + " " + tag("span", inline_html(c.text)), class_="course-option")
        for c in choices
    ), class_="course-options")


def _answer_area(course: Course, q: Question, prefix: str, href) -> str:
    """The form controls for one question, by type."""
    if q.type in ("single", "multiple"):
        return _choices(prefix, prefix, "radio" if q.type == "single" else "checkbox", q.options)
    if q.type == "true_false":
        return _choices(prefix, prefix, "radio", (Choice("true", "True"), Choice("false", "False")))
    if q.type == "ordering":
        items = "".join(
            tag("li", tag("span", inline_html(c.text), class_="course-item-text")
                 + tag("span",
                        tag("button", "Move up", type="button", data_move="up", aria_label=f"Move up: {plain_text(c.text)}")
                        + tag("button", "Move down", type="button", data_move="down", aria_label=f"Move down: {plain_text(c.text)}"),
                        class_="course-move"),
                 data_item=c.id)
            for c in q.items
        )
        return tag("ol", items, class_="course-order", aria_label="Your order")
    if q.type == "matching":
        options = tag("option", "Choose…", value="") + "".join(tag("option", esc(plain_text(c.text)), value=c.id) for c in q.choices)
        return tag("ul", "".join(
            tag("li", tag("label", inline_html(p.text), for_=f"{prefix}_{p.id}") + " " + tag("select", options, id=f"{prefix}_{p.id}", data_pair=p.id))
            for p in q.pairs
        ), class_="course-pairs")
    if q.type == "short_text":
        return tag("p", tag("label", "Your answer", for_=f"{prefix}_text") + " "
                    + input_tag(type="text", id=f"{prefix}_text", autocomplete="off", maxlength="200"), class_="course-field")
    return dialogue_html(course, course.scenario_of(q), href, f"{prefix}_d", question=q)


def question_html(course: Course, prefix: str, number: int, q: Question, href) -> str:
    """One question as a fieldset: its number and points, prompt, hint and answer controls; ids start with `prefix`."""
    legend = tag("legend", f"Question {number} " + tag("span", f"({points(q.points)})", class_="course-points"))
    return tag(
        "fieldset",
        legend
        + tag("div", markdown_html(q.prompt), class_="course-prompt", id=f"{prefix}_prompt")
        + tag("p", HINTS[q.type], class_="course-hint")
        + _answer_area(course, q, prefix, href),
        class_="course-question", id=prefix, data_question=q.id, data_type=q.type, aria_describedby=f"{prefix}_prompt",
    )


def _self_check(course: Course, quiz: Quiz, href) -> tuple[dict, str]:
    """The self-study build's additions: the key, for the page to score with, and the Check my answers block."""
    key = course.keys[quiz.id]
    data = {
        "penalty": key.negative_marking,
        "items": [scored_item(course, q, key.items[q.id], n, href) for n, q in enumerate(quiz.questions, 1)],
    }
    block = tag(
        "div",
        tag("p", tag("button", "Check my answers", type="button", class_="md-button md-button--primary", data_action="check")
             + " " + tag("span", "Scored here, in your browser, by the grader's rules; nothing is sent anywhere.", class_="course-hint"),
             class_="course-buttons")
        + tag("div", "", class_="course-results", tabindex="-1", role="region", aria_label="Your result", data_results=True, hidden=True),
        class_="course-self-check", data_self_check=True, hidden=True,
    )
    return data, block


def quiz_html(course: Course, quiz: Quiz, href, *, checked: bool = False) -> str:
    """The quiz as a form with its hand-in panel; `checked` (the self-study build) adds its key and a Check my answers button."""
    data = {
        "quiz": quiz.id,
        "title": quiz.title,
        "version": quiz.version,
        "questions": [{"id": q.id, "type": q.type, "number": n, "points": q.points} for n, q in enumerate(quiz.questions, 1)],
        "learner": LEARNER,
    }
    check_block = ""
    if checked:
        data["check"], check_block = _self_check(course, quiz, href)
    intro = tag("div", markdown_html(quiz.intro), class_="course-intro") if quiz.intro else ""
    summary = tag("p", f"{len(quiz.questions)} question{'' if len(quiz.questions) == 1 else 's'}, {points(quiz.max_points)} in all. "
                   "Your answers are saved in this browser as you go.", class_="course-hint")
    nojs = tag("p", "Saving and downloading answers needs JavaScript. Without it, ask your instructor for a blank answer file.",
                class_="course-nojs", data_nojs=True)
    questions = "".join(question_html(course, f"q_{quiz.id}_{q.id}", n, q, href) for n, q in enumerate(quiz.questions, 1))
    return tag(
        "div",
        intro + summary + tag("form", questions, class_="course-form", novalidate=True)
        + nojs + check_block + handin(f"q_{quiz.id}", href, start_over=True, hidden=True),
        class_="course-quiz", data_course_quiz=quiz.id, data_course=page_data(data),
    )
