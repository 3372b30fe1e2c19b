"""Find the answer files under the paths given (folders and zips searched), and every file or folder looked at and not graded, with why."""

from __future__ import annotations

import os
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from grader.cohort.lms import ZIP_TIME, LmsIdentity, identify
from grader.cohort.zips import Scratch, open_zip, scratch_folder
from grader.common.files import ANSWER_SUFFIXES, UNPACK_FIRST, archive_suffix, shown
from grader.common.problems import UsageError


@dataclass(frozen=True)
class Skipped:
    """A file or folder looked at and not graded, and why."""

    file: str
    """The path, shown readably."""
    reason: str


@dataclass(frozen=True, slots=True)
class Handin:
    """One file to grade: where to read it, what to call it, and what its name and place say about it."""

    path: str
    display: str
    """The name every output uses: the path as given, or `canvas.zip/member` for a file from a zip."""
    lms: LmsIdentity | None = None
    """Who the LMS says handed it in, when its name follows an LMS's naming."""
    time_from: str = "file"
    """What the file's modification time is: `file` (its own), `lms` (when the LMS received it), or "" (neither: when an LMS zipped it or someone copied it)."""
    refused: str = ""
    """Why it is rejected unread (an unsafe zip member, a zip bomb, an archive to unpack first), or empty."""
    source: str = ""
    """The zip it was copied out of ("" for a file read where it is)."""

    @property
    def read_from(self) -> str:
        """The file on disk this hand-in was read from: itself, or its zip."""
        return self.source or self.path


def handin(item: Handin | tuple[str, str]) -> Handin:
    """A Handin from a Handin or a plain (path, display) pair."""
    return item if isinstance(item, Handin) else Handin(str(item[0]), item[1])


def _loose(path: str, *, ignore_file_times: bool) -> Handin:
    """A file found on disk; a name in an LMS's naming is a file unzipped from its download, whose time is the zip's."""
    lms = identify(Path(path).parts)
    unzipped = lms is not None and lms.member_times == ZIP_TIME
    return Handin(path, shown(path), lms, "" if ignore_file_times or unzipped else "file")


def collect(
    paths: Iterable[str | os.PathLike], scratch: Scratch | None = None, *, ignore_file_times: bool = False
) -> tuple[list[Handin], list[Skipped]]:
    """Answer files under `paths` (folders searched recursively, zips opened into `scratch`), and every entry not graded.

    `ignore_file_times`: the files' modification times say when they were copied, not handed in.
    """
    # Plain text, not Path objects, all the way: a class of 20,000 files stays small.
    found: list[str] = []
    zips: list[str] = []
    refused: list[Handin] = []
    skipped: list[Skipped] = []
    for given in paths:
        path = str(Path(given))  # normalised once ("./a//b/" is "a/b"); names below it are joined as text
        if os.path.isdir(path):
            _walk(path, found, zips, skipped)
        elif not os.path.lexists(path):
            raise UsageError(f"{shown(os.fspath(given))}: no such file or folder")
        elif path.lower().endswith(".zip"):
            zips.append(path)
        elif archive_suffix(path):
            refused.append(Handin(path, shown(path), refused=UNPACK_FIRST))
        else:
            found.append(path)  # named on its own: read whatever it is, and rejected with a reason if need be
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
            out.append(_loose(name, ignore_file_times=ignore_file_times))
    for name in zips:
        if scratch is None:
            raise ValueError("collect() met a zip and has no scratch folder: use handins()")
        opened = open_zip(name, shown(name), scratch)
        out += [
            Handin(m.path, m.display, m.lms, "" if ignore_file_times and m.time_from == "file" else m.time_from, source=name)
            for m in opened.members
        ]
        out += [Handin("", file, refused=reason, source=name) for file, reason in opened.refused]
        skipped += [Skipped(file, reason) for file, reason in opened.skipped]
    return out + refused, skipped


@contextmanager
def handins(
    paths: Iterable[str | os.PathLike], *, ignore_file_times: bool = False
) -> Iterator[tuple[list[Handin], list[Skipped]]]:
    """`collect`, with a scratch folder for what zips hold that is removed, with everything copied into it, when the block ends."""
    with scratch_folder() as scratch:
        yield collect(paths, scratch, ignore_file_times=ignore_file_times)


def _walk(top: str, found: list[str], zips: list[str], skipped: list[Skipped]) -> None:
    """Answer files under the folder `top` into `found`, zips into `zips`; every other entry, with its reason, into `skipped`."""

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
            elif suffix == ".zip" and not os.path.islink(child):
                zips.append(child)
            elif archive_suffix(name):
                skipped.append(Skipped(shown(child), UNPACK_FIRST))
            else:
                skipped.append(
                    Skipped(
                        shown(child), f"not an answer file ({suffix or 'no extension'}); only .yml, .yaml and .json are graded"
                    )
                )
