"""`grader export --to moodle-feedback`: the feedback pages in the zip layout Moodle's feedback upload reads, read back as Moodle reads it."""

from __future__ import annotations

import zipfile

import pytest

from grader.analytics.moodle_feedback import Participant, folder_name, match
from tests.conftest import CASES, MINI
from tests.outputs import run_grader

WORKSHEET = (
    "Identifier,Full name,Email address,Status,Grade,Maximum grade,Grade can be changed,Last modified (grade),Feedback comments\n"
    "Participant 1201,Ada Lovelace,ada@example.edu,Submitted for grading,,100.00,Yes,-,\n"
    "Participant 1202,Robert Okafor,bob@example.edu,Submitted for grading,,100.00,Yes,-,\n"
    "Participant 1203,Cara Jiménez,cara@example.edu,Submitted for grading,,100.00,Yes,-,\n"
    "Participant 1299,Nobody Here,nobody@example.edu,No submission,,100.00,Yes,-,\n"
)
MAP = "learner_id,email\ns002,BOB@example.edu\n"
INSTALLED = {"assignsubmission_file", "assignsubmission_onlinetext", "assignfeedback_file", "assignfeedback_comments"}


def moodle_reads(path, participants: set[int]) -> dict[int, list[str]]:
    """Participant -> the feedback files Moodle's zip import stores for them, by the rules of
    assignfeedback_file_zip_importer::is_valid_filename_for_import (mod/assign/feedback/file/importziplib.php): a file
    whose name starts with `.` or `~` is ignored; each part of its path is split at `_` into at most five pieces
    (PHP's explode with a limit of 5); the first part with four or more pieces, a numeric second piece naming a
    participant and an installed plugin in the third and fourth is the participant's folder, and what follows it
    is the file's name, from the `/` that ends the folder (Moodle's own test, importziplib_test.php, expects the same)."""
    stored: dict[int, list[str]] = {}
    with zipfile.ZipFile(path) as archive:
        for entry in archive.infolist():
            if entry.is_dir() or entry.filename.rsplit("/", 1)[-1].startswith((".", "~")):
                continue
            parts = entry.filename.split("/")
            while parts:
                info = parts.pop(0).split("_", 4)
                if len(info) < 4 or not info[1].isdigit() or int(info[1]) not in participants:
                    continue
                if f"{info[2]}_{info[3]}" not in INSTALLED:
                    continue
                stored.setdefault(int(info[1]), []).append("/".join([info[4] if len(info) > 4 else "", *parts]))
                break
    return stored


@pytest.fixture(scope="module")
def out(tmp_path_factory):
    root = tmp_path_factory.mktemp("moodle")
    done = run_grader("--course", MINI, "grade", CASES / "grade" / "class", "--out", root / "out")
    assert done.code == 1, done.err
    (root / "worksheet.csv").write_text(WORKSHEET, encoding="utf-8")
    (root / "map.csv").write_text(MAP, encoding="utf-8")
    return root


def export(root, *extra, **env):
    return run_grader("--course", MINI, "export", "--to", "moodle-feedback", root / "out", "--quiz", "mini-quiz", *extra, **env)


def test_moodle_stores_each_page_for_its_own_participant(out):
    done = export(out, "--worksheet", out / "worksheet.csv", "--map", out / "map.csv")
    zipped = out / "out" / "moodle-feedback-mini-quiz.zip"
    assert done.code == 1, done.err  # three learners are not in the worksheet
    assert done.out.startswith(
        f"Wrote {zipped}: the feedback pages of 3 of 6 learner(s) for mini-quiz (matched 1 by email, 2 by name)."
    )
    assert moodle_reads(zipped, {1201, 1202, 1203, 1299}) == {
        1201: ["/mini-quiz-feedback.html"],
        1202: ["/mini-quiz-feedback.html"],
        1203: ["/mini-quiz-feedback.html"],
    }
    with zipfile.ZipFile(zipped) as archive:
        assert archive.namelist() == [
            "Ada Lovelace_1201_assignsubmission_file/mini-quiz-feedback.html",
            "Cara Jiménez_1203_assignsubmission_file/mini-quiz-feedback.html",
            "Robert Okafor_1202_assignsubmission_file/mini-quiz-feedback.html",
        ]
        # Bob is matched by the map's email, whatever the worksheet calls him; his own page, byte for byte.
        page = archive.read("Robert Okafor_1202_assignsubmission_file/mini-quiz-feedback.html")
        assert page == (out / "out" / "feedback" / "s002" / "mini-quiz.html").read_bytes()
    # Each learner left out is named, once, with why.
    assert done.err.count("\n") == 3 and "grader: learner 's004' is left out of the zip: no participant" in done.err


def test_a_second_export_replaces_its_own_zip_and_nothing_else(out, tmp_path):
    args = ("--worksheet", out / "worksheet.csv", "--output", tmp_path / "feedback.zip")
    assert export(out, *args).code == 1
    assert export(out, *args).code == 1, "an earlier export of its own is replaced"
    (tmp_path / "other.zip").write_bytes(b"PK\x03\x04 someone else's zip")
    done = export(out, "--worksheet", out / "worksheet.csv", "--output", tmp_path / "other.zip")
    assert done.code == 2 and "already exists and was not written by `grader export --to moodle-feedback`" in done.err
    assert (tmp_path / "other.zip").read_bytes() == b"PK\x03\x04 someone else's zip"


