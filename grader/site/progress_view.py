"""Where the learner is: the course map (each lesson's number, time and parts) and the progress views' HTML.

The views are the home page's overview and start button, and the banner at the top of each lesson and quiz;
docs/javascripts/progress.js fills in what this browser has stored.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from grader.course import Course, PracticeSet, Quiz
from grader.course.lessons import fences, page_title
from grader.course.timing import LessonTime, lesson_time, quiz_minutes
from grader.dialogue.model import Dialogue
from grader.site.html import esc, input_tag, page_data, tag


@dataclass(frozen=True)
class Lesson:
    """One lesson of the course map, with everything the progress view counts in it."""

    number: int
    page: str
    """Its page under docs/, which is also its progress record's id."""
    title: str
    time: LessonTime
    practice: tuple[PracticeSet, ...]
    dialogues: tuple[Dialogue, ...]
    """The practice dialogues its page plays."""
    quizzes: tuple[tuple[Quiz, str], ...]
    """The quizzes that follow it, each with the page that holds it."""


def course_map(course: Course, lesson_pages: list[str]) -> list[Lesson]:
    """The lessons in course order (`lesson_pages`, as the navigation lists them) with their parts, read from docs/."""
    docs = course.root / "docs"
    texts = {page.relative_to(docs).as_posix(): page.read_text(encoding="utf-8") for page in sorted(docs.rglob("*.md"))}
    quiz_pages = {quiz_id: page for page, text in texts.items() for _, quiz_id in fences(text, "quiz")}
    out = []
    for number, page in enumerate(lesson_pages, 1):
        text = texts.get(page, "")
        practice = tuple(p for p in course.practice.values() if p.lesson == page)
        dialogues = tuple(course.dialogues[d] for _, d in fences(text, "dialogue") if d in course.dialogues)
        quizzes = tuple(
            (quiz, quiz_pages[quiz.id])
            for quiz in course.quizzes.values()
            if quiz.lesson.partition("#")[0] == page and quiz.id in quiz_pages
        )
        title = page_title(text) or Path(page).stem
        out.append(Lesson(number, page, title, lesson_time(text, list(practice), list(dialogues)), practice, dialogues, quizzes))
    return out


def _minutes(count: int) -> str:
    return f"{count} minute{'' if count == 1 else 's'}"


def _entry(course: Course, lesson: Lesson, href) -> dict:
    """What progress.js needs of a lesson: its ids and counts, and links from the page it is shown on."""
    return {
        "number": lesson.number,
        "page": lesson.page,
        "title": lesson.title,
        "href": href(lesson.page),
        "minutes": lesson.time.total,
        "practice": [{"id": p.id, "questions": len(p.questions)} for p in lesson.practice],
        "dialogues": [{"id": d.id, "title": d.title} for d in lesson.dialogues],
        "quizzes": [
            {"id": quiz.id, "title": quiz.title, "href": href(page), "questions": len(quiz.questions)} for quiz, page in lesson.quizzes
        ],
    }


def _data(course: Course, lessons: list[Lesson], href, view: str, site: str) -> str:
    return page_data({"view": view, "course": site, "lessons": [_entry(course, lesson, href) for lesson in lessons]})


def lesson_banner(course: Course, lesson: Lesson, count: int, href, site: str) -> str:
    """The top of a lesson: its place in the course, how long it takes, and the learner's progress in it."""
    time = lesson.time
    parts = [f"reading {time.reading}"] + ([f"practice {time.practice}"] if time.practice else []) + (
        [f"dialogue {time.dialogue}"] if time.dialogue else []
    )
    place = tag(
        "p",
        tag("strong", f"Lesson {lesson.number} of {count}") + f" \u00b7 About {_minutes(time.total)}: {', '.join(parts)}.",
        class_="course-place",
    )
    view = tag(
        "div",
        tag("p", "Your progress in this lesson shows here.", class_="course-hint", data_nojs=True),
        class_="course-progress", aria_label=f"Your progress in lesson {lesson.number}", role="region",
        data_course_progress="lesson", data_course=_data(course, [lesson], href, "lesson", site),
    )
    return tag("div", place + view, class_="course-banner")


def lesson_end() -> str:
    """The end of a lesson's text: a learner who has scrolled to it has read the lesson."""
    return tag("div", "", class_="course-lesson-end", data_course_lesson_end=True, aria_hidden="true")


def quiz_banner(course: Course, lesson: Lesson, quiz: Quiz, count: int, href) -> str:
    """The top of a quiz page: the lesson it follows, how many questions, how long."""
    target = href(lesson.page)
    name = tag("a", esc(lesson.title), href=target) if target else esc(lesson.title)
    questions = len(quiz.questions)
    return tag(
        "p",
        tag("strong", f"After lesson {lesson.number} of {count}") + f", {name} \u00b7 {questions} question{'' if questions == 1 else 's'}, "
        f"about {_minutes(quiz_minutes(quiz, course))}.",
        class_="course-place course-banner",
    )


def start_button(lessons: list[Lesson], href) -> str:
    """The home page's way in: the first lesson, or (progress.js) the first lesson not yet done."""
    first = lessons[0]
    return tag(
        "p",
        tag("a", f"Start the course: lesson 1, {esc(first.title)}", href=href(first.page), class_="md-button md-button--primary",
            data_course_start=True),
        class_="course-start",
    )


def overview(course: Course, lessons: list[Lesson], href, site: str) -> str:
    """The home page's progress overview: every lesson's row, and the buttons to save, load and clear progress."""
    head = "".join(tag("th", name, scope="col") for name in ("Lesson", "Time", "Read", "Practice", "Dialogue", "Quiz"))
    rows = "".join(
        tag(
            "tr",
            tag("th", tag("a", f"{lesson.number}. {esc(lesson.title)}", href=href(lesson.page)), scope="row")
            + tag("td", f"about {_minutes(lesson.time.total)}")
            + "".join(tag("td", "\u2013", data_cell=cell) for cell in ("read", "practice", "dialogue", "quiz")),
            data_lesson=lesson.page,
        )
        for lesson in lessons
    )
    table = tag(
        "div",
        tag("table", tag("caption", "Your progress, as this browser remembers it") + tag("thead", tag("tr", head)) + tag("tbody", rows)),
        class_="course-table", tabindex="0", role="region", aria_label="Your progress by lesson",
    )
    buttons = tag(
        "p",
        tag("button", "Save my progress to a file", type="button", class_="md-button", data_action="export")
        + " " + tag("button", "Load progress from a file", type="button", class_="md-button", data_action="import")
        + " " + tag("button", "Clear my progress", type="button", class_="md-button", data_action="clear")
        + input_tag(type="file", accept=".json,application/json", hidden=True, data_file=True, aria_label="Progress file"),
        class_="course-buttons", data_buttons=True, hidden=True,
    )
    note = tag(
        "p",
        "Your progress stays in this browser: no account, nothing sent anywhere. To carry it to another device or browser, "
        "save it to a file there and load the file here.",
        class_="course-hint",
    )
    return tag(
        "div",
        table + note + buttons + tag("p", "", class_="course-status", role="status", data_status=True),
        class_="course-progress", id="progress", data_course_progress="course", data_course=_data(course, lessons, href, "course", site),
    )
