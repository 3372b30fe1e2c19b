"""The options that tell a run about the class (roster, deadlines and late policy, extensions, overrides, untrusted file times), read and checked into ClassRules."""

from __future__ import annotations

import argparse
from datetime import datetime
from typing import TYPE_CHECKING

from grader.common.ids import ACTIVITY_ID
from grader.common.problems import UsageError

if TYPE_CHECKING:
    from grader.cohort.deadlines import Deadlines
    from grader.cohort.rules import ClassRules
    from grader.course import Course

# The options that change how answer files are graded, as opposed to --roster, which also says who is in the class.
GRADING_ONLY = ("deadline", "late_penalty", "late_cap", "late", "extensions", "overrides", "ignore_file_times")


def _percent(text: str) -> float:
    """argparse type for a share of the points: a number above 0, at most 100."""
    try:
        value = float(text)
    except ValueError:
        value = -1.0
    if not 0 < value <= 100:
        raise argparse.ArgumentTypeError(f"{text!r} is not a per cent; give a number above 0, at most 100, such as 10")
    return value


def add_class_rules(parser: argparse.ArgumentParser, *, answers_only: bool = False) -> None:
    """--roster, --deadline, --late-penalty, --late-cap, --late, --extensions, --overrides and --ignore-file-times."""
    note = " (with answer files)" if answers_only else ""
    group = parser.add_argument_group("the class")
    group.add_argument(
        "--roster",
        metavar="FILE.csv",
        help="the class: id, name, email, section (and lms_id, lms_name, sis_user_id, sis_login_id)",
    )
    group.add_argument(
        "--deadline",
        action="append",
        metavar="[ACTIVITY=]WHEN",
        help=f"deadline{note}, ISO 8601 with its offset such as 2026-12-10T23:59+01:00; ACTIVITY= for one activity (repeatable)",
    )
    group.add_argument(
        "--late-penalty", type=_percent, metavar="PERCENT", help="per cent of the points off per day or part of a day late"
    )
    group.add_argument("--late-cap", type=_percent, metavar="PERCENT", help="the most per cent a late penalty takes off")
    group.add_argument("--late", choices=("reject",), help="reject: do not grade late hand-ins at all")
    group.add_argument("--extensions", metavar="FILE.csv", help="learners' own deadlines: columns id, deadline (and activity)")
    group.add_argument("--overrides", metavar="FILE.yml", help=f"the instructor's corrections{note}, applied again at every run")
    group.add_argument(
        "--ignore-file-times",
        action="store_true",
        help="the files' modification times say when they were copied (a git clone, a copy), not handed in",
    )


def rule_files(args) -> list[str]:
    """The files the class options name, which no output may overwrite."""
    return [f for f in (getattr(args, "roster", None), getattr(args, "extensions", None), getattr(args, "overrides", None)) if f]


def refuse_grading_rules(args, given: str) -> None:
    """Refuse the options that apply only while grading answer files, when `given` is a grade output."""
    for name in GRADING_ONLY:
        if getattr(args, name, None):
            option = "--" + name.replace("_", "-")
            raise UsageError(
                f"{option} applies while grading answer files; {given} was graded already: grade again with {option}"
            )


def _deadlines(args, course: Course, roster) -> Deadlines | None:
    from grader.cohort.deadlines import Deadlines, Policy, parse_when
    from grader.cohort.extensions import read_extensions

    if not args.deadline:
        for name in ("late_penalty", "late_cap", "late", "extensions"):
            if getattr(args, name):
                raise UsageError(f"--{name.replace('_', '-')} needs --deadline")
        return None
    if args.late and args.late_penalty:
        raise UsageError("give --late reject or --late-penalty, not both")
    if args.late_cap and not args.late_penalty:
        raise UsageError("--late-cap needs --late-penalty")
    activities = set(course.quizzes) | set(course.dialogues)
    default: dict[str | None, datetime] = {}
    for text in args.deadline:
        activity, _, when = text.rpartition("=") if "=" in text else ("", "", text)
        if activity and not (ACTIVITY_ID.fullmatch(activity) and activity in activities):
            raise UsageError(
                f"--deadline {text}: '{activity}' is not an activity in this course (it has {', '.join(sorted(activities)[:12])})"
            )
        key = activity or None
        if key in default:
            raise UsageError(f"--deadline is given twice for {activity or 'every activity'}; keep one")
        default[key] = parse_when(when, "--deadline")
    extensions = read_extensions(args.extensions, activities, roster) if args.extensions else {}
    return Deadlines(default, extensions, Policy(args.late_penalty or 0.0, args.late_cap, bool(args.late)))


def class_rules(args, course: Course) -> ClassRules:
    """The class's rules the options give, each file read and checked (a problem is a UsageError naming it)."""
    # Imported when a run reads its class files, so that registering these options (grader --help) stays cheap.
    from grader.cohort.overrides import load_overrides
    from grader.cohort.roster import read_roster
    from grader.cohort.rules import ClassRules

    roster = read_roster(args.roster) if getattr(args, "roster", None) else None
    deadlines = _deadlines(args, course, roster) if hasattr(args, "deadline") else None
    overrides = load_overrides(args.overrides, course, roster) if getattr(args, "overrides", None) else None
    return ClassRules(roster, deadlines, overrides)
