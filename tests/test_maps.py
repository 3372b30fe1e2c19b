"""`grader maps --out DIR`: every scenario's map and path tables, exam ones included, in a folder of its own, under the
same rules as every output folder (never overwrite or mix what the grader did not write)."""

from __future__ import annotations

import csv
import io
import re
import shutil
from pathlib import Path

import pytest

from tests.conftest import MINI, ROOT
from tests.outputs import run_grader, snapshot


def test_maps_writes_a_page_and_a_map_for_every_scenario_exam_included(tmp_path):
    out = tmp_path / "maps"
    done = run_grader("--course", ROOT, "maps", "--out", out)
    assert done.code == 0, done.err
    assert "Wrote the maps of 7 scenario(s), 1 of them exam scenario(s)" in done.out
    names = sorted(p.name for p in out.iterdir() if p.name != ".grader")
    scenarios = sorted(p.stem for p in (ROOT / "quizzes" / "dialogues").glob("*.yml"))
    assert names == sorted(["index.html", "paths.csv", *(f"{s}.html" for s in scenarios), *(f"{s}.svg" for s in scenarios)])
    index = (out / "index.html").read_text(encoding="utf-8")
    for scenario in scenarios:
        assert f'href="{scenario}.html"' in index and f'href="{scenario}.svg"' in index
    exam = (out / "still-charged.html").read_text(encoding="utf-8")
    # What the site never shows: the exam scenario's best path, in words, with its scores.
    assert "exam (graded in a quiz; never on the site)" in exam
    assert "The best path (+25)" in exam and "<strong>r1</strong> (+2)" in exam
    assert "Ending: Pip stays at Fernbank (resolved, customer kept, +6)" in exam
    assert "from quizzes/dialogues/still-charged.yml and quizzes/keys/dialogues/still-charged.yml" in exam
    assert (out / "still-charged.svg").read_text(encoding="utf-8").startswith('<svg xmlns="http://www.w3.org/2000/svg"')
    # Self-contained: nothing is fetched, nothing runs.
    for page in out.glob("*.html"):
        text = page.read_text(encoding="utf-8")
        assert "<script" not in text and not re.search(r'(?:src|href)="(?:https?:)?//', text), page.name


def test_paths_csv_has_a_row_per_scenario_and_variant(tmp_path):
    out = tmp_path / "maps"
    assert run_grader("--course", ROOT, "maps", "--out", out).code == 0
    rows = list(csv.DictReader(io.StringIO((out / "paths.csv").read_text(encoding="utf-8"))))
    late = [r for r in rows if r["scenario"] == "late-delivery"]
    assert [r["variant"] for r in late] == ["", "shouting", "quiet"]
    quiet = late[2]
    assert (quiet["paths"], quiet["best"], quiet["worst"], quiet["worst_path"]) == ("22159", "28", "-12", "r3 r7 r11 r15 r17")
    exam = next(r for r in rows if r["scenario"] == "still-charged")
    assert (exam["kind"], exam["best"], exam["best_path"]) == ("exam", "25", "r1 r7 r13 r19 r25 r31 r34 r37 r40")


def test_a_second_run_replaces_only_its_own_files_and_leaves_the_instructors_alone(tmp_path):
    out = tmp_path / "maps"
    assert run_grader("--course", MINI, "maps", "--out", out).code == 0
    (out / "notes.txt").write_text("my notes")
    assert run_grader("--course", MINI, "maps", "--out", out).code == 0
    assert (out / "notes.txt").read_text() == "my notes"
    assert (out / "tiny-exam.html").is_file()


def test_maps_refuses_a_folder_it_did_not_write_and_a_grade_output_folder(tmp_path):
    theirs = tmp_path / "theirs"
    theirs.mkdir()
    (theirs / "report.html").write_text("mine")
    before = snapshot(theirs)
    done = run_grader("--course", MINI, "maps", "--out", theirs)
    assert done.code == 2 and "already holds files the grader did not write (report.html)" in done.err
    assert snapshot(theirs) == before
    grades = tmp_path / "grades"
    assert (
        run_grader("--course", MINI, "grade", ROOT / "tests" / "cases" / "grade" / "class" / "ada.yml", "--out", grades).code == 0
    )
    before = snapshot(grades)
    done = run_grader("--course", MINI, "maps", "--out", grades)
    assert done.code == 2 and "holds the outputs of `grader grade`; give `grader maps` a folder of its own" in done.err
    assert snapshot(grades) == before
    maps = tmp_path / "maps"
    assert run_grader("--course", MINI, "maps", "--out", maps).code == 0
    done = run_grader("--course", MINI, "grade", ROOT / "tests" / "cases" / "grade" / "class" / "ada.yml", "--out", maps)
    assert done.code == 2 and "holds the outputs of `grader maps`; give `grader grade` a folder of its own" in done.err


def test_maps_needs_the_exam_keys(tmp_path):
    course = tmp_path / "course"
    shutil.copytree(MINI, course)
    shutil.rmtree(course / "quizzes" / "keys")
    done = run_grader("--course", course, "maps", "--out", tmp_path / "maps")
    assert done.code == 2 and "the keys folder does not exist" in done.err
    assert not (tmp_path / "maps").exists()


def test_course_text_is_escaped_in_the_pages(tmp_path):
    course = tmp_path / "course"
    shutil.copytree(MINI, course)
    scenario = course / "quizzes" / "dialogues" / "tiny.yml"
    scenario.write_text(scenario.read_text().replace("I'm sorry. What arrived?", "<script>alert(1)</script> & <b>"))
    out = tmp_path / "maps"
    assert run_grader("--course", course, "maps", "--out", out).code == 0
    page = (out / "tiny.html").read_text(encoding="utf-8")
    assert "<script>" not in page and "&lt;script&gt;alert(1)&lt;/script&gt; &amp; &lt;b&gt;" in page


@pytest.mark.browser
def test_the_map_pages_open_from_disk_make_no_request_and_pass_axe(tmp_path):
    from playwright import sync_api as playwright

    chromium, axe = Path("/usr/bin/chromium"), ROOT / "node_modules" / "axe-core" / "axe.min.js"
    if not chromium.exists() or not axe.exists():  # never a skip: say what is missing, and fail
        pytest.fail("needs /usr/bin/chromium and node_modules/axe-core: run `make test`, which installs both")
    out = tmp_path / "maps"
    assert run_grader("--course", ROOT, "maps", "--out", out).code == 0
    with playwright.sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path=str(chromium), args=["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run"]
        )
        try:
            page = browser.new_page()
            requests: list[str] = []
            page.on("request", lambda request: requests.append(request.url))
            for name in ("index.html", "still-charged.html"):
                page.goto((out / name).as_uri())
                page.wait_for_load_state("load")
                page.add_script_tag(path=str(axe))
                found = page.evaluate(
                    "async () => (await axe.run(document, {runOnly: {type: 'tag', values: ['wcag2a','wcag2aa','wcag21a','wcag21aa','wcag22aa']}}))"
                    ".violations.map(v => v.id + ': ' + v.nodes.slice(0, 3).map(n => n.target.join(' ')).join(' | '))"
                )
                assert found == [], f"{name}: {found}"
            assert [u for u in requests if not u.startswith("file://")] == []
        finally:
            browser.close()
