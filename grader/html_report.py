"""The class report: one self-contained HTML page (inline CSS and SVG, no script, no request) built from `grader stats` output.

Every chart is an inline SVG with a title and description, followed by a table of the
same numbers, so the page reads the same to a screen reader, on paper and on screen.
"""

from __future__ import annotations

from grader import stats
from grader.dialogue import depths
from grader.escape import html_id, html_text
from grader.labels import coord as _f
from grader.labels import shorten

INK, MUTED, BLUE, ORANGE, RED, GREY = "#1a1a1a", "#4d4d4d", "#1f5fa8", "#a04b00", "#a5161f", "#6b6b6b"
# How `grader report` recognises a report it wrote earlier, and may overwrite it.
GENERATOR = '<meta name="generator" content="grader report">'
STATUS_FILL = {"mastered": "#0b4f8a", "developing": "#a9cde6", "weak": "#f6c99b", "no evidence": "#ffffff"}
STATUS_TEXT = {"mastered": "#ffffff", "developing": INK, "weak": INK, "no evidence": MUTED}

CSS = """
:root { color-scheme: light; }
* { box-sizing: border-box; }
body { margin: 0; font: 16px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif; color: #1a1a1a; background: #fff; }
.skip { position: absolute; left: -999px; top: 0; background: #fff; color: #0b4f8a; padding: .5rem 1rem; }
.skip:focus { left: 1rem; z-index: 2; }
header, main, footer, nav { max-width: 72rem; margin: 0 auto; padding: 0 1.25rem; }
header { padding-top: 1.5rem; }
h1 { font-size: 1.9rem; margin: 0 0 .25rem; }
h2 { font-size: 1.45rem; margin: 2.5rem 0 .75rem; padding-top: .5rem; border-top: 3px solid #0b4f8a; }
h3 { font-size: 1.15rem; margin: 1.75rem 0 .5rem; }
h4 { font-size: 1rem; margin: 1.25rem 0 .25rem; }
p, li { max-width: 48rem; }
.meta { color: #4d4d4d; margin: .25rem 0; }
a { color: #0b4f8a; }
a:focus-visible, [tabindex]:focus-visible { outline: 3px solid #a04b00; outline-offset: 2px; }
nav ul { columns: 2 16rem; padding-left: 1.25rem; }
table { border-collapse: collapse; margin: .5rem 0 1.25rem; font-size: .92rem; min-width: 22rem; }
caption { text-align: left; font-weight: 600; padding: .25rem 0 .4rem; }
th, td { border: 1px solid #b3b3b3; padding: .3rem .55rem; text-align: left; vertical-align: top; }
thead th { background: #e8eef5; }
tbody th { background: #f5f7fa; font-weight: 600; }
td.n, th.n { text-align: right; font-variant-numeric: tabular-nums; }
.scroll { overflow-x: auto; max-width: 100%; }
figure { margin: 1rem 0 .5rem; }
figcaption { color: #4d4d4d; font-size: .92rem; margin-top: .25rem; max-width: 48rem; }
svg { max-width: 100%; height: auto; display: block; }
.flag { color: #8a3f00; font-weight: 600; }
.ok { color: #1d5c2e; }
.cards { display: flex; flex-wrap: wrap; gap: .75rem; padding: 0; list-style: none; }
.cards li { border: 1px solid #b3b3b3; border-radius: 6px; padding: .5rem .8rem; min-width: 9rem; }
.cards b { display: block; font-size: 1.3rem; }
footer { color: #4d4d4d; font-size: .9rem; padding-bottom: 2rem; margin-top: 3rem; border-top: 1px solid #b3b3b3; }
@media print {
  @page { margin: 14mm; }
  body { font-size: 10pt; }
  .skip, nav { display: none; }
  header, main, footer { max-width: none; padding: 0; }
  h2 { break-before: page; border-top: none; }
  section:first-of-type > h2 { break-before: auto; }
  h2, h3, h4, caption { break-after: avoid; }
  figure, tr, .cards li { break-inside: avoid; }
  .scroll { overflow: visible; }
  table { font-size: 8.5pt; }
  a { color: inherit; text-decoration: none; }
}
"""


_e = html_text


def _code(text: str) -> str:
    """Escape text, showing `quoted` parts as code."""
    parts = _e(text).split("`")
    return "".join(f"<code>{p}</code>" if i % 2 else p for i, p in enumerate(parts))


def _table(caption: str, header: list[str], rows: list[list], *, numeric: set[int] = frozenset(), row_header: bool = True, cls: str = "", scroll: bool = False) -> str:
    """An accessible data table: caption, column headers, and the first cell of each row as its header."""
    num_class = ' class="n"'
    head = "".join(f'<th scope="col"{num_class if i in numeric else ""}>{_e(h)}</th>' for i, h in enumerate(header))
    body = []
    for row in rows:
        cells = []
        for i, cell in enumerate(row):
            html_cell = cell if isinstance(cell, Raw) else _e(cell)
            if i == 0 and row_header:
                cells.append(f'<th scope="row">{html_cell}</th>')
            else:
                cells.append(f'<td{num_class if i in numeric else ""}>{html_cell}</td>')
        body.append("<tr>" + "".join(cells) + "</tr>")
    klass = f' class="{cls}"' if cls else ""
    table = f"<table{klass}><caption>{_e(caption)}</caption><thead><tr>{head}</tr></thead><tbody>{''.join(body)}</tbody></table>"
    if scroll:
        return f'<div class="scroll" role="region" tabindex="0" aria-label="{_e(caption)} (scrolls sideways)">{table}</div>'
    return table


