"""The `grader` command: check the course, print templates, grade answer files.

Exit codes: 0 all well; 1 some files rejected or course problems found by `check`;
2 a usage or course error (nothing written).
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import traceback
from pathlib import Path

from grader import __version__
from grader import course as course_files
from grader import dialogue as dialogues
from grader import batch, escape, grading, report, workers
from grader.output_folder import OutputError, OutputFolder, check_out
from grader.problems import CourseError
from grader.progress import Progress

EXIT_OK, EXIT_SOME_REJECTED, EXIT_USAGE = 0, 1, 2


class Usage(Exception):
    """A mistake in how the command was called; the message says what to do."""


class Interrupted(Exception):
    """Ctrl-C or a signal stopped the run; the message says what the output folder holds."""


def _course(args, keys=False) -> course_files.Course:
    return course_files.load_course(args.course, keys=keys)


def cmd_check(args) -> int:
    """Validate every course file, then print the coverage table and dialogue statistics."""
    root = course_files.find_root(args.course_dir or args.course)
    keys = args.keys or (root / "quizzes" / "keys").is_dir()
    course, problems = course_files.inspect_course(root, keys=keys)
    out = sys.stdout
    if not keys:
        out.write("No quizzes/keys folder: the answer keys were not checked (pass --keys DIR to check keys kept elsewhere).\n\n")
    if course.dialogues:
        out.write("Dialogues\n")
        out.write(f"  {'scenario':<22} {'nodes':>5} {'paths':>7} {'best':>5} {'worst':>6} {'longest':>8}  endings\n")
        for scenario in course.dialogues.values():
            stats = dialogues.analyse(scenario)
            paths = "loops" if stats.paths is None else str(stats.paths)
            best = "-" if stats.best is None else str(stats.best)
            worst = "-" if stats.worst is None else str(stats.worst)
            outcomes = ", ".join(sorted({e.outcome for e in scenario.endings.values()}))
            out.write(f"  {scenario.id:<22} {len(scenario.nodes):>5} {paths:>7} {best:>5} {worst:>6} {stats.longest:>8}  {len(scenario.endings)} ({outcomes})\n")
        out.write("\n")
    rows = course_files.coverage(course)
    if rows:
        out.write("Coverage: where each model step is taught (lesson) and assessed (questions, dialogue replies)\n")
        out.write(f"  {'step':<28} {'questions':>9} {'replies':>8}  lesson\n")
        for row in rows:
            flag = "  <- no question" if not row.questions else ""
            out.write(f"  {row.step:<28} {len(row.questions):>9} {len(row.replies):>8}  {row.lessons[0]}{flag}\n")
            if args.verbose:
                for ref in row.questions + row.replies:
                    out.write(f"      {ref}\n")
        out.write("\n")
    counts = f"{len(course.models)} models, {len(course.steps)} steps, {len(course.quizzes)} quizzes, {len(course.keys)} keys, {len(course.dialogues)} dialogues"
    if problems:
        for problem in problems:
            print(problem, file=sys.stderr)
        print(f"{len(problems)} problem(s) in the course ({counts})", file=sys.stderr)
        return EXIT_SOME_REJECTED
    out.write(f"Course OK: {counts}.\n")
    return EXIT_OK


def _comment(text: str, indent: str = "  ") -> list[str]:
    return [f"{indent}# {line}".rstrip() for line in text.strip().splitlines()]


HOW_TO_ANSWER = {
    "single": "one option id, e.g. {q}: {first}",
    "multiple": "a list of option ids, e.g. {q}: [{first}]",
    "true_false": "true or false",
    "ordering": "every item id in your order, e.g. {q}: [{all}]",
    "matching": "a mapping of each pair id to a choice id",
    "short_text": "a word or short phrase",
    "dialogue": "the reply ids you chose, in order (play it on the site)",
}


def template_text(quiz: course_files.Quiz) -> str:
    """A blank answer file for `quiz`, with each question as a comment."""
    lines = [
        f"# Answer file for \"{quiz.title}\" ({quiz.id}).",
        "# Fill in your learner id (letters, digits and . _ @ - only) and your answers,",
        "# then hand this file in. Leave an answer empty to skip it.",
        "format: 1",
        f"quiz: {quiz.id}",
        f'version: "{quiz.version}"',
        "learner:",
        '  id: ""',
        '  name: ""',
        "answers:",
    ]
    for number, question in enumerate(quiz.questions, 1):
        points = f"{question.points:g} point{'s' if question.points != 1 else ''}"
        lines.append(f"  # Question {number} ({question.type.replace('_', ' ')}, {points})")
        lines += _comment(question.prompt)
        for label, choices in (("options", question.options), ("items", question.items), ("pairs", question.pairs), ("choices", question.choices)):
            if choices:
                lines.append(f"  #   {label}:")
                lines += [f"  #     {c.id}: {c.text}" for c in choices]
        first = (question.options or question.items or (course_files.Choice("", ""),))[0].id
        every = ", ".join(c.id for c in question.items)
        lines.append("  # Answer with " + HOW_TO_ANSWER[question.type].format(q=question.id, first=first, all=every))
        if question.type == "matching":
            lines.append(f"  {question.id}:")
            lines += [f"    {p.id}:" for p in question.pairs]
        else:
            lines.append(f"  {question.id}:")
    return "\n".join(lines) + "\n"


def cmd_template(args) -> int:
    """Print a blank answer file for one quiz or dialogue."""
    course = _course(args)
    quiz = course.activity(args.quiz)
    if quiz is None:
        known = ", ".join(sorted([*course.quizzes, *course.dialogues]))
        raise Usage(f"no quiz or dialogue '{args.quiz}' in this course (it has: {known})")
    sys.stdout.write(template_text(quiz))
    return EXIT_OK


def cmd_grade(args) -> int:
    """Grade answer files and folders; write the gradebook, results, feedback and rejections."""
    try:
        check_out(args.out, args.paths)
    except OutputError as error:
        raise Usage(str(error)) from None
    course = _course(args, keys=args.keys or True)
    try:
        files, skipped = grading.collect(args.paths)
    except grading.UsageError as error:
        raise Usage(str(error)) from None
    if not files:
        shown = ", ".join(f"{s.file} ({s.reason})" for s in skipped[:5]) + (", ..." if len(skipped) > 5 else "")
        raise Usage(f"no answer files (.yml, .yaml, .json) in {', '.join(args.paths)}" + (f"; skipped {len(skipped)}: {shown}" if skipped else ""))
    jobs = worker_count(args.jobs)
    progress = Progress("grading", len(files), enabled=not args.json)
    held: list[OutputFolder] = []
    try:
        outcome = batch.grade_to(
            args.out, files, course, inputs=args.paths, keep=args.keep, strict_version=args.strict_version, jobs=jobs,
            site_url=args.site_url or os.environ.get("SITE_URL") or None, skipped=skipped, progress=progress.update,
            on_open=held.append,
        )
    except OutputError as error:
        raise Usage(str(error)) from None
    except KeyboardInterrupt:
        progress.done()
        raise Interrupted(_left_behind(args.out, held[0] if held else None)) from None
    progress.done()
    out = Path(args.out)
    if args.json:
        json.dump({**outcome.summary(), "out": str(out), "rejected_files": [{"file": r.file, "reason": r.reason} for r in outcome.rejected],
                   "skipped_files": [report.skipped_json(s) for s in outcome.skipped]}, sys.stdout, indent=2)
        sys.stdout.write("\n")
    else:
        _print_summary(outcome, out, args.keep)
    return EXIT_SOME_REJECTED if outcome.rejected else EXIT_OK


def _left_behind(out: str, folder: OutputFolder | None) -> str:
    """What an interrupted run leaves in its output folder, in words."""
    if folder is not None and folder.published:
        return f"interrupted; {out} holds this run's outputs, whole"
    if folder is not None and folder.previous:
        return f"interrupted; {out} still holds the previous run's outputs, whole"
    return f"interrupted; nothing was written to {out}"


def worker_count(asked: int | None) -> int:
    """Processes to grade with: what --jobs asks, at most the cores this process may use (saying so when it caps)."""
    available = workers.cores()
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


def _print_summary(outcome: batch.Outcome, out: Path, keep: str) -> None:
    quizzes = len({e.quiz for e in outcome.kept})
    learners = len({e.learner_id for e in outcome.kept})
    print(f"Read {outcome.files} answer file(s): {len(outcome.kept)} graded for {learners} learner(s) in {quizzes} quiz(zes), "
          f"{len(outcome.set_aside)} set aside, {len(outcome.rejected)} rejected.")
    if outcome.set_aside:
        print(f"Set aside (--keep {keep}, one file per learner and quiz):")
        for aside, kept in outcome.set_aside:
            print(f"  {aside.file} (kept {kept.file})")
    warned = [e for e in outcome.kept if e.warnings]
    if warned:
        print(f"Graded with a warning ({len(warned)}; see the status column):")
        for entry in warned:
            print(f"  {entry.file}: {'; '.join(entry.warnings)}")
    if outcome.rejected:
        print(f"Rejected ({len(outcome.rejected)}; listed in {out / 'rejected.csv'}):")
        for rejection in outcome.rejected:
            print(f"  {rejection.file}: {rejection.reason}")
    if outcome.skipped:
        print(f"Skipped ({len(outcome.skipped)}; looked at, not graded):")
        for entry in outcome.skipped:
            print(f"  {entry.file}: {entry.reason}")
    print(f"Wrote {out / 'gradebook.csv'}, {out / 'results.json'}, {out / 'rejected.csv'} and {len(outcome.kept)} feedback file(s) in {out / 'feedback'}.")


def build_parser() -> argparse.ArgumentParser:
    """The argument parser, with one sub-command per task."""
    parser = argparse.ArgumentParser(prog="grader", description="Check the de-escalation course and grade learners' answer files.")
    parser.add_argument("--version", action="version", version=f"grader {__version__}")
    parser.add_argument("--course", metavar="DIR", help="the course folder (default: the working directory or the nearest parent with quizzes/models.yml)")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)

    check = sub.add_parser("check", help="validate the course files and print the coverage table", description=cmd_check.__doc__)
    check.add_argument("course_dir", nargs="?", metavar="COURSE_DIR", help="the course folder")
    check.add_argument("--keys", metavar="DIR", help="answer keys folder (default: quizzes/keys)")
    check.add_argument("-v", "--verbose", action="store_true", help="list the questions and replies behind each coverage row")
    check.set_defaults(run=cmd_check)

    template = sub.add_parser("template", help="print a blank answer file for a quiz or dialogue", description=cmd_template.__doc__)
    template.add_argument("quiz", metavar="QUIZ_ID", help="quiz or dialogue id")
    template.set_defaults(run=cmd_template)

    grade = sub.add_parser("grade", help="grade answer files and folders", description=cmd_grade.__doc__)
    grade.add_argument("paths", nargs="+", metavar="PATH", help="answer files, or folders searched recursively")
    grade.add_argument("--keys", metavar="DIR", help="answer keys folder (default: quizzes/keys)")
    grade.add_argument("--out", metavar="DIR", default="grades", help="where to write the outputs (default: grades)")
    grade.add_argument("--keep", choices=grading.KEEP, default="latest", help="which file counts when a learner hands in one quiz more than once (default: latest)")
    grade.add_argument("--strict-version", action="store_true", help="reject files answered against another version of the quiz instead of warning")
    grade.add_argument("--jobs", type=_jobs, metavar="N", help="processes to grade with (default and most: the cores available)")
    grade.add_argument("--site-url", metavar="URL", help="published course address, for lesson links in feedback (default: $SITE_URL)")
    grade.add_argument("--json", action="store_true", help="print the summary as JSON, with no progress bar")
    grade.set_defaults(run=cmd_grade)

    for register in _extra_commands():
        register(sub)
    return parser


def _extra_commands():
    """Sub-commands that live in their own modules (statistics, report, exports)."""
    found = []
    for module in ("grader.stats_cli",):
        try:
            found.append(__import__(module, fromlist=["register"]).register)
        except ModuleNotFoundError as error:
            if error.name != module:
                raise
    return found


def main(argv: list[str] | None = None) -> int:
    """Run the command; every error reaches the user as one clean message, never a traceback.

    Learner text reaches the screen in file names, warnings, statistics and errors, so everything
    printed shows control and bidi characters as escapes instead of letting the terminal obey them.
    """
    streams = sys.stdout, sys.stderr
    sys.stdout, sys.stderr = escape.VisibleStream(sys.stdout), escape.VisibleStream(sys.stderr)
    try:
        return _run(argv)
    finally:
        sys.stdout, sys.stderr = streams


def _run(argv: list[str] | None) -> int:
    try:
        args = build_parser().parse_args(argv)
        return args.run(args)
    except CourseError as error:
        for problem in error.problems:
            print(problem, file=sys.stderr)
        print(f"grader: the course has {len(error.problems)} problem(s); run `grader check` for the full list. Nothing was written.", file=sys.stderr)
        return EXIT_USAGE
    except Usage as error:
        print(f"grader: {error}", file=sys.stderr)
        return EXIT_USAGE
    except Interrupted as error:
        print(f"grader: {error}.", file=sys.stderr)
        return 130
    except KeyboardInterrupt:
        print("grader: interrupted; nothing was half written.", file=sys.stderr)
        return 130
    except BrokenPipeError:
        return EXIT_OK
    except OSError as error:
        print(f"grader: {error.filename or ''}: {error.strerror or error}", file=sys.stderr)
        return EXIT_USAGE
    except Exception as error:  # the promise is no traceback for users; GRADER_DEBUG shows one for developers
        if os.environ.get("GRADER_DEBUG"):
            traceback.print_exc()
        print(f"grader: unexpected error ({type(error).__name__}: {error}); set GRADER_DEBUG=1 to see details and please report it.", file=sys.stderr)
        return EXIT_USAGE
