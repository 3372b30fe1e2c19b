"""`grader play`: golden transcripts that `grader play --path` reproduces, typed play with undo and restart, and its errors.

Each folder in tests/cases/play/ holds args.txt (one argument a line), stdout.txt (the transcript), and, when the case
needs them, stdin.txt (what is typed), code.txt (the exit code), stderr.txt, and without-keys (the course is copied
without quizzes/keys/). Rewrite the transcripts with UPDATE_GOLDEN=1 and read the diff.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.outputs import ROOT, grader_env

CASES = ROOT / "tests" / "cases" / "play"
UPDATE = os.environ.get("UPDATE_GOLDEN") == "1"


def _play(case: Path, tmp_path: Path) -> subprocess.CompletedProcess:
    args = (case / "args.txt").read_text(encoding="utf-8").split("\n")
    args = [a for a in args if a]
    if (case / "without-keys").is_file():
        course = tmp_path / "course"
        shutil.copytree(ROOT / "quizzes", course / "quizzes", ignore=shutil.ignore_patterns("keys"))
        shutil.copytree(ROOT / "docs", course / "docs", ignore=shutil.ignore_patterns("javascripts", "stylesheets"))
        shutil.copy2(ROOT / "mkdocs.yml", course / "mkdocs.yml")
        args = ["--course", str(course), *args]
    typed = case / "stdin.txt"
    return subprocess.run(
        [sys.executable, "-m", "grader", *args],
        cwd=ROOT,
        input=typed.read_bytes() if typed.is_file() else b"",
        capture_output=True,
        env=grader_env(),
        timeout=300,
    )


@pytest.mark.parametrize("case", sorted(p for p in CASES.iterdir() if p.is_dir()), ids=lambda p: p.name)
def test_play_reproduces_its_golden_transcript(case, tmp_path):
    done = _play(case, tmp_path)
    out, err = done.stdout.decode("utf-8"), done.stderr.decode("utf-8")
    assert "Traceback" not in err, err
    expected = {"stdout.txt": out, "code.txt": f"{done.returncode}\n", "stderr.txt": err}
    for name, got in expected.items():
        path = case / name
        if UPDATE and (name == "stdout.txt" or got not in ("0\n", "")):
            path.write_text(got, encoding="utf-8")
        want = path.read_text(encoding="utf-8") if path.is_file() else {"code.txt": "0\n", "stderr.txt": ""}[name]
        assert got == want, f"{case.name}/{name} differs; rerun with UPDATE_GOLDEN=1 and read the diff"


@pytest.mark.parametrize(
    "args, message",
    [
        (["play", "nope"], "grader: no scenario 'nope' in this course (it has: cancellation, email-complaint, late-delivery,"),
        (
            ["play", "late-delivery", "--variant", "calm"],
            "grader: scenario 'late-delivery' has no variant 'calm' (its variants: shouting, quiet)",
        ),
        (["play", "poor-quality", "--variant", "calm"], "(its variants: none)"),
        (
            ["play", "late-delivery", "--seed", "4294967296"],
            "grader: --seed 4294967296 is out of range; give a whole number from 0 to 4294967295",
        ),
        (["play", "late-delivery", "--seed", "-1"], "--seed -1 is out of range"),
        (["play", "still-charged", "--keys", "no-such-folder", "--path", "r2"], "no-such-folder: the keys folder does not exist"),
    ],
)
def test_play_refuses_what_it_cannot_do_in_one_line(cli, args, message):
    result = cli("--course", ROOT, *args)
    assert result.code == 2 and message in result.err, result.err
    assert "Traceback" not in result.err


def test_play_refuses_seed_and_variant_together_and_a_seed_that_is_not_a_number(cli):
    for args in (["--seed", "3", "--variant", "quiet"], ["--seed", "three"]):
        with pytest.raises(SystemExit) as stopped:
            cli("--course", ROOT, "play", "late-delivery", *args)
        assert stopped.value.code == 2


def test_play_prints_control_characters_as_escapes_never_as_commands(tmp_path):
    from tests.conftest import MINI
    from tests.outputs import run_grader

    course = tmp_path / "course"
    shutil.copytree(MINI, course)
    scenario = course / "quizzes" / "dialogues" / "tiny.yml"
    scenario.write_text(scenario.read_text().replace('say: "My order is wrong!"', 'say: "My order is \\e[2Jwrong!"'))
    done = run_grader("--course", course, "play", "tiny", "--path", "r1,r3")
    assert done.code == 0, done.err
    assert b"\x1b" not in done.raw_out and "My order is \\x1b[2Jwrong!" in done.out
