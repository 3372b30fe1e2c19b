"""Grade one answer file: read it, check it against the contract, score it; every problem becomes a Rejection, never an exception."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from grader.common.problems import Problem
from grader.course import Course
from grader.grading import answers
from grader.grading.scoring import QuizResult, score_quiz


@dataclass(frozen=True)
class Graded:
    """One answer file, graded."""

    submission: answers.Submission
    result: QuizResult

    @property
    def status(self) -> str:
        """`graded`, with any warnings after it."""
        return "; ".join(("graded",) + tuple(f"warning: {w}" for w in self.submission.warnings))


@dataclass(frozen=True)
class Rejection:
    """One answer file that could not be graded, and why."""

    file: str
    reason: str
    line: int | None = None


def grade_submission(sub: answers.Submission, course: Course) -> Graded:
    """Score one checked submission against its key."""
    quiz = course.activity(sub.quiz)
    result = score_quiz(quiz, course.key_for(sub.quiz), sub.answers, course.dialogues)
    known = {q.id for q in quiz.questions}
    unknown = sorted(str(q) for q in sub.answers if q not in known)
    if unknown:
        sub = answers.Submission(
            **{
                **sub.__dict__,
                "warnings": sub.warnings + (f"answers for unknown question(s) ignored: {', '.join(unknown[:10])}",),
            }
        )
    return Graded(sub, result)


def versions(course: Course) -> dict:
    """Activity id -> current version, for every quiz and practice scenario (an exam scenario is handed in with its quiz)."""
    found = {quiz_id: quiz.version for quiz_id, quiz in course.quizzes.items()}
    found.update({d.id: d.version for d in course.dialogues.values() if not d.exam})
    return found


def grade_file(path: Path, display: str, course: Course, activities: dict, strict_version: bool) -> Graded | Rejection:
    """Read and grade one file; every problem becomes a Rejection, never an exception."""
    try:
        sub = answers.read(path, activities, display=display)
    except answers.Rejected as error:
        return Rejection(error.problem.file, _reason(error.problem), error.problem.line)
    if strict_version and sub.version != activities[sub.quiz]:
        shown = sub.version or "none"
        return Rejection(display, f"answered version {shown}, the quiz is now {activities[sub.quiz]} (--strict-version)")
    if course.key_for(sub.quiz) is None:
        return Rejection(display, f"no answer key for quiz '{sub.quiz}'; pass --keys DIR with its key")
    return grade_submission(sub, course)


def _reason(problem: Problem) -> str:
    where = f" ({problem.where})" if problem.where else ""
    line = f"line {problem.line}{where}: " if problem.line else (f"{problem.where}: " if problem.where else "")
    return line + problem.message
