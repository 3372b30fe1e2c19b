"""The results.json format: one result per counted hand-in, the quizzes' questions, and what was set aside, rejected or skipped."""

from __future__ import annotations

from datetime import UTC, datetime

from grader.cohort.overrides import Overrides
from grader.cohort.regrade import dropped_points
from grader.course import Course
from grader.grading.one_file import Graded
from grader.grading.scoring import ItemResult


def item_json(item: ItemResult) -> dict:
    return {
        "question": item.question,
        "type": item.type,
        "score": item.score,
        "max": item.max,
        "answer": item.answer,
        "answered": item.answered,
        "correct": item.correct,
        "feedback": list(item.feedback),
        "note": item.note,
        "lesson": item.lesson,
        "steps": list(item.steps),
        **({"evidence": item.evidence} if item.evidence else {}),
    }


def result_json(graded: Graded) -> dict:
    sub, result = graded.submission, graded.result
    return {
        "learner": {"id": sub.learner_id, "name": sub.learner_name},
        "quiz": sub.quiz,
        "file": sub.file,
        "version": sub.version,
        "submitted": sub.submitted.isoformat().replace("+00:00", "Z") if sub.submitted else None,
        "score": result.score,
        "max": result.max,
        "percent": result.percent,
        "status": graded.status,
        "warnings": list(sub.warnings),
        "earned": result.score if graded.earned is None else graded.earned,
        "time": graded.time.as_json() if graded.time else None,
        "late": graded.late.as_json() if graded.late else None,
        "identity": graded.identity.as_json() if graded.identity else None,
        "overrides": [a.as_json() for a in graded.overrides],
        "flags": list(graded.flags),
        "digest": sub.digest,
        "items": [item_json(i) for i in result.items],
    }


def quizzes_json(course: Course, ids, overrides: Overrides | None = None) -> dict:
    """The quizzes section of results.json: each quiz's questions, for statistics; a question an override drops is worth nothing."""
    quizzes = {}
    for quiz_id in sorted(ids):
        quiz = course.known_activity(quiz_id)
        fixes = overrides.for_activity(quiz_id) if overrides else ()
        gone = {fix.question for fix in fixes if fix.kind == "drop"}
        quizzes[quiz_id] = {
            "title": quiz.title,
            "kind": quiz.kind,
            "version": quiz.version,
            "max": round(quiz.max_points - dropped_points(quiz, fixes), 4),
            "questions": [
                {
                    "id": q.id,
                    "type": q.type,
                    "points": 0.0 if q.id in gone else q.points,
                    "steps": list(q.steps),
                    "scenario": q.scenario,
                    "options": [o.id for o in q.options],
                    **({"dropped": True} if q.id in gone else {}),
                }
                for q in quiz.questions
            ],
        }
    return quizzes


def set_aside_json(file: str, learner: str, quiz: str, kept: str, rule: str, score: float, flags: tuple[str, ...] = ()) -> dict:
    """One set-aside file in results.json."""
    return {"file": file, "learner": learner, "quiz": quiz, "kept": kept, "rule": rule, "score": score, "flags": list(flags)}


def rejected_json(rejection) -> dict:
    """One rejected file in results.json."""
    return {"file": rejection.file, "line": rejection.line, "reason": rejection.reason}


def skipped_json(skipped) -> dict:
    """One file or folder looked at and not graded, in results.json."""
    return {"file": skipped.file, "reason": skipped.reason}


def generated_now(moment: datetime | None = None) -> str:
    """The time stamp results.json carries."""
    return (moment or datetime.now(UTC)).replace(microsecond=0).isoformat().replace("+00:00", "Z")


def counts(learners: list[str], warned: int, *, set_aside: int, rejected: int, skipped: int, **flagged: int | None) -> dict:
    """Counts an instructor wants at a glance, from the learner id of each counted result; `flagged` adds the class's (missing, late, ...)."""
    return {
        "files": len(learners) + set_aside + rejected,
        "graded": len(learners),
        "set_aside": set_aside,
        "rejected": rejected,
        "skipped": skipped,
        "warnings": warned,
        "learners": len(set(learners)),
        **flagged,
    }
