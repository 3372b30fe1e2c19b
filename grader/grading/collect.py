"""Find the answer files under the paths given, and every file or folder looked at and not graded, with why."""

from __future__ import annotations

import os
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from grader.common.files import shown
from grader.common.problems import UsageError

ANSWER_SUFFIXES = (".yml", ".yaml", ".json")


@dataclass(frozen=True)
class Skipped:
    """A file or folder looked at and not graded, and why."""

    file: str
    """The path, shown readably."""
    reason: str


def collect(paths: Iterable[str | os.PathLike]) -> tuple[list[tuple[str, str]], list[Skipped]]:
    """Answer files under `paths` (folders searched recursively) with display names, and every entry not graded."""
    # Plain text, not Path objects, all the way: a class of 20,000 files stays small.
    found: list[str] = []
    skipped: list[Skipped] = []
    for given in paths:
        path = str(Path(given))  # normalised once ("./a//b/" is "a/b"); names below it are joined as text
        if os.path.isdir(path):
            _walk(path, found, skipped)
        elif os.path.lexists(path):
            found.append(path)  # named on its own: read whatever it is, and rejected with a reason if need be
        else:
            raise UsageError(f"{shown(os.fspath(given))}: no such file or folder")
    out, seen = [], set()
    for name in found:
        # The same file named twice (or through a link) is graded once; one stat is cheaper than resolve().
        try:
            info = os.stat(name)
        except OSError:  # a dangling link or a loop: reading it says why
            info = None
        if info is None or (info.st_dev, info.st_ino) not in seen:
            if info is not None:
                seen.add((info.st_dev, info.st_ino))
            out.append((name, shown(name)))
    return out, skipped


def _walk(top: str, found: list[str], skipped: list[Skipped]) -> None:
    """Answer files under the folder `top` into `found`; every other entry, with its reason, into `skipped`."""

    def unreadable(error: OSError) -> None:
        skipped.append(Skipped(shown(error.filename or top), f"folder cannot be read ({error.strerror})"))

    for folder, dirs, names in os.walk(top, onerror=unreadable):
        followed = []
        for name in sorted(dirs):
            child = os.path.join(folder, name)
            if name.startswith("."):
                skipped.append(Skipped(shown(child), "hidden folder"))
            elif os.path.islink(child):
                skipped.append(Skipped(shown(child), "link to a folder, not followed: name the folder itself to grade it"))
            else:
                followed.append(name)
        dirs[:] = followed
        for name in sorted(names):
            child = os.path.join(folder, name)
            suffix = os.path.splitext(name)[1].lower()
            if name.startswith("."):
                skipped.append(Skipped(shown(child), "hidden file"))
            elif suffix in ANSWER_SUFFIXES:
                found.append(child)
            else:
                skipped.append(
                    Skipped(
                        shown(child), f"not an answer file ({suffix or 'no extension'}); only .yml, .yaml and .json are graded"
                    )
                )
