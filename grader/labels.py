"""Short labels and fixed-precision coordinates, shared by the terminal, the report and the scenario maps."""

from __future__ import annotations


def shorten(text, size: int = 90) -> str:
    """`text` on one line, cut to `size` characters with an ellipsis."""
    text = " ".join(str(text).split())
    return text if len(text) <= size else text[: size - 1].rstrip() + "\u2026"


def coord(x: float) -> str:
    """A coordinate with one decimal, so the same data always gives the same bytes."""
    return f"{x:.1f}".rstrip("0").rstrip(".")
