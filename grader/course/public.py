"""The course without keys, for the site: loaded once and reloaded when a course file changes."""

from __future__ import annotations

import os
from pathlib import Path

from grader.common.problems import CourseError
from grader.course.load import find_root, load_course
from grader.course.model import Course


def _mtimes(root: Path) -> tuple:
    """A fingerprint of the public course files, so a rebuild notices edits."""
    quiz_dir = root / "quizzes"
    files = [
        quiz_dir / "models.yml",
        *quiz_dir.glob("*.yml"),
        *(quiz_dir / "dialogues").glob("*.yml"),
        *(quiz_dir / "practice").glob("*.yml"),
        *(root / "docs").rglob("*.md"),
    ]
    return tuple(sorted((str(f), f.stat().st_mtime_ns) for f in files if f.is_file()))


_public_cache: dict = {}


def load_public(root: str | os.PathLike | None = None) -> Course:
    """The course without keys, for the site; reloaded when any course file changes."""
    found = find_root(root)
    stamp = _mtimes(found)
    cached = _public_cache.get(found)
    if cached and cached[0] == stamp:
        if isinstance(cached[1], CourseError):
            raise cached[1]
        return cached[1]
    try:
        course = load_course(found)
    except CourseError as error:
        _public_cache[found] = (stamp, error)
        raise
    _public_cache[found] = (stamp, course)
    return course
