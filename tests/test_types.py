"""The grader's type hints pass mypy, with the settings in pyproject.toml, over every module of the package.

mypy and the stubs it needs come with the test dependencies (`.[test]`); like every tool the tests need, a missing
one fails the test rather than skipping it.
"""

from __future__ import annotations

import re
import subprocess
import sys

from tests.conftest import ROOT


def _mypy(tmp_path, *args: str) -> subprocess.CompletedProcess:
    """mypy from this interpreter, run as a user runs it from the project root; its cache kept out of the project."""
    command = [sys.executable, "-m", "mypy", "--cache-dir", str(tmp_path / "cache"), *args]
    return subprocess.run(command, cwd=ROOT, capture_output=True, text=True, timeout=600)


def test_the_grader_passes_the_type_check(tmp_path):
    done = _mypy(tmp_path)
    assert done.returncode == 0 and done.stdout.startswith("Success: no issues found"), (
        f"mypy found errors:\n{done.stdout}{done.stderr}"
    )
    # Every module is read: mypy also counts grader/schemas/, a folder of data, as a namespace package.
    checked = int(re.search(r"in (\d+) source files", done.stdout)[1])
    assert checked >= len(list((ROOT / "grader").rglob("*.py")))


def test_the_type_check_catches_a_possible_none(tmp_path):
    bad = tmp_path / "bad.py"
    bad.write_text(
        "from grader.course import Course\n\n\ndef title(course: Course) -> str:\n    return course.activity('x').title\n",
        encoding="utf-8",
    )
    done = _mypy(tmp_path, str(bad))
    assert done.returncode == 1 and 'Item "None" of "Quiz | None" has no attribute "title"' in done.stdout, done.stdout
