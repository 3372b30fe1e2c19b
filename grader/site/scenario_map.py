"""Draw a scenario as an inline, accessible SVG map and summarise its paths in an HTML table.

Both functions are pure and deterministic: the same scenario gives the same bytes.
Text and outlines use `currentColor`, so they follow the page's light or dark
theme; reply lines add a colour that keeps 3:1 contrast on both, and never rely
on it alone (each kind also has its own line style and a score label)."""

from __future__ import annotations

from html import escape

from grader.common.svg import coord as _f
from grader.common.svg import forward, svg_open, swing_below
from grader.common.text import OUTCOME_SHORT, shorten, signed
from grader.dialogue.analysis import analyse_paths
from grader.dialogue.layout import depths
from grader.dialogue.model import Analysis, Dialogue


# kind -> (colour, dash pattern, stroke width, words); colours keep 3:1 on white and on Material's slate.
STYLE = {
    "good": ("#3a8a3f", "", "2.2", "good reply (score above 0): solid line"),
    "neutral": ("#76808a", "7 4", "1.6", "neutral reply (score 0): dashed line"),
    "poor": ("#e0443e", "2 3", "1.6", "poor reply (score below 0): dotted line"),
}


BOX_W, COL_GAP, ROW_GAP, PAD = 150, 120, 26, 16


PORT_GAP, LINE = 16, 14


def _kind(score: int) -> str:
    return "good" if score > 0 else "poor" if score < 0 else "neutral"


def _paths(a: Analysis, eid: str) -> str:
    if not a.complete:
        return "paths unknown"
    n = a.paths_by_ending.get(eid, 0)
    return "unlimited paths" if n is None else f"{n} path{'' if n == 1 else 's'}"


def _columns(d: Dialogue) -> list[list[str]]:
    """Node ids by column (see `depths`), then the endings; rows ordered to limit crossings."""
    depth = depths(d)
    cols: list[list[str]] = [[] for _ in range(max(depth.values(), default=-1) + 1)]
    for nid, column in depth.items():
        cols[column].append(nid)
    cols.append(list(d.endings))
    # One pass of barycentre ordering: sit each box near the boxes that lead to it.
    row: dict[str, int] = {}
    preds: dict[str, list[str]] = {}
    for node in d.nodes.values():
        for reply in node.replies:
            preds.setdefault(reply.next, []).append(node.id)
    for c, col in enumerate(cols):
        if c:
            first = {k: i for i, k in enumerate(col)}

            def centre(k: str) -> tuple:
                rows = [row[p] for p in preds.get(k, ()) if p in row]
                return (sum(rows) / len(rows) if rows else float("inf"), first[k])

            col.sort(key=centre)
        row.update((k, i) for i, k in enumerate(col))
    return [col for col in cols if col]


