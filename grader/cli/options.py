"""What several commands share: the course they work on, and the --keys, --keep and --jobs options."""

from __future__ import annotations

import argparse
import sys
from typing import TYPE_CHECKING

from grader.common.problems import CourseError
from grader.grading.keep import KEEP

# What a command needs is imported when it runs, so building the parser stays cheap (`grader check` starts faster).
if TYPE_CHECKING:
    from grader.course import Course


def course_for(args, *, keys: bool = False, keys_if_found: bool = False) -> Course:
    """The course `--course` names (or the one around the working folder), with its keys when asked.

    `keys`: the keys must load (from --keys DIR or quizzes/keys). `keys_if_found`: load them when they are
    there, and do without them when not (a public fork may leave them out).
    """
    from grader.course import load_course

    wanted = getattr(args, "keys", None) or True
    if keys:
        return load_course(args.course, keys=wanted)
    if keys_if_found:
        try:
            return load_course(args.course, keys=wanted)
        except CourseError:
            pass
    return load_course(args.course)


def add_keys(parser: argparse.ArgumentParser, why: str = "") -> None:
    """--keys DIR, for answer keys kept outside the course."""
    parser.add_argument("--keys", metavar="DIR", help=f"answer keys folder{why} (default: quizzes/keys)")


def add_keep(parser: argparse.ArgumentParser, where: str = "") -> None:
    """--keep latest|best|first, with the same default for every command."""
    parser.add_argument(
        "--keep",
        choices=KEEP,
        default="latest",
        help=f"{where}which hand-in counts when a learner hands in one activity more than once (default: latest; Moodle's own default is first)",
    )


def add_jobs(parser: argparse.ArgumentParser) -> None:
    """--jobs N, checked and capped at the cores available."""
    parser.add_argument("--jobs", type=_jobs, metavar="N", help="processes to grade with (default and most: the cores available)")


def worker_count(asked: int | None) -> int:
    """Processes to grade with: what --jobs asks, at most the cores this process may use (saying so when it caps)."""
    from grader.grading.workers import cores

    available = cores()
    if asked is None:
        return available
    if asked > available:
        print(f"grader: --jobs {asked} is more than the {available} core(s) here; grading with {available}.", file=sys.stderr)
        return available
    return asked


def _jobs(text: str) -> int:
    """argparse type for --jobs: a whole number of processes, 1 or more."""
    try:
        value = int(text)
    except ValueError:
        value = 0
    if value < 1:
        raise argparse.ArgumentTypeError(f"{text!r} is not a number of processes; give a whole number, 1 or more")
    return value
