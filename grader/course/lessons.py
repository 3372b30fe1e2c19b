"""Lesson pages and references to them (`lessons/x.md#section`): each page's title, headings and anchors, read once."""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from pathlib import Path

from grader.common.problems import Problem

_HEADING = re.compile(r"^(#{1,6})[ \t]+(.+?)(?:[ \t]+#+)?[ \t]*$", re.M)


_ATTR_ID = re.compile(r"\{[^}\n]*#([A-Za-z0-9_-]+)[^}\n]*\}")


_ATTR_LIST = re.compile(r"[ \t]*\{:?[^}\n]*\}[ \t]*$")


# A fenced block (``` or ~~~, as SuperFences reads them) holds code, not headings: a `# comment` in it is none.
_FENCE = re.compile(r"^([ \t]*)(`{3,}|~{3,})[^\n]*\n.*?^\1\2[`~]*[ \t]*$", re.M | re.S)


def _slug(text: str) -> str:
    """Heading anchor as MkDocs' toc extension makes it."""
    text = re.sub(r"[^\w\s-]", "", text).strip().lower()
    return re.sub(r"[-\s]+", "-", text)


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
    text = _FENCE.sub("", page.read_text(encoding="utf-8"))
    title = ""
    headings: dict[str, str] = {}
    for hashes, heading in _HEADING.findall(text):
        shown = _ATTR_LIST.sub("", heading).strip()
        given = _ATTR_ID.search(heading)
        headings.setdefault(given.group(1) if given else _slug(shown), shown)
        if len(hashes) == 1 and not title:
            title = shown
    found = set(headings) | set(_ATTR_ID.findall(text))
    found.update(re.findall(r"""\bid=["']([A-Za-z0-9_-]+)["']""", text))
    return LessonPage(title, headings, frozenset(found))


@dataclass(frozen=True)
class LessonSection:
    """A lesson reference as the lesson shows it."""

    page: str
    """The page's title (author Markdown)."""
    section: str = ""
    """The section's heading (author Markdown); "" when the reference is the whole page."""


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
