"""`grader export`: gradebook CSVs for Canvas and Moodle, feedback pages zipped for Moodle, and the quizzes as Moodle GIFT."""

from __future__ import annotations

import sys
from pathlib import Path

from grader.analytics.gradebooks import MISSING, canvas_csv, moodle_csv, roster_map
from grader.cli.class_rules import add_class_rules, refuse_grading_rules, rule_files
from grader.cli.options import add_jobs, add_keep, add_keys, course_for
from grader.cli.output_guard import EXPORTS, checked_target, overwrite_help
from grader.cohort.roster import read_map, read_roster
from grader.common.escape import unescaped, visible
from grader.common.files import write_atomic
from grader.common.problems import EXIT_OK, EXIT_SOME_REJECTED, CourseError, UsageError

DEFAULT_NAMES = {"canvas": "canvas-grades.csv", "moodle": "moodle-grades.csv", "gift": "questions-gift.txt"}


def cmd_export(args) -> int:
    """Export grades for Canvas or Moodle, the feedback pages for Moodle's feedback upload, or the quizzes as Moodle GIFT."""
    # Imported when the command runs, so that registering it (grader --help) loads no course or grading code.
    from grader.analytics.gift import gift
    from grader.cli.class_data import class_from_answers, read_results, results_path
    from grader.cli.export_feedback import export_moodle_feedback

    if args.to == "moodle-feedback":
        return export_moodle_feedback(args)
    if args.worksheet:
        raise UsageError("--worksheet is for --to moodle-feedback, which matches learners to the assignment's participants")
    if args.to == "gift":
        if args.results or args.paths:
            raise UsageError(
                "--to gift exports the course's questions; it takes no results or answer files (use --quiz to choose quizzes)"
            )
        text = gift(course_for(args, keys=True), args.quiz or None)
        return _emit(text, _exportchecked_target(args, Path(DEFAULT_NAMES["gift"]), []), "")
    if args.to == "canvas" and (args.feedback or args.percent):
        raise UsageError("--feedback and --percent are for --to moodle; Canvas takes points and the Points Possible row")
    if args.quiz:
        raise UsageError("--quiz is for --to gift; a gradebook export has a column for every quiz in the results")
    if args.results and args.paths:
        raise UsageError("give either a grade output (OUT, or --results OUT) or answer files, not both")
    if not args.results and not args.paths:
        raise UsageError(
            f"--to {args.to} needs grades: the folder `grader grade --out` wrote, or answer files and folders to grade"
        )
    if args.map and args.roster:
        raise UsageError("give --roster or --map, not both: the roster has every column a map file has")
    inputs = [Path(f) for f in (args.map, *rule_files(args)) if f]
    given = read_map(args.map) if args.map else read_roster(args.roster) if args.roster else None
    found = Path(args.results) if args.results else results_path(args.paths)
    rejected = []
    if found is not None:
        if found.is_dir():
            found = found / "results.json"
        refuse_grading_rules(args, str(found))
        doc = read_results(found, args)
        course = _quiet_course(args) if args.feedback else None
        target = _exportchecked_target(args, found.parent / DEFAULT_NAMES[args.to], [*inputs, found])
    else:
        loaded = class_from_answers(args, args.paths, keep=args.keep, json_mode=args.output == "-")
        doc, course, rejected = loaded.doc, loaded.course, loaded.source["rejected"]
        target = _exportchecked_target(args, Path(DEFAULT_NAMES[args.to]), inputs + loaded.inputs)
    for rejection in rejected:
        print(f"grader: rejected {rejection['file']}: {rejection['reason']}", file=sys.stderr)
    # Who is who in the LMS: the map or roster given here, else the roster the results were graded with.
    mapping = given.identities() if given is not None and args.map else _roster_identities(given) if given else roster_map(doc)
    where = (
        f"the map file {args.map}"
        if args.map
        else f"the roster {args.roster}"
        if args.roster
        else "the roster the results were graded with"
    )
    if args.to == "canvas":
        table = canvas_csv(doc, mapping, missing=args.missing)
    else:
        table = moodle_csv(doc, mapping, feedback=args.feedback, percent=args.percent, course=course, missing=args.missing)
    for learner in table.unmapped:
        print(
            f"grader: learner '{learner}' is not in {where}; left out of the export (add a row for them)",
            file=sys.stderr,
        )
    for learner, why in table.unidentified:
        print(
            f"grader: learner '{learner}' {why}; left out of the export, since Moodle would give their grades to the learner above (fill it in the map file)",
            file=sys.stderr,
        )
    note = f" Map the '{table.identifier}' column to '{table.maps_to}' when importing." if table.maps_to else ""
    code = _emit(table.text, target, note)
    return EXIT_SOME_REJECTED if table.unmapped or table.unidentified else code


