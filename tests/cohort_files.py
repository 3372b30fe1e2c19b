"""Files for the cohort tests, made the way the programs instructors use make them: Excel's and LibreOffice's CSVs, Canvas's and Moodle's zips, hostile zips."""

from __future__ import annotations

import csv
import io
import os
import shutil
import struct
import time
import zipfile
from pathlib import Path

from tests.conftest import CASES, MINI

CLASS = CASES / "grade" / "class"
COURSE = MINI
DOWNLOADED = (2026, 11, 24, 9, 0, 0)
"""The time an LMS gives every member of its zip: when it was made."""


def excel_csv(rows: list[list[str]]) -> bytes:
    """Excel's "CSV UTF-8 (Comma delimited)": a byte-order mark, commas, CRLF, quotes only where needed."""
    out = io.StringIO()
    csv.writer(out, lineterminator="\r\n").writerows(rows)
    return b"\xef\xbb\xbf" + out.getvalue().encode("utf-8")


def excel_semicolons(rows: list[list[str]]) -> bytes:
    """Excel in a locale whose list separator is ';' (German, French, ...), saving CSV UTF-8 with its `sep=` hint line."""
    out = io.StringIO()
    csv.writer(out, delimiter=";", lineterminator="\r\n").writerows(rows)
    return b"\xef\xbb\xbf" + b"sep=;\r\n" + out.getvalue().encode("utf-8")


def libreoffice_csv(rows: list[list[str]]) -> bytes:
    """LibreOffice Calc's Text CSV with ';' as the field delimiter, "Quote all text cells", UTF-8 without a mark, LF."""
    out = io.StringIO()
    csv.writer(out, delimiter=";", quoting=csv.QUOTE_ALL, lineterminator="\n").writerows(rows)
    return out.getvalue().encode("utf-8")


def excel_unicode_text(rows: list[list[str]]) -> bytes:
    """Excel's "Unicode Text": UTF-16 with its byte-order mark, tabs between cells, CRLF."""
    out = io.StringIO()
    csv.writer(out, delimiter="\t", lineterminator="\r\n").writerows(rows)
    return out.getvalue().encode("utf-16")


ROSTER = [
    ["ID", "Name", "E-mail", "Section", "LMS ID"],
    ["s001", "Ada Lovelace", "ada@example.edu", "Tue", "5001"],
    ["s002", "Bob Okafor", "bob@example.edu", "Tue", "5002"],
    ["s003", "Cara Jiménez", "cara@example.edu", "Thu", "5003"],
    ["s004", "Dan Ng", "dan@example.edu", "Thu", "5004"],
    ["s007", "Gil Never", "gil@example.edu", "Thu", "5007"],
]
"""The grade test class as a roster: s005 and s006 hand in but are not on it; s007 never hands in."""


def member(name: str, data: bytes, *, when=DOWNLOADED, mode: int = 0o100644) -> tuple[zipfile.ZipInfo, bytes]:
    info = zipfile.ZipInfo(name, date_time=when)
    info.compress_type = zipfile.ZIP_DEFLATED
    info.create_system = 3
    info.external_attr = mode << 16
    return info, data


def write_zip(path: Path, members: list[tuple[zipfile.ZipInfo, bytes]]) -> Path:
    with zipfile.ZipFile(path, "w") as archive:
        for info, data in members:
            archive.writestr(info, data)
    return path


def zip_bytes(members: list[tuple[zipfile.ZipInfo, bytes]]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        for info, data in members:
            archive.writestr(info, data)
    return out.getvalue()


def canvas_zip(path: Path, *, late: set[str] = frozenset(), copied: dict[str, str] | None = None) -> Path:
    """The grade test class's mini-quiz files as Canvas's Download Submissions names them (user ids 5001...)."""
    names = {"s001": "lovelaceada", "s002": "okaforbob", "s003": "jiménezcara", "s004": "ngdan"}
    files = {"s001": "ada.yml", "s002": "bob.yml", "s003": "cara.json", "s004": "late/dan-second.yml"}
    members = []
    for n, (learner, file) in enumerate(sorted(files.items())):
        marker = "_LATE" if learner in late else ""
        data = (CLASS / file).read_bytes()
        members.append(
            member(f"{names[learner]}{marker}_500{learner[-1]}_{700 + n}_mini-quiz-{learner}{Path(file).suffix}", data)
        )
    for account, file in (copied or {}).items():
        members.append(member(f"{names[account]}_500{account[-1]}_799_mini-quiz.yml", (CLASS / file).read_bytes()))
    return write_zip(path, members)


def patch(data: bytes, old: bytes, new: bytes) -> bytes:
    """`data` with every `old` (a placeholder name) replaced by `new` of the same length: names no zip library would write."""
    assert len(old) == len(new) and old in data
    return data.replace(old, new)


def central_entries(data: bytes) -> list[int]:
    """Where each central directory entry of a zip starts."""
    found, at = [], data.find(b"PK\x01\x02")
    while at != -1:
        found.append(at)
        at = data.find(b"PK\x01\x02", at + 4)
    return found


def declare_size(data: bytes, size: int) -> bytes:
    """The zip with every member claiming `size` unpacked bytes in the central directory (where readers look)."""
    out = bytearray(data)
    for at in central_entries(data):
        struct.pack_into("<I", out, at + 24, size)
    return bytes(out)


def _rewrite(data: bytes, central_at: int, local_at: int, change) -> bytes:
    """The zip with one two-byte field of every member changed by `change`, in the central and the local header."""
    out = bytearray(data)
    for at in central_entries(data):
        struct.pack_into("<H", out, at + central_at, change(struct.unpack_from("<H", out, at + central_at)[0]))
    at = data.find(b"PK\x03\x04")
    while at != -1:
        struct.pack_into("<H", out, at + local_at, change(struct.unpack_from("<H", out, at + local_at)[0]))
        at = data.find(b"PK\x03\x04", at + 4)
    return bytes(out)


def set_flag(data: bytes, flag: int) -> bytes:
    """The zip with a general-purpose flag bit set on every member, in both headers."""
    return _rewrite(data, 8, 6, lambda value: value | flag)


def set_method(data: bytes, method: int) -> bytes:
    """The zip with every member marked as packed by compression `method` (9: Deflate64, which Python cannot unpack)."""
    return _rewrite(data, 10, 8, lambda _value: method)


def unzip_keeping_times(archive: Path, folder: Path) -> Path:
    """What `unzip` does with a download: every member written out, with its time."""
    with zipfile.ZipFile(archive) as opened:
        for info in opened.infolist():
            target = folder / info.filename
            target.parent.mkdir(parents=True, exist_ok=True)
            with opened.open(info) as src, open(target, "wb") as out:
                shutil.copyfileobj(src, out)
            stamp = time.mktime((*info.date_time, 0, 0, -1))
            os.utime(target, (stamp, stamp))
    return folder
