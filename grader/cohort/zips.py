"""Reading a zip of hand-ins safely: every member checked, answer files copied out by number (never by their own names) into a folder the caller removes."""

from __future__ import annotations

import io
import os
import re
import stat
import struct
import time
import zipfile
import zlib
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO

from grader.cohort.lms import FILE_TIME, LMS_TIME, LmsIdentity, identify
from grader.common.files import ANSWER_SUFFIXES, UNPACK_FIRST, archive_suffix, shown
from grader.formats.limits import MAX_ANSWER_BYTES

MAX_MEMBERS = 50_000
"""Members one zip may hold (a Canvas download of 3,000 learners with a few files each holds about 10,000)."""
MAX_READ = 1 << 30
"""Bytes copied out of one zip, the zips inside it included."""
MAX_INNER_ZIP = 64 << 20
"""A zip inside a zip (a learner's own) is read whole into memory, so it has a size limit of its own."""
MAX_RATIO = 100
"""A member that unpacks to more than this many times its packed size, and to more than 1 MiB, is a zip bomb (text packs about 10 to 1)."""
_DRIVE = re.compile(r"^[A-Za-z]:")
_UNICODE_PATH = 0x7075  # Info-ZIP Unicode Path extra field: the name in UTF-8 beside a name in another code page
_EXTENDED_TIME = 0x5455  # Info-ZIP extended timestamp: the modification time in UTC
_UTF8_NAME = 0x800


@dataclass(frozen=True)
class Member:
    """One answer file copied out of a zip."""

    path: str
    """The copy, in the scratch folder."""
    display: str
    """`canvas.zip/name-in-the-zip`, as every output names it."""
    lms: LmsIdentity | None
    time_from: str
    """What the copy's modification time (the member's) is: `lms` (when the LMS received it), `file` (the file's own), or "" (neither)."""


@dataclass
class Opened:
    """What one zip holds: answer files copied out, members passed over, and members (or the whole zip) refused."""

    members: list[Member] = field(default_factory=list)
    skipped: list[tuple[str, str]] = field(default_factory=list)
    refused: list[tuple[str, str]] = field(default_factory=list)


class Scratch:
    """The folder answer files are copied into, each under a number of its own."""

    def __init__(self, folder: Path):
        self.folder = folder
        self.count = 0

    def place(self, data: bytes, suffix: str, mtime: float) -> str:
        self.count += 1
        path = self.folder / f"{self.count:06d}{suffix}"
        handle = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0), 0o600)
        with os.fdopen(handle, "wb") as out:
            out.write(data)
        if mtime > 0:
            os.utime(path, (mtime, mtime))
        return str(path)


@contextmanager
def scratch_folder() -> Iterator[Scratch]:
    """A private temporary folder for answer files copied out of zips, removed with everything in it when the block ends."""
    import tempfile  # only runs that meet a zip need it

    with tempfile.TemporaryDirectory(prefix="grader-zip-") as folder:
        yield Scratch(Path(folder))


def _extra_fields(extra: bytes) -> Iterator[tuple[int, bytes]]:
    at = 0
    while at + 4 <= len(extra):
        kind, size = struct.unpack_from("<HH", extra, at)
        yield kind, extra[at + 4 : at + 4 + size]
        at += 4 + size


def member_name(info: zipfile.ZipInfo) -> str:
    """A member's name as its maker meant it: UTF-8 when flagged or when the bytes are UTF-8, else the code page zip names default to (cp437)."""
    if info.flag_bits & _UTF8_NAME:
        return info.orig_filename
    raw = info.orig_filename.encode("cp437")
    for kind, data in _extra_fields(info.extra):
        if kind == _UNICODE_PATH and len(data) > 5 and struct.unpack_from("<I", data, 1)[0] == zlib.crc32(raw):
            try:
                return data[5:].decode("utf-8")
            except UnicodeDecodeError:
                break
    try:
        # Many tools (macOS, Linux, Windows 10's own) write UTF-8 names without the flag.
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        return info.orig_filename