def _roster_identities(roster) -> dict:
    """A --roster as an export reads it: every learner's identity, the learner id as SIS user id when the roster has none."""
    return roster_map({"roster": [lr.as_json() for lr in roster.learners.values()]}) or {}


def _exportchecked_target(args, default: Path, inputs: list[Path]) -> tuple[Path | None, str]:
    """Where the export goes (None: the terminal) and its name as given, checked before anything is written or said."""
    if args.output == "-":
        return None, "-"
    given = args.output or str(default)
    return checked_target(given, "--output" if args.output else "", EXPORTS[args.to], inputs, args.force), given


def _quiet_course(args):
    """The course for naming steps in feedback, or None when it cannot be loaded here (the feedback then names lesson pages)."""
    from grader.course import load_course

    try:
        return load_course(args.course)
    except CourseError:
        return None


def _emit(text: str, where: tuple[Path | None, str], note: str) -> int:
    target, shown = where
    if target is None:
        # CSV ends its lines with \r\n; any other control character in a cell is still shown, not obeyed.
        unescaped(sys.stdout).write(visible(text, crlf=True))
        return EXIT_OK
    write_atomic(target, text)
    print(f"Wrote {shown}.{note}")
    return EXIT_OK


def register(sub) -> None:
    """Add `grader export`."""
    p = sub.add_parser(
        "export",
        help="export grades for Canvas or Moodle, feedback pages for Moodle, or the quizzes as Moodle GIFT",
        description=cmd_export.__doc__,
        epilog=overwrite_help(
            "The export",
            "an export of the same kind it wrote before (a CSV whose header is exactly the Canvas or Moodle layout it writes, "
            "a GIFT file starting with its first line, or a feedback zip bearing its comment)",
        ),
    )
    p.add_argument(
        "paths",
        nargs="*",
        metavar="PATH",
        help="the folder `grader grade --out` wrote (or its results.json), or answer files and folders to grade",
    )
    p.add_argument("--to", required=True, choices=("canvas", "moodle", "moodle-feedback", "gift"), help="the target format")
    p.add_argument(
        "--results",
        metavar="FILE",
        help="the same as giving the grade output as PATH: a results.json written by `grader grade`, or its folder",
    )
    p.add_argument(
        "--map", metavar="FILE.csv", help="CSV with learner_id and any of name, email, lms_id, sis_user_id, sis_login_id, section"
    )
    p.add_argument(
        "--missing",
        choices=MISSING,
        default="blank",
        help="what a roster learner who handed nothing in gets: an empty cell (default; the LMS leaves the grade alone) or 0",
    )
    p.add_argument(
        "--output", metavar="FILE", help="where to write (default: beside results.json, or the working folder; '-' prints)"
    )
    p.add_argument("--feedback", action="store_true", help="moodle: add a feedback column for each quiz")
    p.add_argument("--percent", action="store_true", help="moodle: grades as percentages (0-100) instead of points")
    p.add_argument(
        "--quiz",
        action="append",
        metavar="QUIZ_ID",
        help="gift: export only this quiz (repeatable; default: every quiz); moodle-feedback: the activity of the assignment "
        "(default: the only one graded)",
    )
    p.add_argument(
        "--worksheet",
        metavar="FILE.csv",
        help="moodle-feedback: the assignment's grading worksheet from Moodle, which names each participant "
        "(matched by the email in --map, by ID number or username equal to the learner id, or by full name)",
    )
    add_keys(p)
    add_keep(p, "with answer files: ")
    add_jobs(p)
    p.add_argument("--force", action="store_true", help="overwrite the target even when this export did not write it")
    add_class_rules(p, answers_only=True)
    p.set_defaults(run=cmd_export)
