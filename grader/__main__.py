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
    code = main()
    # The outputs are whole and the summary printed: a Ctrl-C now has nothing left to stop. Left to
    # Python, one landing in interpreter shutdown (handlers reset to the default) kills the process
    # with no message and a signal's status in place of the grader's own exit code.
    interrupts.ignore()
    return code


if __name__ == "__main__":
    sys.exit(run())
