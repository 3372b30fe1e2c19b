"""`grader export`: Canvas and Moodle gradebooks and GIFT, against golden files (rewrite them with UPDATE_GOLDEN=1)."""

from __future__ import annotations

import csv
import io
import os
import shutil

import pytest

from grader.analytics import gift
from grader.cohort.roster import read_map
from grader.common.problems import UsageError
from grader.course import load_course
from tests.conftest import CASES

STATS = CASES / "stats"
COURSE = STATS / "course"
ANSWERS = STATS / "answers"
MAP = STATS / "map.csv"
GOLDEN = STATS / "golden"
UPDATE = os.environ.get("UPDATE_GOLDEN") == "1"


@pytest.fixture(scope="module")
def results(tmp_path_factory):
    """A grade output for the stats data set, written once."""
    from grader.cli import main

    out = tmp_path_factory.mktemp("graded")
    assert main(["--course", str(COURSE), "grade", str(ANSWERS), "--ignore-file-times", "--out", str(out), "--json"]) == 0
    return out


def golden(name: str, text: str) -> None:
    path = GOLDEN / name
    if UPDATE:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8", newline="")
    assert text == path.read_text(encoding="utf-8"), (
        f"{name} differs from its golden file; rerun with UPDATE_GOLDEN=1 and read the diff"
    )


def rows(text: str) -> list[dict]:
    return list(csv.DictReader(io.StringIO(text)))


CASES_EXPORT = [
    ("canvas.csv", ["--to", "canvas"]),
    ("canvas-map.csv", ["--to", "canvas", "--map", str(MAP)]),
    ("moodle.csv", ["--to", "moodle"]),
    ("moodle-map-feedback.csv", ["--to", "moodle", "--map", str(MAP), "--feedback"]),
    ("moodle-percent.csv", ["--to", "moodle", "--percent"]),
]


@pytest.mark.parametrize("name, args", CASES_EXPORT, ids=[c[0] for c in CASES_EXPORT])
def test_gradebook_golden(cli, results, tmp_path, name, args):
    target = tmp_path / name
    run = cli("--course", COURSE, "export", *args, "--results", results / "results.json", "--output", target)
    assert run.code == (1 if "--map" in args else 0), run.err
    golden(name, target.read_text(encoding="utf-8"))


def test_gift_golden(cli, tmp_path):
    target = tmp_path / "questions-gift.txt"
    run = cli("--course", COURSE, "export", "--to", "gift", "--output", target)
    assert run.code == 0, run.err
    golden("questions-gift.txt", target.read_text(encoding="utf-8"))


# ---------------------------------------------------------------- what the golden files must say


def test_canvas_layout(cli, results):
    run = cli("--course", COURSE, "export", "--to", "canvas", "--results", results, "--output", "-")
    header = next(csv.reader(io.StringIO(run.out)))
    assert header[:5] == ["Student", "ID", "SIS User ID", "SIS Login ID", "Section"]
    assert header[5:] == ["Practice: calm first (practice)", "A refund that never came (call)"] or header[5:] == [
        "A refund that never came (call)",
        "Practice: calm first (practice)",
    ]
    table = rows(run.out)
    assert table[0]["Student"] == "Points Possible" and table[0]["Practice: calm first (practice)"] == "10"
    ada = next(r for r in table if r["SIS User ID"] == "s01")
    assert (
        ada["Student"] == "Ada Byron"
        and ada["Practice: calm first (practice)"] == "9"
        and ada["A refund that never came (call)"] == "10"
    )
    lu = next(r for r in table if r["SIS User ID"] == "s12")
    assert lu["Practice: calm first (practice)"] == "10"  # the latest attempt, as `grader grade` keeps by default


def test_canvas_with_map(cli, results):
    run = cli("--course", COURSE, "export", "--to", "canvas", "--results", results, "--map", MAP, "--output", "-")
    assert run.code == 1
    assert "learner 's12' is not in the map file" in run.err and run.err.count("\n") == 1
    table = {r["SIS User ID"]: r for r in rows(run.out)[1:]}
    assert "2026-0012" not in table and len(table) == 12
    # In the map, never handed in: still a row, its grades empty (the LMS leaves them alone).
    assert [v for k, v in table["2026-0099"].items() if "(" in k] == ["", ""]
    assert table["2026-0001"] | {} == {
        **table["2026-0001"],
        "Student": "Byron, Ada",
        "ID": "1001",
        "SIS Login ID": "abyron",
        "Section": "Tuesday",
    }
    assert "phone" not in rows(run.out)[0]  # extra map columns are ignored


