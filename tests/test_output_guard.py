"""`--output` (report, export) and `--out` (stats) write a new file or replace the command's own earlier output; nothing else without --force."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from grader.cli import output_guard
from tests.conftest import CASES
from tests.outputs import run_grader, snapshot

STATS = CASES / "stats"
COURSE = STATS / "course"
ANSWERS = STATS / "answers"
MAP = STATS / "map.csv"


@pytest.fixture(scope="module")
def graded(tmp_path_factory) -> Path:
    """A grade output for the stats data set, written once; tests copy it."""
    from grader.cli import main

    out = tmp_path_factory.mktemp("graded") / "grades"
    assert main(["--course", str(COURSE), "grade", str(ANSWERS), "--ignore-file-times", "--out", str(out), "--json"]) == 0
    return out


@pytest.fixture
def out(graded, tmp_path) -> Path:
    """A writable grade output folder, with each of the other commands' outputs beside it."""
    copy = tmp_path / "grades"
    shutil.copytree(graded, copy)
    return copy


def refused(run, *words: str) -> None:
    assert run.code == 2, run.err
    assert run.err.count("\n") == 1 and "--force" in run.err and "refusing to overwrite" in run.err, run.err
    for word in words:
        assert word in run.err, run.err
    assert run.out == ""


# ---------------------------------------------------------------- refused


@pytest.mark.parametrize(
    "name, what",
    [
        ("results.json", "is an input of this command"),
        ("gradebook.csv", "the grade output's gradebook.csv"),
        ("rejected.csv", "the grade output's rejected.csv"),
        ("mail-merge.csv", "the grade output's mail-merge.csv"),
        ("feedback/s01/practice.md", "a learner's feedback in the grade output"),
        ("feedback/s01/practice.html", "a learner's feedback in the grade output"),
    ],
)
def test_report_never_overwrites_the_grade_output(cli, out, name, what):
    before = snapshot(out)
    refused(cli("--course", COURSE, "report", out, "--output", out / name), what)
    assert snapshot(out) == before


@pytest.mark.parametrize(
    "command",
    [
        ["stats", "{out}", "--out"],
        ["export", "--to", "canvas", "{out}", "--output"],
        ["export", "--to", "moodle", "{out}", "--output"],
    ],
)
@pytest.mark.parametrize(
    "name",
    ["results.json", "gradebook.csv", "rejected.csv", "mail-merge.csv", "feedback/s01/practice.md", "feedback/s01/practice.html"],
)
def test_stats_and_export_never_overwrite_the_grade_output(cli, out, command, name):
    before = snapshot(out)
    refused(cli("--course", COURSE, *(part.format(out=out) for part in command), out / name))
    assert snapshot(out) == before


def test_inputs_are_compared_by_identity_not_name(out, tmp_path):
    (out / "x").mkdir()
    before = snapshot(out)
    for given in ("grades/x/../results.json", "./grades//results.json", "grades/missing/../results.json"):
        done = run_grader("--course", COURSE, "report", "grades", "--output", given, cwd=tmp_path)
        refused(done, "is an input of this command")
    (tmp_path / "link.json").symlink_to(out / "results.json")
    refused(run_grader("--course", COURSE, "report", "grades", "--output", "link.json", cwd=tmp_path), "is an input")
    assert snapshot(out) == before


def test_a_file_beside_results_json_is_grade_output(cli, out, tmp_path):
    notes = out / "notes.txt"
    notes.write_text("the TA's notes\n", encoding="utf-8")
    refused(cli("--course", COURSE, "report", out, "--output", notes), "is in the grade output folder")
    # A folder holding only a gradebook.csv is a grade output too.
    other = tmp_path / "other"
    other.mkdir()
    shutil.copy(out / "gradebook.csv", other / "gradebook.csv")
    (other / "summary.txt").write_text("mine\n", encoding="utf-8")
    refused(cli("--course", COURSE, "stats", out, "--out", other / "summary.txt"), "is in the grade output folder")
    assert (
        notes.read_text(encoding="utf-8") == "the TA's notes\n"
        and (other / "summary.txt").read_text(encoding="utf-8") == "mine\n"
    )


def test_another_commands_output_is_refused(cli, out, tmp_path):
    assert cli("--course", COURSE, "report", out).code == 0
    assert cli("--course", COURSE, "export", "--to", "canvas", out).code == 0
    assert cli("--course", COURSE, "stats", out, "--out", tmp_path / "stats.json").code == 0
    assert cli("--course", COURSE, "export", "--to", "gift", "--output", tmp_path / "bank.gift").code == 0
    before = snapshot(tmp_path)
    refused(
        cli("--course", COURSE, "report", out, "--output", out / "canvas-grades.csv"),
        "was written by `grader export --to canvas`",
    )
    refused(cli("--course", COURSE, "stats", out, "--out", out / "report.html"), "was written by `grader report`")
    refused(
        cli("--course", COURSE, "export", "--to", "moodle", out, "--output", out / "canvas-grades.csv"),
        "was written by `grader export --to canvas`",
    )
    refused(
        cli("--course", COURSE, "export", "--to", "canvas", out, "--output", tmp_path / "stats.json"),
        "was written by `grader stats`",
    )
    refused(cli("--course", COURSE, "stats", out, "--out", tmp_path / "bank.gift"), "was written by `grader export --to gift`")
    assert snapshot(tmp_path) == before


