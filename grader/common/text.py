"""Words and numbers as people read them: short labels, points, percentages, outcomes."""

from __future__ import annotations

OUTCOMES = {
    "resolved_retained": "Resolved, and the customer stays",
    "resolved": "Resolved",
    "escalated": "Escalated",
    "lost": "Lost",
}
"""A dialogue ending's outcome, as learners read it."""
OUTCOME_SHORT = {"resolved_retained": "resolved, customer kept", "resolved": "resolved", "escalated": "escalated", "lost": "lost"}
"""The same outcomes in a few words, for maps, tables and the report."""


def shorten(text, size: int = 90) -> str:
    """`text` on one line, cut to `size` characters with an ellipsis."""
    text = " ".join(str(text).split())
    return text if len(text) <= size else text[: size - 1].rstrip() + "\u2026"


def number(value: float) -> float | int:
    """A score as written in CSV and feedback: 2.0 -> 2, 2.456 -> 2.46."""
    value = round(float(value), 2)
    return int(value) if value == int(value) else value


def points(value: float) -> str:
    """`1 point`, `2.5 points`."""
    return f"{value:g} point{'' if value == 1 else 's'}"


def signed(n: int) -> str:
    """A raw score with its sign: +3, 0, \u22122."""
    return f"+{n}" if n > 0 else "\u2212" + str(-n) if n < 0 else "0"


def pct(value: float | None, digits: int = 1) -> str:
    """A share as a percentage for tables: 0.8312 -> '83.1%'; '\u2013' when unknown."""
    return "\u2013" if value is None else f"{100 * value:.{digits}f}%"


def num(value: float | None, digits: int = 2) -> str:
    """A number for tables, without trailing zeros; '\u2013' when unknown."""
    if value is None:
        return "\u2013"
    text = f"{value:.{digits}f}".rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text


def listed(items) -> str:
    """Items as a sentence lists them: 'a', 'a and b', 'a, b and c'."""
    items = [str(item) for item in items]
    return ", ".join(items[:-1]) + " and " + items[-1] if len(items) > 1 else "".join(items)
