"""`grader grade` end to end: golden outputs, exit codes, --keep, bad files mixed in, safe output."""

from __future__ import annotations

import csv
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from grader.common.csv_text import csv_text
from grader.common.files import write_atomic
from grader.grading import batch, outputs
from tests.conftest import CASES, MINI
from tests.outputs import OUTPUT_NAMES

GRADE = CASES / "grade"
GOLDEN = GRADE / "golden"
UPDATE = os.environ.get("UPDATE_GOLDEN") == "1"


def tree(folder: Path) -> dict[str, str]:
    """Every output under `folder` as text (not the grader's own .grader/ folder), with the run's id and time blanked."""
    out = {}
    found = []
    for here, dirs, files in os.walk(folder, followlinks=True):
        dirs[:] = [d for d in dirs if d != ".grader"]
        found += [Path(here) / name for name in files]
    for path in sorted(found):
        if path.is_file():
            text = path.read_bytes().decode("utf-8")
            if path.name == "results.json":
                data = json.loads(text)
                data["generated"] = "(time of the run)"
                if "run" in data:
                    data["run"] = "(id of the run)"
                text = json.dumps(data, indent=2, ensure_ascii=False) + "\n"
            out[str(path.relative_to(folder))] = text
    return out


def timed_copy(tmp_path: Path) -> Path:
    """The class copied with file times of its own (one minute apart, in name order), so no run depends on when it was checked out."""
    folder = tmp_path / "copy"
    shutil.copytree(GRADE / "class", folder / "class")
    for n, path in enumerate(sorted(p for p in (folder / "class").rglob("*") if p.is_file())):
        os.utime(path, (BASE_TIME + 60 * n, BASE_TIME + 60 * n))
    return folder


BASE_TIME = 1795608000  # 2026-11-25T12:00:00Z


def test_golden_class(cli, tmp_path):
    result = cli("--course", MINI, "grade", "class", "--out", tmp_path / "out", cwd=timed_copy(tmp_path))
    assert result.code == 1, result.err
    got = tree(tmp_path / "out")
    if UPDATE:
        shutil.rmtree(GOLDEN, ignore_errors=True)
        for name, text in got.items():
            (GOLDEN / name).parent.mkdir(parents=True, exist_ok=True)
            (GOLDEN / name).write_bytes(text.encode("utf-8"))
    assert got == tree(GOLDEN)
    expected_summary = GOLDEN.parent / "summary.txt"
    if UPDATE:
        expected_summary.write_text(result.out.replace(str(tmp_path), "OUT"), encoding="utf-8")
    assert result.out.replace(str(tmp_path), "OUT") == expected_summary.read_text(encoding="utf-8")


def test_golden_class_reads_right(tmp_path, cli):
    """What the golden files must say, stated plainly so a bad regeneration cannot slip through."""
    cli("--course", MINI, "grade", "class", "--out", tmp_path, cwd=GRADE)
    rows = {(r["learner_id"], r["quiz"]): r for r in csv.DictReader(open(tmp_path / "gradebook.csv", encoding="utf-8"))}
    assert rows[("s001", "mini-quiz")]["score"] == "18" and rows[("s001", "mini-quiz")]["percent"] == "100.0"
    assert rows[("s001", "tiny")]["score"] == "10"
    # Dan handed in twice: the latest counts
    assert rows[("s004", "mini-quiz")]["file"] == "class/late/dan-second.yml"
    assert rows[("s005", "mini-quiz")]["status"].startswith("graded; warning: answered version 0badc0de")
    assert "answers for unknown question(s) ignored: q99" in rows[("s005", "mini-quiz")]["status"]
    assert rows[("s006", "mini-quiz")]["name"].startswith("'=HYPERLINK")
    rejected = {r["file"]: r["reason"] for r in csv.DictReader(open(tmp_path / "rejected.csv", encoding="utf-8"))}
    assert set(rejected) == {
        "class/inbox/bad-yaml.yml",
        "class/inbox/path-trick.yml",
        "class/inbox/unknown-quiz.yml",
        "class/inbox/latin1.yml",
    }
    assert rejected["class/inbox/latin1.yml"] == "line 3: not UTF-8 text; save the file as UTF-8"
    assert not (tmp_path / "feedback" / "..").resolve().joinpath("etc").exists()
    assert sorted(p.name for p in (tmp_path / "feedback").iterdir()) == ["s001", "s002", "s003", "s004", "s005", "s006"]
    feedback = (tmp_path / "feedback" / "s002" / "mini-quiz.md").read_text(encoding="utf-8")
    assert "# Mini quiz: your feedback" in feedback
    assert "| a: That is not my department. | yes | no |" in feedback
    assert "- **Your choice, wrong:** a: That is not my department. — Deflecting makes it worse." in feedback
    assert "**Revisit:** Let them finish, in the lesson Calm first" in feedback
    # The hand-in's own name, never the folders it was in on the instructor's machine.
    assert "- **File:** bob.yml\n" in feedback and "class/" not in feedback
    results = json.loads((tmp_path / "results.json").read_text(encoding="utf-8"))
    assert results["summary"] == {
        "files": 12,
        "graded": 7,
        "set_aside": 1,
        "rejected": 4,
        "skipped": 1,
        "warnings": 1,
        "learners": 6,
        "roster": None,
        "missing": 0,
        "late": 0,
        "identity_mismatch": 0,
        "not_on_roster": 0,
        "overrides": 0,
    }


