"""`grader report`: one self-contained, accessible HTML report from a grade output folder."""

from __future__ import annotations

from pathlib import Path

from grader.analytics.report_top import PASS_MARK
from grader.cli.options import add_keys
from grader.cli.output_guard import REPORT, checked_target, overwrite_help
from grader.common.files import write_atomic
from grader.common.problems import EXIT_OK, UsageError


def cmd_report(args) -> int:
    """Write one self-contained HTML report (tables and charts) from a grade output folder."""
    # Imported when the command runs, so that registering it (grader --help) loads no statistics code.
    from grader.analytics.class_stats import class_statistics
    from grader.analytics.report_page import report_html
    from grader.cli.class_data import class_from_results

    mark = pass_mark(args.pass_mark)
    given = Path(args.out_dir)
    found = given / "results.json" if given.is_dir() else given
    if given.is_dir() and not found.is_file():
        raise UsageError(f"{given}: no results.json there; run `grader grade PATHS --out {given}` first")
    loaded = class_from_results(args, found)
    target = checked_target(
        args.output or found.parent / "report.html", "--output" if args.output else "", REPORT, loaded.inputs, args.force
    )
    result = class_statistics(loaded.doc, loaded.course, source=loaded.source)
    write_atomic(target, report_html(result, loaded.course, doc=loaded.doc, pass_mark=mark))
    print(f"Wrote {args.output or found.parent / 'report.html'}.")
    return EXIT_OK


def pass_mark(text: str) -> float:
    """--pass: a percentage from 0 to 100, or a one-line usage error."""
    try:
        value = float(text)
    except ValueError:
        value = float("nan")
    if not 0 <= value <= 100:  # also refuses nan
        raise UsageError(f"--pass {text}: give the pass mark as a percentage from 0 to 100, such as --pass 60")
    return value


def register(sub) -> None:
    """Add `grader report`."""
    p = sub.add_parser(
        "report",
        help="write a self-contained HTML report from a grade output folder",
        description=cmd_report.__doc__,
        epilog=overwrite_help(
            "The report", "a report it wrote before (an HTML file whose head names grader report as its generator)"
        ),
    )
    p.add_argument("out_dir", metavar="OUT", help="the folder `grader grade --out` wrote (or its results.json)")
    p.add_argument("--output", metavar="FILE", help="where to write the report (default: OUT/report.html)")
    p.add_argument(
        "--pass",
        dest="pass_mark",
        metavar="PERCENT",
        default=str(PASS_MARK),
        help=f"the pass mark, 0 to 100: learners below it on an activity are listed first (default: {PASS_MARK:g})",
    )
    p.add_argument("--force", action="store_true", help="overwrite the target even when `grader report` did not write it")
    add_keys(p, ", to mark right options")
    p.set_defaults(run=cmd_report)
