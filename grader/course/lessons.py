"""Lesson references (`lessons/x.md#section`): the page must exist and hold the section."""

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
