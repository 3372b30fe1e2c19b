"""Each question type's answer for the feedback page: what the learner gave, beside what was right when that is shown."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from grader.course import Course, ItemKey, Question
from grader.grading.feedback_dialogue import conversation
from grader.grading.feedback_model import Answer, Author, ChoiceRow, Choices, Line, Options, Order, PairRow, Pairs, Typed
from grader.grading.scoring import ItemResult


def _text(choices, choice_id: Any) -> Line:
    """A choice as its text in the course, or the unknown id the learner wrote, as plain text."""
    for choice in choices:
        if choice.id == str(choice_id):
            return (Author(choice.text),)
    return (str(choice_id),)


def _option(choice) -> Line:
    return (f"{choice.id}: ", Author(choice.text))


def _ids(answer: Any) -> set[str]:
    """The option ids in an answer, however it was written (a list, or one id alone); booleans are no id."""
    values = answer if isinstance(answer, list) else [answer]
    return {str(v) for v in values if isinstance(v, (str, int)) and not isinstance(v, bool)}


def _choice_rows(options: Sequence[tuple[Line, str, bool, bool]], feedback: dict, shown: bool) -> Choices:
    """Rows from (option, key id, chosen, right); feedback only where it applies: chosen, or right and missed."""
    rows = []
    for line, key_id, chosen, right in options:
        applies = shown and (chosen or right)
        rows.append(ChoiceRow(line, chosen, right if shown else None, str(feedback.get(key_id, "")) if applies else ""))
    return Choices(tuple(rows))


def choices(question: Question, key: ItemKey, item: ItemResult, shown: bool) -> Choices:
    """Single, multiple and true/false questions: every option, chosen or not, right or wrong."""
    answer = item.answer
    if question.type == "true_false":
        picked = answer if isinstance(answer, bool) else None
        both = [
            (("True",), "true", picked is True, key.correct is True),
            (("False",), "false", picked is False, key.correct is False),
        ]
        return _choice_rows(both, key.feedback, shown)
    chosen = _ids(answer) if item.answered else set()
    right = {str(key.correct)} if question.type == "single" else {str(c) for c in key.correct or ()}
    rows = [(_option(o), o.id, o.id in chosen, o.id in right) for o in question.options]
    return _choice_rows(rows, key.feedback, shown)


def pairs(question: Question, key: ItemKey, item: ItemResult, shown: bool) -> Pairs:
    """Matching questions, pair by pair: the learner's choice, the right one, right or wrong."""
    given = item.answer if isinstance(item.answer, dict) else {}
    correct = key.correct or {}
    rows = []
    for pair in question.pairs:
        choice = given.get(pair.id)
        rows.append(
            PairRow(
                (Author(pair.text),),
                () if choice is None else _text(question.choices, choice),
                _text(question.choices, correct.get(pair.id, "")) if shown else None,
                choice is not None and str(choice) == str(correct.get(pair.id)),
            )
        )
    return Pairs(tuple(rows))


def order(question: Question, key: ItemKey, item: ItemResult, shown: bool) -> Order:
    """Ordering questions: the learner's order (when it could be read) beside the right one."""
    answer = item.answer if isinstance(item.answer, list) and not item.note else []
    right = tuple(_text(question.items, i) for i in key.correct or ()) if shown else None
    return Order(tuple(_text(question.items, i) for i in answer), right)


def typed(key: ItemKey, item: ItemResult, shown: bool) -> Typed:
    """Short-text questions: what the learner wrote and what the key accepts."""
    given = (str(item.answer),) if item.answered and not item.note else ()
    accepted = tuple((str(a),) for a in key.accept) if shown else None
    return Typed(given, accepted, bool(key.pattern) and shown)


def answer_for(
    question: Question, key: ItemKey, item: ItemResult, course: Course, options: Options, shown: bool
) -> tuple[Answer, tuple[str, ...]]:
    """The question's answer block, and the key's feedback on the answer as a whole (author Markdown)."""
    if question.type in ("single", "multiple", "true_false"):
        return choices(question, key, item, shown), ()
    if question.type == "dialogue":
        whole = key.feedback.get("correct" if item.correct else "incorrect", "") if item.answered and not item.note else ""
        return conversation(question, item, course, options, shown), (whole,) if whole else ()
    if question.type == "matching":
        block: Answer = pairs(question, key, item, shown)
    elif question.type == "ordering":
        block = order(question, key, item, shown)
    else:
        # A right short answer is confirmed; the key's other accepted answers are shown only where --reveal asks for them.
        block = typed(key, item, shown and (options.reveal == "all" or not item.correct))
    return block, tuple(str(text) for text in item.feedback)
