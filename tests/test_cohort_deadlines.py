"""Deadlines: the time trusted (the LMS's, then the file's, then the learner's own), late penalties per day or part of a day, caps, rejection, extensions, and --keep by the same time."""

from __future__ import annotations

import json
import os
import shutil
from datetime import UTC, datetime, timedelta

import pytest

from grader.cohort.deadlines import Deadlines, Policy, TimeUsed, lateness, parse_when, trusted_time
from grader.common.problems import UsageError
from tests.cohort_files import CLASS, COURSE, ROSTER, excel_csv, member, write_zip
from tests.outputs import run_grader

T = datetime(2026, 11, 20, 10, 0, tzinfo=UTC)


@pytest.mark.parametrize(
    "text, expected",
    [
        ("2026-12-10T23:59+01:00", datetime(2026, 12, 10, 22, 59, tzinfo=UTC)),
        ("2026-12-10T23:59Z", datetime(2026, 12, 10, 23, 59, tzinfo=UTC)),
        ("2026-12-10T23:59:30-05:00", datetime(2026, 12, 11, 4, 59, 30, tzinfo=UTC)),
    ],
)
def test_deadlines_are_iso_8601_with_their_offset(text, expected):
    assert parse_when(text, "--deadline") == expected


@pytest.mark.parametrize(
    "text, message",
    [
        ("2026-12-10T23:59", "has no offset from UTC; add them, such as 2026-12-10T23:59+01:00"),
        ("2026-12-10", "has no time and offset from UTC"),
        ("next friday", "is not a date and time"),
    ],
)
def test_a_deadline_without_its_offset_is_refused(text, message):
    with pytest.raises(UsageError, match=message.replace("(", r"\(").replace("+", r"\+")):
        parse_when(text, "--deadline")


def test_the_lms_time_then_the_file_time_then_the_learners_own():
    lms, file, claimed = T, T - timedelta(hours=1), T - timedelta(hours=2)
    assert trusted_time(lms, file, claimed) == TimeUsed("lms", lms, claimed)
    assert trusted_time(None, file, claimed) == TimeUsed("file", file, claimed)
    assert trusted_time(None, None, claimed) == TimeUsed("submitted", claimed, claimed)
    assert trusted_time(None, None, None) == TimeUsed(None, None, None)
    # A file that claims to be days older than the LMS received it is doubted.
    assert "3 day(s) before the LMS received it" in trusted_time(lms, None, lms - timedelta(days=3, hours=2)).doubt
    assert trusted_time(lms, None, lms - timedelta(hours=20)).doubt == ""


@pytest.mark.parametrize(
    "late_by, days, percent",
    [
        (timedelta(0), 0, 0),
        (timedelta(seconds=1), 1, 10),
        (timedelta(hours=24), 1, 10),
        (timedelta(hours=24, seconds=1), 2, 20),
        (timedelta(days=9), 9, 50),  # capped
    ],
)
def test_a_penalty_per_day_or_part_of_a_day_capped(late_by, days, percent):
    deadline = (T, False)
    late = lateness(TimeUsed("lms", T + late_by, None), deadline, Policy(10, 50), lms_late=None, max_points=20, score=15)
    if not days:
        assert late is None
        return
    assert (late.days, late.percent, late.penalty) == (days, percent, 20 * percent / 100)


def test_a_penalty_never_takes_more_than_was_earned():
    late = lateness(TimeUsed("lms", T + timedelta(days=3), None), (T, False), Policy(50), lms_late=None, max_points=20, score=4)
    assert (late.percent, late.penalty) == (100, 4)


def test_an_lms_marker_makes_a_hand_in_late_unless_the_learner_has_an_extension():
    on_time = TimeUsed("submitted", T - timedelta(hours=1), T - timedelta(hours=1))
    late = lateness(on_time, (T, False), Policy(10), lms_late=True, max_points=20, score=20)
    assert (late.days, late.lms_marked) == (1, True)
    assert lateness(on_time, (T, True), Policy(10), lms_late=True, max_points=20, score=20) is None


def test_extensions_and_per_activity_deadlines():
    rules = Deadlines(
        {None: T, "tiny": T + timedelta(days=1)}, {("s001", None): T + timedelta(days=2), ("s002", "tiny"): T + timedelta(days=3)}
    )
    assert rules.deadline_for("s003", "mini-quiz") == (T, False)
    assert rules.deadline_for("s003", "tiny") == (T + timedelta(days=1), False)
    assert rules.deadline_for("s001", "tiny") == (T + timedelta(days=2), True)
    assert rules.deadline_for("s002", "tiny") == (T + timedelta(days=3), True)
    assert rules.deadline_for("s002", "mini-quiz") == (T, False)


