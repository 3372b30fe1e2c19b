"""Render quizzes and dialogues into pages: SuperFences custom fences that read the public course files.

In any page, a fence holds one id:

    ```quiz
    five-step-process
    ```

    ```dialogue
    late-delivery
    ```

    ```dialogue-map
    late-delivery
    ```

    ```practice
    five-step-process#clarify
    ```

`quiz` renders every question as a form with a hand-in panel (an exam scenario in
it plays in exam mode, with nothing that scores it), `dialogue` a practice
scenario (a text version plus the data the page script plays), `dialogue-map` a
practice scenario's map and path statistics for instructors, and `practice` a
lesson section's practice set, which answers on the page (its keys are public by
design). Neither `dialogue` nor `dialogue-map` takes an exam scenario: `grader
maps` writes those maps for instructors, off the site.
mkdocs.yml wires them in under `pymdownx.superfences: custom_fences` with
`format: !!python/name:grader.site.quiz_fence` (and `dialogue_fence`,
`dialogue_map_fence`, `practice_fence`). The fences find `quizzes/` from the working
directory, never open the answer keys (but in the self-study build, `extra: course:
self_check: true`, where the quiz fence publishes them on purpose), and turn every course problem into a
`SuperFencesException`, so `mkdocs build --strict` stops with the message
`grader check` prints. docs/javascripts/course.js brings the markup to life."""

from __future__ import annotations

import functools
import re

from mkdocs.exceptions import PluginError
from pymdownx.superfences import SuperFencesException

from grader.common.problems import CourseError
from grader.course import Course, Quiz, load_public
from grader.dialogue.analysis import analyse_paths
from grader.dialogue.model import Dialogue
from grader.site.dialogue_widget import dialogue_html
from grader.site.html import linker, page_of, tag
from grader.site.practice_form import practice_html
from grader.site.quiz_form import quiz_html
from grader.site.settings import self_check

__all__ = ["dialogue_fence", "dialogue_map_fence", "practice_fence", "quiz_fence"]


_ONE_ID = re.compile(r"[a-z0-9][a-z0-9-]*")
_SET_ID = re.compile(r"[a-z0-9][a-z0-9-]*#[A-Za-z0-9_-]+")


class FenceError(SuperFencesException, PluginError):
    """A fence that cannot render: SuperFences lets it through, and MkDocs prints it as one error, without a traceback."""


def _fail(fence: str, message: str) -> SuperFencesException:
    return FenceError(f"```{fence} fence: {message}")


def _public_course(fence: str, keys: bool = False) -> Course:
    """The public course (never the keys, but in the self-study build), or the problems exactly as `grader check` words them."""
    try:
        return load_public(keys=keys)
    except CourseError as error:
        raise _fail(fence, f"the course files have problems (run `grader check`):\n{error}") from None


def _one_id(source: str, fence: str) -> str:
    found = source.strip()
    if not _ONE_ID.fullmatch(found):
        raise _fail(fence, f"the fence must hold one id (lower case letters, digits and -), found {found[:60]!r}")
    return found


def _quiz(course: Course, quiz_id: str) -> Quiz:
    if quiz_id not in course.quizzes:
        known = ", ".join(sorted(course.quizzes)) or "none"
        raise _fail("quiz", f"quizzes/{quiz_id}.yml: there is no quiz '{quiz_id}' in this course (quizzes: {known})")
    return course.quizzes[quiz_id]


def _scenario(course: Course, scenario_id: str, fence: str) -> Dialogue:
    """A practice scenario: an exam one is shown only inside its quiz, never offered or mapped on a page."""
    if scenario_id not in course.dialogues:
        known = ", ".join(sorted(course.dialogues)) or "none"
        raise _fail(fence, f"quizzes/dialogues/{scenario_id}.yml: there is no scenario '{scenario_id}' in this course (scenarios: {known})")
    scenario = course.dialogues[scenario_id]
    if scenario.exam:
        raise _fail(
            fence,
            f"{scenario.file}: scenario '{scenario_id}' is an exam scenario; it is played only inside its quiz, "
            "so no page may offer or map it (instructors get its map from `grader maps`)",
        )
    return scenario


def _loud(fence: str):
    """SuperFences quietly shows a plain code block when a formatter raises anything else, so say every failure."""

    def wrap(render):
        @functools.wraps(render)
        def formatter(source, language, css_class, options, md, **kwargs):
            try:
                return render(source, md)
            except SuperFencesException:
                raise
            except Exception as error:  # a bug must not pass as a page that merely lacks its quiz
                raise _fail(fence, f"{type(error).__name__}: {error}") from error

        return formatter

    return wrap


@_loud("quiz")
def quiz_fence(source, md) -> str:
    """```quiz: the whole quiz as a form, with its hand-in panel; in the self-study build, with its key to check it."""
    checked = self_check(md)
    course = _public_course("quiz", keys=checked)
    return quiz_html(course, _quiz(course, _one_id(source, "quiz")), linker(md), checked=checked)


@_loud("practice")
def practice_fence(source, md) -> str:
    """```practice: a lesson section's practice set, answered and scored on the page."""
    course = _public_course("practice")
    found = source.strip()
    if not _SET_ID.fullmatch(found):
        raise _fail("practice", f"the fence must hold one set id, `<lesson>#<section>` (such as five-step-process#clarify), found {found[:60]!r}")
    if found not in course.practice:
        known = ", ".join(s for s in course.practice if s.startswith(found.partition("#")[0] + "#")) or "none"
        raise _fail("practice", f"there is no practice set '{found}' in quizzes/practice/ (sets for that lesson: {known})")
    return practice_html(course, course.practice[found], linker(md))


@_loud("dialogue")
def dialogue_fence(source, md) -> str:
    """```dialogue: a practice scenario with its text version and hand-in panel."""
    course = _public_course("dialogue")
    d = _scenario(course, _one_id(source, "dialogue"), "dialogue")
    return dialogue_html(course, d, linker(md), f"d_{d.id}", page=page_of(md))


@_loud("dialogue-map")
def dialogue_map_fence(source, md) -> str:
    """```dialogue-map: the scenario's map and path statistics, for instructors."""
    course = _public_course("dialogue-map")
    d = _scenario(course, _one_id(source, "dialogue-map"), "dialogue-map")
    from grader.site import scenario_map  # imported late so quizzes and dialogues render without it

    analysis = analyse_paths(d)
    return tag("div", scenario_map.map_svg(d, analysis) + scenario_map.paths_table(d, analysis), class_="course-map", data_course_map=d.id,
                # A wide map scrolls sideways; keyboard users need to reach it to scroll it.
                tabindex="0", role="region", aria_label=f"Map of {d.title}")
