"""`grader check`: every problem in the course files, then the dialogue paths and the coverage table."""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING

from grader.cli.options import add_keys
from grader.common.problems import EXIT_OK, EXIT_SOME_REJECTED

if TYPE_CHECKING:
    from grader.dialogue.model import Dialogue


def cmd_check(args) -> int:
    """Validate every course file, then print the coverage table and dialogue statistics."""
    # Imported when the command runs, so that registering it (grader --help) loads no course machinery.
    from grader.cohort.overrides import inspect_overrides
    from grader.course import coverage, find_root, inspect_course
    from grader.dialogue.variants import Choice, as_written, played

    root = find_root(args.course_dir or args.course)
    keys = args.keys or (root / "quizzes" / "keys").is_dir()
    course, problems = inspect_course(root, keys=keys)
    out = sys.stdout
    if not keys:
        out.write("No quizzes/keys folder: the answer keys were not checked (pass --keys DIR to check keys kept elsewhere).\n\n")
    if course.dialogues:
        out.write("Dialogues\n")
        out.write(f"  {'scenario':<26} {'kind':<8} {'nodes':>5} {'paths':>7} {'best':>5} {'worst':>6} {'longest':>8}  endings\n")
        for scenario in course.dialogues.values():
            kind = "exam" if scenario.exam else "practice"
            ways = [(scenario.id, played(scenario, as_written(scenario)))]
            ways += [
                (f"  variant {v.id}", played(scenario, Choice(v.id, as_written(scenario).details))) for v in scenario.variants
            ]
            for name, version in ways:
                out.write(f"  {name:<26} {kind:<8} {_figures(version)}\n")
                kind = ""
        out.write("\n")
    rows = coverage(course)
    if rows:
        out.write("Coverage: where each model step is taught (lesson, practice) and assessed (questions, dialogue replies)\n")
        out.write(f"  {'step':<28} {'practice':>8} {'questions':>9} {'replies':>8}  lesson\n")
        for row in rows:
            flag = "  <- no question" if not row.questions else ""
            out.write(
                f"  {row.step:<28} {len(row.practice):>8} {len(row.questions):>9} {len(row.replies):>8}  {row.lessons[0]}{flag}\n"
            )
            if args.verbose:
                for ref in row.practice + row.questions + row.replies:
                    out.write(f"      {ref}\n")
        out.write("\n")
    if args.overrides:
        _, found = inspect_overrides(args.overrides, course)
        problems = [*problems, *found]
        if not found:
            out.write(f"Overrides {args.overrides}: OK.\n")
    counts = f"{len(course.models)} models, {len(course.steps)} steps, {len(course.quizzes)} quizzes, {len(course.keys)} keys, {len(course.dialogues)} dialogues"
    if course.practice:
        practice_questions = sum(len(p.questions) for p in course.practice.values())
        counts += f", {len(course.practice)} practice sets ({practice_questions} questions)"
    if problems:
        for problem in problems:
            print(problem, file=sys.stderr)
        where = " and the overrides" if args.overrides else ""
        print(f"{len(problems)} problem(s) in the course{where} ({counts})", file=sys.stderr)
        return EXIT_SOME_REJECTED
    out.write(f"Course OK: {counts}.\n")
    return EXIT_OK


def _figures(scenario: Dialogue) -> str:
    """Nodes, paths, best, worst, longest and endings for one way of playing a scenario."""
    from grader.dialogue.analysis import analyse_paths

    paths_of = analyse_paths(scenario)
    paths = "loops" if paths_of.paths is None else str(paths_of.paths)
    if scenario.scored:
        best = "-" if paths_of.best is None else str(paths_of.best)
        worst = "-" if paths_of.worst is None else str(paths_of.worst)
        outcomes = ", ".join(sorted({e.outcome for e in scenario.endings.values()}))
        endings = f"{len(scenario.endings)} ({outcomes})"
    else:
        best = worst = "?"
        endings = f"{len(scenario.endings)} (scored in its key, which was not loaded)"
    return f"{len(scenario.nodes):>5} {paths:>7} {best:>5} {worst:>6} {paths_of.longest:>8}  {endings}"


def register(sub) -> None:
    """Add `grader check`."""
    check = sub.add_parser("check", help="validate the course files and print the coverage table", description=cmd_check.__doc__)
    check.add_argument("course_dir", nargs="?", metavar="COURSE_DIR", help="the course folder")
    add_keys(check)
    check.add_argument("--overrides", metavar="FILE.yml", help="also check an overrides file against the course")
    check.add_argument("-v", "--verbose", action="store_true", help="list the questions and replies behind each coverage row")
    check.set_defaults(run=cmd_check)
