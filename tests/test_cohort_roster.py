"""The roster: read as Excel and LibreOffice write it, checked like any input (one line per problem, nothing written), and known to every output."""

from __future__ import annotations

import csv
import json

import pytest

from grader.cohort.roster import read_map, read_roster
from grader.common.problems import UsageError
from grader.common.sheets import SheetError
from tests.cohort_files import CLASS, COURSE, ROSTER, excel_csv, excel_semicolons, excel_unicode_text, libreoffice_csv
from tests.outputs import ROOT, output_set, run_grader

WRITERS = {
    "excel": excel_csv,
    "excel-semicolons": excel_semicolons,
    "libreoffice": libreoffice_csv,
    "excel-unicode-text": excel_unicode_text,
}


@pytest.mark.parametrize("writer", WRITERS.values(), ids=WRITERS)
def test_rosters_read_as_spreadsheets_write_them(tmp_path, writer):
    rows = [*ROSTER, ["s008", 'Ng, "Dee"; Jr', "dee@example.edu", "Thu\nevening", ""]]
    path = tmp_path / "roster.csv"
    path.write_bytes(writer(rows))
    roster = read_roster(path)
    assert list(roster.learners) == ["s001", "s002", "s003", "s004", "s007", "s008"]
    assert roster.get("s003").name == "Cara Jiménez" and roster.get("s001").lms_id == "5001"
    # A cell holding the separator, quotes and a line break is one cell, as the spreadsheet wrote it.
    assert (roster.get("s008").name, roster.get("s008").section) == ('Ng, "Dee"; Jr', "Thu\nevening")
    assert roster.get("s008").line == 7 + (writer is excel_semicolons)


def test_headers_in_any_case_and_spacing(tmp_path):
    path = tmp_path / "map.csv"
    path.write_bytes(excel_csv([[" Learner-ID ", "EMAIL ", "sis user id"], ["s001", "a@x", "77"]]))
    assert read_map(path).identities() == {"s001": {"email": "a@x", "sis_user_id": "77"}}


PROBLEMS = [
    ([["id", "name", "email"], ["s001", "Ada", "a@x"]], ["roster.csv:1: no 'section' column"]),
    ([["name", "email"], ["Ada", "a@x"]], ["roster.csv:1: no 'id' column", "roster.csv:1: no 'section' column"]),
    (
        [["id", "name", "email", "section"], ["s001", "Ada", "", ""], ["s001", "Ada again", "", ""], ["../x", "Eve", "", ""]],
        ["roster.csv:3: learner 's001' is listed twice (first on line 2)", "roster.csv:4: learner id '../x' is not allowed"],
    ),
    (
        [["id", "name", "email", "section"], ["", "Nobody", "", ""], ["s002", "", "", ""]],
        ["roster.csv:2: id is empty", "roster.csv:3: learner 's002' has no name"],
    ),
    (
        [["id", "name", "email", "section", "lms_id"], ["s1", "A", "", "", "9"], ["s2", "B", "", "", "9"]],
        ["roster.csv:3: lms_id 9 is also learner 's1' (line 2)"],
    ),
    ([["id", "name", "email", "section"], ["s1", "A", "a", "b", "extra"]], ["roster.csv:2: 5 cells, but the header names 4"]),
]


@pytest.mark.parametrize(
    "rows, messages", PROBLEMS, ids=["missing-column", "two-missing", "twice-and-bad-id", "empty", "lms-twice", "extra-cell"]
)
def test_every_problem_is_one_line_and_nothing_is_written(tmp_path, rows, messages):
    path = tmp_path / "roster.csv"
    path.write_bytes(excel_csv(rows))
    with pytest.raises(UsageError) as raised:
        read_roster(path)
    assert all(any(line.startswith(f"{path.parent}/{m}") for line in str(raised.value).splitlines()) for m in messages), str(
        raised.value
    )
    out = tmp_path / "out"
    done = run_grader("--course", COURSE, "grade", CLASS, "--roster", path, "--out", out, cwd=tmp_path)
    assert done.code == 2 and not out.exists(), done.err
    lines = done.err.splitlines()
    assert all(line.startswith("grader: ") for line in lines)
    # One line per problem, and a last one saying what to do when there are several.
    assert len(lines) == (1 if len(messages) == 1 else len(messages) + 1), done.err
    for message in messages:
        assert any(f"grader: {tmp_path}/{message}" in line for line in lines), done.err


