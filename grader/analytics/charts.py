"""The report's charts as accessible inline SVG: score histograms, item plots, the step heat map, the class's paths through a dialogue."""

from __future__ import annotations

from grader.analytics.statistics import DISCRIMINATION_LOW, FACILITY_HIGH, FACILITY_LOW
from grader.common.escape import html_id, html_text
from grader.common.svg import coord as _f
from grader.common.svg import forward, svg_open, swing_below
from grader.common.text import OUTCOME_SHORT, pct, shorten
from grader.dialogue.layout import depths

_e = html_text


INK, MUTED, BLUE, ORANGE, RED, GREY = "#1a1a1a", "#4d4d4d", "#1f5fa8", "#a04b00", "#a5161f", "#6b6b6b"
STATUS_FILL = {"mastered": "#0b4f8a", "developing": "#a9cde6", "weak": "#f6c99b", "no evidence": "#ffffff"}
STATUS_TEXT = {"mastered": "#ffffff", "developing": INK, "weak": INK, "no evidence": MUTED}


def _svg_open(ident: str, width: float, height: float, title: str, desc: str) -> str:
    """An accessible chart's opening: `ident` comes from html_id, whose ids never end in `_t` or `_d`."""
    after = f' width="{_f(width)}" height="{_f(height)}" font-family="system-ui, -apple-system, Segoe UI, Roboto, Arial, sans-serif" font-size="12" fill="{INK}"'
    return "".join(svg_open(f"{ident}_t", f"{ident}_d", width, height, title, desc, after=after))


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
    out = [
        _svg_open(
            ident,
            width,
            height,
            f"Score distribution for {quiz['title']}",
            f"Learners per band of the score as a share of the maximum. {summary}.",
        )
    ]
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
            out.append(
                f'<rect x="{_f(x)}" y="{_f(y)}" width="{_f(step - 8)}" height="{_f(h)}" fill="{BLUE}"><title>{_e(band["label"])}: {band["count"]} learner(s)</title></rect>'
            )
            out.append(f'<text x="{_f(x + (step - 8) / 2)}" y="{_f(y - 5)}" text-anchor="middle">{band["count"]}</text>')
        out.append(
            f'<text x="{_f(x + (step - 8) / 2)}" y="{_f(top + plot_h + 16)}" text-anchor="middle" font-size="11">{_e(band["label"])}</text>'
        )
    out.append(f'<line x1="{left}" x2="{_f(left + plot_w)}" y1="{_f(top + plot_h)}" y2="{_f(top + plot_h)}" stroke="{INK}"/>')
    out.append(f'<text x="{_f(left + plot_w / 2)}" y="{height - 6}" text-anchor="middle">score, share of the maximum</text>')
    out.append(
        f'<text x="12" y="{_f(top + plot_h / 2)}" text-anchor="middle" transform="rotate(-90 12 {_f(top + plot_h / 2)})">learners</text>'
    )
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
    words = "; ".join(
        f"{q['id']}: facility {pct(q['facility'], 0)}, discrimination {pct(q['discrimination'], 0)}{' (flagged)' if q['flags'] else ''}"
        for q in placed
    )
    if left_out:
        words += f". Not placed, because every learner scored the same on them: {', '.join(left_out)}"
    out = [_svg_open(ident, width, height, f"Facility and discrimination of each question in {quiz['title']}", words + ".")]
    # Shaded zones where questions get flagged.
    for lo, hi in ((0, FACILITY_LOW), (FACILITY_HIGH, 1)):
        out.append(f'<rect x="{_f(x_of(lo))}" y="{top}" width="{_f(x_of(hi) - x_of(lo))}" height="{ph}" fill="#f1f1f1"/>')
    out.append(
        f'<rect x="{left}" y="{_f(y_of(DISCRIMINATION_LOW))}" width="{pw}" height="{_f(y_of(-1) - y_of(DISCRIMINATION_LOW))}" fill="#fbeee2" fill-opacity="0.8"/>'
    )
    for f in (0, 0.25, 0.5, 0.75, 1):
        out.append(f'<line x1="{_f(x_of(f))}" x2="{_f(x_of(f))}" y1="{top}" y2="{top + ph}" stroke="#d0d0d0"/>')
        out.append(f'<text x="{_f(x_of(f))}" y="{top + ph + 16}" text-anchor="middle">{int(f * 100)}%</text>')
    for d in (-1, -0.5, 0, 0.5, 1):
        out.append(
            f'<line x1="{left}" x2="{left + pw}" y1="{_f(y_of(d))}" y2="{_f(y_of(d))}" stroke="{INK if d == 0 else "#d0d0d0"}"/>'
        )
        out.append(f'<text x="{left - 6}" y="{_f(y_of(d) + 4)}" text-anchor="end">{int(d * 100)}%</text>')
    out.append(
        f'<line x1="{left}" x2="{left + pw}" y1="{_f(y_of(DISCRIMINATION_LOW))}" y2="{_f(y_of(DISCRIMINATION_LOW))}" stroke="{ORANGE}" stroke-dasharray="6 4"/>'
    )
    out.append(
        f'<text x="{left + pw - 4}" y="{_f(y_of(DISCRIMINATION_LOW) + 14)}" text-anchor="end" font-size="11" fill="{ORANGE}">below: weak discrimination</text>'
    )
    out.append(f'<rect x="{left}" y="{top}" width="{pw}" height="{ph}" fill="none" stroke="{INK}"/>')
    spots: dict[tuple, list[dict]] = {}
    for q in placed:
        x, y = x_of(q["facility"]), y_of(max(-1, min(1, q["discrimination"])))
        tip = f"{q['id']}: facility {pct(q['facility'])}, discrimination {pct(q['discrimination'])}"
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
        named = ", ".join(g["id"] for g in group)
        out.append(
            f'<text x="{_f(x + dx)}" y="{_f(y + 4)}" text-anchor="{anchor}" font-size="11"><title>{_e(named)}</title>{_e(shorten(named, 24))}</text>'
        )
    out.append(
        f'<text x="{_f(left + pw / 2)}" y="{height - 8}" text-anchor="middle">facility: share of the points the class earned</text>'
    )
    cy = top + ph / 2
    out.append(f'<text x="14" y="{_f(cy)}" text-anchor="middle" transform="rotate(-90 14 {_f(cy)})">discrimination index</text>')
    out.append("</svg>")
    return "".join(out)


