"""The learners a run knows besides its hand-ins: roster learners with nothing handed in for an activity, and overrides that found nothing to correct."""

from __future__ import annotations

from dataclasses import dataclass

from grader.cohort.regrade import Applied, correct_total, dropped_points
from grader.cohort.rules import ClassRules
from grader.course import Course


@dataclass(frozen=True)
class Missing:
    """A learner with nothing counted for an activity of this run."""

    learner: str
    quiz: str
    name: str = ""
    section: str = ""
    top: float = 0.0
    """What the activity is worth."""
    score: float | None = None
    """None, unless an override sets one (work handed in another way)."""
    override: Applied | None = None

    @property
    def status(self) -> str:
        return "missing" + (f"; override: {self.override.words()}: {self.override.reason}" if self.override else "")

    def as_json(self) -> dict:
        return {
            "learner": self.learner,
            "quiz": self.quiz,
            "name": self.name,
            "score": self.score,
            "overrides": [self.override.as_json()] if self.override else [],
        }


def missing(rules: ClassRules, course: Course, counted: set[tuple[str, str]], activities: set[str]) -> list[Missing]:
    """Every roster learner without a counted hand-in for an activity someone handed in this run, and every learner an override sets a score for without one.

    `counted` holds (activity, learner) for every counted hand-in. Sorted by activity, then learner.
    """
    roster, overrides = rules.roster, rules.overrides
    wanted = {(quiz, lr) for quiz in activities for lr in (roster.learners if roster else ())}
    wanted |= {(fix.activity, fix.learner) for fix in (overrides.learners if overrides else ()) if fix.kind == "set"}
    out = []
    for quiz, learner in sorted(wanted - counted):
        activity = course.activity(quiz)
        fixes = overrides.for_activity(quiz) if overrides else ()
        top = round(activity.max_points - dropped_points(activity, fixes), 4) if activity else 0.0
        fix = overrides.for_learner(learner, quiz) if overrides else None
        score, applied, _ = correct_total(0.0, top, fix, held=False) if fix and fix.kind == "set" else (None, None, "")
        on = roster.get(learner) if roster else None
        out.append(Missing(learner, quiz, on.name if on else "", on.section if on else "", top, score, applied))
    return out


def not_applied(rules: ClassRules, counted: set[tuple[str, str]], activities: set[str]) -> list[str]:
    """Overrides that found nothing to correct in this run, each in words."""
    if rules.overrides is None:
        return []
    out = [
        f"{fix.activity} {fix.question} ({fix.kind}): nothing of {fix.activity} was handed in this run"
        for fix in rules.overrides.questions
        if fix.activity not in activities
    ]
    out += [
        f"{fix.learner} {fix.activity} ({fix.kind}): {fix.learner} handed nothing in for {fix.activity}"
        for fix in rules.overrides.learners
        if fix.kind != "set" and (fix.activity, fix.learner) not in counted
    ]
    return out
