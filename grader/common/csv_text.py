"""CSV as spreadsheets and LMS importers read it (RFC 4180 with CRLF, no cell that runs as a formula), and CSV a user gives a command."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from grader.common.problems import UsageError

# A spreadsheet runs a cell that starts with one of these as a formula.
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value: Any) -> Any:
    """Neutralise text a spreadsheet would run as a formula; numbers pass through."""
    if isinstance(value, str) and value.startswith(FORMULA_START):
        return "'" + value
    return value


def csv_text(header: list[str], rows: Iterable[Iterable[Any]]) -> str:
    """CSV text (RFC 4180, CRLF line ends) with every text cell made safe for spreadsheets."""
    buffer = io.StringIO()
    # With CRLF as the terminator, csv quotes any cell holding a bare CR, so no row can split.
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(header)
    for row in rows:
        writer.writerow([safe_cell(cell) for cell in row])
    return buffer.getvalue()


def read_csv(path: Path, what: str, fix: str) -> list[list[str]]:
    """The rows of a CSV file someone gives a command (UTF-8, with or without a BOM); a one-line UsageError when it cannot be read.

    `what` names the file in messages ("map file"); `fix` says what to do about text that is not UTF-8.
    """
    try:
        text = path.read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        raise UsageError(f"{path}: no such {what}") from None
    except UnicodeDecodeError:
        raise UsageError(f"{path}: not UTF-8 text; {fix}") from None
    except OSError as error:
        raise UsageError(f"{path}: cannot be read ({error.strerror or error})") from None
    try:
        return list(csv.reader(io.StringIO(text)))
    except csv.Error as error:
        raise UsageError(f"{path}: not a CSV file ({error})") from None
