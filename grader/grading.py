"""Grade a batch of answer files: collect, read, score, and pick one file per learner and quiz."""

from __future__ import annotations

import itertools
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Iterable

from grader import answers, file_names
from grader.course import Course
from grader.problems import Problem
from grader.scoring import QuizResult, score_quiz
from grader.workers import map_in_order

ANSWER_SUFFIXES = (".yml", ".yaml", ".json")
KEEP = ("latest", "best", "first")


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


@dataclass(frozen=True)
class Skipped:
    """A file or folder looked at and not graded, and why."""

    file: str
    """The path, shown readably."""
    reason: str


@dataclass(frozen=True)
class SetAside:
    """A graded file not counted because another from the same learner and quiz was kept."""

    graded: Graded
    kept: str
    """File that was kept instead."""
    rule: str


@dataclass
class Batch:
    """The outcome of grading many files."""

    graded: list[Graded] = field(default_factory=list)
    """One per learner and quiz, sorted by quiz then learner."""
    set_aside: list[SetAside] = field(default_factory=list)
    rejected: list[Rejection] = field(default_factory=list)
    skipped: list[Skipped] = field(default_factory=list)
    """Files and folders in the given folders that were not graded."""

    @property
    def files(self) -> int:
        """Answer files looked at."""
        return len(self.graded) + len(self.set_aside) + len(self.rejected)


class UsageError(Exception):
    """A path the user gave does not exist or cannot be listed."""


def collect(paths: Iterable[str | os.PathLike]) -> tuple[list[tuple[str, str]], list[Skipped]]:
    """Answer files under `paths` (folders searched recursively) with display names, and every entry not graded."""
    # Plain text, not Path objects, all the way: a class of 20,000 files stays small.
    found: list[str] = []
    skipped: list[Skipped] = []
    for given in paths:
        path = str(Path(given))  # normalised once ("./a//b/" is "a/b"); names below it are joined as text
        if os.path.isdir(path):
            _walk(path, found, skipped)
        elif os.path.lexists(path):
            found.append(path)  # named on its own: read whatever it is, and rejected with a reason if need be
        else:
            raise UsageError(f"{file_names.shown(os.fspath(given))}: no such file or folder")
    out, seen = [], set()
    for name in found:
        # The same file named twice (or through a link) is graded once; one stat is cheaper than resolve().
        try:
            info = os.stat(name)
        except OSError:  # a dangling link or a loop: reading it says why
            info = None
        if info is None or (info.st_dev, info.st_ino) not in seen:
            if info is not None:
                seen.add((info.st_dev, info.st_ino))
            out.append((name, file_names.shown(name)))
    return out, skipped


def _walk(top: str, found: list[str], skipped: list[Skipped]) -> None:
    """Answer files under the folder `top` into `found`; every other entry, with its reason, into `skipped`."""

    def unreadable(error: OSError) -> None:
        skipped.append(Skipped(file_names.shown(error.filename or top), f"folder cannot be read ({error.strerror})"))

    for folder, dirs, names in os.walk(top, onerror=unreadable):
        followed = []
        for name in sorted(dirs):
            child = os.path.join(folder, name)
            if name.startswith("."):
                skipped.append(Skipped(file_names.shown(child), "hidden folder"))
            elif os.path.islink(child):
                skipped.append(Skipped(file_names.shown(child), "link to a folder, not followed: name the folder itself to grade it"))
            else:
                followed.append(name)
        dirs[:] = followed
        for name in sorted(names):
            child = os.path.join(folder, name)
            suffix = os.path.splitext(name)[1].lower()
            if name.startswith("."):
                skipped.append(Skipped(file_names.shown(child), "hidden file"))
            elif suffix in ANSWER_SUFFIXES:
                found.append(child)
            else:
                skipped.append(Skipped(file_names.shown(child), f"not an answer file ({suffix or 'no extension'}); only .yml, .yaml and .json are graded"))


def grade_submission(sub: answers.Submission, course: Course) -> Graded:
    """Score one checked submission against its key."""
    quiz = course.activity(sub.quiz)
    result = score_quiz(quiz, course.key_for(sub.quiz), sub.answers, course.dialogues)
    known = {q.id for q in quiz.questions}
    unknown = sorted(str(q) for q in sub.answers if q not in known)
    if unknown:
        sub = answers.Submission(**{**sub.__dict__, "warnings": sub.warnings + (f"answers for unknown question(s) ignored: {', '.join(unknown[:10])}",)})
    return Graded(sub, result)


def versions(course: Course) -> dict:
    """Activity id -> current version, for every quiz and scenario."""
    found = {quiz_id: quiz.version for quiz_id, quiz in course.quizzes.items()}
    found.update({d.id: d.version for d in course.dialogues.values()})
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


def _grade(context: dict, item: tuple[str, str]) -> Graded | Rejection:
    """Grade one file; runs in a worker process."""
    return grade_file(item[0], item[1], context["course"], context["activities"], context["strict"])


def grade_files(
    files: list[tuple[Path, str]],
    course: Course,
    *,
    strict_version: bool = False,
    jobs: int = 1,
    progress: Callable[[int], None] | None = None,
) -> list[Graded | Rejection]:
    """Grade every file, in order, keeping every result in memory."""
    context = {"course": course, "activities": versions(course), "strict": strict_version}
    return list(map_in_order(_grade, context, files, jobs=jobs, progress=progress))


def order_key(graded: Graded) -> tuple:
    """When a file was handed in, for --keep: its `submitted` time, else its file time; then its name.

    A `submitted` time that is implausible (answers.COURSE_START, FUTURE_SLACK) was dropped with a
    warning when the file was read, so the file time decides for it.
    """
    sub = graded.submission
    return (sub.submitted.timestamp() if sub.submitted else sub.mtime, sub.file)


def choose(items: Iterable, keep: str, *, group: Callable, order: Callable, score: Callable) -> tuple[list, list]:
    """One item per group by the --keep rule, groups in order; and (set aside, kept instead) pairs."""
    # One sort and a walk over its runs: no dict of lists, so a class of 20,000 files adds little memory.
    kept, aside = [], []
    for _name, run in itertools.groupby(sorted(items, key=lambda item: (group(item), order(item))), key=group):
        ordered = list(run)
        if keep == "first":
            chosen = ordered[0]
        elif keep == "best":
            chosen = max(ordered, key=lambda m: (score(m), order(m)))
        else:
            chosen = ordered[-1]
        kept.append(chosen)
        aside += [(other, chosen) for other in ordered if other is not chosen]
    return kept, aside


def keep_one(outcomes: list[Graded | Rejection], keep: str = "latest") -> Batch:
    """Choose one graded file per learner and quiz by the --keep rule; list the rest as set aside."""
    batch = Batch()
    graded = [o for o in outcomes if isinstance(o, Graded)]
    batch.rejected = sorted((o for o in outcomes if isinstance(o, Rejection)), key=lambda r: r.file)
    kept, aside = choose(
        graded, keep,
        group=lambda g: (g.submission.quiz, g.submission.learner_id),
        order=order_key,
        score=lambda g: g.result.score,
    )
    batch.graded = kept
    batch.set_aside = [SetAside(other, chosen.submission.file, keep) for other, chosen in aside]
    return batch
