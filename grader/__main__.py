"""Run the grader: `python -m grader`, and the `grader` command."""

import sys


def run() -> int:
    """Catch signals before the heavier imports, so even an early Ctrl-C ends in one clean line."""
    try:
        from grader.common import interrupts

        interrupts.install()
        from grader.cli import main
    except KeyboardInterrupt:
        print("grader: interrupted; nothing was done.", file=sys.stderr)
        return 130
    return main()


if __name__ == "__main__":
    sys.exit(run())
