"""Run one function over many items in worker processes that start only when needed and never outlive the grader.

Each worker is forked from the grader, so the work and its context (a loaded course) reach it
without being pickled. Work goes out in chunks over one pipe per worker and results come back
over another; the grader hands a worker its next chunk only when the last one has come back, so
no pipe can fill in both directions at once, and it ends every worker itself on any error,
Ctrl-C or signal. A killed grader takes its workers with it.
"""

from __future__ import annotations

import ctypes
import multiprocessing
import os
import signal
import sys
import threading
import time
from collections.abc import Callable, Iterator
from multiprocessing.connection import Connection, wait
from typing import Any

from grader.common import interrupts

# Below this many items a pool costs more than it saves.
POOL_THRESHOLD = 200
# Linux: the kernel kills a worker when the grader dies, even by SIGKILL.
PR_SET_PDEATHSIG = 1


class WorkerError(Exception):
    """A worker process failed or disappeared; the message says how."""


def cores() -> int:
    """The cores this process may run on (a container or `taskset` can allow fewer than the machine has)."""
    try:
        return len(os.sched_getaffinity(0)) or 1
    except (AttributeError, OSError):
        return os.cpu_count() or 1


def _die_with(parent: int) -> None:
    """Make this worker end when the grader does, however the grader ends."""
    if sys.platform.startswith("linux"):
        try:
            ctypes.CDLL(None, use_errno=True).prctl(PR_SET_PDEATHSIG, signal.SIGKILL)
        except (OSError, AttributeError):
            pass
    if os.getppid() != parent:  # the grader died before the line above took effect
        os._exit(1)

    def watch() -> None:
        # Where the kernel cannot do it (not Linux), the worker notices its parent has gone.
        while True:
            time.sleep(0.5)
            if os.getppid() != parent:
                os._exit(1)

    threading.Thread(target=watch, daemon=True).start()


def _serve(tasks: Connection, results: Connection, work: Callable, context: Any, parent: int) -> None:
    """A worker's life: take a chunk, send back its results, until told to stop."""
    # The grader handles Ctrl-C, SIGHUP and SIGTERM for the whole run and ends the workers itself.
    for number in interrupts.STOPPING:
        signal.signal(number, signal.SIG_DFL if number == signal.SIGTERM else signal.SIG_IGN)
    if hasattr(signal, "pthread_sigmask"):
        signal.pthread_sigmask(signal.SIG_UNBLOCK, interrupts.STOPPING)  # forked while they were held
    _die_with(parent)
    while True:
        try:
            chunk = tasks.recv()
        except EOFError:
            return
        if chunk is None:
            return
        try:
            results.send((True, [work(context, item) for item in chunk]))
        except Exception as error:  # a bug in the work: the grader reports it as one unexpected error
            results.send((False, f"{type(error).__name__}: {error}"))


class _Worker:
    """One worker process and its two pipes."""

    def __init__(self, work: Callable, context: Any):
        forked = multiprocessing.get_context("fork")
        self.tasks_out, tasks_in = forked.Pipe(duplex=False)[::-1]
        results_in, self.results_out = forked.Pipe(duplex=False)
        self.results = results_in
        self.process = forked.Process(
            target=_serve,
            args=(tasks_in, self.results_out, work, context, os.getpid()),
            daemon=True,
        )
        self.process.start()
        tasks_in.close()
        self.results_out.close()

    def send(self, chunk: list | None) -> None:
        self.tasks_out.send(chunk)

    def end(self, *, now: bool) -> None:
        """Stop the worker: ask it to finish, or kill it at once."""
        if now:
            self.process.kill()
        else:
            try:
                self.send(None)
            except OSError:
                pass
        self.process.join(timeout=None if not now else 5)
        self.tasks_out.close()
        self.results.close()


def map_in_order(
    work: Callable[[Any, Any], Any],
    context: Any,
    items: list,
    *,
    jobs: int = 1,
    progress: Callable[[int], None] | None = None,
) -> Iterator:
    """`work(context, item)` for every item, in order, in up to `jobs` processes forked from this one.

    `work` must be a module-level function; it runs in the workers with `context` as it was here.
    """
    if jobs <= 1 or len(items) < POOL_THRESHOLD or "fork" not in multiprocessing.get_all_start_methods():
        for index, item in enumerate(items, 1):
            yield work(context, item)
            if progress:
                progress(index)
        return
    size = max(16, min(64, len(items) // (jobs * 8) or 1))
    chunks = [items[i : i + size] for i in range(0, len(items), size)]
    crew: list[_Worker] = []
    finished = False
    try:
        # Held, so that a signal never lands half-way through starting a process.
        with interrupts.held():
            crew = [_Worker(work, context) for _ in range(min(jobs, len(chunks)))]
        done = 0
        for result in _in_order(crew, chunks, window=jobs * 4):
            for outcome in result:
                done += 1
                yield outcome
            if progress:
                progress(done)
        finished = True
    finally:
        for worker in crew:
            worker.end(now=not finished)


def _in_order(crew: list[_Worker], chunks: list[list], *, window: int) -> Iterator[list]:
    """Each chunk's results, in chunk order, with at most `window` chunks out or waiting to be taken."""
    busy: dict[Connection, tuple[_Worker, int]] = {}
    ready: dict[int, list] = {}
    sent = taken = 0

    def hand_out(worker: _Worker) -> None:
        nonlocal sent
        if sent < len(chunks) and sent - taken < window:
            worker.send(chunks[sent])
            busy[worker.results] = (worker, sent)
            sent += 1

    idle = list(crew)
    while taken < len(chunks):
        while idle and sent < len(chunks) and sent - taken < window:
            hand_out(idle.pop())
        if taken in ready:
            yield ready.pop(taken)
            taken += 1
            continue
        answered = set(wait(list(busy)))
        for conn in [c for c in busy if c in answered]:
            worker, index = busy.pop(conn)
            try:
                ok, result = conn.recv()
            except EOFError:
                code = worker.process.exitcode
                raise WorkerError(f"a worker process stopped unexpectedly (exit code {code}); no output was changed") from None
            if not ok:
                raise WorkerError(f"a worker process failed ({result})")
            ready[index] = result
            idle.append(worker)
