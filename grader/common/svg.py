"""Accessible inline SVG, shared by the scenario maps and the report's charts: the opening, coordinates, reply curves."""

from __future__ import annotations

from html import escape


def coord(x: float) -> str:
    """A coordinate with one decimal, so the same data always gives the same bytes."""
    return f"{x:.1f}".rstrip("0").rstrip(".")


def svg_open(
    title_id: str, desc_id: str, width: float, height: float, title: str, desc: str, *, before: str = "", after: str = ""
) -> list[str]:
    """An SVG's opening tag, title and description, which screen readers read as its name and summary.

    `before` and `after` are attributes (already escaped) around the shared ones; the ids must be unique in the page.
    """
    return [
        f'<svg xmlns="http://www.w3.org/2000/svg"{before} role="img" aria-labelledby="{title_id} {desc_id}" '
        f'viewBox="0 0 {coord(width)} {coord(height)}"{after}>',
        f'<title id="{title_id}">{escape(title)}</title>',
        f'<desc id="{desc_id}">{escape(desc)}</desc>',
    ]


def forward(x1: float, y1: float, x2: float, y2: float, *, gap: float) -> str:
    """A reply into a later column: a smooth curve ending `gap` short of the target, where the arrow sits."""
    bend = max((x2 - x1) / 2, 30)
    return (
        f"M{coord(x1)},{coord(y1)} C{coord(x1 + bend)},{coord(y1)} {coord(x2 - bend)},{coord(y2)} {coord(x2 - gap)},{coord(y2)}"
    )


def swing_below(x1: float, y1: float, x2: float, y2: float, *, low: float, reach: float, gap: float) -> str:
    """A reply back to an earlier column: a curve that swings below both boxes (`low`) so it crosses none."""
    return f"M{coord(x1)},{coord(y1)} C{coord(x1 + reach)},{coord(low + 30)} {coord(x2 - reach)},{coord(low + 30)} {coord(x2 - gap)},{coord(y2)}"