@pytest.fixture
def timed_class(tmp_path):
    """Ada, Bob and Cara's files with file times of their own: Ada on time, Bob 1.5 days late, Cara 3 days late (by file time)."""
    folder = tmp_path / "class"
    folder.mkdir()
    for name, hours in (("ada.yml", -1), ("bob.yml", 36), ("cara.json", 72)):
        shutil.copy(CLASS / name, folder / name)
        stamp = (T + timedelta(hours=hours)).timestamp()
        os.utime(folder / name, (stamp, stamp))
    return folder


def grade(tmp_path, *args, code=0):
    done = run_grader("--course", COURSE, "grade", *args, "--out", tmp_path / "out", cwd=tmp_path)
    assert done.code == code, done.err
    return done, json.loads((tmp_path / "out" / "results.json").read_text(encoding="utf-8"))


def test_late_hand_ins_lose_points_in_every_output(tmp_path, timed_class):
    done, doc = grade(tmp_path, "class", "--deadline", "2026-11-20T11:00+01:00", "--late-penalty", "10", "--late-cap", "25")
    by = {r["learner"]["id"]: r for r in doc["results"]}
    assert by["s001"]["late"] is None and by["s001"]["time"]["used"] == "file"
    assert by["s002"]["late"] == {
        "days": 2,
        "percent": 20,
        "penalty": 3.6,
        "deadline": "2026-11-20T10:00:00Z",
        "extension": False,
        "lms_marked": False,
    }
    assert by["s002"]["score"] == round(5.2 - 3.6, 4) and by["s002"]["earned"] == 5.2
    assert by["s003"]["late"]["percent"] == 25 and by["s003"]["late"]["days"] == 3  # capped
    assert doc["deadlines"] == {
        "deadlines": {"*": "2026-11-20T10:00:00Z"},
        "extensions": [],
        "late": "penalty",
        "penalty_per_day": 10.0,
        "cap": 25.0,
    }
    rows = {r.split(",")[0]: r for r in (tmp_path / "out" / "gradebook.csv").read_text(encoding="utf-8").splitlines()[1:]}
    assert rows["s002"].endswith(",2026-11-21T22:00:00Z,file,2,3.6")
    assert "late: 2 days late (-20%, -3.6 points)" in rows["s002"]
    assert "Late (2):" in done.out
    feedback = (tmp_path / "out" / "feedback" / "s002" / "mini-quiz.md").read_text(encoding="utf-8")
    assert (
        "- **Late:** 2 day(s) after the deadline, 2026-11-20 10:00 UTC (handed in 2026-11-21 22:00 UTC, by the file's time): "
        "20% of the points taken off (3.6 points)"
    ) in feedback


def test_late_reject_rejects_late_files_only(tmp_path, timed_class):
    _done, doc = grade(tmp_path, "class", "--deadline", "2026-11-20T10:00Z", "--late", "reject", code=1)
    assert [r["learner"]["id"] for r in doc["results"]] == ["s001"]
    assert {r["file"]: r["reason"] for r in doc["rejected"]} == {
        "class/bob.yml": "handed in 2 day(s) after the deadline (2026-11-20 10:00 UTC, by the file time); --late reject",
        "class/cara.json": "handed in 3 day(s) after the deadline (2026-11-20 10:00 UTC, by the file time); --late reject",
    }


def test_an_extension_moves_one_learners_deadline(tmp_path, timed_class):
    (tmp_path / "extensions.csv").write_bytes(excel_csv([["ID", "Deadline"], ["s002", "2026-11-22T10:00Z"]]))
    _, doc = grade(tmp_path, "class", "--deadline", "2026-11-20T10:00Z", "--late-penalty", "10", "--extensions", "extensions.csv")
    by = {r["learner"]["id"]: r for r in doc["results"]}
    assert by["s002"]["late"] is None and by["s003"]["late"]["days"] == 3
    assert doc["deadlines"]["extensions"] == [{"learner": "s002", "activity": None, "deadline": "2026-11-22T10:00:00Z"}]


def test_ignore_file_times_uses_the_learners_own(tmp_path, timed_class):
    _, doc = grade(tmp_path, "class", "--deadline", "2026-11-20T10:30Z", "--late-penalty", "10", "--ignore-file-times")
    by = {r["learner"]["id"]: r for r in doc["results"]}
    # Ada claims 10:00, Bob 11:00; Cara claims 2026-11-21T08:30.
    assert {k: (r["time"]["used"], r["late"]["days"] if r["late"] else 0) for k, r in by.items()} == {
        "s001": ("submitted", 0),
        "s002": ("submitted", 1),
        "s003": ("submitted", 1),
    }


