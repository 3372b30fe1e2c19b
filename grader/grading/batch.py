"""The one grading path for every command: grade a batch with flat memory, each result's text waiting in a spool until --keep has chosen.

Workers read, score and render each file (its results.json line and its feedback, Markdown and HTML), applying
the class's rules (roster, deadlines, overrides); the main process keeps only a small Entry per file,
so memory does not grow with the class.
"""

from __future__ import annotations

import heapq
import json
import tempfile
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from typing import BinaryIO

from grader.cohort import changes
from grader.cohort.rules import NO_RULES, ClassRules
from grader.course import Course
from grader.grading.class_rows import Missing, missing, not_applied
from grader.grading.collect import Handin, Skipped, handin
from grader.grading.feedback_model import Options
from grader.grading.keep import choose, order_key
from grader.grading.one_file import Graded, Rejection, grade_file, versions
from grader.grading.output_folder import OutputFolder, output_folder
from grader.grading.outputs import OUTPUTS, Rendered, missing_row, render_result, write_all
from grader.grading.results_json import counts, generated_now, quizzes_json, rejected_json, set_aside_json, skipped_json
from grader.grading.workers import map_in_order


@dataclass(slots=True)
class Entry:
    """What stays in memory about one graded file; its rendered text is in the spool."""

    file: str
    quiz: str
    learner_id: str
    order: tuple
    """When it was handed in (its trusted time), for --keep."""
    score: float
    warnings: tuple[str, ...]
    at: int = 0
    """Where its text starts in the spool."""
    sizes: tuple[int, ...] = (0, 0, 0, 0)
    """Bytes of its gradebook line (JSON), its results.json line, its feedback and its feedback page."""
    held: bool = False
    """Counted as 0 for an identity mismatch."""
    flags: tuple[str, ...] = ()
    notes: tuple[str, ...] = ()
    """What the class's rules noticed, in words (empty for most files)."""
    mark: changes.Mark | None = None
    """What its score depends on, to tell a later run why it changed."""
    time_used: str = ""
    """Where its trusted time came from: lms, file or submitted."""


@dataclass
class Outcome:
    """What grading a batch did, for the summary."""

    kept: list[Entry] = field(default_factory=list)
    set_aside: list[tuple[Entry, Entry]] = field(default_factory=list)
    """(set aside, kept instead) pairs."""
    rejected: list[Rejection] = field(default_factory=list)
    skipped: list[Skipped] = field(default_factory=list)
    keep: str = "latest"
    """The --keep rule that chose."""
    missing: list[Missing] = field(default_factory=list)
    """Roster learners with nothing counted for an activity of this run."""
    not_applied: list[str] = field(default_factory=list)
    """Overrides that found nothing to correct."""
    rules: ClassRules = NO_RULES
    changes: list[changes.Change] | None = None
    """What changed since the previous run in the same output folder (None: there was none to compare with)."""
    compared: str = ""
    """Why the previous run could not be compared with, when it could not."""

    @property
    def files(self) -> int:
        """Answer files looked at."""
        return len(self.kept) + len(self.set_aside) + len(self.rejected)

    def flagged(self, flag: str) -> list[Entry]:
        """Every graded file (counted or set aside) with this flag."""
        return [e for e in (*self.kept, *(a for a, _ in self.set_aside)) if flag in e.flags]

    def summary(self) -> dict:
        """The counts results.json and `--json` report."""
        return counts(
            [e.learner_id for e in self.kept],
            sum(1 for e in self.kept if e.warnings),
            set_aside=len(self.set_aside),
            rejected=len(self.rejected),
            skipped=len(self.skipped),
            roster=len(self.rules.roster) if self.rules.roster else None,
            missing=sum(1 for m in self.missing if m.score is None),
            late=len(self.flagged("late")),
            identity_mismatch=len(self.flagged("identity mismatch")),
            not_on_roster=len({e.learner_id for e in self.flagged("not on roster")}),
            overrides=len(self.flagged("override")) + sum(1 for m in self.missing if m.override),
        )


