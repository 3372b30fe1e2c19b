"""CSV files as spreadsheets save them: UTF-8 with or without a byte-order mark (or UTF-16), `,` `;` or tab between cells, any line ends, headers in any case."""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass
from pathlib import Path

from grader.common.problems import UsageError

MAX_BYTES = 16 << 20
# Excel can put a line such as `sep=;` above the header to say which separator it used.
SEPARATOR_HINT = re.compile(r"^sep=(.)$")
SEPARATORS = (",", ";", "\t")
SAVE_AS = "save it as CSV UTF-8 (Excel: File > Save As > CSV UTF-8; LibreOffice: character set Unicode (UTF-8))"


class SheetError(UsageError):
    """A CSV file that cannot be read; one line naming the file (and line) and the fix."""


@dataclass(frozen=True)
class Sheet:
    """A CSV file's header and rows, cells trimmed, each row with the line it starts on."""

    file: str
    columns: tuple[str, ...]
    """The header's names, made plain by `column_name`."""
    rows: tuple[tuple[int, dict[str, str]], ...]
    """(line, column -> cell) for every row that is not blank."""


def column_name(text: str) -> str:
    """A header cell as a plain name: ` Learner-ID ` -> `learner_id`."""
    return re.sub(r"[\s\-]+", "_", text.strip().lower()).strip("_")


def decode(raw: bytes, file: str) -> str:
    """The text of a CSV file: UTF-8 (a byte-order mark is dropped) or UTF-16 with its mark; else a SheetError saying how to save it."""
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return raw.decode("utf-16")
        except UnicodeDecodeError:
            raise SheetError(f"{file}: not readable UTF-16 text; {SAVE_AS}") from None
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as error:
        line = raw.count(b"\n", 0, error.start) + 1
        raise SheetError(f"{file}:{line}: not UTF-8 text; {SAVE_AS}") from None
    return text.removeprefix("\ufeff")


def _separator(first: str) -> str:
    """The separator the header line uses most, outside quotes (a one-column file has none)."""
    outside = re.sub(r'"[^"]*"', "", first)
    counts = {sep: outside.count(sep) for sep in SEPARATORS}
    best = max(SEPARATORS, key=lambda sep: counts[sep])
    return best if counts[best] else ","


def parse_sheet(text: str, file: str, what: str = "file") -> Sheet:
    """Read CSV text: the separator is found from the header line, quoted cells may hold separators and line breaks."""
    lines = text.splitlines()
    skip = 0
    while skip < len(lines) and not lines[skip].strip():
        skip += 1
    if skip == len(lines):
        raise SheetError(f"{file}: the {what} is empty; its first line must name the columns")
    hint = SEPARATOR_HINT.match(lines[skip].strip())
    if hint:
        separator, skip = hint.group(1), skip + 1
    else:
        separator = _separator(lines[skip])
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=separator)
    rows: list[tuple[int, list[str]]] = []
    line = 0
    try:
        for cells in reader:
            start, line = line + 1, reader.line_num
            if start > skip and any(cell.strip() for cell in cells):
                rows.append((start, cells))
    except csv.Error as error:
        raise SheetError(f"{file}:{reader.line_num}: not readable as CSV ({error}); {SAVE_AS}") from None
    if not rows:
        raise SheetError(f"{file}: the {what} is empty; its first line must name the columns")
    (header_line, header), body = rows[0], rows[1:]
    columns = tuple(column_name(cell) for cell in header)
    for index, name in enumerate(columns):
        if name and columns.index(name) != index:
            raise SheetError(
                f"{file}:{header_line}: columns {columns.index(name) + 1} and {index + 1} are both named '{name}'; keep one"
            )
    out = []
    for at, cells in body:
        if len(cells) > len(columns) and any(cell.strip() for cell in cells[len(columns) :]):
            raise SheetError(
                f"{file}:{at}: {len(cells)} cells, but the header names {len(columns)}; "
                f"put a cell that holds '{separator}' in double quotes"
            )
        out.append((at, {name: (cells[i].strip() if i < len(cells) else "") for i, name in enumerate(columns) if name}))
    return Sheet(file, columns, tuple(out))


def _text_of(path: str | Path, what: str) -> str:
    """The decoded text of a CSV file someone gives a command, or a one-line SheetError naming it."""
    file = str(path)
    try:
        with open(path, "rb") as handle:
            raw = handle.read(MAX_BYTES + 1)
    except FileNotFoundError:
        raise SheetError(f"{file}: no such {what}") from None
    except IsADirectoryError:
        raise SheetError(f"{file}: is a folder; give the {what} as a CSV file") from None
    except OSError as error:
        raise SheetError(f"{file}: the {what} cannot be read ({error.strerror or error})") from None
    if len(raw) > MAX_BYTES:
        raise SheetError(f"{file}: larger than {MAX_BYTES >> 20} MiB; is this the {what}?")
    return decode(raw, file)


def read_sheet(path: str | Path, what: str) -> Sheet:
    """Read the CSV file at `path`; `what` names it in messages ("roster", "map file", ...)."""
    return parse_sheet(_text_of(path, what), str(path), what)


def read_rows(path: str | Path, what: str) -> list[list[str]]:
    """Every row of the CSV file at `path` as written, for a file whose columns are known by position (an LMS's own export)."""
    text, file = _text_of(path, what), str(path)
    first = next((line for line in text.splitlines() if line.strip()), "")
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=_separator(first))
    try:
        return list(reader)
    except csv.Error as error:
        raise SheetError(f"{file}:{reader.line_num}: not readable as CSV ({error}); {SAVE_AS}") from None
