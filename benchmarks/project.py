"""The project under measurement: where it is, a throw-away copy of it, and how to run its tools."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
# Copies leave out what is big, generated or private to one machine.
LEFT_OUT = {".git", ".venv", "node_modules", ".pytest_cache", ".hypothesis", "__pycache__", "benchmarks"}
# Left out only at the top: a built site and a grade output (grader/site/ is the fences' code).
TOP_LEFT_OUT = {"site", "grades"}


def snapshot(root: Path, dest: Path) -> Path:
    """Copy the course (docs, quizzes, grader with its schemas, mkdocs.yml...) to `dest` and return it."""

    def left_out(folder: str, names: list[str]) -> list[str]:
        top = Path(folder) == root
        return [n for n in names if n in LEFT_OUT or n.endswith(".egg-info") or (top and n in TOP_LEFT_OUT)]

    shutil.copytree(root, dest, ignore=left_out)
    return dest


def env(root: Path, **extra: str) -> dict:
    """Environment for tools run on `root`: its own `grader` package comes first on the path."""
    found = dict(os.environ)
    found["PYTHONPATH"] = os.pathsep.join([str(root), *filter(None, [found.get("PYTHONPATH")])])
    found.pop("SITE_URL", None)
    found.update(extra)
    return found


@dataclass(frozen=True)
class Ran:
    """One timed child process."""

    seconds: float
    code: int
    max_rss_kib: int
    """Peak resident memory of the child and its own children, from wait4."""


def timed(argv: list[str], *, cwd: Path, env: dict, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL) -> Ran:
    """Run `argv` and return its wall time, exit code and peak RSS (measured for this child alone)."""
    start = time.perf_counter()
    child = subprocess.Popen(argv, cwd=cwd, env=env, stdout=stdout, stderr=stderr)
    _pid, status, usage = os.wait4(child.pid, 0)
    seconds = time.perf_counter() - start
    child.returncode = os.waitstatus_to_exitcode(status)  # keeps Popen from waiting again
    return Ran(seconds, child.returncode, usage.ru_maxrss)


def python() -> str:
    """The interpreter running the benchmark (the project virtualenv's)."""
    return sys.executable