class Raw(str):
    """HTML already escaped, to place in a table cell as is."""


def _svg_open(ident: str, width: float, height: float, title: str, desc: str) -> str:
    """An accessible chart's opening: `ident` comes from html_id, whose ids never end in `_t` or `_d`."""
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" role="img" aria-labelledby="{ident}_t {ident}_d" viewBox="0 0 {_f(width)} {_f(height)}" '
        f'width="{_f(width)}" height="{_f(height)}" font-family="system-ui, -apple-system, Segoe UI, Roboto, Arial, sans-serif" font-size="12" fill="{INK}">'
        f'<title id="{ident}_t">{_e(title)}</title><desc id="{ident}_d">{_e(desc)}</desc>'
    )


# ---------------------------------------------------------------- charts


def histogram(quiz: dict) -> str:
    """Bars of learners per 10% band of the quiz score."""
    bands = quiz["distribution"]
    width, height, left, bottom, top = 640, 270, 48, 46, 22
    plot_w, plot_h = width - left - 12, height - top - bottom
    biggest = max((b["count"] for b in bands), default=0)
    ceiling = max(biggest, 1)
    step = plot_w / len(bands)
    ident = html_id("hist", quiz["id"])
    summary = "; ".join(f"{b['label']}: {b['count']}" for b in bands)
    out = [_svg_open(ident, width, height, f"Score distribution for {quiz['title']}", f"Learners per band of the score as a share of the maximum. {summary}.")]
    ticks = sorted({0, ceiling} | ({round(ceiling / 2)} if ceiling > 2 else set()))
    for t in ticks:
        y = top + plot_h - plot_h * t / ceiling
        out.append(f'<line x1="{left}" x2="{_f(left + plot_w)}" y1="{_f(y)}" y2="{_f(y)}" stroke="#c4c4c4"/>')
        out.append(f'<text x="{left - 6}" y="{_f(y + 4)}" text-anchor="end">{t}</text>')
    for i, band in enumerate(bands):
        x = left + i * step + 4
        h = plot_h * band["count"] / ceiling
        y = top + plot_h - h
        if band["count"]:
            out.append(f'<rect x="{_f(x)}" y="{_f(y)}" width="{_f(step - 8)}" height="{_f(h)}" fill="{BLUE}"><title>{_e(band["label"])}: {band["count"]} learner(s)</title></rect>')
            out.append(f'<text x="{_f(x + (step - 8) / 2)}" y="{_f(y - 5)}" text-anchor="middle">{band["count"]}</text>')
        out.append(f'<text x="{_f(x + (step - 8) / 2)}" y="{_f(top + plot_h + 16)}" text-anchor="middle" font-size="11">{_e(band["label"])}</text>')
    out.append(f'<line x1="{left}" x2="{_f(left + plot_w)}" y1="{_f(top + plot_h)}" y2="{_f(top + plot_h)}" stroke="{INK}"/>')
    out.append(f'<text x="{_f(left + plot_w / 2)}" y="{height - 6}" text-anchor="middle">score, share of the maximum</text>')
    out.append(f'<text x="12" y="{_f(top + plot_h / 2)}" text-anchor="middle" transform="rotate(-90 12 {_f(top + plot_h / 2)})">learners</text>')
    out.append("</svg>")
    return "".join(out)


