"""A progress bar on a terminal for long runs; silent when not on a terminal."""

from __future__ import annotations

import sys
import time

from grader.common.escape import unescaped

# Short runs finish before a bar would help; only draw after this many seconds.
DELAY = 0.5


class Progress:
    """Draws `label  n/total [####    ] pct` on stderr, at most ten times a second."""

    def __init__(self, label: str, total: int, *, enabled: bool = True, stream=None):
        # Its own carriage returns must reach the terminal, past the escaping around stderr.
        self.stream = stream or unescaped(sys.stderr)
        self.enabled = enabled and total > 0 and self.stream.isatty()
        self.label, self.total = label, total
        self.start = self.last = time.monotonic()
        self.drawn = False

    def update(self, done: int) -> None:
        """Record progress; redraw when it is worth it."""
        if not self.enabled:
            return
        now = time.monotonic()
        if now - self.start < DELAY or (now - self.last < 0.1 and done < self.total):
            return
        self.last, self.drawn = now, True
        width = 30
        filled = width * done // self.total
        self.stream.write(
            f"\r{self.label} {done}/{self.total} [{'#' * filled}{' ' * (width - filled)}] {100 * done // self.total}%"
        )
        self.stream.flush()

    def done(self) -> None:
        """Clear the bar so the summary starts on a clean line."""
        if self.drawn:
            self.stream.write("\r" + " " * (len(self.label) + 60) + "\r")
            self.stream.flush()
