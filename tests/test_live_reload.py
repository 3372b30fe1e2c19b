"""`mkdocs serve` rebuilds when a quiz, a dialogue, a lesson or the page script changes: edit each in a copy of the project and see the page change."""

from __future__ import annotations

import os
import re
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from benchmarks.project import snapshot
from grader.site.page_script import strip_comments
from tests.conftest import ROOT

START_WITHIN = 90  # seconds for the first build
CHANGE_WITHIN = 45  # seconds for a rebuild to show
LOG_NAME = "mkdocs-serve.log"


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _page(url: str) -> str | None:
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            return response.read().decode("utf-8")
    except (urllib.error.URLError, ConnectionError, TimeoutError):
        return None


def _wait_for(url: str, text: str, within: float, server: subprocess.Popen, log: Path) -> float:
    """Seconds until the page at `url` contains `text`; fails after `within` seconds or if the server stops."""
    start = time.monotonic()
    while time.monotonic() - start < within:
        if server.poll() is not None:
            pytest.fail(f"mkdocs serve stopped (exit {server.returncode}):\n{log.read_text()[-3000:]}")
        page = _page(url)
        if page is not None and text in page:
            return time.monotonic() - start
        time.sleep(0.3)
    pytest.fail(f"{text!r} did not appear at {url} within {within} s; mkdocs serve said:\n{log.read_text()[-3000:]}")


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {path}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


@pytest.fixture
def served(tmp_path):
    """A copy of the project under `mkdocs serve` on a free port: (copy, base url, wait_for(url, text))."""
    copy = snapshot(ROOT, tmp_path / "project")
    port = _free_port()
    env = {**os.environ, "PYTHONPATH": str(copy), "NO_MKDOCS_2_WARNING": "1"}
    env.pop("SITE_URL", None)
    # The log goes to a file: a pipe nobody reads could fill and stall the server.
    log_path = tmp_path / LOG_NAME
    log = open(log_path, "w")
    server = subprocess.Popen(
        [sys.executable, "-m", "mkdocs", "serve", "-a", f"127.0.0.1:{port}"],
        cwd=copy,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    base = f"http://127.0.0.1:{port}/"
    try:
        _wait_for(base, "</html>", START_WITHIN, server, log_path)
        yield copy, base, lambda url, text: _wait_for(url, text, CHANGE_WITHIN, server, log_path)
    finally:
        server.terminate()
        try:
            server.wait(timeout=15)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()
        log.close()


def _first_plain_line(path: Path, key: str) -> str:
    """A one-line `key: text` in a YAML file, whose text can take a word at its end."""
    match = re.search(rf"^\s*{key}: ([A-Z][^\"'\n#:]*[a-z.])$", path.read_text(encoding="utf-8"), re.M)
    assert match, f"no plain one-line {key}: in {path}"
    return match.group(0)


def test_quiz_dialogue_and_lesson_edits_show_without_a_restart(served):
    copy, base, wait_for = served
    quiz = copy / "quizzes" / "five-step-process.yml"
    line = _first_plain_line(quiz, "prompt")
    _edit(quiz, line, line + " Zqxquizmark")
    wait_for(base + "quizzes/five-step-process/", "Zqxquizmark")

    scenario = copy / "quizzes" / "dialogues" / "late-delivery.yml"
    line = _first_plain_line(scenario, "title")
    _edit(scenario, line, line + " Zqxdialoguemark")
    lesson = next(
        p
        for p in (copy / "docs" / "lessons").glob("*.md")
        if re.search(r"```dialogue\s+late-delivery\s", p.read_text(encoding="utf-8"))
    )
    wait_for(base + f"lessons/{lesson.stem}/", "Zqxdialoguemark")

    with open(lesson, "a", encoding="utf-8") as handle:
        handle.write("\nZqxlessonmark\n")
    wait_for(base + f"lessons/{lesson.stem}/", "Zqxlessonmark")


def test_every_module_of_the_page_script_is_served_without_comments_and_an_edit_shows(served):
    copy, base, wait_for = served
    scripts = copy / "docs" / "javascripts"
    for module in sorted(scripts.rglob("*.js")):
        url = base + "javascripts/" + module.relative_to(scripts).as_posix()
        assert _page(url) == strip_comments(module.read_text(encoding="utf-8")), url

    script = scripts / "quiz.js"  # imported by the entry, not listed in mkdocs.yml
    url = base + "javascripts/quiz.js"
    _edit(script, '"Your answers are cleared."', '"Your answers are cleared. Zqxscriptmark" /* Zqxcommentmark */')
    wait_for(url, "Zqxscriptmark")
    served_now = _page(url)
    assert "Zqxcommentmark" not in served_now
    assert served_now == strip_comments(script.read_text(encoding="utf-8"))