def item_plot(quiz: dict) -> str:
    """Each question placed by facility (across) and discrimination (up), flagged ones as orange diamonds."""
    width, height, left, right, top, bottom = 640, 400, 58, 20, 20, 50
    pw, ph = width - left - right, height - top - bottom
    ident = html_id("items", quiz["id"])

    def x_of(f: float) -> float:
        return left + pw * f

    def y_of(d: float) -> float:
        return top + ph * (1 - (d + 1) / 2)

    placed = [q for q in quiz["questions"] if q["facility"] is not None and q["discrimination"] is not None]
    left_out = [q["id"] for q in quiz["questions"] if q not in placed]
    words = "; ".join(f"{q['id']}: facility {stats.pct(q['facility'], 0)}, discrimination {stats.pct(q['discrimination'], 0)}{' (flagged)' if q['flags'] else ''}" for q in placed)
    if left_out:
        words += f". Not placed, because every learner scored the same on them: {', '.join(left_out)}"
    out = [_svg_open(ident, width, height, f"Facility and discrimination of each question in {quiz['title']}", words + ".")]
    # Shaded zones where questions get flagged.
    for lo, hi in ((0, stats.FACILITY_LOW), (stats.FACILITY_HIGH, 1)):
        out.append(f'<rect x="{_f(x_of(lo))}" y="{top}" width="{_f(x_of(hi) - x_of(lo))}" height="{ph}" fill="#f1f1f1"/>')
    out.append(f'<rect x="{left}" y="{_f(y_of(stats.DISCRIMINATION_LOW))}" width="{pw}" height="{_f(y_of(-1) - y_of(stats.DISCRIMINATION_LOW))}" fill="#fbeee2" fill-opacity="0.8"/>')
    for f in (0, 0.25, 0.5, 0.75, 1):
        out.append(f'<line x1="{_f(x_of(f))}" x2="{_f(x_of(f))}" y1="{top}" y2="{top + ph}" stroke="#d0d0d0"/>')
        out.append(f'<text x="{_f(x_of(f))}" y="{top + ph + 16}" text-anchor="middle">{int(f * 100)}%</text>')
    for d in (-1, -0.5, 0, 0.5, 1):
        out.append(f'<line x1="{left}" x2="{left + pw}" y1="{_f(y_of(d))}" y2="{_f(y_of(d))}" stroke="{INK if d == 0 else "#d0d0d0"}"/>')
        out.append(f'<text x="{left - 6}" y="{_f(y_of(d) + 4)}" text-anchor="end">{int(d * 100)}%</text>')
    out.append(f'<line x1="{left}" x2="{left + pw}" y1="{_f(y_of(stats.DISCRIMINATION_LOW))}" y2="{_f(y_of(stats.DISCRIMINATION_LOW))}" stroke="{ORANGE}" stroke-dasharray="6 4"/>')
    out.append(f'<text x="{left + pw - 4}" y="{_f(y_of(stats.DISCRIMINATION_LOW) + 14)}" text-anchor="end" font-size="11" fill="{ORANGE}">below: weak discrimination</text>')
    out.append(f'<rect x="{left}" y="{top}" width="{pw}" height="{ph}" fill="none" stroke="{INK}"/>')
    spots: dict[tuple, list[str]] = {}
    for q in placed:
        x, y = x_of(q["facility"]), y_of(max(-1, min(1, q["discrimination"])))
        tip = f"{q['id']}: facility {stats.pct(q['facility'])}, discrimination {stats.pct(q['discrimination'])}"
        if q["flags"]:
            shape = f'<path d="M{_f(x)},{_f(y - 7)} L{_f(x + 7)},{_f(y)} L{_f(x)},{_f(y + 7)} L{_f(x - 7)},{_f(y)} Z" fill="{ORANGE}">'
        else:
            shape = f'<circle cx="{_f(x)}" cy="{_f(y)}" r="5.5" fill="{BLUE}">'
        out.append(f"{shape}<title>{_e(tip)}</title>{'</path>' if q['flags'] else '</circle>'}")
        # Questions at the same spot share one label instead of printing over each other.
        spots.setdefault((round(x / 4), round(y / 4)), []).append(q)
    for group in spots.values():
        q = group[0]
        x, y = x_of(q["facility"]), y_of(max(-1, min(1, q["discrimination"])))
        anchor, dx = ("end", -9) if q["facility"] > 0.85 else ("start", 9)
        out.append(f'<text x="{_f(x + dx)}" y="{_f(y + 4)}" text-anchor="{anchor}" font-size="11">{_e(", ".join(g["id"] for g in group))}</text>')
    out.append(f'<text x="{_f(left + pw / 2)}" y="{height - 8}" text-anchor="middle">facility: share of the points the class earned</text>')
    cy = top + ph / 2
    out.append(f'<text x="14" y="{_f(cy)}" text-anchor="middle" transform="rotate(-90 14 {_f(cy)})">discrimination index</text>')
    out.append("</svg>")
    return "".join(out)


