"""Ctrl-C, SIGTERM and SIGHUP: one way for the grader to stop, and a way to hold them off for a moment."""

from __future__ import annotations

import signal
from collections.abc import Iterator
from contextlib import contextmanager

# SIGHUP arrives when the terminal closes; Windows has neither it nor SIGTERM's usual meaning.
STOPPING = tuple(getattr(signal, name) for name in ("SIGINT", "SIGTERM", "SIGHUP") if hasattr(signal, name))


def _stop(signum, frame) -> None:
    """Every stopping signal ends the grader as Ctrl-C does, so every run cleans up the same way."""
    raise KeyboardInterrupt


def install() -> None:
    """Turn SIGTERM and SIGHUP into the KeyboardInterrupt that Ctrl-C raises."""
    for number in STOPPING:
        if number != signal.SIGINT:
            signal.signal(number, _stop)


def ignore() -> None:
    """Ignore the stopping signals from now on: the work is done and only the exit is left."""
    for number in STOPPING:
        signal.signal(number, signal.SIG_IGN)


@contextmanager
def held() -> Iterator[None]:
    """Hold the stopping signals for a few calls that must not be cut in half; they take effect right after."""
    if not hasattr(signal, "pthread_sigmask"):
        yield
        return
    before = signal.pthread_sigmask(signal.SIG_BLOCK, STOPPING)
    try:
        yield
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, before)
