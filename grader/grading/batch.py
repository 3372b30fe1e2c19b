"""The one grading path for every command: grade a batch with flat memory, each result's text waiting in a spool until --keep has chosen.

Workers read, score and render each file (its results.json line and its feedback, Markdown and HTML);
the main process keeps only a small Entry per file, so memory does not grow with the class.
"""

from __future__ import annotations

import json
import tempfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import BinaryIO

from grader.course import Course
from grader.grading.collect import Skipped
from grader.grading.feedback_model import Options
from grader.grading.keep import choose, order_key
from grader.grading.one_file import Rejection, grade_file, versions
from grader.grading.output_folder import OutputFolder, output_folder
from grader.grading.outputs import OUTPUTS, Rendered, render_result, write_all
from grader.grading.results_json import counts, generated_now, quizzes_json, rejected_json, set_aside_json, skipped_json
from grader.grading.workers import map_in_order


@dataclass(slots=True)
class Entry:
    """What stays in memory about one graded file; its rendered text is in the spool."""

    file: str
    quiz: str
    learner_id: str
    order: tuple
    """When it was handed in, for --keep."""
    score: float
    warnings: tuple[str, ...]
    at: int = 0
    """Where its text starts in the spool."""
    sizes: tuple[int, ...] = (0, 0, 0, 0)
    """Bytes of its gradebook line (JSON), its results.json line, its feedback and its feedback page."""


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

    @property
    def files(self) -> int:
        """Answer files looked at."""
        return len(self.kept) + len(self.set_aside) + len(self.rejected)

    def summary(self) -> dict:
        """The counts results.json and `--json` report."""
        return counts(
            [e.learner_id for e in self.kept],
            sum(1 for e in self.kept if e.warnings),
            set_aside=len(self.set_aside),
            rejected=len(self.rejected),
            skipped=len(self.skipped),
        )


def _render(context: dict, item: tuple[str, str]) -> Rejection | tuple[Entry, bytes, bytes, bytes, bytes]:
    """Grade one file and render every text written about it; runs in a worker process."""
    outcome = grade_file(item[0], item[1], context["course"], context["activities"], context["strict"])
    if isinstance(outcome, Rejection):
        return outcome
    text = render_result(outcome, context["course"], context["feedback"])
    sub = outcome.submission
    entry = Entry(sub.file, sub.quiz, sub.learner_id, order_key(outcome), outcome.result.score, sub.warnings)
    row = json.dumps(text.row, ensure_ascii=False).encode("utf-8")
    return entry, row, text.result.encode("utf-8"), text.feedback.encode("utf-8"), text.page.encode("utf-8")


def spool_results(
    spool: BinaryIO,
    files: list[tuple[str, str]],
    course: Course,
    *,
    strict_version: bool = False,
    jobs: int = 1,
    site_url: str | None = None,
    reveal: str = "mistakes",
    progress: Callable[[int], None] | None = None,
) -> tuple[list[Entry], list[Rejection]]:
    """Grade and render every file into `spool`; keep only an Entry per graded file."""
    entries: list[Entry] = []
    rejected: list[Rejection] = []
    names: dict[str, str] = {}
    feedback = Options(site_url, reveal)
    context = {"course": course, "activities": versions(course), "strict": strict_version, "feedback": feedback}
    results = map_in_order(_render, context, files, jobs=jobs, progress=progress)
    # strict: every result is taken, so the progress bar reaches the end.
    for (_path, display), result in zip(files, results, strict=True):
        if isinstance(result, Rejection):
            rejected.append(result)
            continue
        entry, *parts = result
        # A worker's copies of the same few texts (file name, quiz id, learner id) would cost a few
        # hundred bytes per file; share one copy of each instead.
        if entry.file == display:
            entry.file = display
            entry.order = (entry.order[0], display)
        entry.quiz = names.setdefault(entry.quiz, entry.quiz)
        entry.learner_id = names.setdefault(entry.learner_id, entry.learner_id)
        entry.at, entry.sizes = spool.tell(), tuple(len(part) for part in parts)
        for part in parts:
            spool.write(part)
        entries.append(entry)
    return entries, sorted(rejected, key=lambda r: r.file)


