"""A plain `pip install` of the wheel, not the checkout, runs `check` and `grade` from any folder: the schemas travel as package data."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import sysconfig
import zipfile
from pathlib import Path

import pytest

import grader
from benchmarks.project import snapshot
from tests.conftest import MINI, ROOT
from tests.outputs import output_set


@pytest.fixture(scope="module")
def installed(tmp_path_factory) -> dict:
    """A wheel built from a copy of the project, installed into a fresh virtual environment."""
    work = tmp_path_factory.mktemp("wheel")
    source = snapshot(ROOT, work / "source")
    pip = [sys.executable, "-m", "pip", "--disable-pip-version-check", "--quiet"]
    built = subprocess.run(
        [*pip, "wheel", "--no-deps", "-w", str(work / "dist"), str(source)], capture_output=True, text=True, timeout=600
    )
    assert built.returncode == 0, built.stdout + built.stderr
    wheel = next((work / "dist").glob("*.whl"))
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(work / "venv")], check=True, timeout=120)
    python = work / "venv" / "bin" / "python"
    done = subprocess.run(
        [*pip, "--python", str(python), "install", "--no-deps", str(wheel)], capture_output=True, text=True, timeout=600
    )
    assert done.returncode == 0, done.stdout + done.stderr
    # The grader's dependencies come from this test run's environment; the grader itself only from the wheel.
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "COURSE_DIR", "SITE_URL")}
    env["PYTHONPATH"] = sysconfig.get_paths()["purelib"]
    elsewhere = work / "elsewhere"
    elsewhere.mkdir()
    course = work / "course"
    shutil.copytree(MINI, course)
    return {"wheel": wheel, "bin": work / "venv" / "bin", "python": python, "env": env, "elsewhere": elsewhere, "course": course}


def run(installed, *args) -> subprocess.CompletedProcess:
    return subprocess.run(
        [str(installed["bin"] / "grader"), *map(str, args)],
        cwd=installed["elsewhere"],
        env=installed["env"],
        capture_output=True,
        text=True,
        timeout=300,
    )


def test_the_wheel_carries_the_schemas(installed):
    names = zipfile.ZipFile(installed["wheel"]).namelist()
    shipped = {Path(n).name for n in names if n.startswith("grader/schemas/")}
    assert shipped == {p.name for p in (ROOT / "grader" / "schemas").glob("*.json")}


def test_the_installed_grader_is_the_wheel_not_the_checkout(installed):
    where = subprocess.run(
        [str(installed["python"]), "-c", "import grader; print(grader.__file__)"],
        cwd=installed["elsewhere"],
        env=installed["env"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    assert Path(where).is_relative_to(installed["python"].parent.parent), where


def test_version_comes_from_one_place(installed):
    done = run(installed, "--version")
    assert done.returncode == 0 and done.stdout.strip() == f"grader {grader.__version__}"


def test_check_and_grade_from_another_folder(installed):
    checked = run(installed, "--course", installed["course"], "check")
    assert checked.returncode == 0, checked.stderr
    assert "Course OK" in checked.stdout
    out = installed["elsewhere"] / "grades"
    graded = run(
        installed,
        "--course",
        installed["course"],
        "grade",
        ROOT / "tests" / "cases" / "grade" / "class" / "ada.yml",
        "--out",
        out,
    )
    assert graded.returncode == 0, graded.stderr
    assert output_set(out)["feedback"] == {("s001", "mini-quiz")}
