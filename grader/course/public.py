"""The course for the site: loaded once and reloaded when a course file changes; without keys, but in the self-study build."""

from __future__ import annotations

import os
from pathlib import Path

from grader.common.problems import CourseError
from grader.course.load import find_root, load_course
from grader.course.model import Course


def _mtimes(root: Path, keys: bool) -> tuple:
    """A fingerprint of the course files the site reads, so a rebuild notices edits."""
    quiz_dir = root / "quizzes"
    files = [
        quiz_dir / "models.yml",
        *quiz_dir.glob("*.yml"),
        *(quiz_dir / "dialogues").glob("*.yml"),
        *(quiz_dir / "practice").glob("*.yml"),
        *((quiz_dir / "keys").glob("*.yml") if keys else ()),
        *(root / "docs").rglob("*.md"),
    ]
    return tuple(sorted((str(f), f.stat().st_mtime_ns) for f in files if f.is_file()))


_public_cache: dict = {}


def load_public(root: str | os.PathLike | None = None, *, keys: bool = False) -> Course:
    """The course without keys, for the site; with `keys`, for the self-study build alone. Reloaded when a file changes."""
    found = find_root(root)
    stamp = _mtimes(found, keys)
    cached = _public_cache.get((found, keys))
    if cached and cached[0] == stamp:
        if isinstance(cached[1], CourseError):
            raise cached[1]
        return cached[1]
    try:
        course = load_course(found, keys=keys)
    except CourseError as error:
        _public_cache[(found, keys)] = (stamp, error)
        raise
    _public_cache[(found, keys)] = (stamp, course)
    return course
