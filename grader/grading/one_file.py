"""Grade one answer file: read it, check it against the contract, score it, then apply the class's rules; every problem becomes a Rejection, never an exception."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

from grader.cohort.deadlines import Late, Policy, TimeUsed, lateness, shown_time, trusted_time
from grader.cohort.identity import Identity, check_identity
from grader.cohort.regrade import Applied, correct_total, regrade_items
from grader.cohort.rules import NO_RULES, ClassRules
from grader.common.problems import Problem
from grader.course import Course
from grader.grading import answers
from grader.grading.collect import Handin
from grader.grading.scoring import QuizResult, score_quiz


@dataclass(frozen=True)
class Graded:
    """One answer file, graded, with what the class's rules made of it."""

    submission: answers.Submission
    result: QuizResult
    """Its items, and the score that counts (after any late penalty, hold and override)."""
    time: TimeUsed | None = None
    late: Late | None = None
    identity: Identity | None = None
    overrides: tuple[Applied, ...] = ()
    earned: float | None = None
    """What its answers earned, before any late penalty, hold or learner override (None: the same as the score)."""
    flags: tuple[str, ...] = ()
    """`late`, `time doubted`, `not on roster`, `identity mismatch`, `identity unchecked`, `override`."""
    notes: tuple[str, ...] = ()
    """Each flag in words, for the status column and the summary."""
    seq: int = 0
    """The LMS's upload number, where it has one: --keep orders same-time hand-ins by it."""

    @property
    def held(self) -> bool:
        """Counted as 0 for an identity mismatch, until an override releases it."""
        return (
            self.identity is not None
            and self.identity.matches is False
            and not any(a.kind in ("release", "set") for a in self.overrides)
        )

    @property
    def status(self) -> str:
        """`graded`, then what the rules noticed, then any warnings."""
        return "; ".join(("graded", *self.notes) + tuple(f"warning: {w}" for w in self.submission.warnings))


@dataclass(frozen=True)
class Rejection:
    """One answer file that could not be graded, and why."""

    file: str
    reason: str
    line: int | None = None


def grade_submission(sub: answers.Submission, course: Course) -> Graded:
    """Score one checked submission against its key (`grade_file` rejects a file whose quiz has none)."""
    quiz, key = course.known_activity(sub.quiz), course.key_for(sub.quiz)
    if key is None:
        raise KeyError(f"no answer key for '{sub.quiz}': grade the file with grade_file, which rejects it")
    result = score_quiz(quiz, key, sub.answers, course.dialogues)
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


def grade_file(
    item: Handin, course: Course, activities: dict, strict_version: bool, rules: ClassRules = NO_RULES
) -> Graded | Rejection:
    """Read and grade one file and apply the class's rules; every problem becomes a Rejection, never an exception."""
    if item.refused:
        return Rejection(item.display, item.refused)
    try:
        sub = answers.read(item.path, activities, display=item.display)
    except answers.Rejected as error:
        return Rejection(error.problem.file, _reason(error.problem), error.problem.line)
    if strict_version and sub.version != activities[sub.quiz]:
        shown = sub.version or "none"
        return Rejection(item.display, f"answered version {shown}, the quiz is now {activities[sub.quiz]} (--strict-version)")
    if course.key_for(sub.quiz) is None:
        return Rejection(item.display, f"no answer key for quiz '{sub.quiz}'; pass --keys DIR with its key")
    return judge(grade_submission(sub, course), item, course, rules)


def judge(graded: Graded, item: Handin, course: Course, rules: ClassRules) -> Graded | Rejection:
    """Apply the class's rules to one graded file, in order: question overrides, the trusted time and the deadline, the identity check, the learner's own override."""
    sub, quiz = graded.submission, course.activity(graded.submission.quiz)
    assert quiz is not None, "the answer file named an activity of this course"
    fixes = rules.overrides.for_activity(sub.quiz) if rules.overrides else ()
    result, applied = regrade_items(graded.result, quiz, fixes)
    # To the second, as zips keep times (or two seconds, which unzip keeps too): a zip and its files unzipped order alike.
    stamp = datetime.fromtimestamp(int(sub.mtime), UTC) if sub.mtime >= 1 else None
    time = trusted_time(stamp if item.time_from == "lms" else None, stamp if item.time_from == "file" else None, sub.submitted)
    deadlines = rules.deadlines
    deadline = deadlines.deadline_for(sub.learner_id, sub.quiz) if deadlines else None
    policy = deadlines.policy if deadlines else Policy()
    lms_late = item.lms.late if item.lms else None
    late = lateness(time, deadline, policy, lms_late=lms_late, max_points=result.max, score=result.score)
    flags: list[str] = []
    notes: list[str] = []
    if late is not None:
        when = f"{shown_time(late.deadline)}{', extended' if late.extension else ''}"
        if policy.reject:
            return Rejection(
                item.display,
                f"handed in {late.days} day(s) after the deadline ({when}, by the {time.used or 'LMS'} time); --late reject",
            )
        flags.append("late")
        notes.append(f"late: {late.words()}, deadline {when}")
    if late is not None and late.lms_marked:
        flags.append("time doubted")
        at = f"{time.used} time {shown_time(time.at)}" if time.at else "no time of its own"
        notes.append(
            f"time doubted: {item.lms.lms if item.lms else 'the LMS'} marks it late, but its {at} is before the deadline"
        )
    elif time.doubt:
        flags.append("time doubted")
        notes.append(f"time doubted: {time.doubt}")
    identity = check_identity(item.lms, sub.learner_id, rules.roster)
    if rules.roster is not None and sub.learner_id not in rules.roster:
        flags.append("not on roster")
        notes.append(f"not on roster: {sub.learner_id} is not on {rules.roster.file}")
    held = identity is not None and identity.matches is False
    if held:
        flags.append("identity mismatch")
    elif identity is not None and identity.matches is None and rules.roster is not None:
        flags.append("identity unchecked")
        notes.append(f"identity unchecked: {identity.note}")
    earned = result.score
    score = round(earned - (late.penalty if late else 0.0), 4)
    fix = rules.overrides.for_learner(sub.learner_id, sub.quiz) if rules.overrides else None
    counted, own, unapplied = correct_total(score, result.max, fix, held=held)
    if held:
        released = own is not None and own.kind in ("release", "set")
        notes.append(
            f"identity mismatch: {identity.note if identity else ''}; "
            + ("released by an override" if released else "held at 0 until an override releases it")
        )
    applied += (own,) if own else ()
    if applied:
        flags.append("override")
        notes += [f"override: {a.words()}: {a.reason}" for a in applied]
    if unapplied:
        notes.append(f"override not applied: {unapplied}")
    return Graded(
        sub,
        QuizResult(result.items, counted, result.max),
        time,
        late,
        identity,
        applied,
        earned if counted != earned else None,
        tuple(dict.fromkeys(flags)),
        tuple(notes),
        item.lms.seq if item.lms and item.lms.seq else 0,
    )


def _reason(problem: Problem) -> str:
    where = f" ({problem.where})" if problem.where else ""
    line = f"line {problem.line}{where}: " if problem.line else (f"{problem.where}: " if problem.where else "")
    return line + problem.message
