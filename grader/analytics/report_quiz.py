"""The report's section for one quiz: scores with their plain readings, the questions, and every answer given (options by thirds, matching as one grid, every short text)."""

from __future__ import annotations

from grader.analytics.charts import histogram, item_plot
from grader.analytics.distractors import FLAG_TEXT
from grader.analytics.html_table import Raw, table
from grader.analytics.override_hint import accept_line
from grader.analytics.readings import (
    alpha_reading,
    coefficient,
    discrimination_reading,
    error_reading,
    facility_reading,
    skew_reading,
    spread_reading,
)
from grader.common.author_text import inline_html, plain_text
from grader.common.escape import html_id, html_text
from grader.common.text import num, pct, shorten

_e = html_text


def author_html(text: str, size: int = 160) -> Raw:
    """Author Markdown as inline HTML; when too long, its plain text shortened (never cut Markdown)."""
    flat = " ".join(str(text).split())
    if len(plain_text(flat)) <= size:
        return Raw(inline_html(flat))
    return Raw(_e(shorten(plain_text(flat), size)))


def _answer_cell(row: dict, field: str = "answer") -> Raw:
    """An answer: the course's own text rendered from Markdown, a learner's text escaped."""
    return author_html(row[field], 200) if row.get("author") else Raw(_e(row[field]))


def _caption(q: dict) -> Raw:
    prompt = author_html(q["prompt"], 100) if q["prompt"] else ""
    return Raw(f"{_e(q['id'])} ({_e(q['type'].replace('_', ' '))}){': ' + prompt if prompt else ''}")


def _verdict(correct: bool | None) -> str:
    return "right" if correct else ("wrong" if correct is False else "")


def _scores(quiz: dict, many: bool) -> str:
    rows = [
        ["Learners", str(quiz["learners"]), "hand-ins counted here; learners who handed nothing in are not counted as 0"],
        [
            "Mean",
            f"{num(quiz['mean'])} points ({pct(quiz['mean_share'])})",
            "the typical score (Moodle suggests 50% to 75% for a quiz that separates learners)",
        ],
        ["Median", f"{num(quiz['median'])} points ({pct(quiz['median_share'])})", "half the class scored less than this"],
        ["Spread (standard deviation)", f"{num(quiz['sd'])} points ({pct(quiz['sd_share'])})", spread_reading(quiz["sd_share"])],
        ["Skewness", num(quiz["skewness"]), skew_reading(quiz["skewness"])],
    ]
    if many:
        rows += [
            [f"Consistency ({quiz['cic_method']})", coefficient(quiz["cic"]), alpha_reading(quiz["cic"], len(quiz["questions"]))],
            ["Standard error", f"{num(quiz['standard_error'])} points", error_reading(quiz["standard_error"], quiz["max"])],
        ]
    return table(f"{quiz['title']}: scores, and what they mean", ["Measure", "Figure", "What it means"], rows)


def _options(q: dict) -> str:
    thirds = {d["option"]: d for d in q.get("distractors") or ()}
    size = next(iter(thirds.values()))["group_size"] if thirds else 0
    header = ["Option", "Learners", "Share", "Right answer"]
    if thirds:
        header += [f"Top third ({size})", f"Bottom third ({size})", "Flag"]
    rows: list[list] = []
    flagged: list[str] = []
    for r in q["responses"]:
        option = r["answer"].split(":", 1)[0] if r.get("author") else None
        cells = [_answer_cell(r), r["count"], pct(r["share"], 0), _verdict(r["correct"])]
        d = thirds.get(option or "")
        if thirds:
            cells += (
                [
                    pct(d["top_share"], 0),
                    pct(d["bottom_share"], 0),
                    Raw('<span class="flag">strong learners prefer it</span>') if d["flag"] else "–",
                ]
                if d
                else ["", "", ""]
            )
            if d and d["flag"] and option:
                flagged.append(option)
        rows.append(cells)
    out = table(_caption(q), header, rows, numeric={1, 2, 4, 5})
    if flagged:
        out += f'<p class="flag">{_e(q["id"])}, option(s) {_e(", ".join(flagged))}: {_e(FLAG_TEXT)}.</p>'
    return out


def _matching(q: dict) -> str:
    pairs: dict[str, dict[str, dict]] = {}
    choices: list[str] = []
    unanswered = ""
    for r in q["responses"]:
        if not r["group"]:
            unanswered = f"<p>{_e(q['id'])}: {r['count']} learner(s) did not answer.</p>" if r["count"] else ""
            continue
        pairs.setdefault(r["group"], {})[r["answer"]] = r
        choices += [] if r["answer"] in choices else [r["answer"]]
    rows = []
    for pair, cells in pairs.items():
        row: list = [author_html(pair, 120)]
        for choice in choices:
            r = cells.get(choice)
            count = r["count"] if r else 0
            row.append(Raw(f"<strong>{count} (right)</strong>") if r and r["correct"] else str(count))
        rows.append(row)
    header = [Raw("Pair \u2193, choice \u2192")] + [author_html(c, 60) for c in choices]
    note = "<p>Each cell counts the learners who matched that pair (row) to that choice (column); the right match says “(right)”.</p>"
    return table(_caption(q), header, rows, numeric=set(range(1, len(header))), scroll=True) + note + unanswered