def _render(context: dict, item: Handin) -> Rejection | tuple[Entry, bytes, bytes, bytes, bytes]:
    """Grade one file and render every text written about it; runs in a worker process."""
    rules: ClassRules = context["rules"]
    outcome = grade_file(item, context["course"], context["activities"], context["strict"], rules)
    if isinstance(outcome, Rejection):
        return outcome
    text = render_result(outcome, context["course"], context["feedback"], rules.roster)
    sub = outcome.submission
    entry = Entry(sub.file, sub.quiz, sub.learner_id, order_key(outcome), outcome.result.score, sub.warnings)
    entry.held, entry.flags, entry.notes, entry.mark = outcome.held, outcome.flags, outcome.notes, _mark(outcome)
    entry.time_used = (outcome.time.used or "") if outcome.time else ""
    row = json.dumps(text.row, ensure_ascii=False).encode("utf-8")
    return entry, row, text.result.encode("utf-8"), text.feedback.encode("utf-8"), text.page.encode("utf-8")


def _mark(graded: Graded) -> changes.Mark:
    return changes.make_mark(
        graded.result.score,
        graded.submission.digest or graded.submission.file,
        [a.as_json() for a in graded.overrides],
        graded.late.as_json() if graded.late else None,
        graded.identity.as_json() if graded.identity else None,
    )


def spool_results(
    spool: BinaryIO,
    files: Iterable[Handin | tuple[str, str]],
    course: Course,
    *,
    strict_version: bool = False,
    jobs: int = 1,
    site_url: str | None = None,
    reveal: str = "mistakes",
    rules: ClassRules = NO_RULES,
    progress: Callable[[int], None] | None = None,
) -> tuple[list[Entry], list[Rejection]]:
    """Grade and render every file into `spool`; keep only an Entry per graded file."""
    items = [handin(f) for f in files]
    entries: list[Entry] = []
    rejected: list[Rejection] = []
    names: dict[str, str] = {}
    feedback = Options(site_url, reveal)
    context = {"course": course, "activities": versions(course), "strict": strict_version, "feedback": feedback, "rules": rules}
    results = map_in_order(_render, context, items, jobs=jobs, progress=progress)
    # strict: every result is taken, so the progress bar reaches the end.
    for item, result in zip(items, results, strict=True):
        if isinstance(result, Rejection):
            rejected.append(result)
            continue
        entry, *parts = result
        # A worker's copies of the same few texts (file name, quiz id, learner id) would cost a few
        # hundred bytes per file; share one copy of each instead.
        if entry.file == item.display:
            entry.file = item.display
            entry.order = (*entry.order[:-1], item.display)
        entry.quiz = names.setdefault(entry.quiz, entry.quiz)
        entry.time_used = names.setdefault(entry.time_used, entry.time_used)
        entry.learner_id = names.setdefault(entry.learner_id, entry.learner_id)
        entry.at, entry.sizes = spool.tell(), tuple(len(part) for part in parts)
        for part in parts:
            spool.write(part)
        entries.append(entry)
    return entries, sorted(rejected, key=lambda r: r.file)


def grade(
    spool: BinaryIO,
    files: Iterable[Handin | tuple[str, str]],
    course: Course,
    *,
    keep: str = "latest",
    strict_version: bool = False,
    jobs: int = 1,
    site_url: str | None = None,
    reveal: str = "mistakes",
    skipped: list[Skipped] | None = None,
    rules: ClassRules = NO_RULES,
    progress: Callable[[int], None] | None = None,
) -> Outcome:
    """Grade and render every file into `spool`, then choose one hand-in per learner and activity by --keep."""
    entries, rejected = spool_results(
        spool,
        files,
        course,
        strict_version=strict_version,
        jobs=jobs,
        site_url=site_url,
        reveal=reveal,
        rules=rules,
        progress=progress,
    )
    kept, set_aside = choose(
        entries,
        keep,
        group=lambda e: (e.quiz, e.learner_id),
        order=lambda e: e.order,
        score=lambda e: e.score,
        usable=lambda e: not e.held,
    )
    counted = {(e.quiz, e.learner_id) for e in kept}
    activities = {e.quiz for e in entries}
    outcome = Outcome(kept, set_aside, rejected, list(skipped or ()), keep, rules=rules)
    outcome.missing = missing(rules, course, counted, activities)
    outcome.not_applied = not_applied(rules, counted, activities)
    return outcome


def _rendered(spool: BinaryIO, outcome: Outcome) -> Iterator[Rendered]:
    """Every gradebook line in activity then learner order: each kept hand-in's text read back from the spool, and each missing learner."""

    def handed_in() -> Iterator[Rendered]:
        for entry in outcome.kept:
            spool.seek(entry.at)
            row, line, feedback, page = (spool.read(size).decode("utf-8") for size in entry.sizes)
            yield Rendered(entry.learner_id, entry.quiz, json.loads(row), line, feedback, page)

    absent = (
        Rendered(m.learner, m.quiz, missing_row(m.learner, m.name, m.section, m.quiz, m.top, m.score, m.status))
        for m in outcome.missing
    )
    yield from heapq.merge(handed_in(), absent, key=lambda r: (r.quiz, r.learner_id))


