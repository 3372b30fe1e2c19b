"""Wayfinding, as an MkDocs hook: lesson numbers, times and progress, quizzes' lessons, the home page's way in.

Each lesson gets its number, time and progress at its top, each quiz the lesson it follows, and the home page its start
button and progress overview where its Markdown asks for them.

mkdocs.yml lists this file under `hooks:`. Lessons are the pages under docs/lessons/, numbered in the navigation's order.
The home page places the start button with `<!-- course: start -->` and the overview with `<!-- course: progress -->`.
Builds that run no MkDocs hooks (Zensical) show the pages without them, and the markers stay invisible comments.
"""

from __future__ import annotations

from grader.common.problems import CourseError
from grader.course import load_public
from grader.site.progress_view import course_map, lesson_banner, lesson_end, overview, quiz_banner, start_button

LESSONS = "lessons/"
START, PROGRESS = "<!-- course: start -->", "<!-- course: progress -->"

_state: dict = {}


def _linker(page, files):
    """A function from a page under docs/ to its href from `page`."""
    from mkdocs.utils import get_relative_url

    def href(target: str) -> str:
        found = files.get_file_from_path(target)
        return get_relative_url(found.url, page.url) if found is not None else target

    return href


def on_nav(nav, config, files):
    """MkDocs hook: the lessons, in the order the navigation lists them."""
    _state["lessons"] = [p.file.src_uri for p in nav.pages if p.file.src_uri.startswith(LESSONS)]
    _state.pop("map", None)
    return nav


def _map():
    if "map" not in _state:
        from mkdocs.exceptions import PluginError

        try:
            course = load_public()
        except CourseError as error:  # as the fences say it: the problems, without a traceback
            raise PluginError(f"the course files have problems (run `grader check`):\n{error}") from None
        _state["map"] = (course, course_map(course, _state.get("lessons", [])))
    return _state["map"]


def _after_title(html: str, block: str) -> str:
    end = html.find("</h1>")
    return html[: end + 5] + block + html[end + 5 :] if end >= 0 else block + html


def on_page_content(html, page, config, files):
    """MkDocs hook: the banner of a lesson or quiz page, and the home page's start button and overview."""
    if not _state.get("lessons"):
        return html
    course, lessons = _map()
    href, site, count = _linker(page, files), str(config["site_name"]), len(lessons)
    source = page.file.src_uri
    lesson = next((item for item in lessons if item.page == source), None)
    if lesson is not None:
        return _after_title(html, lesson_banner(course, lesson, count, href, site)) + lesson_end()
    for item in lessons:
        for quiz, quiz_page in item.quizzes:
            if quiz_page == source:
                return _after_title(html, quiz_banner(course, item, quiz, count, href))
    if source == "index.md":
        html = html.replace(START, start_button(lessons, href)).replace(PROGRESS, overview(course, lessons, href, site))
    return html