def test_many_files_with_one_copy_time_get_a_warning(tmp_path):
    folder = tmp_path / "class"
    folder.mkdir()
    for name in ("ada.yml", "bob.yml", "cara.json"):
        shutil.copy(CLASS / name, folder / name)
    done, _ = grade(tmp_path, "class")
    assert "lie within 2 minutes of each other" in done.out and "--ignore-file-times" in done.out


def test_keep_latest_goes_by_the_trusted_time_not_the_claim(tmp_path):
    # Dan's second file claims a later time, but the file that arrived later is the first one.
    folder = tmp_path / "class"
    folder.mkdir()
    for name, hours in (("dan-first.yml", 5), ("late/dan-second.yml", 1)):
        target = folder / os.path.basename(name)
        shutil.copy(CLASS / name, target)
        stamp = (T + timedelta(hours=hours)).timestamp()
        os.utime(target, (stamp, stamp))
    _, doc = grade(tmp_path, "class", "--keep", "latest")
    assert doc["results"][0]["file"] == "class/dan-first.yml" and doc["set_aside"][0]["file"] == "class/dan-second.yml"


def test_in_a_canvas_zip_the_zip_time_is_not_a_hand_in_time(tmp_path):
    # Canvas gives every member the time it made the zip; the learners' own times decide, and Canvas's LATE marker.
    write_zip(
        tmp_path / "canvas.zip",
        [
            member("lovelaceada_5001_700_mini-quiz.yml", (CLASS / "ada.yml").read_bytes(), when=(2026, 12, 30, 9, 0, 0)),
            member("okaforbob_LATE_5002_701_mini-quiz.yml", (CLASS / "bob.yml").read_bytes(), when=(2026, 12, 30, 9, 0, 0)),
        ],
    )
    (tmp_path / "roster.csv").write_bytes(excel_csv(ROSTER))
    _done, doc = grade(tmp_path, "canvas.zip", "--roster", "roster.csv", "--deadline", "2026-11-20T12:00Z", "--late-penalty", "5")
    by = {r["learner"]["id"]: r for r in doc["results"]}
    assert by["s001"]["time"] == {"used": "submitted", "at": "2026-11-20T10:00:00Z", "claimed": "2026-11-20T10:00:00Z"}
    assert by["s001"]["late"] is None
    assert by["s002"]["late"]["days"] == 1 and by["s002"]["late"]["lms_marked"] and "time doubted" in by["s002"]["flags"]
    assert "Canvas marks it late, but its submitted time 2026-11-20 11:00 UTC is before the deadline" in by["s002"]["status"]


def grade_ada(tmp_path, *args):
    """`grader grade` on Ada's file alone, with `args`, into tmp_path/out."""
    return run_grader("--course", COURSE, "grade", CLASS / "ada.yml", *args, "--out", tmp_path / "out")


@pytest.mark.parametrize(
    "args, message",
    [
        (["--late-penalty", "10"], "--late-penalty needs --deadline"),
        (
            ["--deadline", "2026-11-20T10:00Z", "--late", "reject", "--late-penalty", "5"],
            "give --late reject or --late-penalty, not both",
        ),
        (["--deadline", "2026-11-20T10:00Z", "--late-cap", "50"], "--late-cap needs --late-penalty"),
        (["--deadline", "nope=2026-11-20T10:00Z"], "'nope' is not an activity in this course"),
        (["--deadline", "2026-11-20T10:00"], "has no offset from UTC"),
    ],
)
def test_bad_deadline_options_are_one_line_and_nothing_is_written(tmp_path, args, message):
    done = grade_ada(tmp_path, *args)
    assert done.code == 2 and message in done.err and done.err.count("\n") == 1, done.err
    assert not (tmp_path / "out").exists()


def test_a_penalty_must_be_a_per_cent(tmp_path):
    done = grade_ada(tmp_path, "--deadline", "2026-11-20T10:00Z", "--late-penalty", "0")
    assert done.code == 2 and "'0' is not a per cent; give a number above 0, at most 100" in done.err


def test_a_bad_extensions_file_names_every_line(tmp_path):
    (tmp_path / "ext.csv").write_bytes(
        excel_csv([["id", "deadline"], ["s001", "tomorrow"], ["../x", "2026-11-20T10:00Z"], ["s002", "2026-11-20T10:00"]])
    )
    done = grade_ada(tmp_path, "--deadline", "2026-11-20T10:00Z", "--extensions", tmp_path / "ext.csv")
    assert done.code == 2 and not (tmp_path / "out").exists()
    assert [line.split(": ", 2)[1].rsplit(":", 1)[-1] for line in done.err.splitlines()[:3]] == ["2", "3", "4"]
    assert "3 problem(s) in the extensions file" in done.err