@pytest.mark.parametrize("keep, kept", [("latest", "late/dan-second.yml"), ("first", "dan-first.yml"), ("best", "dan-first.yml")])
def test_keep(cli, tmp_path, keep, kept):
    where = timed_copy(tmp_path)
    result = cli(
        "--course",
        MINI,
        "grade",
        "class/dan-first.yml",
        "class/late/dan-second.yml",
        "--keep",
        keep,
        "--out",
        tmp_path / "out",
        cwd=where,
    )
    assert result.code == 0
    rows = list(csv.DictReader(open(tmp_path / "out" / "gradebook.csv", encoding="utf-8")))
    assert [r["file"] for r in rows] == [f"class/{kept}"]
    assert f"Set aside (--keep {keep}" in result.out


def test_strict_version_rejects_instead_of_warning(cli, tmp_path):
    result = cli("--course", MINI, "grade", "class/eve-old-version.yml", "--strict-version", "--out", tmp_path, cwd=GRADE)
    assert result.code == 1
    assert "answered version 0badc0de, the quiz is now" in (tmp_path / "rejected.csv").read_text()


def test_all_good_exits_0_and_json_summary(cli, tmp_path):
    result = cli("--course", MINI, "grade", "class/ada.yml", "class/cara.json", "--json", "--out", tmp_path, cwd=GRADE)
    assert result.code == 0
    assert json.loads(result.out)["graded"] == 2


def test_usage_errors_exit_2_and_write_nothing(cli, tmp_path):
    out = tmp_path / "out"
    result = cli("--course", MINI, "grade", "class/nope.yml", "--out", out, cwd=GRADE)
    assert (result.code, result.err) == (2, "grader: class/nope.yml: no such file or folder\n")
    assert not out.exists()
    result = cli("--course", MINI, "grade", "class/notes.txt", "--out", out, cwd=GRADE)
    assert result.code == 1  # a file named explicitly is read, and rejected with a reason
    (tmp_path / "empty").mkdir()
    result = cli("--course", MINI, "grade", tmp_path / "empty", "--out", tmp_path / "out2", cwd=GRADE)
    assert result.code == 2 and "no answer files" in result.err and not (tmp_path / "out2").exists()


def test_course_error_exits_2_and_writes_nothing(cli, tmp_path, mini_copy):
    quiz = mini_copy / "quizzes" / "mini-quiz.yml"
    quiz.write_text(quiz.read_text().replace("steps: [calm.listen]\n    lesson", "steps: [calm.nope]\n    lesson", 1))
    result = cli("--course", mini_copy, "grade", GRADE / "class", "--out", tmp_path / "out")
    assert result.code == 2
    assert "quizzes/mini-quiz.yml:8 (questions[0].steps): unknown model step 'calm.nope'" in result.err
    assert "Nothing was written" in result.err
    assert not (tmp_path / "out").exists()


def test_missing_key_is_a_course_error(cli, tmp_path, mini_copy):
    (mini_copy / "quizzes" / "keys" / "mini-quiz.yml").unlink()
    result = cli("--course", mini_copy, "grade", GRADE / "class", "--out", tmp_path / "out")
    assert result.code == 2 and "no answer key for quiz 'mini-quiz'" in result.err


def test_keys_from_another_folder(cli, tmp_path, mini_copy):
    private = tmp_path / "private-keys"
    shutil.move(mini_copy / "quizzes" / "keys", private)
    result = cli("--course", mini_copy, "grade", GRADE / "class" / "ada.yml", "--keys", private, "--out", tmp_path / "out")
    assert result.code == 0, result.err


def test_a_thousand_files_with_bad_ones_mixed_in_lose_none(cli, tmp_path, mini):
    folder = tmp_path / "batch"
    folder.mkdir()
    version = mini.quizzes["mini-quiz"].version
    bad = {
        17: "format: 1\nquiz: [\n",
        333: "format: 1\nquiz: mini-quiz\nlearner: {id: 'a/b'}\n",
        512: b"\xff\xfe",
        999: "- just\n- a list\n",
    }
    for n in range(1000):
        body = bad.get(
            n,
            f"format: 1\nquiz: mini-quiz\nversion: '{version}'\nlearner: {{id: l{n:04d}}}\nanswers: {{q1: {'b' if n % 2 else 'a'}}}\n",
        )
        (folder / f"l{n:04d}.yml").write_bytes(body if isinstance(body, bytes) else body.encode())
    result = cli("--course", MINI, "grade", folder, "--out", tmp_path / "out", "--jobs", "2")
    assert result.code == 1
    rows = list(csv.DictReader(open(tmp_path / "out" / "gradebook.csv", encoding="utf-8")))
    assert len(rows) == 996
    assert {r["learner_id"] for r in rows} == {f"l{n:04d}" for n in range(1000) if n not in bad}
    assert sum(float(r["score"]) for r in rows) == 2 * sum(1 for n in range(1000) if n % 2 and n not in bad)
    rejected = list(csv.DictReader(open(tmp_path / "out" / "rejected.csv", encoding="utf-8")))
    assert sorted(Path(r["file"]).name for r in rejected) == ["l0017.yml", "l0333.yml", "l0512.yml", "l0999.yml"]


