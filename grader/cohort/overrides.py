"""The overrides file (`--overrides FILE.yml`): loaded through the one loader, its structure checked by overrides.schema.json, its references by code."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from grader.cohort.roster import Roster
from grader.common.problems import Problem, UsageError
from grader.course import Course, Question
from grader.formats.loader import LoadError, load_file
from grader.formats.schemas import problems as schema_problems
from grader.formats.schemas import where

QUESTION_KINDS = ("accept", "full_credit", "drop")
LEARNER_KINDS = ("set", "adjust", "release")


@dataclass(frozen=True)
class QuestionFix:
    """A correction to one question, for every learner."""

    activity: str
    question: str
    kind: str
    """accept, full_credit or drop."""
    reason: str
    accept: tuple = ()
    """accept: the answers taken as right besides the key's."""
    line: int | None = None

    def as_json(self) -> dict:
        return {
            "activity": self.activity,
            "question": self.question,
            "kind": self.kind,
            **({"accept": list(self.accept)} if self.kind == "accept" else {}),
            "reason": self.reason,
        }


@dataclass(frozen=True)
class LearnerFix:
    """A correction to one learner's score on one activity."""

    learner: str
    activity: str
    kind: str
    """set, adjust or release."""
    reason: str
    value: float | None = None
    """set: the score; adjust: the points added (negative: taken off)."""
    line: int | None = None

    def as_json(self) -> dict:
        return {
            "learner": self.learner,
            "activity": self.activity,
            "kind": self.kind,
            **({"value": self.value} if self.value is not None else {}),
            "reason": self.reason,
        }


@dataclass(frozen=True)
class Overrides:
    """Every correction in one overrides file."""

    file: str
    questions: tuple[QuestionFix, ...] = ()
    learners: tuple[LearnerFix, ...] = ()

    def for_activity(self, activity: str) -> tuple[QuestionFix, ...]:
        return tuple(fix for fix in self.questions if fix.activity == activity)

    def for_learner(self, learner: str, activity: str) -> LearnerFix | None:
        return next((fix for fix in self.learners if fix.learner == learner and fix.activity == activity), None)

    def as_json(self) -> dict:
        return {
            "file": self.file,
            "questions": [fix.as_json() for fix in self.questions],
            "learners": [fix.as_json() for fix in self.learners],
        }


def _kind(entry: dict, kinds: tuple[str, ...]) -> str:
    return next(kind for kind in kinds if kind in entry)


def _answer_problem(question: Question, answer: Any) -> str | None:
    """Why `answer` cannot be an answer to `question`, written as an answer file writes it; None when it can."""
    kind = question.type
    ids = [o.id for o in question.options]
    if kind == "single":
        return None if isinstance(answer, str) and answer in ids else f"must be one of its option ids ({', '.join(ids)})"
    if kind == "multiple":
        picked = [answer] if isinstance(answer, str) else answer
        ok = isinstance(picked, list) and picked and all(isinstance(a, str) and a in ids for a in picked)
        return None if ok else f"must be a list of its option ids ({', '.join(ids)})"
    if kind == "true_false":
        return None if isinstance(answer, bool) else "must be true or false"
    if kind == "ordering":
        items = [i.id for i in question.items]
        ok = isinstance(answer, list) and sorted(map(str, answer)) == sorted(items)
        return None if ok else f"must list every item once, in an order ({', '.join(items)})"
    if kind == "matching":
        pairs, choices = {p.id for p in question.pairs}, {c.id for c in question.choices}
        ok = isinstance(answer, dict) and set(answer) <= pairs and all(v in choices for v in answer.values())
        return None if ok else "must map its pair ids to its choice ids"
    if kind == "short_text":
        return None if isinstance(answer, str) else "must be a text"
    return "cannot be accepted for a dialogue path; use full_credit, or set a learner's score"


