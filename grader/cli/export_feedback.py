"""`grader export --to moodle-feedback`: a grade output's feedback pages for one activity, zipped for Moodle's feedback upload."""

from __future__ import annotations

import sys
from pathlib import Path

from grader.analytics.moodle_feedback import feedback_zip, match, read_worksheet
from grader.cli.class_data import read_results
from grader.cli.output_guard import EXPORTS, checked_target
from grader.cohort.roster import read_map
from grader.common.files import write_atomic
from grader.common.problems import EXIT_OK, EXIT_SOME_REJECTED, UsageError

NEEDS_OUT = "--to moodle-feedback packs the feedback pages `grader grade` wrote: give its output folder (OUT)"


def _results(args) -> Path:
    """The results.json of the grade output the command names."""
    given = [args.results] if args.results else list(args.paths)
    if len(given) != 1:
        raise UsageError(NEEDS_OUT + ", once")
    found = Path(given[0])
    found = found / "results.json" if found.is_dir() else found
    if found.name != "results.json":
        raise UsageError(f"{given[0]}: {NEEDS_OUT}, not answer files")
    return found


def _activity(doc: dict, chosen: list[str] | None) -> str:
    """The one activity the zip is for: --quiz, or the only one graded."""
    graded = sorted({r["quiz"] for r in doc["results"]})
    if chosen and (len(chosen) > 1 or chosen[0] not in graded):
        raise UsageError(f"--quiz: give one activity the results hold ({', '.join(graded)}); a Moodle assignment takes one")
    if chosen:
        return chosen[0]
    if len(graded) != 1:
        raise UsageError(
            f"the results hold {len(graded)} activities ({', '.join(graded)}); choose the assignment's with --quiz ID"
        )
    return graded[0]


def export_moodle_feedback(args) -> int:
    """Zip each matched learner's feedback page into the participant folder Moodle's feedback upload reads."""
    if args.output == "-":
        raise UsageError("--to moodle-feedback writes a zip file, which cannot be printed; give --output FILE.zip")
    if not args.worksheet:
        raise UsageError(
            "--to moodle-feedback needs --worksheet FILE.csv: the assignment's grading worksheet from Moodle "
            "(View all submissions, Download grading worksheet), which names each participant"
        )
    found = _results(args)
    doc = read_results(found, args)
    quiz = _activity(doc, args.quiz)
    learners = {r["learner"]["id"]: r["learner"]["name"] for r in doc["results"] if r["quiz"] == quiz}
    pages = found.parent / "feedback"
    missing = sorted(lr for lr in learners if not (pages / lr / f"{quiz}.html").is_file())
    if missing:
        raise UsageError(
            f"{pages}: no feedback page for {', '.join(missing[:5])}{', ...' if len(missing) > 5 else ''}; "
            "grade again with this grader, which writes each page beside its Markdown"
        )
    worksheet = Path(args.worksheet)
    emails = {lid: lr.email for lid, lr in read_map(args.map).learners.items()} if args.map else {}
    matching = match(learners, read_worksheet(worksheet), emails)
    given = args.output or str(found.parent / f"moodle-feedback-{quiz}.zip")
    inputs = [found, worksheet] + ([Path(args.map)] if args.map else [])
    target = checked_target(given, "--output" if args.output else "", EXPORTS["moodle-feedback"], inputs, args.force)
    write_atomic(target, feedback_zip(matching.found, quiz, lambda lr: (pages / lr / f"{quiz}.html").read_bytes()))
    for learner, why in matching.unmatched:
        print(f"grader: learner '{learner}' is left out of the zip: {why} (give their email in --map FILE.csv)", file=sys.stderr)
    ways = [way for way in ("email", "ID number", "username", "name") if way in matching.how.values()]
    counted = ", ".join(f"{sum(1 for h in matching.how.values() if h == way)} by {way}" for way in ways)
    print(
        f"Wrote {given}: the feedback pages of {len(matching.found)} of {len(learners)} learner(s) for {quiz}"
        + (f" (matched {counted})" if counted else "")
        + ". In Moodle, open the assignment, View all submissions, and choose Upload multiple feedback files in a zip."
    )
    return EXIT_SOME_REJECTED if matching.unmatched else EXIT_OK