def test_a_roster_not_saved_as_utf8_says_how_to_save_it(tmp_path):
    path = tmp_path / "roster.csv"
    path.write_bytes("id,name,email,section\r\ns001,Cara Jiménez,,\r\n".encode("cp1252"))
    with pytest.raises(SheetError, match=r"roster.csv:2: not UTF-8 text; save it as CSV UTF-8"):
        read_roster(path)
    with pytest.raises(SheetError, match=r"none\.csv: no such roster"):
        read_roster(tmp_path / "none.csv")


@pytest.fixture(scope="module")
def graded(tmp_path_factory):
    """The grade test class graded with a roster that leaves two learners off and has one who never hands in."""
    root = tmp_path_factory.mktemp("roster")
    (root / "roster.csv").write_bytes(libreoffice_csv(ROSTER))
    done = run_grader("--course", COURSE, "grade", CLASS, "--roster", root / "roster.csv", "--out", root / "out", cwd=ROOT)
    assert done.code == 1, done.err  # the class has broken files too
    return root / "out", done


def test_every_roster_learner_and_activity_has_a_gradebook_row(graded):
    out, _ = graded
    found = output_set(out)
    rows = {(r["learner_id"], r["quiz"]): r for r in found["gradebook"]}
    for learner in ("s001", "s002", "s003", "s004", "s007"):
        assert (learner, "mini-quiz") in rows and (learner, "tiny") in rows
    assert rows[("s007", "mini-quiz")]["status"] == "missing" and rows[("s007", "mini-quiz")]["score"] == ""
    assert rows[("s007", "tiny")]["name"] == "Gil Never" and rows[("s007", "tiny")]["section"] == "Thu"
    assert rows[("s002", "tiny")]["status"] == "missing"
    # Rows stay in activity, then learner, order, missing ones among them.
    assert list(rows) == sorted(rows, key=lambda k: (k[1], k[0]))


def test_hand_ins_from_ids_not_on_the_roster_are_graded_and_flagged(graded):
    out, done = graded
    results = json.loads((out / "results.json").read_text(encoding="utf-8"))
    flagged = {r["learner"]["id"] for r in results["results"] if "not on roster" in r["flags"]}
    assert flagged == {"s005", "s006"}
    rows = list(csv.DictReader(open(out / "gradebook.csv", encoding="utf-8")))
    assert all("not on roster" in r["status"] and r["score"] for r in rows if r["learner_id"] in ("s005", "s006"))
    assert "Not on the roster (graded, and flagged) (2):" in done.out


def test_results_json_knows_everyone(graded):
    out, done = graded
    results = json.loads((out / "results.json").read_text(encoding="utf-8"))
    assert [lr["id"] for lr in results["roster"]] == ["s001", "s002", "s003", "s004", "s007"]
    assert results["roster"][0] == {
        "id": "s001",
        "name": "Ada Lovelace",
        "email": "ada@example.edu",
        "section": "Tue",
        "lms_id": "5001",
        "lms_name": "",
        "sis_user_id": "",
        "sis_login_id": "",
    }
    assert {(m["learner"], m["quiz"]) for m in results["missing"]} == {
        ("s007", "mini-quiz"),
        ("s002", "tiny"),
        ("s003", "tiny"),
        ("s004", "tiny"),
        ("s007", "tiny"),
    }
    assert results["summary"]["missing"] == 5 and results["summary"]["roster"] == 5
    assert "Missing (5; status `missing` in gradebook.csv):" in done.out
    assert "  s007 (Gil Never): mini-quiz, tiny" in done.out
