"""Every command works from any folder when `--course` (or `check COURSE_DIR`) names the course."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from tests.conftest import CASES, MINI
from tests.outputs import output_set, run_grader

CLASS = CASES / "grade" / "class"


@pytest.fixture(scope="module")
def setup(tmp_path_factory) -> dict[str, Path]:
    """A copy of the small course, a working folder outside it, and a grade output made from there."""
    base = tmp_path_factory.mktemp("anywhere")
    course = base / "course"
    shutil.copytree(MINI, course)
    elsewhere = base / "elsewhere"
    elsewhere.mkdir()
    done = run_grader("--course", course, "grade", CLASS, "--out", base / "grades", cwd=elsewhere)
    assert done.code == 1, done.err  # the class holds four files made to be rejected
    return {"course": course, "elsewhere": elsewhere, "grades": base / "grades"}


def test_grade_from_outside_the_course(setup):
    graded = output_set(setup["grades"])
    assert {r["quiz"] for r in graded["gradebook"]} == {"mini-quiz", "tiny"}


@pytest.mark.parametrize(
    "args, expect",
    [
        (["check", "{course}"], "Course OK"),
        (["--course", "{course}", "check"], "Course OK"),
        (["--course", "{course}", "template", "mini-quiz"], "quiz: mini-quiz"),
        (["--course", "{course}", "stats", "{grades}"], "Class statistics: 6 learner(s)"),
        (["--course", "{course}", "report", "{grades}", "--output", "{elsewhere}/report.html"], "Wrote"),
        (["--course", "{course}", "export", "--to", "canvas", "{grades}", "--output", "-"], "Points Possible"),
        (
            ["--course", "{course}", "export", "--to", "moodle", "--feedback", "--results", "{grades}", "--output", "-"],
            "ID number",
        ),
        (["--course", "{course}", "export", "--to", "gift", "--output", "-"], "$CATEGORY"),
    ],
    ids=["check-dir", "check", "template", "stats", "report", "canvas", "moodle", "gift"],
)
def test_command_from_outside_the_course(setup, args, expect):
    done = run_grader(*(a.format(**setup) for a in args), cwd=setup["elsewhere"])
    assert done.code == 0, done.err
    assert expect in done.out
