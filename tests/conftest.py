"""Shared fixtures: the project root, the small test course, and a way to run the CLI in-process."""

from __future__ import annotations

import shutil
from dataclasses import dataclass
from pathlib import Path

import pytest

from grader.cli import main
from grader.course import load_course
from tests.outputs import ROOT

CASES = ROOT / "tests" / "cases"
MINI = CASES / "course"


@dataclass
class Run:
    """What one CLI call printed and returned."""

    code: int
    out: str
    err: str


@pytest.fixture
def cli(capsys, monkeypatch):
    """Run `grader ARGS...` in-process from a folder; returns a Run."""

    def run(*args: str, cwd: Path | None = None) -> Run:
        if cwd is not None:
            monkeypatch.chdir(cwd)
        code = main([str(a) for a in args])
        captured = capsys.readouterr()
        return Run(code, captured.out, captured.err)

    return run


@pytest.fixture(scope="session")
def mini():
    """The small test course, keys included."""
    return load_course(MINI, keys=True)


@pytest.fixture
def mini_copy(tmp_path) -> Path:
    """A writable copy of the small test course."""
    target = tmp_path / "course"
    shutil.copytree(MINI, target)
    return target