def test_any_other_existing_file_is_refused(cli, out, tmp_path):
    mine = tmp_path / "thesis.html"
    mine.write_text("<p>two years of work</p>\n", encoding="utf-8")
    refused(cli("--course", COURSE, "report", out, "--output", mine), "already exists and was not written by `grader report`")
    refused(
        cli("--course", COURSE, "export", "--to", "canvas", out, "--map", MAP, "--output", MAP), "is an input of this command"
    )
    refused(cli("--course", COURSE, "stats", ANSWERS, "--out", ANSWERS / "s01-practice.yml"), "is an input of this command")
    assert mine.read_text(encoding="utf-8") == "<p>two years of work</p>\n"


def test_force_overwrites(cli, out, tmp_path):
    mine = tmp_path / "thesis.html"
    mine.write_text("<p>two years of work</p>\n", encoding="utf-8")
    run = cli("--course", COURSE, "report", out, "--output", mine, "--force")
    assert run.code == 0 and output_guard.written_by(mine) == output_guard.REPORT
    run = cli("--course", COURSE, "stats", out, "--out", out / "gradebook.csv", "--force")
    assert run.code == 0 and output_guard.written_by(out / "gradebook.csv") == output_guard.STATS


def test_a_folder_is_never_a_target(cli, out):
    for extra in ([], ["--force"]):
        run = cli("--course", COURSE, "report", out, "--output", out / "feedback", *extra)
        assert run.code == 2 and "is a folder; give a file name" in run.err and run.err.count("\n") == 1


# ---------------------------------------------------------------- allowed


def test_own_earlier_output_is_replaced(cli, out, tmp_path):
    for _ in range(2):
        assert cli("--course", COURSE, "report", out).code == 0
        assert cli("--course", COURSE, "stats", out, "--out", tmp_path / "stats.json").code == 0
        assert cli("--course", COURSE, "export", "--to", "canvas", out).code == 0
        assert (
            cli(
                "--course",
                COURSE,
                "export",
                "--to",
                "moodle",
                out,
                "--map",
                MAP,
                "--feedback",
                "--percent",
                "--output",
                tmp_path / "moodle.csv",
            ).code
            == 1
        )
        assert cli("--course", COURSE, "export", "--to", "gift", "--output", tmp_path / "bank.gift").code == 0
    # The Moodle layout without a map is recognised as well as the one with one.
    assert cli("--course", COURSE, "export", "--to", "moodle", out, "--output", tmp_path / "moodle.csv").code == 0


def test_new_files_are_always_fine(cli, out):
    assert cli("--course", COURSE, "report", out, "--output", out / "report-2.html").code == 0
    assert cli("--course", COURSE, "stats", out, "--out", out / "feedback" / "s01" / "stats.json").code == 0
    assert cli("--course", COURSE, "export", "--to", "canvas", out, "--output", out / "deep" / "er" / "canvas.csv").code == 0


# ---------------------------------------------------------------- recognising each command's output


@pytest.mark.parametrize(
    "text, writer",
    [
        (
            '<!DOCTYPE html><html lang="en"><head><meta charset="utf-8">\n<meta name="generator" content="grader report">\n',
            output_guard.REPORT,
        ),
        ("<!DOCTYPE html><html><head><title>Class report</title>", None),
        ('{\n  "generated_by": "grader stats",\n  "format": 1\n}\n', output_guard.STATS),
        ('{"format": 1, "generated_by": "grader stats"}', None),
        ("Student,ID,SIS User ID,SIS Login ID,Section,Quiz (quiz)\r\nPoints Possible,,,,,10\r\n", output_guard.CANVAS),
        ("Student,ID,SIS User ID,SIS Login ID,Section,Quiz (quiz),Notes\r\nPoints Possible,,,,,10,\r\n", None),
        ("Student,ID,SIS User ID,SIS Login ID,Section,Quiz (quiz)\r\nAda,,s1,,,10\r\n", None),
        ("ID number,Full name,Quiz (quiz),Quiz (quiz) feedback\r\ns1,Ada,3,Good.\r\n", output_guard.MOODLE),
        ("Learner ID,Full name,Email address,Username,Quiz (quiz) %\r\n", output_guard.MOODLE),
        ("Learner ID,Full name,Phone,Quiz (quiz)\r\n", None),
        ("// Moodle GIFT export of the course quizzes, written by `grader export --to gift`.\n", output_guard.GIFT),
        ("learner_id,name,quiz,score,max,percent,status,file\r\n", None),
    ],
)
def test_written_by(tmp_path, text, writer):
    path = tmp_path / "file"
    path.write_text(text, encoding="utf-8", newline="")
    assert output_guard.written_by(path) == writer


def test_written_by_reads_anything(tmp_path):
    path = tmp_path / "binary"
    path.write_bytes(b"\xff\xfe\x00" * 100_000)
    assert output_guard.written_by(path) is None


def test_a_long_report_is_recognised_whatever_its_65536th_byte(tmp_path):
    head = '<!DOCTYPE html><html lang="en"><head><meta charset="utf-8">\n<meta name="generator" content="grader report">\n'
    path = tmp_path / "report.html"
    for pad in ("", "x"):  # one of the two cuts a two-byte character in half at the end of what is read
        path.write_text(head + pad + "é" * 40_000, encoding="utf-8")
        assert output_guard.written_by(path) == output_guard.REPORT
