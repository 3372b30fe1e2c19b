"""Writing one file whole, file names shown as text, and which names are answer files."""

from __future__ import annotations

import os
from pathlib import Path

from grader.common.escape import visible

ANSWER_SUFFIXES = (".yml", ".yaml", ".json")
"""The files `grader grade` reads as answer files."""
ARCHIVE_SUFFIXES = (
    ".tar",
    ".tgz",
    ".tar.gz",
    ".gz",
    ".bz2",
    ".tbz2",
    ".xz",
    ".txz",
    ".zst",
    ".7z",
    ".rar",
    ".cab",
    ".iso",
    ".lzh",
)
"""Archives the grader does not open (it opens .zip): they must be unpacked first."""
UNPACK_FIRST = "an archive the grader does not open (it opens .zip); unpack it first and grade the folder"


def archive_suffix(name: str) -> str | None:
    """The archive suffix `name` ends with (other than .zip), if any."""
    lower = name.lower()
    return next((s for s in ARCHIVE_SUFFIXES if lower.endswith(s)), None)


def write_atomic(path: Path, text: str | bytes) -> None:
    """Write text (UTF-8) or bytes to a temporary name beside `path`, then rename, so readers never see half a file.

    The file gets the usual permissions (the umask decides), and an error names `path`, never the temporary name.
    """
    temp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(text, bytes):
            temp.write_bytes(text)
        else:
            with open(temp, "w", encoding="utf-8", newline="") as out:
                out.write(text)
        os.replace(temp, path)
    except BaseException as error:
        temp.unlink(missing_ok=True)
        if isinstance(error, OSError):
            raise OSError(error.errno, error.strerror, str(path)) from None
        raise


def is_utf8(path: str) -> bool:
    """Whether the name is valid UTF-8 on disk (os.walk hands other bytes over as lone surrogates)."""
    try:
        path.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def shown(path: str) -> str:
    """`path` as text that any terminal, CSV or JSON takes: other bytes and control characters as escapes."""
    return visible(path)