def now_marks(outcome: Outcome) -> dict[tuple[str, str], changes.Mark]:
    """(learner, activity) -> Mark for this run: its counted hand-ins and its missing learners."""
    found = {(e.learner_id, e.quiz): e.mark for e in outcome.kept if e.mark is not None}
    for m in outcome.missing:
        done = [m.override.as_json()] if m.override else []
        found.setdefault((m.learner, m.quiz), changes.make_mark(m.score, "", done, None, None))
    return found


def _document_parts(outcome: Outcome, course: Course, run: str | None) -> tuple[dict, list[dict], list[dict]]:
    """The head of results.json (before its results), and its set-aside and rejected lists."""
    used = {e.quiz for e in outcome.kept} | {e.quiz for e, _ in outcome.set_aside} | {m.quiz for m in outcome.missing}
    head = {
        "format": 1,
        **({"run": run} if run else {}),
        "generated": generated_now(),
        "summary": outcome.summary(),
        "quizzes": quizzes_json(course, used, outcome.rules.overrides),
        "skipped": [skipped_json(s) for s in outcome.skipped],
        **outcome.rules.head_json(),
        "missing": [m.as_json() for m in outcome.missing],
        "not_applied": outcome.not_applied,
        "changes": [c.as_json() for c in outcome.changes] if outcome.changes is not None else None,
    }
    set_aside = [
        set_aside_json(e.file, e.learner_id, e.quiz, k.file, outcome.keep, e.score, e.flags) for e, k in outcome.set_aside
    ]
    return head, set_aside, [rejected_json(r) for r in outcome.rejected]


def _previous(folder: OutputFolder) -> tuple[dict | None, str]:
    """The results.json of the run before this one in the same folder, or None and why not."""
    path = folder.path / "results.json"
    if not folder.previous or not path.is_file():
        return None, ""
    try:
        doc = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError, RecursionError) as error:
        return None, f"the previous results.json could not be read ({error}), so no changes are listed"
    return (
        (doc, "")
        if isinstance(doc, dict)
        else (None, "the previous results.json is not grading output, so no changes are listed")
    )


def grade_to(
    out: str,
    files: list[Handin],
    course: Course,
    *,
    inputs: list[str],
    on_open: Callable[[OutputFolder], None] | None = None,
    **options,
) -> Outcome:
    """Grade every file and switch `out` to this run's outputs whole; return what happened.

    `inputs` are the paths the files came from, which `out` must keep apart from. `on_open` sees the
    held folder before grading starts (the command line uses it to say, when interrupted, what is left).
    `options` are `grade`'s. A previous run in `out` is compared with: changes.csv lists every score that moved.
    """
    with output_folder(out, inputs, OUTPUTS) as folder:
        if on_open:
            on_open(folder)
        before, outcome_note = _previous(folder)
        with tempfile.TemporaryFile(dir=folder.internal, prefix=".spool.") as spool:
            outcome = grade(spool, files, course, **options)
            outcome.compared = outcome_note
            if before is not None:
                outcome.changes = changes.compare(changes.marks(before), now_marks(outcome))
            head, set_aside, rejected = _document_parts(outcome, course, folder.run.name)
            rows = [c.row() for c in outcome.changes or ()]
            write_all(
                folder.run,
                _rendered(spool, outcome),
                head=head,
                set_aside=set_aside,
                rejected=rejected,
                changes=rows,
                roster=outcome.rules.roster,
            )
        folder.publish()
    return outcome


def grade_in_memory(files: Iterable[Handin | tuple[str, str]], course: Course, **options) -> tuple[dict, Outcome]:
    """Grade every file the same way and return the results.json document it would write, for stats and exports."""
    with tempfile.TemporaryFile(prefix="grader-spool.") as spool:
        outcome = grade(spool, files, course, **options)
        head, set_aside, rejected = _document_parts(outcome, course, None)
        results = [json.loads(item.result) for item in _rendered(spool, outcome) if item.result]
    return {**head, "results": results, "set_aside": set_aside, "rejected": rejected}, outcome
