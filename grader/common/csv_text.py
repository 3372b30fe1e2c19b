"""CSV as spreadsheets and LMS importers read it (RFC 4180 with CRLF, no cell that runs as a formula), and CSV a user gives a command."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable
from typing import Any

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