def heat_map(steps: dict) -> str:
    """Model steps down, the class and each learner across, each cell coloured by status and labelled with its share."""
    rows = steps["steps"]
    learners = steps["learners"]
    label_w, cell_w, cell_h, head_h = 250, 44, 24, 96
    width = label_w + cell_w * (len(learners) + 1) + 16
    height = head_h + cell_h * len(rows) + 64
    counts = ", ".join(f"{r['title']}: class {stats.pct(r['mean'], 0)} ({r['status']})" for r in rows)
    out = [_svg_open("heat", width, height, "Mastery of each model step, for the class and each learner",
                     f"Rows are model steps, the first column is the class average and the others are learners. {counts}.")]
    columns = [("class", "Class", None)] + [(lr["id"], lr["id"], lr) for lr in learners]
    for c, (_, label, _) in enumerate(columns):
        x = label_w + c * cell_w + cell_w / 2
        weight = ' font-weight="bold"' if c == 0 else ""
        out.append(f'<text x="{_f(x)}" y="{head_h - 8}" transform="rotate(-55 {_f(x)} {head_h - 8})" font-size="11"{weight}>{_e(label)}</text>')
    for r, row in enumerate(rows):
        y = head_h + r * cell_h
        out.append(f'<text x="{label_w - 8}" y="{_f(y + cell_h / 2 + 4)}" text-anchor="end" font-size="11">{_e(shorten(row["title"], 30))} ({_e(row["step"].split(".")[0])})</text>')
        for c, (_, label, learner) in enumerate(columns):
            if learner is None:
                value, status = row["mean"], row["status"]
            else:
                cell = learner["steps"].get(row["step"])
                value, status = (cell["share"], cell["status"]) if cell else (None, "no evidence")
            x = label_w + c * cell_w
            text = "–" if value is None else f"{round(100 * value)}"
            out.append(
                f'<rect x="{_f(x + 1)}" y="{_f(y + 1)}" width="{cell_w - 2}" height="{cell_h - 2}" fill="{STATUS_FILL[status]}" stroke="#8c8c8c" stroke-width="0.6">'
                f'<title>{_e(row["title"])}, {_e(label)}: {_e(stats.pct(value, 0))} ({status})</title></rect>'
                f'<text x="{_f(x + cell_w / 2)}" y="{_f(y + cell_h / 2 + 4)}" text-anchor="middle" font-size="11" fill="{STATUS_TEXT[status]}">{text}</text>'
            )
    ly = head_h + cell_h * len(rows) + 22
    x = 8
    for status, words in (("mastered", f"mastered ({stats.pct(steps['mastered_at'], 0)} or more)"), ("developing", "developing"), ("weak", f"weak (below {stats.pct(steps['weak_below'], 0)})"), ("no evidence", "no evidence")):
        out.append(f'<rect x="{x}" y="{ly - 11}" width="16" height="14" fill="{STATUS_FILL[status]}" stroke="#8c8c8c"/><text x="{x + 22}" y="{ly}">{_e(words)}</text>')
        x += 26 + 7.2 * len(words)
    out.append(f'<text x="8" y="{ly + 24}" fill="{MUTED}">Numbers are the share of the evidence earned, in percent.</text>')
    out.append("</svg>")
    return "".join(out)


PER_BAND = 3


