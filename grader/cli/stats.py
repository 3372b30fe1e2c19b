"""`grader stats`: class statistics from a grade output or from answer files, as tables or JSON."""

from __future__ import annotations

import sys

from grader.cli.class_rules import add_class_rules
from grader.cli.options import add_jobs, add_keep, add_keys
from grader.cli.output_guard import STATS, checked_target, overwrite_help
from grader.common.escape import json_text
from grader.common.files import write_atomic
from grader.common.problems import EXIT_OK, EXIT_SOME_REJECTED, UsageError


def cmd_stats(args) -> int:
    """Class statistics: scores, reliability and item analysis per quiz, dialogue paths, model-step mastery."""
    # Imported when the command runs, so that registering it (grader --help) loads no statistics code.
    from grader.analytics.class_stats import class_statistics
    from grader.analytics.tables import stats_text
    from grader.cli.class_data import load_class

    loaded = load_class(args, args.paths, keep=args.keep, json_mode=args.json)
    if not loaded.doc["results"]:
        rejected = loaded.source.get("rejected") or []
        first = f" (first: {rejected[0]['file']}: {rejected[0]['reason']})" if rejected else ""
        raise UsageError(f"no graded results to analyse: every file was rejected or the folder is empty{first}")
    target = checked_target(args.out, "--out", STATS, loaded.inputs, args.force) if args.out else None
    result = {"generated_by": STATS, **class_statistics(loaded.doc, loaded.course, source=loaded.source)}
    # Strict JSON that prints safely: a control character in a learner's text stays a \u escape.
    text = json_text(result, indent=2) + "\n"
    if target is not None:
        write_atomic(target, text)
    if args.json:
        sys.stdout.write(text)
    else:
        sys.stdout.write(stats_text(result))
        if args.out:
            print(f"Wrote {args.out}.")
    return EXIT_SOME_REJECTED if loaded.source.get("rejected") else EXIT_OK


def register(sub) -> None:
    """Add `grader stats`."""
    p = sub.add_parser(
        "stats",
        help="class statistics: scores, item analysis, dialogue paths, step mastery",
        description=cmd_stats.__doc__,
        epilog=overwrite_help(
            "--out FILE", 'a statistics file it wrote before (a JSON file whose first key is "generated_by": "grader stats")'
        ),
    )
    p.add_argument(
        "paths",
        nargs="+",
        metavar="PATH",
        help="a `grader grade` output folder (or its results.json), or answer files and folders to grade",
    )
    add_keys(p)
    add_keep(p, "with answer files: ")
    add_jobs(p)
    p.add_argument("--json", action="store_true", help="print every statistic as JSON, with no progress bar")
    p.add_argument(
        "--out", metavar="FILE", help="also write every statistic as JSON to FILE (a new file, or one `grader stats` wrote)"
    )
    p.add_argument("--force", action="store_true", help="let --out overwrite a file that `grader stats` did not write")
    add_class_rules(p, answers_only=True)
    p.set_defaults(run=cmd_stats)
