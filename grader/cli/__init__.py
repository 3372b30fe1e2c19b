"""The `grader` command: one module per sub-command; every error reaches the user as one clean line.

Exit codes: 0 all well; 1 some files rejected or course problems found by `check`;
2 a usage or course error (nothing written)."""

from __future__ import annotations

import argparse
import importlib
import os
import sys
import traceback

from grader import __version__
from grader.cli.interrupted import Interrupted
from grader.common import escape
from grader.common.problems import EXIT_OK, EXIT_USAGE, CourseError, UsageError

# Each command's module, imported only when the command runs (or for the full --help): `grader check`
# need not pay for importing what `grade`, `export` and `report` use.
COMMANDS = ("check", "template", "play", "maps", "grade", "stats", "report", "export")


def build_parser(only: str | None = None) -> argparse.ArgumentParser:
    """The argument parser, with one sub-command per task; with `only`, the other commands are bare placeholders."""
    parser = argparse.ArgumentParser(
        prog="grader", description="Check the de-escalation course and grade learners' answer files."
    )
    parser.add_argument("--version", action="version", version=f"grader {__version__}")
    parser.add_argument(
        "--course",
        metavar="DIR",
        help="the course folder (default: the working directory or the nearest parent with quizzes/models.yml)",
    )
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)
    for name in COMMANDS:
        if only is None or name == only:
            importlib.import_module(f"grader.cli.{name}").register(sub)
        else:
            sub.add_parser(name, add_help=False)
    return parser


def _command_in(argv: list[str]) -> str | None:
    """The command `argv` most likely names (the first word that is not a global option or its value), if it is one."""
    words = iter(argv)
    for word in words:
        if word == "--course":
            next(words, None)
        elif not word.startswith("-"):
            return word if word in COMMANDS else None
    return None


def parse(argv: list[str] | None) -> argparse.Namespace:
    """The parsed command line, importing only the command it names; anything less certain gets the full parser."""
    words = sys.argv[1:] if argv is None else argv
    only = _command_in(words)
    if only is not None:
        # A placeholder leaves its arguments unknown: then, or if the guess was wrong, the full parser decides.
        args, unknown = build_parser(only).parse_known_args(words)
        if args.command == only and not unknown:
            return args
    return build_parser().parse_args(words)


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
        args = parse(argv)
        return args.run(args)
    except CourseError as error:
        for problem in error.problems:
            print(problem, file=sys.stderr)
        print(
            f"grader: the course has {len(error.problems)} problem(s); run `grader check` for the full list. Nothing was written.",
            file=sys.stderr,
        )
        return EXIT_USAGE
    except UsageError as error:
        # A roster with several problems names each on its own line.
        for line in str(error).splitlines() or [""]:
            print(f"grader: {line}", file=sys.stderr)
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
        print(
            f"grader: unexpected error ({type(error).__name__}: {error}); set GRADER_DEBUG=1 to see details and please report it.",
            file=sys.stderr,
        )
        return EXIT_USAGE
