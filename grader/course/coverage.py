"""Coverage: for every model step, the lesson that teaches it, the practice questions on it, and the questions and replies that assess it."""

from __future__ import annotations

from dataclasses import dataclass

from grader.course.model import Course


@dataclass(frozen=True)
class CoverageRow:
    """Where one model step is taught and assessed."""

    step: str
    lessons: tuple[str, ...]
    questions: tuple[str, ...]
    """`quiz:question` ids."""
    replies: tuple[str, ...]
    """`scenario:reply` ids."""
    practice: tuple[str, ...] = ()
    """`lesson#section:question` ids of the practice questions on it."""


def coverage(course: Course) -> list[CoverageRow]:
    """For every model step: the lessons, practice questions, quiz questions and dialogue replies that teach and assess it."""
    rows = []
    for step_id, step in course.steps.items():
        questions = tuple(f"{quiz.id}:{q.id}" for quiz in course.quizzes.values() for q in quiz.questions if step_id in q.steps)
        replies = tuple(
            f"{d.id}:{r.id}"
            for d in course.dialogues.values()
            for node in d.nodes.values()
            for r in node.replies
            if step_id in r.steps
        )
        practice = tuple(f"{p.id}:{q.id}" for p in course.practice.values() for q in p.questions if step_id in q.steps)
        rows.append(CoverageRow(step_id, (step.lesson,), questions, replies, practice))
    return rows
