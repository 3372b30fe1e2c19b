"""Lesson pages as references see them: the title, each heading by its anchor, and the names feedback gives sections."""

from __future__ import annotations

import shutil

from grader.course import load_course
from grader.course.lessons import LessonSection, lesson_page
from tests.conftest import MINI, ROOT


def test_headings_and_anchors_come_from_one_reading_of_the_page(tmp_path):
    (tmp_path / "docs").mkdir()
    (tmp_path / "docs" / "page.md").write_text(
        "```yaml\n# a comment in code, before the title\n```\n\n"
        "# The *page* title\n\n"
        "## Going round again {#loop}\n\n"
        "## Closed heading ##\n\n"
        "### With a class {: .note #styled }\n\n"
        "~~~\n## not a heading\n~~~\n\n"
        '<div id="raw-id"></div>\n',
        encoding="utf-8",
    )
    page = lesson_page(tmp_path, "page.md")
    assert page is not None
    assert page.title == "The *page* title"
    assert page.headings == {
        "the-page-title": "The *page* title",
        "loop": "Going round again",
        "closed-heading": "Closed heading",
        "styled": "With a class",
    }
    assert page.anchors == {"the-page-title", "loop", "closed-heading", "styled", "raw-id"}
    assert lesson_page(tmp_path, "missing.md") is None


def test_sections_are_named_as_the_lesson_shows_them():
    course = load_course(ROOT)
    assert course.lesson_section("lessons/five-step-process.md#loop") == LessonSection(
        "The Five-Step Process", "Going round again"
    )
    assert course.lesson_section("lessons/five-step-process.md#checkback") == LessonSection(
        "The Five-Step Process", "Step 5: Checkback"
    )
    assert course.lesson_section("lessons/five-step-process.md") == LessonSection("The Five-Step Process")


def test_without_the_lesson_pages_sections_are_named_from_the_models(mini_copy):
    # The small course's page names its sections in its own words...
    assert load_course(MINI).lesson_section("lessons/calm.md#listen") == LessonSection("Calm first", "Let them finish")
    # ...and a copy without docs/ falls back on the step and model titles.
    shutil.rmtree(mini_copy / "docs")
    course = load_course(mini_copy)
    assert course.lesson_section("lessons/calm.md#listen") == LessonSection("Calm first", "Listen")
    assert course.lesson_section("lessons/calm.md") == LessonSection("Calm first")
    assert course.lesson_section("lessons/calm.md#elsewhere") == LessonSection("Calm first", "elsewhere")