def test_formula_like_names_are_neutralised(cli, results):
    run = cli("--course", COURSE, "export", "--to", "canvas", "--results", results, "--map", MAP, "--output", "-")
    names = [r["Student"] for r in rows(run.out)]
    assert "'+Dunn, Cy" in names and "'=Moss(A1)" in names
    run = cli("--course", COURSE, "export", "--to", "moodle", "--results", results, "--output", "-")
    names = [r["Full name"] for r in rows(run.out)]
    assert "'=2+3 Lee" in names and "'@SUM(A1)" in names
    assert not any(
        cell.startswith(("=", "+", "@", "-"))
        for line in csv.reader(io.StringIO(run.out))
        for cell in line
        if not cell[:1].isdigit()
    )


def test_moodle_identifier_and_feedback(cli, results):
    run = cli("--course", COURSE, "export", "--to", "moodle", "--results", results, "--map", MAP, "--feedback", "--output", "-")
    header = next(csv.reader(io.StringIO(run.out)))
    assert header[:6] == ["Learner ID", "Full name", "Email address", "ID number", "Username", "User ID"]
    assert "Practice: calm first (practice) feedback" in header
    s09 = next(r for r in rows(run.out) if r["Learner ID"] == "s09")
    assert s09["Email address"] == "ivy@example.edu"
    assert s09["Practice: calm first (practice) feedback"] == "3 of 10 points (30%). Revisit: Listen; Fix; Check back."


def test_moodle_tells_which_column_to_map(cli, results, tmp_path):
    run = cli("--course", COURSE, "export", "--to", "moodle", "--results", results, "--map", MAP, "--output", tmp_path / "m.csv")
    assert "Map the 'Email address' column to 'Email address'" in run.out
    run = cli("--course", COURSE, "export", "--to", "moodle", "--results", results, "--output", tmp_path / "m.csv")
    assert "Map the 'ID number' column to 'ID number'" in run.out


def test_export_grades_answer_files_directly(cli):
    run = cli("--course", COURSE, "export", "--to", "canvas", ANSWERS, "--ignore-file-times", "--keep", "first", "--output", "-")
    assert run.code == 0, run.err
    lu = next(r for r in rows(run.out) if r["SIS User ID"] == "s12")
    assert lu["Practice: calm first (practice)"] == "1"


# ---------------------------------------------------------------- the map file


def write(tmp_path, text: str, name="map.csv"):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_map_reads_bom_and_loose_headers(tmp_path):
    path = tmp_path / "m.csv"
    path.write_bytes("\ufeffLearner ID,Email,SIS-User-ID,Notes\ns01,a@x.org,77,hello\n\n".encode("utf-8"))
    assert read_map(path).identities() == {"s01": {"email": "a@x.org", "sis_user_id": "77"}}


@pytest.mark.parametrize(
    "text, message",
    [
        ("name,email\nAda,a@x.org\n", "map.csv:1: no 'learner_id' column"),
        ("learner_id,email\ns01,a\ns01,b\n", "map.csv:3: learner 's01' is listed twice (first on line 2)"),
        ("learner_id,email\n,a\n", "map.csv:2: learner_id is empty"),
        ("", "the map file is empty"),
    ],
)
def test_map_errors(tmp_path, cli, results, text, message):
    path = write(tmp_path, text)
    with pytest.raises(UsageError, match=message.replace("(", r"\(").replace(")", r"\)")):
        read_map(path)
    run = cli("--course", COURSE, "export", "--to", "canvas", "--results", results, "--map", path, "--output", "-")
    assert run.code == 2 and message in run.err and run.err.count("\n") == 1


def test_missing_map_file(cli, results, tmp_path):
    run = cli("--course", COURSE, "export", "--to", "canvas", "--results", results, "--map", tmp_path / "none.csv")
    assert run.code == 2 and "no such map file" in run.err


# ---------------------------------------------------------------- GIFT


def test_gift_escaping():
    assert gift.gift_escape("a~b=c#d{e}f:g\\h\nnext") == "a\\~b\\=c\\#d\\{e\\}f\\:g\\\\h\\nnext"


