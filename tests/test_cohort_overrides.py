"""Overrides: a file checked by its schema and against the course, applied at every run, and shown with its reason wherever the score is."""

from __future__ import annotations

import json

import pytest

from grader.cohort.overrides import inspect_overrides
from grader.cohort.roster import read_roster
from tests import hostile
from tests.cohort_files import CLASS, COURSE, ROSTER, excel_csv
from tests.outputs import output_set, run_grader

GOOD = """\
# yaml-language-server: $schema=../grader/schemas/overrides.schema.json
format: 1
questions:
  - {activity: mini-quiz, question: q1, accept: [a], reason: "Option a is also right: the wording allowed it."}
  - {activity: mini-quiz, question: q3, full_credit: true, reason: The statement was ambiguous.}
  - {activity: mini-quiz, question: q8, drop: true, reason: "Dropped: <b>bad</b> item, *sorry*."}
learners:
  - {learner: s002, activity: mini-quiz, adjust: 1.5, reason: Marked by hand.}
  - {learner: s004, activity: mini-quiz, set: 10, reason: "Oral exam instead; see [the notes](http://x.example)."}
  - {learner: s007, activity: mini-quiz, set: 12, reason: Handed in on paper.}
"""


def write(tmp_path, text: str, name: str = "overrides.yml"):
    (tmp_path / name).write_text(text, encoding="utf-8")
    return tmp_path / name


@pytest.mark.parametrize(
    "text, expected",
    [
        (
            "format: 1\nquestions:\n  - {activity: mini-quiz, question: q1, reason: x}\n",
            ["overrides.yml:3 (questions[0]): needs exactly one of `accept` and `full_credit` and `drop`"],
        ),
        (
            "format: 1\nlearners:\n  - {learner: s001, activity: mini-quiz, set: 3}\n",
            ["overrides.yml:3 (learners[0]): lacks the key 'reason'; add it"],
        ),
        (
            "format: 1\nlearners:\n  - {learner: ../x, activity: mini-quiz, set: 3, reason: r}\n",
            ['overrides.yml:3 (learners[0].learner): "../x" is not a valid learner id: use 1 to 64 letters'],
        ),
        (
            "format: 1\nquestion: []\n",
            ["overrides.yml:2 (question): is not a key this format has here; did you mean 'questions'?"],
        ),
        (
            "format: 1\nquestions:\n  - {activity: nope, question: q1, drop: true, reason: r}\n  - {activity: mini-quiz, question: q99, drop: true, reason: r}\n",
            [
                "overrides.yml:3 (questions[0].activity): activity 'nope' is not in this course",
                "overrides.yml:4 (questions[1].question): 'mini-quiz' has no question 'q99'",
            ],
        ),
        (
            "format: 1\nquestions:\n  - {activity: mini-quiz, question: q1, accept: [zz, true], reason: r}\n",
            [
                "overrides.yml:3 (questions[0].accept[0]): an accepted answer to q1 (single) must be one of its option ids (a, b, c)"
            ],
        ),
        (
            "format: 1\nlearners:\n  - {learner: s001, activity: mini-quiz, set: 99, reason: r}\n  - {learner: s001, activity: mini-quiz, adjust: 1, reason: r}\n",
            [
                "overrides.yml:3 (learners[0].set): set 99 is outside 0 to 18",
                "overrides.yml:4 (learners[1]): a second correction for s001 in mini-quiz",
            ],
        ),
    ],
    ids=["no-kind", "no-reason", "bad-learner", "typo", "unknown-refs", "bad-accept", "range-and-twice"],
)
def test_check_names_every_problem_with_its_line(tmp_path, text, expected):
    path = write(tmp_path, text)
    done = run_grader("--course", COURSE, "check", "--overrides", path.name, cwd=tmp_path)
    assert done.code == 1
    for message in expected:
        assert message in done.err, done.err
    assert "problem(s) in the course and the overrides" in done.err
    graded = run_grader(
        "--course", COURSE, "grade", CLASS / "ada.yml", "--overrides", path.name, "--out", tmp_path / "out", cwd=tmp_path
    )
    assert graded.code == 2 and not (tmp_path / "out").exists()


def test_a_good_file_checks_clean(tmp_path):
    path = write(tmp_path, GOOD)
    done = run_grader("--course", COURSE, "check", "--overrides", path, cwd=tmp_path)
    assert done.code == 0 and f"Overrides {path}: OK." in done.out, done.err


def test_a_learner_must_be_on_the_roster_when_there_is_one(tmp_path, mini):
    (tmp_path / "roster.csv").write_bytes(excel_csv(ROSTER))
    _, problems = inspect_overrides(write(tmp_path, GOOD.replace("s007", "s009")), mini, read_roster(tmp_path / "roster.csv"))
    assert [p.message for p in problems] == [f"learner 's009' is not on the roster {tmp_path / 'roster.csv'}"]


