"""The self-study build: `extra: {course: {self_check: true}}` in mkdocs.yml publishes each graded quiz's key in its data,
through a real `mkdocs build`, so that the quiz scores itself on the page; without the switch no key is published
(tests/test_keys_private.py proves that of the default build); a self-study build without its keys stops, saying so."""

from __future__ import annotations

import html
import json
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from benchmarks import project
from grader.course import load_course
from grader.site.scoring_data import key_data
from tests.conftest import ROOT

SWITCH = "\nextra:\n  course:\n    self_check: true\n"


def self_check_copy(folder: Path) -> Path:
    """A copy of the project whose mkdocs.yml turns the self-study build on."""
    copy = project.snapshot(ROOT, folder)
    config = copy / "mkdocs.yml"
    config.write_text(config.read_text(encoding="utf-8") + SWITCH, encoding="utf-8")
    return copy


def build(copy: Path, site: Path, site_url: str = "http://127.0.0.1:8000/") -> subprocess.CompletedProcess:
    """`mkdocs build --strict` of the copy, for the address it will be served from."""
    return subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "--site-dir", str(site)],
        cwd=copy,
        env=project.env(copy, NO_MKDOCS_2_WARNING="1", SITE_URL=site_url),
        capture_output=True,
        text=True,
        timeout=300,
    )


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("self-check")
    copy = self_check_copy(folder / "project")
    done = build(copy, folder / "site")
    assert done.returncode == 0, done.stdout + done.stderr
    return folder / "site"


def _quiz_data(page: str, quiz_id: str) -> dict:
    found = re.search(rf'data-course-quiz="{quiz_id}" data-course="([^"]*)"', page)
    assert found, f"no {quiz_id} quiz"
    return json.loads(html.unescape(found.group(1)))


def test_every_quiz_carries_its_key_to_score_on_the_page(built):
    course = load_course(ROOT, keys=True)
    for quiz_id, quiz in course.quizzes.items():
        page = (built / "quizzes" / quiz_id / "index.html").read_text(encoding="utf-8")
        check = _quiz_data(page, quiz_id)["check"]
        key = course.keys[quiz_id]
        assert check["penalty"] == key.negative_marking
        assert [item["id"] for item in check["items"]] == [q.id for q in quiz.questions]
        for item in check["items"]:
            assert item["key"] == key_data(key.items[item["id"]]), f"{quiz_id} {item['id']}"
            assert item["lesson"]["href"] and item["lesson"]["name"]
        assert 'data-action="check"' in page and "Check my answers" in page


def test_a_self_study_build_without_keys_stops_and_says_why(tmp_path):
    copy = self_check_copy(tmp_path / "project")
    shutil.rmtree(copy / "quizzes" / "keys")
    done = build(copy, tmp_path / "site")
    assert done.returncode != 0
    output = done.stdout + done.stderr
    assert "quizzes/keys: the keys folder does not exist" in output and "Traceback" not in output