def member_time(info: zipfile.ZipInfo) -> float:
    """A member's modification time: the UTC time of its extended timestamp, else its DOS time read as local time (as `unzip` does)."""
    for kind, data in _extra_fields(info.extra):
        if kind == _EXTENDED_TIME and len(data) >= 5 and data[0] & 1:
            return float(struct.unpack_from("<i", data, 1)[0])
    try:
        return time.mktime((*info.date_time, 0, 0, -1))
    except (OverflowError, ValueError):
        return 0.0


def unsafe(name: str) -> str | None:
    """Why a member name may not be used at all: it climbs out (`..`), starts at a root or a drive, or holds a NUL; else None."""
    if "\x00" in name:
        return "its name holds a NUL character; refused"
    plain = name.replace("\\", "/")
    if plain.startswith("/") or _DRIVE.match(plain):
        return "its name is an absolute path; refused (a zip member must name a place inside the zip)"
    if ".." in plain.split("/"):
        return "its name climbs out of the zip with '..'; refused"
    return None


def _kind(info: zipfile.ZipInfo) -> str | None:
    """Why a member is not a plain file (a link, a device), from the Unix mode a Unix zip records; None for a file."""
    mode = info.external_attr >> 16
    kind = stat.S_IFMT(mode)
    # Some zip tools record the permissions and no file type: that is a plain file.
    if info.create_system != 3 or kind in (0, stat.S_IFREG, stat.S_IFDIR):
        return None
    if kind == stat.S_IFLNK:
        return "a link inside the zip; links are ignored"
    return "not a plain file (a device or a pipe); ignored"


def open_zip(
    path: str | Path | IO[bytes],
    display: str,
    scratch: Scratch,
    *,
    inside: LmsIdentity | None = None,
    depth: int = 0,
    budget: list[int] | None = None,
) -> Opened:
    """Check and copy out the answer files of one zip; a zip that cannot be read, or is too big, is refused whole, and nothing of it is kept.

    `inside` is the LMS identity of the member a zip inside a zip came from; `budget` the bytes the outer zip may still unpack.
    """
    opened = Opened()
    try:
        archive = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, OSError, EOFError, ValueError, NotImplementedError) as error:
        opened.refused.append((display, f"not a zip file, or a damaged one ({error}); download it again"))
        return opened
    with archive:
        infos = archive.infolist()
        if len(infos) > MAX_MEMBERS:
            opened.refused.append(
                (
                    display,
                    f"holds {len(infos):,} members, more than the {MAX_MEMBERS:,} a class download has; refused as a zip bomb",
                )
            )
            return opened
        budget = [MAX_READ] if budget is None else budget
        planned = sum(i.file_size for i in infos if _copied(i))
        if planned > budget[0]:
            opened.refused.append((display, _too_big()))
            return opened
        try:
            for info in infos:
                _member(archive, info, display, scratch, opened, inside, depth, budget)
        except _TooBig as error:
            return Opened(refused=[(display, str(error))])
    opened.members.sort(key=lambda m: m.display)
    return opened


class _TooBig(Exception):
    """The zip unpacks to more than MAX_READ bytes; the whole zip is refused."""


def _too_big() -> str:
    return f"unpacks to more than {MAX_READ >> 30} GiB of answer files; refused as a zip bomb (unzip what you need and grade the folder)"


def _copied(info: zipfile.ZipInfo) -> bool:
    """Whether a member is one this reader copies out (an answer file, or a zip to open), counting towards MAX_READ."""
    suffix = os.path.splitext(info.filename)[1].lower()
    return suffix in (*ANSWER_SUFFIXES, ".zip") and info.file_size <= max(MAX_ANSWER_BYTES, MAX_INNER_ZIP)


