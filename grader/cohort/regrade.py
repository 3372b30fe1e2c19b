"""Overrides applied to one graded result, as pure functions: question corrections on its items, then a learner's own correction on its total."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from typing import Any

from grader.cohort.overrides import LearnerFix, QuestionFix
from grader.course import Question, Quiz
from grader.grading.scoring import ItemResult, QuizResult, normalise_text


@dataclass(frozen=True)
class Applied:
    """One override as it changed one learner's result."""

    kind: str
    """accept, full_credit, drop, set, adjust or release."""
    reason: str
    before: float
    """The score before it."""
    after: float
    question: str | None = None

    def as_json(self) -> dict:
        return {"kind": self.kind, "question": self.question, "reason": self.reason, "before": self.before, "after": self.after}

    def words(self) -> str:
        """What the override did, in a few words."""
        what = {
            "accept": "another answer accepted",
            "full_credit": "full credit for everyone",
            "drop": "left out of the total for everyone",
            "set": "score set",
            "adjust": "score adjusted",
            "release": "held score released",
        }[self.kind]
        on = f"{self.question}: " if self.question else ""
        if self.kind == "drop":
            return f"{on}{what}"
        return f"{on}{what} ({self.before:g} -> {self.after:g} points)"


def same_answer(question: Question, given: Any, accepted: Any) -> bool:
    """Whether a learner's answer is an accepted one, compared as the scorer compares answers of that type."""
    if given is None:
        return False
    kind = question.type
    if kind == "short_text":
        return (
            isinstance(given, (str, int, float))
            and not isinstance(given, bool)
            and normalise_text(str(given)) == normalise_text(accepted)
        )
    if kind == "true_false":
        return given is accepted
    if kind == "multiple":
        picked = [given] if isinstance(given, (str, int)) else given
        wanted = [accepted] if isinstance(accepted, str) else accepted
        return isinstance(picked, list) and {str(p) for p in picked} == set(wanted) and len(picked) == len(set(map(str, picked)))
    if kind == "ordering":
        return isinstance(given, list) and [str(g) for g in given] == list(accepted)
    if kind == "matching":
        return isinstance(given, dict) and {str(k): str(v) for k, v in given.items()} == dict(accepted)
    return isinstance(given, (str, int)) and not isinstance(given, bool) and str(given) == accepted


def dropped_points(quiz: Quiz, fixes: tuple[QuestionFix, ...]) -> float:
    """The points a quiz no longer counts, its dropped questions'."""
    gone = {fix.question for fix in fixes if fix.kind == "drop"}
    return sum(q.points for q in quiz.questions if q.id in gone)


def regrade_items(result: QuizResult, quiz: Quiz, fixes: tuple[QuestionFix, ...]) -> tuple[QuizResult, tuple[Applied, ...]]:
    """The result with the question corrections of its quiz applied, and those that changed it (every drop; the others where the score moved)."""
    if not fixes:
        return result, ()
    by_fix = {fix.question: fix for fix in fixes}
    questions = {q.id: q for q in quiz.questions}
    items: list[ItemResult] = []
    changed: list[tuple[QuestionFix, float, float]] = []
    for item in result.items:
        fix = by_fix.get(item.question)
        new = item
        if fix and fix.kind == "accept" and not item.correct:
            if any(same_answer(questions[item.question], item.answer, a) for a in fix.accept):
                new = dataclasses.replace(item, score=item.max, correct=True)
        elif fix and fix.kind == "full_credit":
            new = dataclasses.replace(item, score=item.max, correct=True)
        elif fix and fix.kind == "drop":
            new = dataclasses.replace(item, score=0.0, max=0.0)
        # A dropped question changes everyone's total; the others are listed only where they changed the score.
        if fix and (new.score != item.score or fix.kind == "drop"):
            changed.append((fix, item.score, new.score))
        items.append(new)
    total = max(0.0, round(sum(i.score for i in items), 4))
    top = round(quiz.max_points - dropped_points(quiz, fixes), 4)
    applied, running = [], result.score
    for fix, before, after in changed:
        step = round(running + after - before, 4)
        applied.append(Applied(fix.kind, fix.reason, max(0.0, running), max(0.0, step), fix.question))
        running = step
    return QuizResult(tuple(items), total, top), tuple(applied)


def correct_total(score: float, top: float, fix: LearnerFix | None, *, held: bool) -> tuple[float, Applied | None, str]:
    """A learner's own correction to their total, and whether a held score stays held.

    Returns the score that counts, the correction as applied (or None), and why it was not applied ("" when it was, or there is none).
    A hand-in held for an identity mismatch counts 0 unless the correction releases it or sets the score.
    """
    counted = 0.0 if held else score
    if fix is None:
        return counted, None, ""
    if fix.kind == "release":
        if not held:
            return counted, None, "release: nothing is held for an identity mismatch"
        return score, Applied("release", fix.reason, 0.0, score), ""
    if fix.kind == "adjust" and held:
        return counted, None, "adjust: the hand-in is held for an identity mismatch; release it or set the score instead"
    value = fix.value or 0.0
    after = value if fix.kind == "set" else counted + value
    after = round(min(max(after, 0.0), top), 4)
    return after, Applied(fix.kind, fix.reason, counted, after), ""
