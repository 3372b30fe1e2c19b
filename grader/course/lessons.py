"""Lesson pages: references (`lessons/x.md#section`) that must resolve, their sections, and the fences they hold."""

from __future__ import annotations

import functools
import re
from pathlib import Path

from grader.common.problems import Problem

_HEADING = re.compile(r"^#{1,6}[ \t]+(.+?)[ \t]*$", re.M)


_ATTR_ID = re.compile(r"\{[^}\n]*#([A-Za-z0-9_-]+)[^}\n]*\}")


def _slug(text: str) -> str:
    """Heading anchor as MkDocs' toc extension makes it."""
    text = re.sub(r"[^\w\s-]", "", text).strip().lower()
    return re.sub(r"[-\s]+", "-", text)


def _anchor(heading: str) -> str:
    """A heading's anchor: its `{#id}` if it has one, else its slug."""
    given = _ATTR_ID.search(heading)
    return given.group(1) if given else _slug(_ATTR_ID.sub("", heading))


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


def page_title(text: str) -> str:
    """The text of a page's first level-one heading, without its attribute list ("" when it has none)."""
    for _number, line, fence in _walk(text):
        heading = None if fence else re.match(r"#[ \t]+(.+?)[ \t]*$", line)
        if heading:
            return _ATTR_ID.sub("", heading.group(1)).strip()
    return ""


def sections(text: str) -> list[tuple[int, int, str]]:
    """(line, level, anchor) of every heading in a Markdown page, outside fenced code, in page order."""
    found = []
    for number, line, fence in _walk(text):
        heading = None if fence else re.match(r"(#{1,6})[ \t]+(.+?)[ \t]*$", line)
        if heading:
            found.append((number, len(heading.group(1)), _anchor(heading.group(2))))
    return found


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


@functools.lru_cache(maxsize=64)
def _anchors(page: Path, mtime: float) -> frozenset:
    text = page.read_text(encoding="utf-8")
    found = set(_ATTR_ID.findall(text))
    for heading in _HEADING.findall(text):
        found.add(_slug(_ATTR_ID.sub("", heading)))
    found.update(re.findall(r"""\bid=["']([A-Za-z0-9_-]+)["']""", text))
    return frozenset(found)


def lesson_problem(root: Path, target: str) -> str | None:
    """Why a `page.md#section` reference does not resolve under docs/, or None."""
    docs = root / "docs"
    if not docs.is_dir():
        return None
    page, _, anchor = target.partition("#")
    path = docs / page
    if not path.is_file():
        return f"lesson page 'docs/{page}' does not exist"
    if anchor and anchor not in _anchors(path, path.stat().st_mtime):
        return f"section '#{anchor}' is not in docs/{page}; give the heading {{#{anchor}}}"
    return None


def _lesson_checks(root: Path, refs, problems: list[Problem]) -> None:
    for file, line, where, target in refs:
        reason = lesson_problem(root, target)
        if reason:
            problems.append(Problem(file, reason, line, where))
