"""The report's accessible data tables: a caption, column headers, each row's first cell as its header; cells escaped unless marked Raw."""

from __future__ import annotations

from collections.abc import Sequence, Set

from grader.common.escape import html_text

_e = html_text


class Raw(str):
    """HTML already escaped (or author Markdown already rendered), to place in a table cell or caption as is."""


def code_text(text: str) -> str:
    """Escape text, showing `quoted` parts as code."""
    parts = _e(text).split("`")
    return "".join(f"<code>{p}</code>" if i % 2 else p for i, p in enumerate(parts))


def table(
    caption: str,
    header: Sequence[str],
    rows: list[list],
    *,
    numeric: Set[int] = frozenset(),
    row_header: bool = True,
    cls: str = "",
    scroll: bool = False,
) -> str:
    """An accessible data table: caption, column headers, and the first cell of each row as its header."""
    num_class = ' class="n"'
    head = "".join(f'<th scope="col"{num_class if i in numeric else ""}>{_cell(h)}</th>' for i, h in enumerate(header))
    body = []
    for row in rows:
        cells = []
        for i, cell in enumerate(row):
            if i == 0 and row_header:
                cells.append(f'<th scope="row">{_cell(cell)}</th>')
            else:
                cells.append(f"<td{num_class if i in numeric else ''}>{_cell(cell)}</td>")
        body.append("<tr>" + "".join(cells) + "</tr>")
    klass = f' class="{cls}"' if cls else ""
    table = (
        f"<table{klass}><caption>{_cell(caption)}</caption><thead><tr>{head}</tr></thead><tbody>{''.join(body)}</tbody></table>"
    )
    if scroll:
        label = _e(caption if not isinstance(caption, Raw) else "table")
        return f'<div class="scroll" role="region" tabindex="0" aria-label="{label} (scrolls sideways)">{table}</div>'
    return table


def _cell(value) -> str:
    return value if isinstance(value, Raw) else _e(value)