# Characters of a learner id that fit above a heat-map column (96 px, rotated 55 degrees, 11 px type).
LABEL_CHARS = 14


def heat_map(steps: dict) -> str:
    """Model steps down, the class and each learner across, each cell coloured by status and labelled with its share."""
    rows = steps["steps"]
    learners = steps["learners"]
    label_w, cell_w, cell_h, head_h = 250, 44, 24, 96
    width = label_w + cell_w * (len(learners) + 1) + 16
    height = head_h + cell_h * len(rows) + 64
    counts = ", ".join(f"{r['title']}: class {pct(r['mean'], 0)} ({r['status']})" for r in rows)
    out = [
        _svg_open(
            "heat",
            width,
            height,
            "Mastery of each model step, for the class and each learner",
            f"Rows are model steps, the first column is the class average and the others are learners. {counts}.",
        )
    ]
    columns = [("class", "Class", None)] + [(lr["id"], lr["id"], lr) for lr in learners]
    for c, (_, label, _) in enumerate(columns):
        x = label_w + c * cell_w + cell_w / 2
        weight = ' font-weight="bold"' if c == 0 else ""
        # A long id is cut with an ellipsis so it fits above its column; the full id is its <title> and in the table below.
        out.append(
            f'<text x="{_f(x)}" y="{head_h - 8}" transform="rotate(-55 {_f(x)} {head_h - 8})" font-size="11"{weight}>'
            f"<title>{_e(label)}</title>{_e(shorten(label, LABEL_CHARS))}</text>"
        )
    for r, row in enumerate(rows):
        y = head_h + r * cell_h
        out.append(
            f'<text x="{label_w - 8}" y="{_f(y + cell_h / 2 + 4)}" text-anchor="end" font-size="11"><title>{_e(row["title"])} ({_e(row["step"])})</title>'
            f"{_e(shorten(row['title'], 30))} ({_e(shorten(row['step'].split('.')[0], 10))})</text>"
        )
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
                f"<title>{_e(row['title'])}, {_e(label)}: {_e(pct(value, 0))} ({status})</title></rect>"
                f'<text x="{_f(x + cell_w / 2)}" y="{_f(y + cell_h / 2 + 4)}" text-anchor="middle" font-size="11" fill="{STATUS_TEXT[status]}">{text}</text>'
            )
    ly = head_h + cell_h * len(rows) + 22
    x = 8
    for status, words in (
        ("mastered", f"mastered ({pct(steps['mastered_at'], 0)} or more)"),
        ("developing", "developing"),
        ("weak", f"weak (below {pct(steps['weak_below'], 0)})"),
        ("no evidence", "no evidence"),
    ):
        out.append(
            f'<rect x="{x}" y="{ly - 11}" width="16" height="14" fill="{STATUS_FILL[status]}" stroke="#8c8c8c"/><text x="{x + 22}" y="{ly}">{_e(words)}</text>'
        )
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
            labels.append(
                f'<text x="{_f(x + 8)}" y="{_f(y1 + 4)}" font-size="11">{_e(reply.id)}: {sum(c for _, c in targets)}</text>'
            )
            for target, count in targets:
                spot = pos.get(target) or pos.get((band_of[node.id], target))
                if spot is None:
                    continue
                tx, ty, th = spot
                x2, y2 = tx, ty + th / 2
                ahead = target in scenario.endings or (band_of[target] == band_of[node.id] and layer[target] > layer[node.id])
                if ahead:
                    d = forward(x1, y1, x2, y2, gap=3)
                elif band_of[target] > band_of[node.id]:
                    # Into a later band: right into the gap between columns, down to the gap above the
                    # target's band, along it, then down the margin and into the target's left side.
                    lane = band_tops[band_of[target]] - band_gap / 2
                    right, left = x1 + 22, tx - 14
                    d = (
                        f"M{_f(x1)},{_f(y1)} L{_f(right - 8)},{_f(y1)} Q{_f(right)},{_f(y1)} {_f(right)},{_f(y1 + 8)} L{_f(right)},{_f(lane - 8)} "
                        f"Q{_f(right)},{_f(lane)} {_f(right - 8)},{_f(lane)} L{_f(left + 8)},{_f(lane)} Q{_f(left)},{_f(lane)} {_f(left)},{_f(lane + 8)} "
                        f"L{_f(left)},{_f(y2 - 8)} Q{_f(left)},{_f(y2)} {_f(left + 8)},{_f(y2)} L{_f(x2 - 3)},{_f(y2)}"
                    )
                else:  # back to an earlier turn: swing below both boxes
                    d = swing_below(x1, y1, x2, y2, low=max(y + h, ty + th) + gap_y, reach=80, gap=3)
                lost = target in scenario.endings and scenario.endings[target].outcome == "lost"
                if count:
                    colour, dash = (RED, ' stroke-dasharray="7 3"') if lost else (BLUE, "")
                    stroke = 1.5 + 12 * count / biggest
                else:
                    colour, dash, stroke = GREY, ' stroke-dasharray="3 4"', 1
                tip = f"{reply.id} from {node.id} to {target}: {count} play(s)"
                lines.append(
                    f'<path d="{d}" fill="none" stroke="{colour}" stroke-width="{_f(stroke)}" stroke-opacity="0.85"{dash}><title>{_e(tip)}</title></path>'
                )
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
                f"<g><title>Ending {_e(eid)}: {_e(ending.title)} ({_e(ending.outcome)})</title>"
                f'<rect x="{_f(x)}" y="{_f(y)}" width="{end_w}" height="{h}" rx="16" fill="{"#fbe9ea" if lost else "#ffffff"}" stroke="{RED if lost else INK}" stroke-width="1.8"/>'
                f'<text x="{_f(x + 10)}" y="{_f(y + 18)}" font-weight="bold">{_e(shorten(ending.title, 27))}</text>'
                f'<text x="{_f(x + 10)}" y="{_f(y + 33)}" font-size="11">{_e(OUTCOME_SHORT.get(ending.outcome, ending.outcome))}</text>'
                f'<text x="{_f(x + 10)}" y="{_f(y + 48)}" font-size="11">{count} play(s) end here</text></g>'
            )
    out += labels
    out.append(
        f'<line x1="{pad}" x2="{pad + 40}" y1="{_f(legend_y)}" y2="{_f(legend_y)}" stroke="{BLUE}" stroke-width="6"/><text x="{pad + 48}" y="{_f(legend_y + 4)}">taken: thicker means more plays</text>'
    )
    out.append(
        f'<line x1="{pad + 320}" x2="{pad + 360}" y1="{_f(legend_y)}" y2="{_f(legend_y)}" stroke="{RED}" stroke-width="6" stroke-dasharray="7 3"/><text x="{pad + 368}" y="{_f(legend_y + 4)}">into an ending where the customer is lost</text>'
    )
    out.append(
        f'<line x1="{pad}" x2="{pad + 40}" y1="{_f(legend_y + 22)}" y2="{_f(legend_y + 22)}" stroke="{GREY}" stroke-dasharray="3 4"/><text x="{pad + 48}" y="{_f(legend_y + 26)}">never taken</text>'
    )
    out.append(f'<text x="{pad + 320}" y="{_f(legend_y + 26)}">“r1: 7” = reply r1, taken 7 times</text>')
    out.append("</svg>")
    return "".join(out)
