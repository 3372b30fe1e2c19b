"""What a learner reads about one hand-in: each answer beside what was right, and why, as one FeedbackPage for both pages.

The page's parts are in grading/feedback_model.py; each question type's answer in feedback_answers.py and
feedback_dialogue.py; grading/feedback_markdown.py and grading/feedback_html.py write it.
"""

from __future__ import annotations

import json
from pathlib import PurePosixPath, PureWindowsPath

from grader.common.text import number
from grader.course import Course, ItemKey, Quiz
from grader.grading.feedback_answers import answer_for
from grader.grading.feedback_model import Code, Fact, FeedbackPage, Options, QuestionFeedback, revisit_for
from grader.grading.one_file import Graded
from grader.grading.scoring import ItemResult


def shows_key(item: ItemResult, options: Options) -> bool:
    """Whether this question's right answer and the key's feedback are shown: by --reveal, and for full marks always (the
    learner's own answer is the right one then, so confirming it gives nothing away)."""
    return item.correct or options.reveal != "none"


def verdict(item: ItemResult) -> str:
    """The question's result in a word or two."""
    if not item.answered:
        return "not answered"
    if item.note:
        return "not scored"
    if item.correct:
        return "right"
    return "partly right" if item.score > 0 else "wrong"


def file_name(shown: str) -> str:
    """The hand-in's own file name, without the folders it sat in on the instructor's machine."""
    return PureWindowsPath(PurePosixPath(shown).name).name or shown


TIME_WORDS = {"lms": "the LMS's time", "file": "the file's time", "submitted": "the time in your file"}


def class_facts(graded: Graded) -> list[Fact]:
    """What a deadline, an identity check or an instructor's override did to this score, each with its reason."""
    facts = []
    if graded.late:
        late, time = graded.late, graded.time
        extended = " (your extension)" if late.extension else ""
        when = (
            f" (handed in {time.at.strftime('%Y-%m-%d %H:%M UTC')}, by {TIME_WORDS[time.used]})"
            if time and time.at and time.used
            else ""
        )
        facts.append(
            Fact(
                "Late",
                (
                    f"{late.days} day(s) after the deadline{extended}, {late.deadline.strftime('%Y-%m-%d %H:%M UTC')}{when}: "
                    f"{number(late.percent)}% of the points taken off ({number(late.penalty)} points)",
                ),
            )
        )
    if graded.held:
        facts.append(
            Fact(
                "Held",
                (
                    "this file was handed in from another learner's LMS account, so it counts 0 points until your instructor has checked it",
                ),
            )
        )
    facts += [
        Fact("Corrected by your instructor", (f"{applied.words()}. Why: {applied.reason}",)) for applied in graded.overrides
    ]
    return facts


def head_facts(graded: Graded, items: list[ItemResult]) -> list[Fact]:
    """The lines at the top: who, the score, how the questions went, the file and when it was handed in, and any note."""
    sub, result = graded.submission, graded.result
    who = f"{sub.learner_name} ({sub.learner_id})" if sub.learner_name else sub.learner_id
    counts: dict[str, int] = {}
    for item in items:
        counts[verdict(item)] = counts.get(verdict(item), 0) + 1
    words = ", ".join(
        f"{n} {word}" for word in ("right", "partly right", "wrong", "not scored", "not answered") if (n := counts.get(word))
    )
    facts = [
        Fact("Learner", (who,)),
        Fact("Score", (f"{number(result.score)} of {number(result.max)} points ({number(result.percent)}%)",)),
        Fact("Questions", (f"{words} (of {len(items)})",)),
        Fact("File", (file_name(sub.file),)),
    ]
    if sub.submitted:
        facts.append(Fact("Handed in", (sub.submitted.strftime("%Y-%m-%d %H:%M UTC"),)))
    facts += [Fact("Note", (warning,)) for warning in sub.warnings]
    return facts + class_facts(graded)


def feedback_page(graded: Graded, quiz: Quiz, course: Course, options: Options | None = None) -> FeedbackPage:
    """Everything one learner reads about one hand-in."""
    options = options or Options()
    key = course.key_for(quiz.id)
    items = list(graded.result.items)
    page = FeedbackPage(quiz.title, head_facts(graded, items), options.reveal)
    by_id = {q.id: q for q in quiz.questions}
    seen: set[str] = set()
    for position, item in enumerate(items, 1):
        question = by_id[item.question]
        item_key = key.items.get(question.id, ItemKey()) if key else ItemKey()
        shown = shows_key(item, options)
        answer, whole = answer_for(question, item_key, item, course, options, shown)
        revisit = None if item.correct else revisit_for(course, item.lesson, options)
        page.questions.append(
            QuestionFeedback(
                number=position,
                score=item.score,
                max=item.max,
                verdict=verdict(item),
                prompt=question.prompt,
                answer=answer,
                written=(Code(_as_written(item.answer)),) if item.note and item.answered and item.type != "dialogue" else (),
                note=item.note if item.note and item.answered else "",
                feedback=whole if shown else (),
                revisit=revisit,
            )
        )
        if revisit is not None and revisit.where not in seen:
            seen.add(revisit.where)
            page.revisit.append(revisit)
    return page


def _as_written(answer: object) -> str:
    return json.dumps(answer, ensure_ascii=False)[:200]
