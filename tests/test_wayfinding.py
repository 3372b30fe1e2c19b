"""Wayfinding in the built site: "Lesson n of 6" and a time estimate computed from each lesson, each quiz titled and
labelled with its lesson (tab, header, footer links), the home page's start button and progress overview, and the
instructors' and authors' pages in a tab of their own that search still reaches. The estimates' rules, unit by unit."""

from __future__ import annotations

import html
import json
import math
import re
import subprocess
import sys
from pathlib import Path

import pytest

from benchmarks import project
from benchmarks import site as site_build
from grader.course import load_course
from grader.course.lessons import fences
from grader.course.timing import (
    SECONDS_PER_CHOICE,
    WORDS_PER_MINUTE,
    dialogue_minutes,
    lesson_time,
    quiz_minutes,
    reading_words,
    words,
)
from grader.dialogue.analysis import analyse_paths
from tests.conftest import ROOT

COURSE = load_course(ROOT)
NAV_LESSONS = [
    "lessons/person-then-problem.md",
    "lessons/empathy-understand-offer-check.md",
    "lessons/four-key-steps.md",
    "lessons/five-step-process.md",
    "lessons/managing-difficult-customers.md",
    "lessons/comparing-the-models.md",
]


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("wayfinding") / "site"
    site_build.build(ROOT, "mkdocs.yml", folder, "http://127.0.0.1:8000/")
    return folder


def page_of(built: Path, source: str) -> str:
    return (built / source.removesuffix(".md").removesuffix("index") / "index.html").read_text(encoding="utf-8")


def text_of(fragment: str) -> str:
    return " ".join(html.unescape(re.sub(r"<[^>]+>", "", fragment)).split())


def lesson_markdown(source: str) -> str:
    return (ROOT / "docs" / source).read_text(encoding="utf-8")


# ---------------------------------------------------------------- the estimates' rules


def test_words_are_runs_of_letters_with_inner_apostrophes():
    assert words("Don't stop, it's 2 o\u2019clock — isn't it?") == 7
    assert words("") == 0


def test_reading_counts_prose_and_leaves_out_fences_links_and_markup():
    page = (
        "# Title {#top}\n\nRead [this page](../a/very/long/link.md) now.\n\n"
        '!!! tip "Two words"\n    Three more words.\n\n<span class="x">Tagged</span>\n\n'
        "```practice\nlesson#one\n```\n\n```yaml\nnot: read at all\n```\n"
    )
    assert reading_words(page) == len("Title Read this page now Two words Three more words Tagged".split())


def test_a_lesson_is_its_reading_practice_and_dialogue_each_rounded_up():
    source = NAV_LESSONS[3]
    text = lesson_markdown(source)
    sets = [p for p in COURSE.practice.values() if p.lesson == source]
    dialogues = [COURSE.dialogues[d] for _, d in fences(text, "dialogue")]
    time = lesson_time(text, sets, dialogues)
    assert time.reading == math.ceil(reading_words(text) / WORDS_PER_MINUTE)
    assert time.total == time.reading + time.practice + time.dialogue
    assert time.practice >= len([q for p in sets for q in p.questions]) * 15 / 60  # at least the time to answer
    assert 20 <= time.total <= 35


def test_a_dialogue_is_one_play_of_its_best_path():
    scenario = COURSE.dialogues["poor-quality"]
    choices = len(analyse_paths(scenario).best_path)
    assert dialogue_minutes(scenario) >= math.ceil(choices * SECONDS_PER_CHOICE / 60)
    assert 3 <= dialogue_minutes(scenario) <= 15


def test_the_home_pages_claims_about_time_hold():
    # docs/index.md: "about four hours in total", lessons of 20 to 35 minutes, quizzes of about 10, the final about 20.
    lessons = []
    for source in NAV_LESSONS:
        text = lesson_markdown(source)
        sets = [p for p in COURSE.practice.values() if p.lesson == source]
        lessons.append(lesson_time(text, sets, [COURSE.dialogues[d] for _, d in fences(text, "dialogue")]).total)
    quizzes = {quiz_id: quiz_minutes(quiz, COURSE) for quiz_id, quiz in COURSE.quizzes.items()}
    assert all(20 <= minutes <= 35 for minutes in lessons), lessons
    assert all(7 <= minutes <= 14 for quiz_id, minutes in quizzes.items() if quiz_id != "final-assessment"), quizzes
    assert 15 <= quizzes["final-assessment"] <= 25
    assert 3.5 * 60 <= sum(lessons) + sum(quizzes.values()) <= 4.5 * 60
    home = (ROOT / "docs" / "index.md").read_text(encoding="utf-8")
    assert "about four hours" in home and "20 to 35 minutes" in home


# ---------------------------------------------------------------- in the built site


