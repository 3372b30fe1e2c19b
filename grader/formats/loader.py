"""The one YAML loader: C-accelerated, YAML 1.2 scalars, no duplicate keys, size and nesting limits.

Every file the grader or the site reads goes through `load_file` (or `load_bytes`):

    loaded = load_file("quizzes/five-step-process.yml")
    loaded.data                           # plain dicts, lists, str, int, float, bool, None
    loaded.line_of(("questions", 2, "options"))   # 1-based line, or None

Numbers keep the text they were written as: `str()` of the `id` in `id: 0012345` is "0012345".
Problems raise `LoadError`, whose `.problem` names the file, the line and the fix.
"""

from __future__ import annotations

import errno
import os
import stat
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from grader.common.problems import Problem
from grader.formats.json_reader import json_line, read_json
from grader.formats.limits import MAX_ANSWER_BYTES, MAX_COURSE_BYTES, LoadError
from grader.formats.numbers import WrittenFloat, WrittenInt
from grader.formats.plain_yaml import read_plain
from grader.formats.yaml_reader import Tagged, read_yaml

# Above this many characters a file is read by the full reader, which bounds its nesting before composing it.
PLAIN_AT_MOST = 64 * 1024

__all__ = ["LineOf", "LoadError", "Loaded", "Tagged", "WrittenFloat", "WrittenInt", "load_bytes", "load_file"]


_NOT_FILES = {
    stat.S_IFIFO: "a named pipe (FIFO)",
    stat.S_IFSOCK: "a socket",
    stat.S_IFCHR: "a device",
    stat.S_IFBLK: "a device",
    stat.S_IFDIR: "a folder",
}


@dataclass
class Loaded:
    """Data read from one file, with the line of each key and item."""

    data: Any
    """The document: plain dicts, lists and scalars."""
    file: str
    """The path as given."""
    lines: dict[int, Any] = field(default_factory=dict, repr=False)
    """id(container) -> {key: line} for mappings, [line, ...] for sequences."""
    text: str = field(default="", repr=False)
    """The decoded text, for JSON files whose lines are found by search."""
    mtime: float = 0.0
    """Modification time of the file read, from the descriptor it was read through (0 for bytes)."""

    def line_of(self, path: tuple = ()) -> int | None:
        """Line of the deepest part of `path` that exists, or None."""
        node, found = self.data, 1 if self.data is not None else None
        for part in path:
            table = self.lines.get(id(node))
            if isinstance(node, dict) and part in node:
                found = table.get(part, found) if table else json_line(self.text, part, found)
                node = node[part]
            elif isinstance(node, list) and isinstance(part, int) and 0 <= part < len(node):
                found = table[part] if table else found
                node = node[part]
            else:
                break
        return found


def _decode(raw: bytes, file: str) -> str:
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as error:
        line = raw.count(b"\n", 0, error.start) + 1
        raise LoadError(Problem(file, "not UTF-8 text; save the file as UTF-8", line)) from None
    return text[1:] if text.startswith("\ufeff") else text


def load_bytes(raw: bytes, file: str, *, answer: bool = False, as_json: bool = False, tags: bool = False) -> Loaded:
    """Load one document from bytes; `answer` applies the stricter answer-file rules.

    `tags` reads another tool's configuration (mkdocs.yml): its application tags become Tagged values instead of errors.
    """
    limit = MAX_ANSWER_BYTES if answer else MAX_COURSE_BYTES
    if len(raw) > limit:
        raise LoadError(
            Problem(file, f"larger than the {limit // 1024} KiB limit ({len(raw) // 1024} KiB); is this the right file?")
        )
    text = _decode(raw, file)
    if as_json:
        return Loaded(read_json(text, file), file, {}, text)
    # Most answer files have one small shape, read at a fraction of the cost; the full reader takes the rest.
    found = read_plain(text) if answer and len(text) < PLAIN_AT_MOST else None
    data, lines = found if found is not None else read_yaml(text, file, answer=answer, tags=tags)
    return Loaded(data, file, lines, text)


def _open_problem(path: str | Path, error: OSError) -> str:
    """Why a file could not be opened, in words."""
    if error.errno == errno.ENOENT:
        return "a link to a file that does not exist; hand in the file itself" if os.path.islink(path) else "no such file"
    if error.errno == errno.ELOOP:
        return "a link that leads back to itself; hand in the file itself"
    if error.errno == errno.ENXIO:
        return "is a socket, not a file"
    if error.errno == errno.EISDIR:
        return "is a folder, not a file"
    return f"cannot be read ({error.strerror})"


def _read_regular(path: str | Path, limit: int, name: str) -> tuple[bytes, os.stat_result]:
    """Up to `limit` bytes of a regular file, and its stat; anything else (a FIFO, a device) is refused unread."""
    # O_NONBLOCK: opening a FIFO with no writer would otherwise wait forever.
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0) | getattr(os, "O_BINARY", 0)
    try:
        fd = os.open(path, flags)
    except OSError as error:
        raise LoadError(Problem(name, _open_problem(path, error))) from None
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            kind = _NOT_FILES.get(stat.S_IFMT(info.st_mode), "not a regular file")
            raise LoadError(Problem(name, f"is {kind}, not a file; only files are read"))
        chunks, size = [], 0
        while size < limit:
            chunk = os.read(fd, limit - size)
            if not chunk:
                break
            chunks.append(chunk)
            size += len(chunk)
        return b"".join(chunks), info
    except OSError as error:
        raise LoadError(Problem(name, f"cannot be read ({error.strerror})")) from None
    finally:
        os.close(fd)


def load_file(path: str | Path, *, answer: bool = False, display: str | None = None, tags: bool = False) -> Loaded:
    """Load one YAML or JSON file; `display` is the name used in messages, `tags` as for `load_bytes`."""
    name = display or str(path)
    limit = MAX_ANSWER_BYTES if answer else MAX_COURSE_BYTES
    raw, info = _read_regular(path, limit + 1, name)
    loaded = load_bytes(raw, name, answer=answer, as_json=str(path).lower().endswith(".json"), tags=tags)
    loaded.mtime = info.st_mtime
    return loaded


LineOf = Callable[[tuple], "int | None"]