@pytest.mark.parametrize(
    "args, message",
    [
        ((), "--to moodle-feedback needs --worksheet FILE.csv: the assignment's grading worksheet from Moodle"),
        (("--output", "-"), "--to moodle-feedback writes a zip file, which cannot be printed"),
    ],
)
def test_what_the_export_needs_is_said_in_one_line(out, args, message):
    done = export(out, *args)
    assert done.code == 2 and done.err == f"grader: {message}" + done.err.split(message, 1)[1] and done.err.count("\n") == 1


def test_one_activity_per_assignment(out):
    done = run_grader("--course", MINI, "export", "--to", "moodle-feedback", out / "out", "--worksheet", out / "worksheet.csv")
    assert (
        done.code == 2 and "the results hold 2 activities (mini-quiz, tiny); choose the assignment's with --quiz ID" in done.err
    )


def test_answer_files_are_refused(tmp_path, out):
    done = run_grader(
        "--course",
        MINI,
        "export",
        "--to",
        "moodle-feedback",
        CASES / "grade" / "class" / "ada.yml",
        "--worksheet",
        out / "worksheet.csv",
    )
    assert (
        done.code == 2
        and "packs the feedback pages `grader grade` wrote: give its output folder (OUT), not answer files" in done.err
    )


@pytest.mark.parametrize(
    "text, message",
    [
        ("Name,Grade\nAda,1\n", "worksheet.csv:1: no Identifier column of participants (such as 'Participant 123456')"),
        (
            "Identifier,Full name\nParticipant 12,Ada\nSomeone,Bob\n",
            "worksheet.csv:3: 'Someone' is not a participant such as 'Participant 123456'",
        ),
        ("", "worksheet.csv: the worksheet is empty"),
    ],
)
def test_a_worksheet_that_is_not_moodles_is_refused_with_its_line(out, tmp_path, text, message):
    (tmp_path / "worksheet.csv").write_text(text, encoding="utf-8")
    done = export(out, "--worksheet", tmp_path / "worksheet.csv")
    assert done.code == 2 and message in done.err and done.err.count("\n") == 1, done.err


@pytest.mark.parametrize("option", ["--worksheet", "--map"])
def test_a_folder_given_as_a_csv_file_is_refused_in_one_line(out, tmp_path, option):
    args = {"--worksheet": out / "worksheet.csv", "--map": out / "map.csv", option: tmp_path}
    done = export(out, *(part for pair in args.items() for part in pair))
    what = {"--worksheet": "worksheet", "--map": "map file"}[option]
    assert done.code == 2 and done.err == f"grader: {tmp_path}: is a folder; give the {what} as a CSV file\n", done.err


def test_a_worksheet_in_another_language_is_read_by_its_first_column(out, tmp_path):
    (tmp_path / "arbeitsblatt.csv").write_text(
        "ID,Vollständiger Name,E-Mail-Adresse\nTeilnehmer/in 1201,Ada Lovelace,ada@example.edu\nTeilnehmer/in 1202,Bob O.,bob@example.edu\n",
        encoding="utf-8",
    )
    (tmp_path / "map.csv").write_text("learner_id,email\ns002,bob@example.edu\n", encoding="utf-8")
    done = export(
        out, "--worksheet", tmp_path / "arbeitsblatt.csv", "--map", tmp_path / "map.csv", "--output", tmp_path / "de.zip"
    )
    assert done.code == 1 and "(matched 1 by email, 1 by name)" in done.out
    assert moodle_reads(tmp_path / "de.zip", {1201, 1202}) == {
        1201: ["/mini-quiz-feedback.html"],
        1202: ["/mini-quiz-feedback.html"],
    }


def test_a_page_missing_from_the_grade_output_is_named(out, tmp_path):
    done = run_grader("--course", MINI, "grade", CASES / "grade" / "class" / "ada.yml", "--out", tmp_path / "old")
    assert done.code == 0
    (tmp_path / "old" / ".grader" / "current" / "feedback" / "s001" / "mini-quiz.html").unlink()
    done = run_grader(
        "--course", MINI, "export", "--to", "moodle-feedback", tmp_path / "old", "--worksheet", out / "worksheet.csv"
    )
    assert done.code == 2 and "no feedback page for s001; grade again with this grader" in done.err


def test_matching_by_name_needs_a_name_only_one_participant_has():
    twins = [Participant("1", "Sam Lee"), Participant("2", "Sam  lee"), Participant("3", "Ida", id_number="s3")]
    found = match({"s1": "Sam Lee", "s3": "Someone else"}, twins, {})
    assert found.found == {"s3": twins[2]} and found.how == {"s3": "ID number"}
    assert found.unmatched == [("s1", "2 participants are named 'Sam Lee'")]
    # One participant is never given two learners' feedback.
    found = match({"s1": "Ida", "s3": ""}, twins, {})
    assert found.found == {"s1": twins[2]} and found.unmatched[0][0] == "s3"


@pytest.mark.parametrize("name", ["Ana_Maria de la Cruz", "../../etc/x", 'a/b\\c:d*e?"f<g>h|i', "", "  "])
def test_any_name_makes_a_folder_moodle_reads_for_the_right_participant(tmp_path, name):
    folder = folder_name(Participant("4711", name))
    assert "/" not in folder and "\\" not in folder and not folder.startswith(".")
    path = tmp_path / "one.zip"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr(f"{folder}/quiz-feedback.html", "x")
    assert moodle_reads(path, {4711}) == {4711: ["/quiz-feedback.html"]}