def map_svg(d: Dialogue, analysis: Analysis | None = None) -> str:
    """The scenario as a layered SVG graph: turns in columns by depth, replies as arrows, endings as hexagons."""
    a = analysis or analyse_paths(d)
    p = f"dlgmap-{d.id}"
    cols = _columns(d)
    rule_text: dict[str, list[str]] = {}
    for rule in d.rules:
        limit = f"\u2264 {rule.at_most}" if rule.at_most is not None else f"\u2265 {rule.at_least}"
        label = d.meters[rule.meter].label if rule.meter in d.meters else rule.meter
        rule_text.setdefault(rule.ending, []).append(f"rule: {label} {limit}")

    def height(k: str) -> float:
        if k in d.nodes:
            return max(48, 2 * LINE + 10 + PORT_GAP * len(d.nodes[k].replies))
        return 3 * LINE + 14 + LINE * len(rule_text.get(k, ()))

    pos: dict[str, tuple[float, float, float]] = {}  # id -> (x, y, height)
    col_h = [sum(height(k) for k in col) + ROW_GAP * (len(col) - 1) for col in cols]
    top = PAD + 2 * LINE
    inner = max(col_h, default=0)
    for c, col in enumerate(cols):
        y = top + (inner - col_h[c]) / 2
        for k in col:
            pos[k] = (PAD + c * (BOX_W + COL_GAP), y, height(k))
            y += height(k) + ROW_GAP
    width = PAD * 2 + len(cols) * BOX_W + (len(cols) - 1) * COL_GAP
    legend_y = top + inner + 2 * ROW_GAP
    total_h = legend_y + 4 * LINE + 2 * PAD

    n_replies = sum(len(n.replies) for n in d.nodes.values())
    paths = "an unlimited number of complete paths (the dialogue can loop)" if a.paths is None else f"{a.paths} complete path{'s' if a.paths != 1 else ''}"
    scores = f"; best raw score {a.best}, worst {a.worst}" if a.best is not None and a.worst is not None else ""
    desc = (
        f"{len(d.nodes)} customer turns, {n_replies} replies and {len(d.endings)} endings, starting at {d.start}; {paths}{scores}. "
        "Turns are boxes in columns by how many replies it takes to reach them; endings are hexagons in the last column. "
        "Good replies are solid lines, neutral replies dashed, poor replies dotted, each labelled with its id and score."
    )
    after = f' width="100%" style="max-width:{_f(width)}px;min-width:{_f(min(width, 720))}px" font-family="inherit" font-size="12" fill="currentColor"'
    out = [*svg_open(f"{p}-title", f"{p}-desc", width, total_h, f"Map of the scenario \u201c{d.title}\u201d", desc, before=' class="dialogue-map"', after=after), "<defs>"]
    for kind, (colour, _, _, _) in STYLE.items():
        out.append(
            f'<marker id="{p}-arrow-{kind}" viewBox="0 0 10 10" refX="9" refY="5" markerUnits="userSpaceOnUse" markerWidth="9" markerHeight="9" orient="auto-start-reverse">'
            f'<path d="M0,0 L10,5 L0,10 z" fill="{colour}"/></marker>'
        )
    out.append("</defs>")
    out.append(f'<text x="{_f(PAD)}" y="{_f(PAD + LINE)}" font-weight="bold">{escape(d.title)}</text>')

    # Replies first, so boxes and labels sit on top of the lines.
    edges, labels = [], []
    for node in d.nodes.values():
        x, y, h = pos[node.id]
        for i, reply in enumerate(node.replies):
            kind = _kind(reply.score)
            colour, dash, stroke, words = STYLE[kind]
            x1, y1 = x + BOX_W, y + 2 * LINE + 10 + PORT_GAP * i + PORT_GAP / 2
            target = pos.get(reply.next)
            tip = f"{reply.id}: {words.split(' (')[0]}, score {signed(reply.score)}, {node.id} \u2192 {reply.next}"
            if target is None:
                continue
            tx, ty, th = target
            x2, y2 = tx, ty + th / 2
            if tx > x:
                path = forward(x1, y1, x2, y2, gap=2)
            elif tx == x:  # same column (or itself): out and back into the target's right side, above its ports
                x2, y2 = tx + BOX_W, ty + 12
                path = f"M{_f(x1)},{_f(y1)} C{_f(x1 + 60)},{_f(y1)} {_f(x2 + 60)},{_f(y2)} {_f(x2 + 2)},{_f(y2)}"
            else:  # back to an earlier column: swing below both boxes
                path = swing_below(x1, y1, x2, y2, low=max(y + h, ty + th) + ROW_GAP, reach=70, gap=2)
            dash_attr = f' stroke-dasharray="{dash}"' if dash else ""
            edges.append(
                f'<path class="dialogue-map-reply dialogue-map-{kind}" d="{path}" fill="none" stroke="{colour}" stroke-width="{stroke}"{dash_attr} '
                f'marker-end="url(#{p}-arrow-{kind})"><title>{escape(tip)}</title></path>'
            )
            labels.append(f'<text x="{_f(x1 + 5)}" y="{_f(y1 - 3)}" font-size="11">{escape(reply.id)} {signed(reply.score)}</text>')
    out += edges

    for nid, node in d.nodes.items():
        x, y, h = pos[nid]
        start = " (start)" if nid == d.start else ""
        out.append(
            f'<g class="dialogue-map-node"><title>{escape(nid)}{start}: {escape(node.say)}</title>'
            f'<rect x="{_f(x)}" y="{_f(y)}" width="{BOX_W}" height="{_f(h)}" rx="6" fill="none" stroke="currentColor" stroke-width="{2 if start else 1.2}"/>'
            f'<text x="{_f(x + 8)}" y="{_f(y + LINE + 2)}" font-weight="bold">{escape(nid)}{start}</text>'
            f'<text x="{_f(x + 8)}" y="{_f(y + 2 * LINE + 4)}" font-size="11">{escape(shorten(node.say, 24))}</text></g>'
        )
    for eid, ending in d.endings.items():
        x, y, h = pos[eid]
        e = 12
        hexagon = " ".join(f"{_f(px)},{_f(py)}" for px, py in ((x + e, y), (x + BOX_W - e, y), (x + BOX_W, y + h / 2), (x + BOX_W - e, y + h), (x + e, y + h), (x, y + h / 2)))
        lines = [
            (escape(eid), ' font-weight="bold"'),
            (escape(OUTCOME_SHORT.get(ending.outcome, ending.outcome)), ""),
            (f"score {signed(ending.score)}, {_paths(a, eid)}", ""),
            *((escape(t), "") for t in rule_text.get(eid, ())),
        ]
        text = "".join(f'<text x="{_f(x + BOX_W / 2)}" y="{_f(y + 8 + LINE * (i + 1))}" text-anchor="middle" font-size="11"{extra}>{t}</text>' for i, (t, extra) in enumerate(lines))
        out.append(
            f'<g class="dialogue-map-ending dialogue-map-{escape(ending.outcome)}"><title>Ending {escape(eid)}: {escape(ending.title)} ({escape(ending.outcome)})</title>'
            f'<polygon points="{hexagon}" fill="none" stroke="currentColor" stroke-width="2"/>{text}</g>'
        )
    out += labels

    # Legend: the same three line styles, with words.
    for i, (kind, (colour, dash, stroke, words)) in enumerate(STYLE.items()):
        ly = legend_y + i * LINE * 1.3
        dash_attr = f' stroke-dasharray="{dash}"' if dash else ""
        out.append(
            f'<line x1="{_f(PAD)}" y1="{_f(ly)}" x2="{_f(PAD + 40)}" y2="{_f(ly)}" stroke="{colour}" stroke-width="{stroke}"{dash_attr} marker-end="url(#{p}-arrow-{kind})"/>'
            f'<text x="{_f(PAD + 50)}" y="{_f(ly + 4)}" font-size="11">{escape(words)}</text>'
        )
    out.append(f'<text x="{_f(PAD)}" y="{_f(legend_y + 3 * LINE * 1.3 + 4)}" font-size="11">Boxes are customer turns; hexagons are endings with their outcome.</text>')
    out.append("</svg>")
    return "\n".join(out)