def check(data: dict, file: str, line_of, course: Course, roster: Roster | None) -> tuple[Overrides, list[Problem]]:
    """The overrides in `data` (already schema-valid) and every reference they make that the course or roster does not have."""
    problems: list[Problem] = []

    def problem(message: str, *path) -> None:
        problems.append(Problem(file, message, line_of(path), where(path)))

    questions: list[QuestionFix] = []
    seen_q: dict[tuple[str, str], int] = {}
    for i, entry in enumerate(data.get("questions") or ()):
        at = ("questions", i)
        quiz = course.activity(entry["activity"])
        if quiz is None:
            problem(f"activity '{entry['activity']}' is not in this course", *at, "activity")
            continue
        by_id = {q.id: q for q in quiz.questions}
        if entry["question"] not in by_id:
            problem(f"'{entry['activity']}' has no question '{entry['question']}' (it has {', '.join(by_id)})", *at, "question")
            continue
        key = (entry["activity"], entry["question"])
        if key in seen_q:
            problem(f"a second correction for {key[1]} in {key[0]} (the first is questions[{seen_q[key]}]); keep one", *at)
            continue
        seen_q[key] = i
        kind = _kind(entry, QUESTION_KINDS)
        for j, answer in enumerate(entry.get("accept") or ()):
            why = _answer_problem(by_id[entry["question"]], answer)
            if why:
                problem(f"an accepted answer to {entry['question']} ({by_id[entry['question']].type}) {why}", *at, "accept", j)
        questions.append(
            QuestionFix(
                entry["activity"], entry["question"], kind, entry["reason"].strip(), tuple(entry.get("accept") or ()), line_of(at)
            )
        )
    dropped = {(fix.activity, fix.question) for fix in questions if fix.kind == "drop"}
    learners: list[LearnerFix] = []
    seen_l: dict[tuple[str, str], int] = {}
    for i, entry in enumerate(data.get("learners") or ()):
        at = ("learners", i)
        quiz = course.activity(entry["activity"])
        if quiz is None:
            problem(f"activity '{entry['activity']}' is not in this course", *at, "activity")
            continue
        if roster is not None and entry["learner"] not in roster:
            problem(f"learner '{entry['learner']}' is not on the roster {roster.file}", *at, "learner")
        key = (entry["learner"], entry["activity"])
        if key in seen_l:
            problem(f"a second correction for {key[0]} in {key[1]} (the first is learners[{seen_l[key]}]); keep one", *at)
            continue
        seen_l[key] = i
        kind = _kind(entry, LEARNER_KINDS)
        top = quiz.max_points - sum(q.points for q in quiz.questions if (quiz.id, q.id) in dropped)
        if kind == "set" and not 0 <= entry["set"] <= top:
            problem(f"set {entry['set']:g} is outside 0 to {top:g}, the points '{quiz.id}' is worth", *at, "set")
        value = None if kind == "release" else float(entry[kind])
        learners.append(LearnerFix(entry["learner"], entry["activity"], kind, entry["reason"].strip(), value, line_of(at)))
    return Overrides(file, tuple(questions), tuple(learners)), problems


def inspect_overrides(path: str | Path, course: Course, roster: Roster | None = None) -> tuple[Overrides | None, list[Problem]]:
    """Load and check an overrides file: every problem with its line; the Overrides only when there are none."""
    file = str(path)
    try:
        loaded = load_file(path, display=file)
    except LoadError as error:
        return None, [error.problem]
    if loaded.data is None:
        return None, [Problem(file, "the file is empty; it starts with `format: 1`")]
    found = schema_problems(loaded.data, file, "overrides", loaded.line_of)
    if found:
        return None, found
    overrides, found = check(loaded.data, file, loaded.line_of, course, roster)
    return (None if found else overrides), found


def load_overrides(path: str | Path, course: Course, roster: Roster | None = None) -> Overrides:
    """The overrides in `path`, or a UsageError listing every problem (one per line) and saying nothing was written."""
    overrides, found = inspect_overrides(path, course, roster)
    if found or overrides is None:
        lines = [str(p) for p in found[:50]]
        if len(found) > 1:
            lines.append(f"{len(found)} problem(s) in the overrides {path}; fix them and run again (nothing was written)")
        raise UsageError("\n".join(lines))
    return overrides