def test_parallel_and_serial_grading_agree(cli, tmp_path):
    folder = tmp_path / "many"
    for n in range(300):
        target = folder / f"copy{n}"
        shutil.copytree(GRADE / "class", target)
    serial = cli("--course", MINI, "grade", folder, "--jobs", "1", "--out", tmp_path / "one")
    parallel = cli("--course", MINI, "grade", folder, "--jobs", "2", "--out", tmp_path / "two")
    assert serial.code == parallel.code == 1
    for name in ("gradebook.csv", "rejected.csv"):
        assert (tmp_path / "one" / name).read_text() == (tmp_path / "two" / name).read_text()


def test_csv_cells_that_a_spreadsheet_would_run_are_neutralised():
    text = csv_text(["a", "b", "c", "d", "e", "f", "g"], [["=1+1", "+1", "-1", "@SUM(A1)", "\tx", "\rx", 5]])
    assert text == "a,b,c,d,e,f,g\r\n'=1+1,'+1,'-1,'@SUM(A1),'\tx,\"'\rx\",5\r\n"


def test_interrupted_write_leaves_the_old_file_whole(tmp_path, monkeypatch):
    target = tmp_path / "gradebook.csv"
    target.write_text("old, whole\n")

    def broken_replace(src, dst):
        raise KeyboardInterrupt

    monkeypatch.setattr(os, "replace", broken_replace)
    with pytest.raises(KeyboardInterrupt):
        write_atomic(target, "new" * 1000)
    assert target.read_text() == "old, whole\n"
    assert [p.name for p in tmp_path.iterdir()] == ["gradebook.csv"]


def test_console_script_and_module_entry_points(tmp_path):
    for command in (["grader"], [sys.executable, "-m", "grader"]):
        exe = shutil.which(command[0]) or os.path.join(os.path.dirname(sys.executable), command[0])
        done = subprocess.run(
            [exe, *command[1:], "--course", str(MINI), "grade", "class/ada.yml", "--out", str(tmp_path)],
            cwd=GRADE,
            capture_output=True,
            text=True,
        )
        assert done.returncode == 0, done.stderr
        assert "1 graded" in done.stdout
        assert "Traceback" not in done.stderr


def test_no_traceback_on_unexpected_errors(cli, monkeypatch, tmp_path):
    def explode(*a, **k):
        raise RuntimeError("disk on fire")

    monkeypatch.setattr(batch, "choose", explode)
    result = cli("--course", MINI, "grade", GRADE / "class" / "ada.yml", "--out", tmp_path)
    assert result.code == 2
    assert (
        result.err
        == "grader: unexpected error (RuntimeError: disk on fire); set GRADER_DEBUG=1 to see details and please report it.\n"
    )


def test_a_second_run_replaces_the_feedback_folder_whole(cli, tmp_path):
    out = tmp_path / "out"
    cli("--course", MINI, "grade", "class", "--out", out, cwd=GRADE)
    assert (out / "feedback" / "s002" / "mini-quiz.md").is_file()
    cli("--course", MINI, "grade", "class/ada.yml", "--out", out, cwd=GRADE)
    # Only this run's learners remain, and no staging or old run is left behind.
    assert sorted(p.name for p in (out / "feedback").iterdir()) == ["s001"]
    assert sorted(p.name for p in out.iterdir()) == OUTPUT_NAMES
    # The mail merge switched with the run: only this run's learner.
    assert [row["learner_id"] for row in csv.DictReader(open(out / "mail-merge.csv", encoding="utf-8"))] == ["s001"]
    assert len(list((out / ".grader" / "runs").iterdir())) == 1


def test_an_interrupted_feedback_write_keeps_the_previous_folder(cli, tmp_path, monkeypatch):
    out = tmp_path / "out"
    cli("--course", MINI, "grade", "class", "--out", out, cwd=GRADE)
    before = tree(out)

    def broken(*args, **kwargs):
        raise KeyboardInterrupt

    monkeypatch.setattr(outputs, "feedback_markdown", broken)
    result = cli("--course", MINI, "grade", "class/ada.yml", "--out", out, cwd=GRADE)
    assert result.code == 130
    assert tree(out) == before
