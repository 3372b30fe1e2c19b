"""Lesson pages: references to them (`lessons/x.md#section`) that must resolve, each page's title, headings and anchors read once, and the fences they hold."""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from pathlib import Path

from grader.common.problems import Problem

_HEADING = re.compile(r"(#{1,6})[ \t]+(.+?)(?:[ \t]+#+)?[ \t]*$")


_ATTR_ID = re.compile(r"\{[^}\n]*#([A-Za-z0-9_-]+)[^}\n]*\}")


_ATTR_LIST = re.compile(r"[ \t]*\{:?[^}\n]*\}[ \t]*$")


def _slug(text: str) -> str:
    """Heading anchor as MkDocs' toc extension makes it."""
    text = re.sub(r"[^\w\s-]", "", text).strip().lower()
    return re.sub(r"[-\s]+", "-", text)


def _anchor(heading: str) -> str:
    """A heading's anchor: its `{#id}` if it has one, else the slug of its text without the attribute list."""
    given = _ATTR_ID.search(heading)
    return given.group(1) if given else _slug(_shown(heading))


def _shown(heading: str) -> str:
    """A heading's text as written, without its attribute list."""
    return _ATTR_LIST.sub("", heading).strip()


def _walk(text: str):
    """Each line of a Markdown page as (number, line, fence): `fence` is (opening line, info string) from the line that
    opens fenced code to the last line before the one that closes it, None elsewhere."""
    fence: tuple[int, str, str] | None = None  # opening line, marker, info string
    for number, line in enumerate(text.splitlines(), 1):
        stripped = line.strip()
        if fence:
            if stripped.startswith(fence[1]) and not stripped.strip(fence[1][0]):
                fence = None
                yield number, line, None
            else:
                yield number, line, fence[::2]
            continue
        opener = re.match(r"(`{3,}|~{3,})\s*([^`\s]*)", stripped)
        if opener:
            fence = (number, opener.group(1), opener.group(2))
        yield number, line, fence[::2] if fence else None


def outside_fences(text: str) -> str:
    """The page without its fenced code (quizzes, practice sets, dialogues and code examples): the prose a learner reads."""
    return "\n".join(line for _number, line, fence in _walk(text) if not fence and not line.strip().startswith(("```", "~~~")))


def _headings(text: str):
    """(line, level, heading as written) of every heading in a Markdown page, outside fenced code, in page order."""
    for number, line, fence in _walk(text):
        heading = None if fence else _HEADING.match(line)
        if heading:
            yield number, len(heading.group(1)), heading.group(2)


def page_title(text: str) -> str:
    """The text of a page's first level-one heading, without its attribute list ("" when it has none)."""
    return next((_shown(heading) for _number, level, heading in _headings(text) if level == 1), "")


def sections(text: str) -> list[tuple[int, int, str]]:
    """(line, level, anchor) of every heading in a Markdown page, outside fenced code, in page order."""
    return [(number, level, _anchor(heading)) for number, level, heading in _headings(text)]


def fences(text: str, info: str) -> list[tuple[int, str]]:
    """(line, text) of every fence of kind `info` (```` ```practice ````) in a Markdown page; fences shown inside other
    fenced code, as a format reference shows them, do not count."""
    bodies: dict[int, list[str]] = {}
    for number, line, fence in _walk(text):
        if fence and fence[1] == info:
            body = bodies.setdefault(fence[0], [])
            if number > fence[0]:
                body.append(line.strip())
    return [(start, "\n".join(body).strip()) for start, body in bodies.items()]


@dataclass(frozen=True)
class LessonPage:
    """What a lesson page offers references: its title, its headings by anchor, and every anchor it holds."""

    title: str
    """The first level-one heading, as written (author Markdown); "" when the page has none."""
    headings: dict[str, str]
    """Anchor -> the heading's text as written, without its attribute list."""
    anchors: frozenset[str]
    """Every id a link can reach: heading anchors, attribute-list ids and HTML ids."""


@functools.lru_cache(maxsize=64)
def _read_page(page: Path, mtime: float) -> LessonPage:
    text = page.read_text(encoding="utf-8")
    headings: dict[str, str] = {}
    for _number, _level, heading in _headings(text):
        headings.setdefault(_anchor(heading), _shown(heading))
    # Fenced code holds code, not anchors: an id in a quiz's YAML or a code example is none.
    prose = outside_fences(text)
    found = set(headings) | set(_ATTR_ID.findall(prose))
    found.update(re.findall(r"""\bid=["']([A-Za-z0-9_-]+)["']""", prose))
    return LessonPage(page_title(text), headings, frozenset(found))


@dataclass(frozen=True)
class LessonSection:
    """A lesson reference as the lesson shows it."""

    page: str
    """The page's title (author Markdown)."""
    section: str = ""
    """The section's heading (author Markdown); "" when the reference is the whole page."""

    def words(self) -> str:
        """The reference in plain text, for places that take no markup: `Heading (Page title)`, or the page title."""
        from grader.common.author_text import plain_text  # Markdown's import is heavy; only the site and feedback need it

        return plain_text(f"{self.section} ({self.page})" if self.section else self.page)


def lesson_page(root: Path, page: str) -> LessonPage | None:
    """The lesson page `docs/<page>` of the course in `root`, or None when it is not there."""
    path = root / "docs" / page
    if not path.is_file():
        return None
    return _read_page(path, path.stat().st_mtime)


def lesson_problem(root: Path, target: str) -> str | None:
    """Why a `page.md#section` reference does not resolve under docs/, or None."""
    if not (root / "docs").is_dir():
        return None
    page, _, anchor = target.partition("#")
    found = lesson_page(root, page)
    if found is None:
        return f"lesson page 'docs/{page}' does not exist"
    if anchor and anchor not in found.anchors:
        return f"section '#{anchor}' is not in docs/{page}; give the heading {{#{anchor}}}"
    return None


def _lesson_checks(root: Path, refs, problems: list[Problem]) -> None:
    for file, line, where, target in refs:
        reason = lesson_problem(root, target)
        if reason:
            problems.append(Problem(file, reason, line, where))