def _short_text(quiz_id: str, q: dict) -> str:
    rows = []
    for r in q["responses"]:
        if r["answer"] == "(not answered)":
            rows.append(["(not answered)", r["count"], pct(r["share"], 0), "", ""])
            continue
        line = accept_line(quiz_id, q["id"], r["answer"]) if r["correct"] is False else None
        hint = Raw(f"<code>{_e(line)}</code>") if line else ("too long for an override" if r["correct"] is False else "")
        rows.append([Raw(_e(r["answer"])), r["count"], pct(r["share"], 0), _verdict(r["correct"]), hint])
    header = [
        "Answer (as scoring compares it)",
        "Learners",
        "Share",
        "Marked",
        "To accept it: this line under questions: in the overrides file (several answers share one accept list)",
    ]
    return table(_caption(q), header, rows, numeric={1, 2}, scroll=True)


def _answers(quiz_id: str, q: dict) -> str:
    if q["type"] in ("single", "multiple"):
        return _options(q)
    if q["type"] == "matching":
        return _matching(q)
    if q["type"] == "short_text":
        return _short_text(quiz_id, q)
    rows = [[_answer_cell(r), r["count"], pct(r["share"], 0), _verdict(r["correct"])] for r in q["responses"]]
    return table(_caption(q), ["Answer", "Learners", "Share", "Right answer"], rows, numeric={1, 2})


def quiz_section(quiz: dict) -> str:
    """One quiz's section of the report."""
    qid = quiz["id"]
    many = len(quiz["questions"]) > 1
    out = [f'<section aria-labelledby="{html_id("quiz", qid)}"><h2 id="{html_id("quiz", qid)}">{_e(quiz["title"])}</h2>']
    out.append(
        f'<p class="meta">Activity id <code>{_e(qid)}</code>, worth {num(quiz["max"])} points; {quiz["learners"]} learner(s).</p>'
    )
    out.append(_scores(quiz, many))
    out.append(f'<h3 id="{html_id("dist", qid)}">Score distribution</h3>')
    out.append(
        f"<figure>{histogram(quiz)}<figcaption>Learners per band of the quiz score; the table below gives the same counts.</figcaption></figure>"
    )
    bands = [[b["label"], b["count"]] for b in quiz["distribution"]]
    out.append(table(f"{quiz['title']}: learners per score band", ["Score band", "Learners"], bands, numeric={1}))
    if many:
        out.append(f'<h3 id="{html_id("items", qid)}">Questions</h3>')
        out.append(
            f"<figure>{item_plot(quiz)}<figcaption>Each question by facility (how much of it the class earned) and discrimination (how well it separates stronger from weaker learners). Grey bands: facility too high or too low; orange band: weak discrimination. Flagged questions are orange diamonds.</figcaption></figure>"
        )
        rows = [
            [
                q["id"],
                q["type"].replace("_", " "),
                num(q["points"]),
                pct(q["facility"], 0),
                facility_reading(q["facility"]),
                coefficient(q["discrimination"]),
                discrimination_reading(q["discrimination"]),
                Raw(
                    "; ".join(f'<span class="flag">{_e(f["label"])}</span>' for f in q["flags"]) or '<span class="ok">none</span>'
                ),
            ]
            for q in quiz["questions"]
        ]
        header = ["Question", "Type", "Points", "Facility", "How hard", "Discrimination", "Does it separate?", "Flags"]
        out.append(table(f"{quiz['title']}: item statistics", header, rows, numeric={2, 3, 5}))
    flagged = [q for q in quiz["questions"] if q["flags"]] if many else []
    if flagged:
        out.append(f'<h3 id="{html_id("flags", qid)}">Questions to look at</h3><ul>')
        for q in flagged:
            hints = "; ".join(f["text"] for f in q["flags"])
            prompt = f" <q>{author_html(q['prompt'], 120)}</q>" if q["prompt"] else ""
            out.append(f"<li><strong>{_e(q['id'])}</strong>{prompt}: {_e(hints)}.</li>")
        out.append("</ul>")
    out.append(f'<h3 id="{html_id("answers", qid)}">Answers given</h3>')
    out.append(
        "<p>Choice questions show how often the top and bottom thirds of the class (by score on this quiz) chose each option. "
        "Short-text questions list every distinct answer, wrong ones first, each with the overrides line that would accept it.</p>"
    )
    out += [_answers(qid, q) for q in quiz["questions"]]
    out.append("</section>")
    return "".join(out)
