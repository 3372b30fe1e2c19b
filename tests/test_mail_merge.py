"""mail-merge.csv: one row per learner with their email, name, a subject and the paths of their feedback pages."""

from __future__ import annotations

import csv
import email
import email.policy
import io
import os
import shutil
import subprocess
import sys

import pytest

from grader.cohort.roster import Learner as RosterLearner
from grader.cohort.roster import Roster
from grader.common.csv_text import csv_text
from grader.grading.mail_merge import COLUMNS, Learner, add, mail_merge_csv, mail_merge_note
from tests.conftest import CASES, MINI, ROOT
from tests.outputs import run_grader


@pytest.fixture(scope="module")
def graded(tmp_path_factory):
    out = tmp_path_factory.mktemp("mail") / "out"
    done = run_grader("--course", MINI, "grade", CASES / "grade" / "class", "--out", out)
    assert done.code == 1, done.err
    return out, done


def rows(text: str) -> list[dict]:
    return list(csv.DictReader(io.StringIO(text)))


def test_one_row_per_learner_with_the_path_of_each_feedback_file(graded):
    out, done = graded
    found = rows((out / "mail-merge.csv").read_text(encoding="utf-8"))
    assert [r["learner_id"] for r in found] == ["s001", "s002", "s003", "s004", "s005", "s006"]
    ada = found[0]
    assert ada == {
        "email": "",
        "name": "Ada Lovelace",
        "learner_id": "s001",
        "subject": "Your feedback: Mini quiz, A tiny call",
        "scores": "Mini quiz: 18 of 18 points; A tiny call: 10 of 10 points",
        "pages": "feedback/s001/mini-quiz.html; feedback/s001/tiny.html",
        "markdown": "feedback/s001/mini-quiz.md; feedback/s001/tiny.md",
    }
    # Every path is relative to the output folder and names a file the run wrote.
    for row in found:
        for path in row["pages"].split("; ") + row["markdown"].split("; "):
            assert (out / path).is_file(), path
    # A name a spreadsheet would run stays text.
    assert found[5]["name"].startswith("'=HYPERLINK(")
    assert (
        "The mail merge (mail-merge.csv) lists 6 learner(s); its email column is empty, since no roster was given.\n" in done.out
    )


def test_a_roster_gives_each_learner_their_email():
    learners: dict[str, Learner] = {}
    add(learners, "s2", "", "quiz", "1 of 2 points")
    add(learners, "s1", "Ada as typed", "quiz", "2 of 2 points")
    add(learners, "s1", "Ada again", "talk", "3 of 4 points")
    roster = Roster(
        "roster.csv",
        {"s1": RosterLearner("s1", "Ada Lovelace", "ada@example.edu"), "s9": RosterLearner("s9", email="x@example.edu")},
    )
    found = rows(mail_merge_csv(learners, {"quiz": "The *first* quiz", "talk": "A talk"}, roster))
    assert list(found[0]) == COLUMNS
    assert [(r["learner_id"], r["email"], r["name"]) for r in found] == [
        ("s1", "ada@example.edu", "Ada Lovelace"),
        ("s2", "", "s2"),
    ]
    assert found[0]["subject"] == "Your feedback: The first quiz, A talk"
    assert found[0]["scores"] == "The first quiz: 2 of 2 points; A talk: 3 of 4 points"
    assert (
        mail_merge_note({"s1", "s2"}, roster)
        == "The mail merge (mail-merge.csv) lists 2 learner(s); 1 have no email in the roster (s2)."
    )
    assert (
        mail_merge_note({"s1"}, roster)
        == "The mail merge (mail-merge.csv) lists 1 learner(s), each with an email from the roster."
    )


def test_a_roster_cell_a_spreadsheet_would_run_stays_text():
    learners: dict[str, Learner] = {}
    add(learners, "s1", "", "quiz", "1 of 2 points")
    found = rows(
        mail_merge_csv(learners, {"quiz": "Quiz"}, Roster("r.csv", {"s1": RosterLearner("s1", "@SUM(1)", "=cmd|' /C calc'!A0")}))
    )
    assert (found[0]["email"], found[0]["name"]) == ("'=cmd|' /C calc'!A0", "'@SUM(1)")


def test_the_documented_script_writes_one_draft_per_learner_with_their_pages(graded, tmp_path):
    out, _ = graded
    page = (ROOT / "docs" / "instructor" / "feedback.md").read_text(encoding="utf-8")
    script = page.split("<!-- mail-merge-script -->\n```python\n", 1)[1].split("\n```\n", 1)[0]
    # The instructor fills in two emails, as the page's step 2 says; the others stay empty.
    table = rows((out / "mail-merge.csv").read_text(encoding="utf-8"))
    table[0]["email"], table[1]["email"] = "ada@example.edu", "bob@example.edu"
    folder = tmp_path / "grades"
    shutil.copytree(out, folder, symlinks=False, ignore=shutil.ignore_patterns(".grader"))
    (folder / "mail-merge.csv").write_text(csv_text(COLUMNS, [list(r.values()) for r in table]), encoding="utf-8")
    done = subprocess.run(
        [sys.executable, "-c", script], cwd=folder, capture_output=True, text=True, env={"PATH": os.environ["PATH"]}
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.endswith("wrote 2 draft(s) in drafts/\n") and "s003: no email; left out" in done.stdout
    ada = email.message_from_bytes((folder / "drafts" / "s001.eml").read_bytes(), policy=email.policy.default)
    assert (ada["To"], ada["Subject"]) == ("ada@example.edu", "Your feedback: Mini quiz, A tiny call")
    attached = {part.get_filename(): part.get_payload(decode=True) for part in ada.iter_attachments()}
    assert attached == {
        "mini-quiz.html": (out / "feedback" / "s001" / "mini-quiz.html").read_bytes(),
        "tiny.html": (out / "feedback" / "s001" / "tiny.html").read_bytes(),
    }
