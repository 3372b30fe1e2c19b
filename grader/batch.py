"""Grade a whole batch to disk with flat memory: each result's text waits in a spool file until --keep has chosen.

Workers read, score and render each file (its results.json line and its feedback Markdown);
the main process keeps only a small Entry per file, so memory does not grow with the class.
"""

from __future__ import annotations

import json
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import BinaryIO, Callable, Iterator

from grader import grading, report
from grader.course import Course
from grader.grading import Rejection
from grader.output_folder import OutputFolder, output_folder
from grader.workers import map_in_order


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
    sizes: tuple[int, int, int] = (0, 0, 0)
    """Bytes of its gradebook line (JSON), its results.json line and its feedback."""


@dataclass
class Outcome:
    """What grading a batch did, for the summary."""

    kept: list[Entry] = field(default_factory=list)
    set_aside: list[tuple[Entry, Entry]] = field(default_factory=list)
    """(set aside, kept instead) pairs."""
    rejected: list[Rejection] = field(default_factory=list)
    skipped: list[grading.Skipped] = field(default_factory=list)

    @property
    def files(self) -> int:
        """Answer files looked at."""
        return len(self.kept) + len(self.set_aside) + len(self.rejected)

    def summary(self) -> dict:
        """The counts results.json and `--json` report."""
        return report.counts(
            [e.learner_id for e in self.kept], sum(1 for e in self.kept if e.warnings),
            set_aside=len(self.set_aside), rejected=len(self.rejected), skipped=len(self.skipped),
        )


def _render(context: dict, item: tuple[str, str]) -> Rejection | tuple[Entry, bytes, bytes, bytes]:
    """Grade one file and render every text written about it; runs in a worker process."""
    outcome = grading.grade_file(item[0], item[1], context["course"], context["activities"], context["strict"])
    if isinstance(outcome, Rejection):
        return outcome
    text = report.render(outcome, context["course"], context["site_url"])
    sub = outcome.submission
    entry = Entry(sub.file, sub.quiz, sub.learner_id, grading.order_key(outcome), outcome.result.score, sub.warnings)
    row = json.dumps(text.row, ensure_ascii=False).encode("utf-8")
    return entry, row, text.result.encode("utf-8"), text.feedback.encode("utf-8")


def spool_results(
    spool: BinaryIO,
    files: list[tuple[str, str]],
    course: Course,
    *,
    strict_version: bool = False,
    jobs: int = 1,
    site_url: str | None = None,
    progress: Callable[[int], None] | None = None,
) -> tuple[list[Entry], list[Rejection]]:
    """Grade and render every file into `spool`; keep only an Entry per graded file."""
    entries, rejected, names = [], [], {}
    context = {"course": course, "activities": grading.versions(course), "strict": strict_version, "site_url": site_url}
    results = map_in_order(_render, context, files, jobs=jobs, progress=progress)
    for (_path, display), result in zip(files, results):
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


def write_from_spool(folder: Path, spool: BinaryIO, outcome: Outcome, course: Course, keep: str, run: str) -> None:
    """Write every output for the entries `outcome` kept into a run's folder, reading their text back from `spool`."""

    def rendered() -> Iterator[report.Rendered]:
        for entry in outcome.kept:
            spool.seek(entry.at)
            row, line, feedback = (spool.read(size).decode("utf-8") for size in entry.sizes)
            yield report.Rendered(entry.learner_id, entry.quiz, json.loads(row), line, feedback)

    used = {e.quiz for e in outcome.kept} | {e.quiz for e, _ in outcome.set_aside}
    head = {"format": 1, "run": run, "generated": report.generated_now(), "summary": outcome.summary(), "quizzes": report.quizzes_json(course, used),
            "skipped": [report.skipped_json(s) for s in outcome.skipped]}
    set_aside = [report.set_aside_json(e.file, e.learner_id, e.quiz, k.file, keep, e.score) for e, k in outcome.set_aside]
    report.write_all(folder, rendered(), head=head, set_aside=set_aside, rejected=[report.rejected_json(r) for r in outcome.rejected])


def grade_to(
    out: str,
    files: list[tuple[str, str]],
    course: Course,
    *,
    inputs: list[str],
    keep: str = "latest",
    strict_version: bool = False,
    jobs: int = 1,
    site_url: str | None = None,
    skipped: list[grading.Skipped] | None = None,
    progress: Callable[[int], None] | None = None,
    on_open: Callable[[OutputFolder], None] | None = None,
) -> Outcome:
    """Grade every file and switch `out` to this run's outputs whole; return what happened.

    `inputs` are the paths the files came from, which `out` must keep apart from. `on_open` sees the
    held folder before grading starts (the command line uses it to say, when interrupted, what is left).
    """
    with output_folder(out, inputs, report.OUTPUTS) as folder:
        if on_open:
            on_open(folder)
        with tempfile.TemporaryFile(dir=folder.internal, prefix=".spool.") as spool:
            entries, rejected = spool_results(spool, files, course, strict_version=strict_version, jobs=jobs, site_url=site_url, progress=progress)
            kept, set_aside = grading.choose(entries, keep, group=lambda e: (e.quiz, e.learner_id), order=lambda e: e.order, score=lambda e: e.score)
            outcome = Outcome(kept, set_aside, rejected, list(skipped or ()))
            write_from_spool(folder.run, spool, outcome, course, keep, folder.run.name)
        folder.publish()
    return outcome