@pytest.fixture(scope="module")
def corrected(tmp_path_factory):
    root = tmp_path_factory.mktemp("overrides")
    write(root, GOOD)
    done = run_grader("--course", COURSE, "grade", CLASS, "--overrides", "overrides.yml", "--out", root / "out", cwd=root)
    assert done.code == 1, done.err  # the class holds broken files
    return root / "out", done


def test_question_corrections_rescore_every_learner(corrected):
    out, _ = corrected
    doc = json.loads((out / "results.json").read_text(encoding="utf-8"))
    quiz = doc["quizzes"]["mini-quiz"]
    assert quiz["max"] == 17 and next(q for q in quiz["questions"] if q["id"] == "q8") | {} == {
        **next(q for q in quiz["questions"] if q["id"] == "q8"),
        "points": 0.0,
        "dropped": True,
    }
    items = {r["learner"]["id"]: {i["question"]: i for i in r["items"]} for r in doc["results"] if r["quiz"] == "mini-quiz"}
    assert items["s002"]["q1"]["score"] == 2 and items["s002"]["q1"]["correct"]  # Bob answered a: now accepted
    assert all(by["q3"]["score"] == by["q3"]["max"] for by in items.values())  # full credit, answered or not
    assert all(by["q8"]["max"] == 0 for by in items.values())
    bob = next(r for r in doc["results"] if r["learner"]["id"] == "s002" and r["quiz"] == "mini-quiz")
    assert [o["kind"] for o in bob["overrides"]] == ["accept", "full_credit", "drop", "adjust"]
    assert bob["max"] == 17 and bob["overrides"][-1]["after"] == bob["score"]


def test_learner_corrections_set_adjust_and_reach_learners_with_no_hand_in(corrected):
    out, done = corrected
    found = output_set(out)
    rows = {(r["learner_id"], r["quiz"]): r for r in found["gradebook"]}
    assert rows[("s004", "mini-quiz")]["score"] == "10" and "score set" in rows[("s004", "mini-quiz")]["status"]
    assert rows[("s007", "mini-quiz")]["score"] == "12" and rows[("s007", "mini-quiz")]["status"].startswith(
        "missing; override: score set"
    )
    doc = found["results"]
    assert doc["missing"] == [
        {
            "learner": "s007",
            "quiz": "mini-quiz",
            "name": "",
            "score": 12.0,
            "overrides": [{"kind": "set", "question": None, "reason": "Handed in on paper.", "before": 0.0, "after": 12.0}],
        }
    ]
    assert "Overrides applied" in done.out and "s007 mini-quiz (nothing handed in): score set (0 -> 12 points)" in done.out


def test_the_learner_reads_every_correction_with_its_reason_as_text(corrected):
    out, _ = corrected
    page = (out / "feedback" / "s004" / "mini-quiz.md").read_text(encoding="utf-8")
    assert "-> 10 points). Why: Oral exam instead; see \\[the notes\\](http://x.example)." in page
    rendered = hostile.course_markdown().convert(page)
    assert hostile.markup_problems(hostile.elements(rendered), hostile.FEEDBACK_TAGS, link=hostile.feedback_link) == []
    assert "Dropped: &lt;b&gt;bad&lt;/b&gt; item, *sorry*." in rendered


def test_the_report_lists_every_override_with_its_reason(corrected, tmp_path):
    out, _ = corrected
    done = run_grader("--course", COURSE, "report", out)
    assert done.code == 0, done.err
    page = (out / "report.html").read_text(encoding="utf-8")
    assert "Overrides applied (the audit trail)" in page
    assert "Dropped: &lt;b&gt;bad&lt;/b&gt; item, *sorry*." in page and "Handed in on paper." in page
    assert hostile.markup_problems(hostile.elements(page), hostile.REPORT_TAGS) == []


def test_an_override_that_finds_nothing_says_so(tmp_path):
    path = write(
        tmp_path,
        "format: 1\nlearners:\n  - {learner: s003, activity: tiny, adjust: 2, reason: r}\nquestions:\n  - {activity: tiny, question: path, full_credit: true, reason: r}\n",
    )
    done = run_grader("--course", COURSE, "grade", CLASS / "ada.yml", "--overrides", path, "--out", tmp_path / "out")
    assert done.code == 0, done.err
    assert "Overrides not applied (2):" in done.out
    assert json.loads((tmp_path / "out" / "results.json").read_text())["not_applied"] == [
        "tiny path (full_credit): nothing of tiny was handed in this run",
        "s003 tiny (adjust): s003 handed nothing in for tiny",
    ]