def grade(
    spool: BinaryIO,
    files: list[tuple[str, str]],
    course: Course,
    *,
    keep: str = "latest",
    strict_version: bool = False,
    jobs: int = 1,
    site_url: str | None = None,
    reveal: str = "mistakes",
    skipped: list[Skipped] | None = None,
    progress: Callable[[int], None] | None = None,
) -> Outcome:
    """Grade and render every file into `spool`, then choose one hand-in per learner and activity by --keep."""
    entries, rejected = spool_results(
        spool, files, course, strict_version=strict_version, jobs=jobs, site_url=site_url, reveal=reveal, progress=progress
    )
    kept, set_aside = choose(
        entries, keep, group=lambda e: (e.quiz, e.learner_id), order=lambda e: e.order, score=lambda e: e.score
    )
    return Outcome(kept, set_aside, rejected, list(skipped or ()), keep)


def _rendered(spool: BinaryIO, outcome: Outcome) -> Iterator[Rendered]:
    """The text of each kept hand-in, read back from the spool in order."""
    for entry in outcome.kept:
        spool.seek(entry.at)
        row, line, feedback, page = (spool.read(size).decode("utf-8") for size in entry.sizes)
        yield Rendered(entry.learner_id, entry.quiz, json.loads(row), line, feedback, page)


def _document_parts(outcome: Outcome, course: Course, run: str | None) -> tuple[dict, list[dict], list[dict]]:
    """The head of results.json (before its results), and its set-aside and rejected lists."""
    used = {e.quiz for e in outcome.kept} | {e.quiz for e, _ in outcome.set_aside}
    head = {
        "format": 1,
        **({"run": run} if run else {}),
        "generated": generated_now(),
        "summary": outcome.summary(),
        "quizzes": quizzes_json(course, used),
        "skipped": [skipped_json(s) for s in outcome.skipped],
    }
    set_aside = [set_aside_json(e.file, e.learner_id, e.quiz, k.file, outcome.keep, e.score) for e, k in outcome.set_aside]
    return head, set_aside, [rejected_json(r) for r in outcome.rejected]


def grade_to(
    out: str,
    files: list[tuple[str, str]],
    course: Course,
    *,
    inputs: list[str],
    on_open: Callable[[OutputFolder], None] | None = None,
    roster: list[dict] | None = None,
    **options,
) -> Outcome:
    """Grade every file and switch `out` to this run's outputs whole; return what happened.

    `inputs` are the paths the files came from, which `out` must keep apart from. `on_open` sees the
    held folder before grading starts (the command line uses it to say, when interrupted, what is left).
    `roster` gives the mail merge its email addresses; `options` are `grade`'s.
    """
    with output_folder(out, inputs, OUTPUTS) as folder:
        if on_open:
            on_open(folder)
        with tempfile.TemporaryFile(dir=folder.internal, prefix=".spool.") as spool:
            outcome = grade(spool, files, course, **options)
            head, set_aside, rejected = _document_parts(outcome, course, folder.run.name)
            write_all(folder.run, _rendered(spool, outcome), head=head, set_aside=set_aside, rejected=rejected, roster=roster)
        folder.publish()
    return outcome


def grade_in_memory(files: list[tuple[str, str]], course: Course, **options) -> tuple[dict, Outcome]:
    """Grade every file the same way and return the results.json document it would write, for stats and exports."""
    with tempfile.TemporaryFile(prefix="grader-spool.") as spool:
        outcome = grade(spool, files, course, **options)
        head, set_aside, rejected = _document_parts(outcome, course, None)
        results = [json.loads(item.result) for item in _rendered(spool, outcome)]
    return {**head, "results": results, "set_aside": set_aside, "rejected": rejected}, outcome