def test_each_lesson_says_its_number_and_time_at_its_top(built):
    for number, source in enumerate(NAV_LESSONS, 1):
        page = page_of(built, source)
        text = lesson_markdown(source)
        sets = [p for p in COURSE.practice.values() if p.lesson == source]
        time = lesson_time(text, sets, [COURSE.dialogues[d] for _, d in fences(text, "dialogue")])
        banner = re.search(r'<div class="course-banner">(.*?)</p>', page).group(1)
        assert text_of(banner) == (
            f"Lesson {number} of 6 \u00b7 About {time.total} minutes: reading {time.reading}, practice {time.practice}, "
            f"dialogue {time.dialogue}."
        )
        # Straight after the lesson's title, and the end marker after its last word.
        assert page.index("</h1>") < page.index('<div class="course-banner">') < page.index("<h2")
        assert page.index("data-course-lesson-end") > page.rindex("data-course-practice=")


def test_each_lesson_view_counts_what_the_lesson_holds(built):
    for source in NAV_LESSONS:
        data = json.loads(
            html.unescape(re.search(r'data-course-progress="lesson" data-course="([^"]*)"', page_of(built, source)).group(1))
        )
        (lesson,) = data["lessons"]
        assert lesson["page"] == source and data["course"] == "Calming an Upset Customer"
        assert [p["id"] for p in lesson["practice"]] == [p.id for p in COURSE.practice.values() if p.lesson == source]
        assert [d["id"] for d in lesson["dialogues"]] == [d for _, d in fences(lesson_markdown(source), "dialogue")]
        assert [q["id"] for q in lesson["quizzes"]] == [q.id for q in COURSE.quizzes.values() if q.lesson == source]


def test_every_quiz_is_titled_and_labelled_with_its_lesson(built):
    for number, source in enumerate(NAV_LESSONS, 1):
        lesson_title = text_of(re.search(r"<h1[^>]*>(.*?)</h1>", page_of(built, source)).group(1)).removesuffix("¶").strip()
        for quiz in (q for q in COURSE.quizzes.values() if q.lesson == source):
            page = page_of(built, f"quizzes/{quiz.id}.md")
            title = html.unescape(re.search(r"<title>(.*?) - Calming an Upset Customer</title>", page).group(1))
            assert title.endswith(": " + lesson_title), title  # the browser tab
            assert text_of(re.search(r'data-md-component="header-topic">(.*?)</div>', page, re.S).group(1)) == title  # the header
            banner = text_of(re.search(r'<p class="course-place course-banner">(.*?)</p>', page).group(1))
            assert banner.startswith(f"After lesson {number} of 6, {lesson_title} \u00b7 {len(quiz.questions)} questions, about ")


def test_no_footer_link_is_just_quiz(built):
    labels = []
    for page in built.rglob("*.html"):
        labels += re.findall(r'class="md-footer__link[^"]*" aria-label="([^"]*)"', page.read_text(encoding="utf-8"))
    assert labels and not [label for label in labels if label.split(": ", 1)[1] in ("Quiz", "Final assessment")]
    assert "Next: Quiz: The Five-Step Process" in labels and "Previous: The Five-Step Process" in labels


def test_the_home_page_starts_the_course_and_shows_the_progress_overview(built):
    page = page_of(built, "index.md")
    assert "<!-- course:" not in page
    start = re.search(r'<a href="([^"]*)" class="md-button md-button--primary" data-course-start>([^<]*)</a>', page)
    assert start and start.group(1) == "lessons/person-then-problem/"
    assert html.unescape(start.group(2)) == "Start the course: lesson 1, Treat the person, then the problem"
    # Before the first heading after the title: in the first screen, not a thousand pixels down.
    assert page.index("data-course-start") < page.index("<h2")
    rows = re.findall(r'<tr data-lesson="([^"]*)">', page)
    assert rows == NAV_LESSONS


def test_instructors_and_authors_have_their_own_tab_and_search_still_finds_them(built):
    page = page_of(built, "index.md")
    tabs = [text_of(t) for t in re.findall(r'class="md-tabs__link">(.*?)</a>', page, re.S)]
    assert tabs == ["Course", "For instructors and authors"]
    index = json.loads((built / "search" / "search_index.json").read_text(encoding="utf-8"))
    found = {doc["location"].split("#")[0] for doc in index["docs"]}
    assert {"instructor/", "instructor/statistics/", "authors/formats/"} <= found


def test_a_course_problem_stops_the_build_with_its_message_and_no_traceback(tmp_path):
    copy = project.snapshot(ROOT, tmp_path / "project")
    quiz = copy / "quizzes" / "five-step-process.yml"
    quiz.write_text(quiz.read_text(encoding="utf-8").replace("steps: [five-step.", "steps: [five-step.nope", 1), encoding="utf-8")
    done = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "--site-dir", str(tmp_path / "site")],
        cwd=copy,
        env=project.env(copy, NO_MKDOCS_2_WARNING="1"),
        capture_output=True,
        text=True,
        timeout=300,
    )
    output = done.stdout + done.stderr
    assert done.returncode != 0 and "Traceback" not in output, output[-2000:]
    assert "unknown model step 'five-step.nope" in output