def test_gift_question_forms():
    course = load_course(COURSE, keys=True)
    text = gift.gift(course)
    assert "::practice q1::[markdown]The customer says\\: " in text
    assert "\t=Say you are sorry they lost their day.#Right\\: the feeling comes first." in text
    assert "\t~%-50%Quote the policy\\: section 4 \\{refunds\\}.#" in text  # weights, escaped
    assert "\\{Pick all\\} that apply\\: a \\= b \\~ c \\# d" in text
    assert "{FALSE#No\\: hear them out first.#Right\\: the fix waits until they have finished.}" in text
    assert '\t="Go on, I\'m listening." -> Listen' in text and "\t= -> Check back" in text
    assert "\t=check back#" in text and "\t=%0%*#Asking whether the fix works" in text
    assert (
        "// ordering has no GIFT form" in text
        and "[markdown]Put the steps in order.\\n\\n- Check back\\n- Listen\\n- Fix {}" in text
    )
    assert "$CATEGORY: $course$/top/Practice: calm first" in text
    # questions are separated by blank lines and never contain one
    for block in text.split("\n\n"):
        assert "\n\n" not in block


@pytest.mark.parametrize(
    "policy, weights, expected",
    [
        ("all_or_nothing", {}, ["~%50%", "~%50%", "~%-100%"]),
        ("right_minus_wrong", {}, ["~%50%", "~%50%", "~%-50%"]),
        ("weights", {"a": 1 / 3, "b": 2 / 3, "c": -0.2}, ["~%33.33333%", "~%66.66667%", "~%-20%"]),
        ("weights", {"a": 0.45, "b": 0.55}, ["~%50%", "~%60%", "~%0%"]),
    ],
)
def test_gift_multiple_weights(policy, weights, expected):
    from grader.course import Choice, ItemKey, Question, Quiz

    question = Question("q", "multiple", "Pick.", 1.0, (), "", options=(Choice("a", "A"), Choice("b", "B"), Choice("c", "C")))
    quiz = Quiz("z", "Z", "", "", (question,), "", "")
    lines = gift._gift_question(quiz, question, ItemKey(correct=["a", "b"], policy=policy, weights=weights))
    assert [
        line.strip()[: len(e)] for line, e in zip([x for x in lines if x.startswith("\t")], expected, strict=True)
    ] == expected
    assert ("rounded to the nearest grade Moodle accepts" in "\n".join(lines)) == (weights == {"a": 0.45, "b": 0.55})


def test_gift_errors(cli, results):
    run = cli("--course", COURSE, "export", "--to", "gift", "--quiz", "nope")
    assert run.code == 2 and "no quiz 'nope'" in run.err
    run = cli("--course", COURSE, "export", "--to", "gift", "--results", results)
    assert run.code == 2 and "takes no results" in run.err


@pytest.mark.parametrize(
    "args, message",
    [
        (["--to", "canvas"], "needs grades"),
        (["--to", "canvas", "--feedback", "--results", "x"], "--feedback and --percent are for --to moodle"),
        (["--to", "moodle", "--quiz", "practice", "--results", "x"], "--quiz is for --to gift"),
        (["--to", "moodle", "--results", "nowhere/results.json"], "no such file"),
    ],
)
def test_export_usage_errors(cli, args, message):
    run = cli("--course", COURSE, "export", *args)
    assert run.code == 2 and message in run.err and "Traceback" not in run.err


# ---------------------------------------------------------------- the grade output as PATH


@pytest.mark.parametrize("to", ["canvas", "moodle"])
def test_export_takes_the_grade_folder_as_its_argument(results, to, tmp_path):
    from tests.outputs import run_grader

    copy = tmp_path / "graded"
    shutil.copytree(results, copy)
    done = run_grader("--course", COURSE, "export", "--to", to, copy, cwd=tmp_path)
    assert done.code == 0, done.err
    written = (copy / f"{to}-grades.csv").read_bytes().decode("utf-8")
    done = run_grader("--course", COURSE, "export", "--to", to, "--results", copy / "results.json", "--output", "-", cwd=tmp_path)
    assert done.code == 0 and done.out == written  # --results is the same thing, spelt as an option
    done = run_grader("--course", COURSE, "export", "--to", to, copy / "results.json", "--output", "-", cwd=tmp_path)
    assert done.code == 0 and done.out == written


def test_export_grade_folder_and_results_together(cli, results):
    run = cli("--course", COURSE, "export", "--to", "canvas", results, "--results", results)
    assert run.code == 2 and "not both" in run.err and run.err.count("\n") == 1