def paths_table(d: Dialogue, analysis: Analysis | None = None) -> str:
    """An HTML table of the scenario's size, paths, scores and endings by outcome."""
    a = analysis or analyse_paths(d)
    n_replies = sum(len(n.replies) for n in d.nodes.values())

    def count(n: int | None) -> str:
        return "unlimited (the dialogue can loop)" if n is None else str(n)

    def score(value: int | None, unbounded: bool, path: tuple) -> str:
        if unbounded:
            return "unlimited (a loop keeps changing it)"
        if value is None:
            return "none (no path ends)"
        return f"{signed(value)} (path: {', '.join(path)})" if path else signed(value)

    rows = [
        ("Customer turns", str(len(d.nodes))),
        ("Replies", str(n_replies)),
        ("Complete paths", count(a.paths) if a.complete else "unknown (too many states to explore)"),
        ("Best raw score", score(a.best, a.best_unbounded, a.best_path)),
        ("Worst raw score", score(a.worst, a.worst_unbounded, a.worst_path)),
        ("Longest path", "unlimited (the dialogue can loop)" if a.longest is None and a.complete and a.endings_reached else f"{a.longest} decisions" if a.longest is not None else "unknown"),
    ]
    out = [
        '<table class="dialogue-stats">',
        f"<caption>Paths through \u201c{escape(d.title)}\u201d</caption>",
        '<thead><tr><th scope="col">Measure</th><th scope="col">Value</th></tr></thead>',
        "<tbody>",
    ]
    out += [f'<tr><th scope="row">{escape(k)}</th><td>{escape(v)}</td></tr>' for k, v in rows]
    out.append("</tbody>")
    out.append('<tbody><tr><th scope="rowgroup" colspan="2">Endings by outcome, with the number of paths reaching each</th></tr>')
    for outcome in OUTCOME_SHORT:
        for eid, ending in d.endings.items():
            if ending.outcome == outcome:
                paths = count(a.paths_by_ending.get(eid, 0)) if a.complete else "unknown"
                label = f"{OUTCOME_SHORT[outcome]}: {ending.title} ({eid}, score {signed(ending.score)})"
                out.append(f'<tr><th scope="row">{escape(label)}</th><td>{escape(paths)}</td></tr>')
    out.append("</tbody>")
    out.append("</table>")
    return "\n".join(out)