def flow(dlg: dict, scenario) -> str:
    """The scenario map with the class's paths over it: each reply drawn as thick as the plays that took it.

    Turns flow left to right, three columns to a band and bands top to bottom, so a long
    scenario stays readable; each band ends in a column with the endings reached from it.
    """
    layer = depths(scenario)
    band_of = {nid: d // PER_BAND for nid, d in layer.items()}
    bands = max(band_of.values()) + 1
    counted = {(e["from"], e["reply"], e["to"]): e["count"] for e in dlg["edges"]}
    # Endings shown in each band: those its replies lead to, or a rule ended a play at.
    band_endings: list[dict[str, int]] = [{} for _ in range(bands)]
    for node in scenario.nodes.values():
        for reply in node.replies:
            if reply.next in scenario.endings:
                band_endings[band_of[node.id]].setdefault(reply.next, 0)
    for (src, _, target), count in counted.items():
        if target in scenario.endings and src in band_of:
            band_endings[band_of[src]][target] = band_endings[band_of[src]].get(target, 0) + count
    shown = {e for b in band_endings for e in b}
    for eid in scenario.endings:
        if eid not in shown:
            band_endings[-1][eid] = 0
    for b in range(bands):
        band_endings[b] = {e: band_endings[b][e] for e in scenario.endings if e in band_endings[b]}

    box_w, end_w, gap_x, gap_y, band_gap, pad, port, end_h = 170, 210, 110, 20, 56, 26, 18, 58
    heights = {nid: 40 + port * len(node.replies) for nid, node in scenario.nodes.items()}
    pos: dict = {}
    top = pad + 8
    band_tops = []
    for b in range(bands):
        columns = [[nid for nid in layer if band_of[nid] == b and layer[nid] % PER_BAND == c] for c in range(PER_BAND)]
        col_h = [sum(heights[k] for k in col) + gap_y * max(len(col) - 1, 0) for col in columns]
        col_h.append(len(band_endings[b]) * end_h + gap_y * max(len(band_endings[b]) - 1, 0))
        tallest = max(col_h)
        band_tops.append(top)
        for c, col in enumerate(columns):
            y = top + (tallest - col_h[c]) / 2
            for k in col:
                pos[k] = (pad + c * (box_w + gap_x), y, heights[k])
                y += heights[k] + gap_y
        y = top + (tallest - col_h[-1]) / 2
        for eid in band_endings[b]:
            pos[(b, eid)] = (pad + PER_BAND * (box_w + gap_x), y, end_h)
            y += end_h + gap_y
        top += tallest + band_gap
    width = pad * 2 + PER_BAND * box_w + end_w + PER_BAND * gap_x
    legend_y = top + 4
    height = legend_y + 52
    biggest = max(counted.values(), default=1) or 1
    visits = {n["id"]: n["visits"] for n in dlg["nodes"]}
    ident = html_id("flow", dlg["id"])
    common = dlg["most_common_path"]
    desc = (
        f"{dlg['plays']} plays. Customer turns are boxes that flow left to right, three columns to a band, bands from top to bottom; "
        "each band ends with a column of the endings reached from it and how many plays ended there. "
        "A reply's line is as thick as the number of plays that took it; replies nobody took are thin grey dashes; lines into an ending where the customer is lost are dark red and dashed."
        + (f" Most common path: {' then '.join(common['path'])}, {common['count']} plays." if common else "")
    )
    out = [_svg_open(ident, width, height, f"Paths the class took through {dlg['title']}", desc)]
    for b in range(1, bands):
        y = band_tops[b] - band_gap / 2
        out.append(f'<line x1="{pad}" x2="{_f(width - pad)}" y1="{_f(y)}" y2="{_f(y)}" stroke="#c4c4c4" stroke-dasharray="2 4"/>')
    lines, labels = [], []
    for node in scenario.nodes.values():
        x, y, h = pos[node.id]
        for i, reply in enumerate(node.replies):
            x1, y1 = x + box_w, y + 40 + port * i + port / 2 - 4
            targets = [(t, c) for (f, r, t), c in counted.items() if f == node.id and r == reply.id] or [(reply.next, 0)]
            labels.append(f'<text x="{_f(x + 8)}" y="{_f(y1 + 4)}" font-size="11">{_e(reply.id)}: {sum(c for _, c in targets)}</text>')
            for target, count in targets:
                spot = pos.get(target) or pos.get((band_of[node.id], target))
                if spot is None:
                    continue
                tx, ty, th = spot
                x2, y2 = tx, ty + th / 2
                forward = target in scenario.endings or (band_of[target] == band_of[node.id] and layer[target] > layer[node.id])
                if forward:
                    bend = max((x2 - x1) / 2, 30)
                    d = f"M{_f(x1)},{_f(y1)} C{_f(x1 + bend)},{_f(y1)} {_f(x2 - bend)},{_f(y2)} {_f(x2 - 3)},{_f(y2)}"
                elif band_of[target] > band_of[node.id]:
                    # Into a later band: right into the gap between columns, down to the gap above the
                    # target's band, along it, then down the margin and into the target's left side.
                    lane = band_tops[band_of[target]] - band_gap / 2
                    right, left = x1 + 22, tx - 14
                    d = (f"M{_f(x1)},{_f(y1)} L{_f(right - 8)},{_f(y1)} Q{_f(right)},{_f(y1)} {_f(right)},{_f(y1 + 8)} L{_f(right)},{_f(lane - 8)} "
                         f"Q{_f(right)},{_f(lane)} {_f(right - 8)},{_f(lane)} L{_f(left + 8)},{_f(lane)} Q{_f(left)},{_f(lane)} {_f(left)},{_f(lane + 8)} "
                         f"L{_f(left)},{_f(y2 - 8)} Q{_f(left)},{_f(y2)} {_f(left + 8)},{_f(y2)} L{_f(x2 - 3)},{_f(y2)}")
                else:  # back to an earlier turn: swing below both boxes
                    low = max(y + h, ty + th) + gap_y
                    d = f"M{_f(x1)},{_f(y1)} C{_f(x1 + 80)},{_f(low + 30)} {_f(x2 - 80)},{_f(low + 30)} {_f(x2 - 3)},{_f(y2)}"
                lost = target in scenario.endings and scenario.endings[target].outcome == "lost"
                if count:
                    colour, dash = (RED, ' stroke-dasharray="7 3"') if lost else (BLUE, "")
                    stroke = 1.5 + 12 * count / biggest
                else:
                    colour, dash, stroke = GREY, ' stroke-dasharray="3 4"', 1
                tip = f"{reply.id} from {node.id} to {target}: {count} play(s)"
                lines.append(f'<path d="{d}" fill="none" stroke="{colour}" stroke-width="{_f(stroke)}" stroke-opacity="0.85"{dash}><title>{_e(tip)}</title></path>')
    out += lines
    for nid, node in scenario.nodes.items():
        x, y, h = pos[nid]
        start = " (start)" if nid == scenario.start else ""
        out.append(
            f'<g><title>{_e(nid)}: {_e(node.say)}</title><rect x="{_f(x)}" y="{_f(y)}" width="{box_w}" height="{h}" rx="6" fill="#ffffff" stroke="{INK}" stroke-width="{1.8 if start else 1.1}"/>'
            f'<text x="{_f(x + 8)}" y="{_f(y + 16)}" font-weight="bold">{_e(shorten(nid, 20))}{start}</text>'
            f'<text x="{_f(x + 8)}" y="{_f(y + 31)}" font-size="11" fill="{MUTED}">{visits.get(nid, 0)} visit(s)</text></g>'
        )
    for b, ends in enumerate(band_endings):
        for eid, count in ends.items():
            ending = scenario.endings[eid]
            x, y, h = pos[(b, eid)]
            lost = ending.outcome == "lost"
            out.append(
                f'<g><title>Ending {_e(eid)}: {_e(ending.title)} ({_e(ending.outcome)})</title>'
                f'<rect x="{_f(x)}" y="{_f(y)}" width="{end_w}" height="{h}" rx="16" fill="{"#fbe9ea" if lost else "#ffffff"}" stroke="{RED if lost else INK}" stroke-width="1.8"/>'
                f'<text x="{_f(x + 10)}" y="{_f(y + 18)}" font-weight="bold">{_e(shorten(ending.title, 27))}</text>'
                f'<text x="{_f(x + 10)}" y="{_f(y + 33)}" font-size="11">{_e(stats.OUTCOME_LABEL.get(ending.outcome, ending.outcome))}</text>'
                f'<text x="{_f(x + 10)}" y="{_f(y + 48)}" font-size="11">{count} play(s) end here</text></g>'
            )
    out += labels
    out.append(f'<line x1="{pad}" x2="{pad + 40}" y1="{_f(legend_y)}" y2="{_f(legend_y)}" stroke="{BLUE}" stroke-width="6"/><text x="{pad + 48}" y="{_f(legend_y + 4)}">taken: thicker means more plays</text>')
    out.append(f'<line x1="{pad + 320}" x2="{pad + 360}" y1="{_f(legend_y)}" y2="{_f(legend_y)}" stroke="{RED}" stroke-width="6" stroke-dasharray="7 3"/><text x="{pad + 368}" y="{_f(legend_y + 4)}">into an ending where the customer is lost</text>')
    out.append(f'<line x1="{pad}" x2="{pad + 40}" y1="{_f(legend_y + 22)}" y2="{_f(legend_y + 22)}" stroke="{GREY}" stroke-dasharray="3 4"/><text x="{pad + 48}" y="{_f(legend_y + 26)}">never taken</text>')
    out.append(f'<text x="{pad + 320}" y="{_f(legend_y + 26)}">“r1: 7” = reply r1, taken 7 times</text>')
    out.append("</svg>")
    return "".join(out)


# ---------------------------------------------------------------- sections


def _quiz_section(quiz: dict) -> str:
    pct, num = stats.pct, stats.num
    qid = quiz["id"]
    many = len(quiz["questions"]) > 1
    out = [f'<section aria-labelledby="{html_id("quiz", qid)}"><h2 id="{html_id("quiz", qid)}">{_e(quiz["title"])}</h2>']
    out.append(f'<p class="meta">Activity id <code>{_e(qid)}</code>, worth {num(quiz["max"])} points; {quiz["learners"]} learner(s).</p>')
    cards = [("Mean", f"{pct(quiz['mean_share'])}"), ("Median", pct(quiz["median_share"])), ("Standard deviation", pct(quiz["sd_share"]))]
    if many:
        cards += [(f"Consistency ({quiz['cic_method']})", pct(quiz["cic"])), ("Standard error", pct(quiz["standard_error_share"]))]
    out.append('<ul class="cards">' + "".join(f"<li>{_e(k)}<b>{_e(v)}</b></li>" for k, v in cards) + "</ul>")
    rows = [
        ["Learners", quiz["learners"], ""],
        ["Mean", num(quiz["mean"]), pct(quiz["mean_share"])],
        ["Median", num(quiz["median"]), pct(quiz["median_share"])],
        ["Standard deviation (sample)", num(quiz["sd"]), pct(quiz["sd_share"])],
        ["Skewness", num(quiz["skewness"]), ""],
        ["Kurtosis", num(quiz["kurtosis"]), ""],
    ]
    if many:
        rows += [
            [f"Coefficient of internal consistency ({quiz['cic_method']})", "", pct(quiz["cic"])],
            ["Error ratio", "", pct(quiz["error_ratio"])],
            ["Standard error", num(quiz["standard_error"]), pct(quiz["standard_error_share"])],
        ]
    out.append(_table(f"{quiz['title']}: scores and reliability", ["Measure", "Points", "Share of the maximum"], rows, numeric={1, 2}))
    out.append(f'<h3 id="{html_id("dist", qid)}">Score distribution</h3>')
    out.append(f"<figure>{histogram(quiz)}<figcaption>Learners per band of the quiz score; the table below gives the same counts.</figcaption></figure>")
    out.append(_table(f"{quiz['title']}: learners per score band", ["Score band", "Learners"], [[b["label"], b["count"]] for b in quiz["distribution"]], numeric={1}))
    if many:
        out.append(f'<h3 id="{html_id("items", qid)}">Questions</h3>')
        out.append(f"<figure>{item_plot(quiz)}<figcaption>Each question by facility (how much of it the class earned) and discrimination (how well it separates stronger from weaker learners). Grey bands: facility too high or too low; orange band: weak discrimination. Flagged questions are orange diamonds.</figcaption></figure>")
        rows = [
            [q["id"], q["type"].replace("_", " "), num(q["points"]), pct(q["facility"]), pct(q["sd_share"]), pct(q["discrimination"]), pct(q["efficiency"]),
             Raw("; ".join(f'<span class="flag">{_e(f["label"])}</span>' for f in q["flags"]) or '<span class="ok">none</span>')]
            for q in quiz["questions"]
        ]
        out.append(_table(f"{quiz['title']}: item statistics", ["Question", "Type", "Points", "Facility", "SD", "Discrimination index", "Discriminative efficiency", "Flags"], rows, numeric={2, 3, 4, 5, 6}))
    flagged = [q for q in quiz["questions"] if q["flags"]] if many else []
    if flagged:
        out.append(f'<h3 id="{html_id("flags", qid)}">Questions to look at</h3><ul>')
        for q in flagged:
            hints = "; ".join(f["text"] for f in q["flags"])
            prompt = f" <q>{_e(shorten(q['prompt'], 120))}</q>" if q["prompt"] else ""
            out.append(f"<li><strong>{_e(q['id'])}</strong>{prompt}: {_e(hints)}.</li>")
        out.append("</ul>")
    out.append(f'<h3 id="{html_id("answers", qid)}">Answers given</h3>')
    for q in quiz["questions"]:
        grouped = any(r["group"] for r in q["responses"])
        header = (["Prompt", "Choice"] if grouped else ["Answer"]) + ["Learners", "Share", "Right answer"]
        rows = []
        for r in q["responses"]:
            right = "yes" if r["correct"] else ("no" if r["correct"] is False else "")
            rows.append(([r["group"] or "(all)"] if grouped else []) + [r["answer"], r["count"], pct(r["share"], 0), right])
        prompt = shorten(q["prompt"], 100)
        caption = f"{q['id']} ({q['type'].replace('_', ' ')}){': ' + prompt if prompt else ''}"
        numeric = {2, 3} if grouped else {1, 2}
        out.append(_table(caption, header, rows, numeric=numeric))
    out.append("</section>")
    return "".join(out)


def _dialogue_section(dlg: dict, scenario) -> str:
    pct = stats.pct
    did = dlg["id"]
    out = [f'<section aria-labelledby="{html_id("dlg", did)}"><h2 id="{html_id("dlg", did)}">Dialogue: {_e(dlg["title"])}</h2>']
    bad = f" {len(dlg['invalid'])} path(s) were not valid and are left out." if dlg["invalid"] else ""
    out.append(f'<p class="meta">Scenario <code>{_e(did)}</code>: {dlg["plays"]} play(s); the customer was lost in {dlg["lost"]}.{bad}</p>')
    if scenario is not None:
        out.append(f'<figure><div class="scroll" role="region" tabindex="0" aria-label="Path flow for {_e(dlg["title"])} (scrolls sideways)">{flow(dlg, scenario)}</div>'
                   "<figcaption>The scenario map with the class's paths drawn over it. The tables below give every count.</figcaption></figure>")
    rows = []
    for node in dlg["nodes"]:
        for r in node["replies"]:
            rows.append([f"{node['id']} → {r['id']}", shorten(r["text"], 80), r["count"], pct(r["share"], 0), r["next"], ", ".join(r["mistakes"]) or "–"])
    out.append(_table(f"{dlg['title']}: replies taken at each customer turn", ["Turn → reply", "Reply", "Times taken", "Share of visits", "Leads to", "Mistakes shown"], rows, numeric={2, 3}))
    out.append(_table(f"{dlg['title']}: endings reached", ["Ending", "Outcome", "Plays", "Share"],
                      [[e["title"], stats.OUTCOME_LABEL.get(e["outcome"], e["outcome"]), e["count"], pct(e["share"], 0)] for e in dlg["endings"]], numeric={2, 3}))
    out.append(_table(f"{dlg['title']}: most common paths", ["Path", "Plays", "Share", "Ending"],
                      [[" → ".join(p["path"]), p["count"], pct(p["share"], 0), f"{p['ending']} ({p['outcome']})"] for p in dlg["paths"][:8]], numeric={1, 2}))
    if dlg["losing_replies"]:
        out.append(_table(f"{dlg['title']}: replies that most often led to losing the customer", ["Reply", "Text", "Plays that took it", "Lost", "Share lost"],
                          [[f"{r['node']} → {r['id']}", shorten(r["text"], 80), r["taken"], r["lost"], pct(r["lost_share"], 0)] for r in dlg["losing_replies"]], numeric={2, 3, 4}))
    else:
        out.append("<p>No play ended with the customer lost.</p>")
    out.append("</section>")
    return "".join(out)


def _steps_section(steps: dict) -> str:
    pct = stats.pct
    out = ['<section aria-labelledby="steps"><h2 id="steps">Model steps: what to re-teach</h2>']
    out.append(f"<p>For each step: the share of the points earned on questions tagged with it, plus one point for each dialogue whose path took a reply tagged with it "
               f"(out of one for each dialogue that offers such a reply). Mastered: {pct(steps['mastered_at'], 0)} or more; weak: below {pct(steps['weak_below'], 0)}.</p>")
    if not steps["steps"]:
        out.append("<p>No question or dialogue in these results is tagged with a model step.</p></section>")
        return "".join(out)
    out.append(f'<figure><div class="scroll" role="region" tabindex="0" aria-label="Step mastery heat map (scrolls sideways)">{heat_map(steps)}</div>'
               "<figcaption>Step mastery: one row per model step, the class first and then each learner. The two tables below hold the same numbers.</figcaption></figure>")
    rows = [[f"{s['title']} ({s['step']})", s["model"], s["learners"], pct(s["mean"]), s["status"], s["mastered"], s["developing"], s["weak"], ", ".join(s["weak_learners"]) or "–"] for s in steps["steps"]]
    out.append(_table("Class mastery per model step", ["Step", "Model", "Learners", "Class average", "Status", "Mastered", "Developing", "Weak", "Weak learners"], rows, numeric={2, 3, 5, 6, 7}))
    header = ["Learner"] + [s["step"] for s in steps["steps"]]
    rows = []
    for lr in steps["learners"]:
        who = f"{lr['id']} ({lr['name']})" if lr["name"] else lr["id"]
        cells = []
        for s in steps["steps"]:
            c = lr["steps"].get(s["step"])
            cells.append(f"{pct(c['share'], 0)} {c['status']}" if c and c["share"] is not None else "–")
        rows.append([who] + cells)
    out.append(_table("Each learner's mastery per model step", header, rows, numeric=set(range(1, len(header))), scroll=True))
    weak = [lr for lr in steps["learners"] if lr["weak"]]
    if weak:
        out.append('<h3 id="weak-learners">Learners with weak steps</h3><ul>')
        titles = {s["step"]: s["title"] for s in steps["steps"]}
        out += [f"<li><strong>{_e(lr['id'])}</strong>{(' (' + _e(lr['name']) + ')') if lr['name'] else ''}: {_e(', '.join(titles.get(s, s) for s in lr['weak']))}</li>" for lr in weak]
        out.append("</ul>")
    out.append("</section>")
    return "".join(out)


def render(result: dict, course=None) -> str:
    """The whole report as one HTML document."""
    pct = stats.pct
    src = result["source"]
    scenarios = course.dialogues if course is not None else {}
    toc = ['<li><a href="#overview">Overview</a></li>']
    toc += [f'<li><a href="#{html_id("quiz", q["id"])}">{_e(q["title"])}</a></li>' for q in result["quizzes"]]
    toc += [f'<li><a href="#{html_id("dlg", d["id"])}">Dialogue: {_e(d["title"])}</a></li>' for d in result["dialogues"]]
    toc.append('<li><a href="#steps">Model steps</a></li>')
    flagged = list(stats.iter_flags(result))
    overview = [
        [q["title"], q["learners"], pct(q["mean_share"]), pct(q["median_share"]), pct(q["sd_share"]),
         pct(q["cic"]) if len(q["questions"]) > 1 else "–", sum(1 for x in q["questions"] for _ in x["flags"]) if len(q["questions"]) > 1 else "–"]
        for q in result["quizzes"]
    ]
    parts = [
        '<!DOCTYPE html><html lang="en"><head><meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        GENERATOR,
        "<title>Class report</title>",
        f"<style>{CSS}</style></head><body>",
        '<a class="skip" href="#main">Skip to the report</a>',
        "<header><h1>Class report</h1>",
        f'<p class="meta">{result["learners"]} learner(s), {result["results"]} graded result(s); results generated {_e(result.get("generated") or "")}.</p>',
        f'<p class="meta">Counted: {_code(src.get("attempts", ""))}.</p>' if src.get("attempts") else "",
        "".join(f'<p class="meta">Note: {_e(w)}.</p>' for w in src.get("warnings", ())),
        "</header>",
        f'<nav aria-label="Contents"><h2 id="contents">Contents</h2><ul>{"".join(toc)}</ul></nav>',
        '<main id="main">',
        '<section aria-labelledby="overview"><h2 id="overview">Overview</h2>',
        _table("Every activity at a glance", ["Activity", "Learners", "Mean", "Median", "SD", "Consistency", "Flags"], overview, numeric={1, 2, 3, 4, 5, 6}),
    ]
    if flagged:
        named = dict.fromkeys(f"{q['id']} in {quiz['title']}" for quiz, q, _ in flagged)
        parts.append("<p>Questions flagged for a closer look: " + _e(", ".join(named)) + ".</p>")
    parts.append("</section>")
    parts += [_quiz_section(q) for q in result["quizzes"]]
    parts += [_dialogue_section(d, scenarios.get(d["id"])) for d in result["dialogues"]]
    parts.append(_steps_section(result["steps"]))
    parts.append("</main>")
    parts.append(
        "<footer><p>Written by <code>grader report</code>. Facility, discrimination index, discriminative efficiency and the coefficient of internal consistency follow "
        f"Moodle's quiz statistics; standard deviations are sample values (divided by n − 1). Flags: facility of {pct(stats.FACILITY_HIGH, 0)} or more, or {pct(stats.FACILITY_LOW, 0)} or less; "
        f"discrimination below {pct(stats.DISCRIMINATION_LOW, 0)}; discriminative efficiency below {pct(stats.EFFICIENCY_LOW, 0)}. The page loads nothing from the network.</p></footer>"
    )
    parts.append("</body></html>\n")
    return "\n".join(p for p in parts if p)