def _member(
    archive: zipfile.ZipFile,
    info: zipfile.ZipInfo,
    display: str,
    scratch: Scratch,
    opened: Opened,
    inside: LmsIdentity | None,
    depth: int,
    budget: list[int],
) -> None:
    raw_name = member_name(info)
    why = unsafe(raw_name)
    if why:
        opened.refused.append((shown(f"{display}/{raw_name}"), why))
        return
    parts = tuple(p for p in raw_name.replace("\\", "/").split("/") if p not in ("", "."))
    if not parts or raw_name.endswith(("/", "\\")):
        return  # a folder
    shown_name = shown(f"{display}/{'/'.join(parts)}")
    other = _kind(info)
    if other:
        opened.skipped.append((shown_name, other))
        return
    if parts[0] == "__MACOSX":
        opened.skipped.append((shown_name, "macOS metadata, not a hand-in"))
        return
    if any(p.startswith(".") for p in parts):
        opened.skipped.append((shown_name, "hidden file"))
        return
    suffix = os.path.splitext(parts[-1])[1].lower()
    if suffix == ".zip":
        if depth:
            opened.skipped.append(
                (shown_name, "a zip inside a zip inside a zip: not opened (one level at most); unzip it and grade the folder")
            )
        else:
            _inner_zip(archive, info, shown_name, parts, scratch, opened, budget)
        return
    if archive_suffix(parts[-1]):
        opened.skipped.append((shown_name, UNPACK_FIRST))
        return
    if suffix not in ANSWER_SUFFIXES:
        opened.skipped.append(
            (shown_name, f"not an answer file ({suffix or 'no extension'}); only .yml, .yaml and .json are graded")
        )
        return
    if info.flag_bits & 1:
        opened.refused.append((shown_name, "encrypted; unzip it with its password and grade the folder"))
        return
    if info.file_size > MAX_ANSWER_BYTES:
        opened.refused.append(
            (
                shown_name,
                f"larger than the {MAX_ANSWER_BYTES // 1024} KiB limit ({info.file_size // 1024} KiB); is this the right file?",
            )
        )
        return
    data = _read(archive, info, MAX_ANSWER_BYTES, shown_name, opened, budget)
    if data is None:
        return
    lms = inside or identify(parts)
    # A zip inside the zip is the learner's own: its times are theirs to set.
    kind = "" if depth else (FILE_TIME if lms is None else lms.member_times)
    time_from = kind if kind in (FILE_TIME, LMS_TIME) else ""
    opened.members.append(Member(scratch.place(data, suffix, member_time(info)), shown_name, lms, time_from))


def _read(archive, info, limit: int, shown_name: str, opened: Opened, budget: list[int]) -> bytes | None:
    if info.file_size > 1 << 20 and info.compress_size and info.file_size / info.compress_size > MAX_RATIO:
        opened.refused.append(
            (shown_name, f"unpacks to {info.file_size:,} bytes from {info.compress_size:,}: refused as a zip bomb")
        )
        return None
    budget[0] -= info.file_size
    if budget[0] < 0:
        raise _TooBig(_too_big())
    try:
        with archive.open(info) as member:
            data = member.read(limit + 1)
    except (zipfile.BadZipFile, zlib.error, EOFError, OSError) as error:
        opened.refused.append((shown_name, f"damaged inside the zip ({error}); download the zip again"))
        return None
    except NotImplementedError as error:
        opened.refused.append(
            (shown_name, f"packed in a way the grader cannot unpack ({error}); unzip it yourself and grade the folder")
        )
        return None
    if len(data) > limit:
        opened.refused.append((shown_name, "larger than its zip entry says; the zip is damaged: download it again"))
        return None
    return data


def _inner_zip(
    archive, info, shown_name: str, parts: tuple[str, ...], scratch: Scratch, opened: Opened, budget: list[int]
) -> None:
    """A zip inside the zip (a learner who zipped their files): opened one level deep, its files carrying the outer member's LMS identity."""
    if info.file_size > MAX_INNER_ZIP:
        opened.refused.append(
            (shown_name, f"a zip inside the zip larger than {MAX_INNER_ZIP >> 20} MiB; unzip it and grade the folder")
        )
        return
    data = _read(archive, info, MAX_INNER_ZIP, shown_name, opened, budget)
    if data is None:
        return
    inner = open_zip(io.BytesIO(data), shown_name, scratch, inside=identify(parts), depth=1, budget=budget)
    opened.members += inner.members
    opened.skipped += inner.skipped
    opened.refused += inner.refused
