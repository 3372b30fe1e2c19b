"""What the page's scoring (docs/javascripts/scoring.js) gets of a question and its key, for publishing.

Practice keys, and in the self-study build the graded quizzes'; the default build never calls this for a graded quiz.
"""

from __future__ import annotations

from collections.abc import Callable

from grader.course import Course, ItemKey, Question
from grader.site.html import inline_html, tag


def question_data(q: Question) -> dict:
    """The question as scoring needs it: its type, points and ids, never its text."""
    return {
        "id": q.id,
        "type": q.type,
        "points": q.points,
        "options": [c.id for c in q.options],
        "items": [c.id for c in q.items],
        "pairs": [c.id for c in q.pairs],
        "choices": [c.id for c in q.choices],
    }


def key_data(key: ItemKey, text: Callable[[str], str] = inline_html) -> dict:
    """An ItemKey as scoring.js reads it; `text` renders each feedback (author Markdown, as inline HTML by default)."""
    return {
        "correct": key.correct,
        "policy": key.policy,
        "weights": dict(key.weights),
        "feedback": {name: text(value) for name, value in key.feedback.items()},
        "accept": list(key.accept),
        "pattern": key.pattern,
    }


def answer_html(q: Question, key: ItemKey) -> str:
    """The right answer in words, as inline HTML, for after the learner has tried or asked ("" when only a pattern says it)."""
    texts = {c.id: inline_html(c.text) for c in (*q.options, *q.items, *q.choices)}
    if q.type == "single":
        return texts[key.correct]
    if q.type == "multiple":
        return tag("ul", "".join(tag("li", texts[o.id]) for o in q.options if o.id in key.correct))
    if q.type == "true_false":
        return "True" if key.correct else "False"
    if q.type == "ordering":
        return tag("ol", "".join(tag("li", texts[item]) for item in key.correct))
    if q.type == "matching":
        return tag("ul", "".join(tag("li", f"{inline_html(p.text)}: {texts[key.correct[p.id]]}") for p in q.pairs))
    if q.type == "short_text" and key.accept:
        return inline_html(key.accept[0])
    return ""


def scored_item(course: Course, q: Question, key: ItemKey, number: int, href) -> dict:
    """Everything the page needs to score one question and say why: the ids, the key, the answer, the section to revisit."""
    target = href(q.lesson) if q.lesson else None
    return {
        **question_data(q),
        "number": number,
        "key": key_data(key),
        "answer": answer_html(q, key),
        "lesson": {"href": target, "name": course.lesson_section(q.lesson).words()} if target else None,
    }
