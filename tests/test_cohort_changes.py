"""A re-run into the same output folder lists every score that changed, and why: a new hand-in, an override, a deadline, an identity, the key."""

from __future__ import annotations

import csv
import json
import os
import shutil

import pytest

from grader.cohort.changes import Change, compare, marks
from tests.cohort_files import CLASS, COURSE, ROSTER, excel_csv, member, write_zip
from tests.outputs import run_grader


def changes(out) -> list[dict]:
    with open(out / "changes.csv", encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


@pytest.fixture
def course(tmp_path):
    """A copy of the test course whose key can be changed between runs, and a class of three with their own file times."""
    shutil.copytree(COURSE, tmp_path / "course")
    (tmp_path / "class").mkdir()
    for name in ("ada.yml", "bob.yml", "cara.json"):
        shutil.copy(CLASS / name, tmp_path / "class" / name)
        os.utime(tmp_path / "class" / name, (1795608000, 1795608000))  # 2026-11-25T12:00Z
    return tmp_path / "course"


def grade(tmp_path, course, *args):
    done = run_grader("--course", course, "grade", "class", *args, "--out", tmp_path / "out", cwd=tmp_path)
    assert done.code == 0, done.err
    return done


def test_a_first_run_has_nothing_to_compare_with(tmp_path, course):
    done = grade(tmp_path, course)
    assert changes(tmp_path / "out") == [] and "Changed since" not in done.out
    assert json.loads((tmp_path / "out" / "results.json").read_text())["changes"] is None


def test_each_kind_of_change_is_named(tmp_path, course):
    grade(tmp_path, course)
    # An override.
    (tmp_path / "overrides.yml").write_text(
        "format: 1\nlearners:\n  - {learner: s002, activity: mini-quiz, set: 9, reason: by hand}\n"
    )
    done = grade(tmp_path, course, "--overrides", "overrides.yml")
    assert changes(tmp_path / "out") == [
        {"learner": "s002", "activity": "mini-quiz", "old score": "5.2", "new score": "9", "why": "override"}
    ]
    assert "Changed since the previous run in" in done.out and "  s002 mini-quiz: 5.2 -> 9 (override)" in done.out
    # A deadline: every file time is after it; Ada and Cara lose points, and Bob's set score is the last word.
    grade(tmp_path, course, "--overrides", "overrides.yml", "--deadline", "2026-11-25T11:00Z", "--late-penalty", "10")
    assert {(c["learner"], c["why"]) for c in changes(tmp_path / "out")} == {("s001", "deadline"), ("s003", "deadline")}
    # A new hand-in: Cara hands in again (Ada's file, as hers), and the key changes for everyone else.
    (tmp_path / "class" / "cara.json").unlink()
    (tmp_path / "class" / "cara.yml").write_text((CLASS / "ada.yml").read_text().replace("s001", "s003"))
    os.utime(tmp_path / "class" / "cara.yml", (1795608000, 1795608000))  # as late as the file it replaces
    key = course / "quizzes" / "keys" / "mini-quiz.yml"
    key.write_text(key.read_text().replace("    correct: b\n", "    correct: a\n", 1))
    grade(tmp_path, course, "--overrides", "overrides.yml", "--deadline", "2026-11-25T11:00Z", "--late-penalty", "10")
    found = {c["learner"]: c["why"] for c in changes(tmp_path / "out")}
    assert found == {"s001": "key", "s003": "new hand-in"}
    doc = json.loads((tmp_path / "out" / "results.json").read_text())
    assert {c["learner"]: c["why"] for c in doc["changes"]} == {"s001": ["key"], "s003": ["new hand-in"]}


def test_an_identity_check_and_a_hand_in_that_is_gone(tmp_path):
    (tmp_path / "roster.csv").write_bytes(excel_csv(ROSTER))
    write_zip(tmp_path / "canvas.zip", [member("ngdan_5004_700_mini-quiz.yml", (CLASS / "bob.yml").read_bytes())])
    first = run_grader("--course", COURSE, "grade", "canvas.zip", "--out", tmp_path / "out", cwd=tmp_path)
    assert first.code == 0, first.err
    again = run_grader(
        "--course", COURSE, "grade", "canvas.zip", "--roster", "roster.csv", "--out", tmp_path / "out", cwd=tmp_path
    )
    assert again.code == 0, again.err
    assert changes(tmp_path / "out")[0] == {
        "learner": "s002",
        "activity": "mini-quiz",
        "old score": "5.2",
        "new score": "0",
        "why": "identity",
    }
    write_zip(tmp_path / "canvas.zip", [member("lovelaceada_5001_700_mini-quiz.yml", (CLASS / "ada.yml").read_bytes())])
    run_grader("--course", COURSE, "grade", "canvas.zip", "--out", tmp_path / "out", cwd=tmp_path)
    assert {(c["learner"], c["why"]) for c in changes(tmp_path / "out")} == {("s002", "no hand-in"), ("s001", "new hand-in")}


def test_a_previous_run_from_an_older_grader_is_compared_by_what_it_has():
    old = {"results": [{"learner": {"id": "s1"}, "quiz": "q", "score": 3, "file": "a.yml"}]}
    new = {"results": [{"learner": {"id": "s1"}, "quiz": "q", "score": 4, "file": "a.yml", "digest": "ab" * 32}]}
    assert compare(marks(old), marks(new)) == [Change("s1", "q", 3, 4, ("new hand-in",))]
    assert compare(marks(old), marks(old)) == []
