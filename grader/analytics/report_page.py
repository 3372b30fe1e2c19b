"""The class report: one self-contained HTML page (inline CSS and SVG, no script, no request) built from `grader stats` output.

Every chart is an inline SVG with a title and description, followed by a table of the
same numbers, so the page reads the same to a screen reader, on paper and on screen."""

from __future__ import annotations

from grader.analytics import statistics
from grader.analytics.charts import flow, heat_map
from grader.analytics.class_stats import iter_flags
from grader.analytics.html_table import code_text as _code
from grader.analytics.html_table import table as _table
from grader.analytics.readings import coefficient
from grader.analytics.report_cohort import SECTION_ID, cohort_html
from grader.analytics.report_quiz import quiz_section
from grader.analytics.report_top import PASS_MARK, top_html
from grader.analytics.report_top import SECTION_ID as TOP_ID
from grader.common.escape import html_id, html_text
from grader.common.text import OUTCOME_SHORT, pct, shorten

_e = html_text


# How `grader report` recognises a report it wrote earlier, and may overwrite it.
GENERATOR = '<meta name="generator" content="grader report">'


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


def _dialogue_section(dlg: dict, scenario) -> str:
    did = dlg["id"]
    out = [f'<section aria-labelledby="{html_id("dlg", did)}"><h2 id="{html_id("dlg", did)}">Dialogue: {_e(dlg["title"])}</h2>']
    bad = f" {len(dlg['invalid'])} path(s) were not valid and are left out." if dlg["invalid"] else ""
    out.append(
        f'<p class="meta">Scenario <code>{_e(did)}</code>: {dlg["plays"]} play(s); the customer was lost in {dlg["lost"]}.{bad}</p>'
    )
    if scenario is not None:
        out.append(
            f'<figure><div class="scroll" role="region" tabindex="0" aria-label="Path flow for {_e(dlg["title"])} (scrolls sideways)">{flow(dlg, scenario)}</div>'
            "<figcaption>The scenario map with the class's paths drawn over it. The tables below give every count.</figcaption></figure>"
        )
    rows = []
    for node in dlg["nodes"]:
        for r in node["replies"]:
            rows.append(
                [
                    f"{node['id']} → {r['id']}",
                    shorten(r["text"], 80),
                    r["count"],
                    pct(r["share"], 0),
                    r["next"],
                    ", ".join(r["mistakes"]) or "–",
                ]
            )
    out.append(
        _table(
            f"{dlg['title']}: replies taken at each customer turn",
            ["Turn → reply", "Reply", "Times taken", "Share of visits", "Leads to", "Mistakes shown"],
            rows,
            numeric={2, 3},
        )
    )
    out.append(
        _table(
            f"{dlg['title']}: endings reached",
            ["Ending", "Outcome", "Plays", "Share"],
            [[e["title"], OUTCOME_SHORT.get(e["outcome"], e["outcome"]), e["count"], pct(e["share"], 0)] for e in dlg["endings"]],
            numeric={2, 3},
        )
    )
    out.append(
        _table(
            f"{dlg['title']}: most common paths",
            ["Path", "Plays", "Share", "Ending"],
            [
                [" → ".join(p["path"]), p["count"], pct(p["share"], 0), f"{p['ending']} ({p['outcome']})"]
                for p in dlg["paths"][:8]
            ],
            numeric={1, 2},
        )
    )
    if dlg["losing_replies"]:
        out.append(
            _table(
                f"{dlg['title']}: replies that most often led to losing the customer",
                ["Reply", "Text", "Plays that took it", "Lost", "Share lost"],
                [
                    [f"{r['node']} → {r['id']}", shorten(r["text"], 80), r["taken"], r["lost"], pct(r["lost_share"], 0)]
                    for r in dlg["losing_replies"]
                ],
                numeric={2, 3, 4},
            )
        )
    else:
        out.append("<p>No play ended with the customer lost.</p>")
    out.append("</section>")
    return "".join(out)


def _steps_section(steps: dict) -> str:
    out = ['<section aria-labelledby="steps"><h2 id="steps">Model steps: what to re-teach</h2>']
    out.append(
        f"<p>For each step: the share of the points earned on questions tagged with it, plus one point for each dialogue whose path took a reply tagged with it "
        f"(out of one for each dialogue that offers such a reply). Mastered: {pct(steps['mastered_at'], 0)} or more; weak: below {pct(steps['weak_below'], 0)}.</p>"
    )
    if not steps["steps"]:
        out.append("<p>No question or dialogue in these results is tagged with a model step.</p></section>")
        return "".join(out)
    out.append(
        f'<figure><div class="scroll" role="region" tabindex="0" aria-label="Step mastery heat map (scrolls sideways)">{heat_map(steps)}</div>'
        "<figcaption>Step mastery: one row per model step, the class first and then each learner. The two tables below hold the same numbers.</figcaption></figure>"
    )
    rows = [
        [
            f"{s['title']} ({s['step']})",
            s["model"],
            s["learners"],
            pct(s["mean"]),
            s["status"],
            s["mastered"],
            s["developing"],
            s["weak"],
            ", ".join(s["weak_learners"]) or "–",
        ]
        for s in steps["steps"]
    ]
    out.append(
        _table(
            "Class mastery per model step",
            ["Step", "Model", "Learners", "Class average", "Status", "Mastered", "Developing", "Weak", "Weak learners"],
            rows,
            numeric={2, 3, 5, 6, 7},
        )
    )
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
        out += [
            f"<li><strong>{_e(lr['id'])}</strong>{(' (' + _e(lr['name']) + ')') if lr['name'] else ''}: {_e(', '.join(titles.get(s, s) for s in lr['weak']))}</li>"
            for lr in weak
        ]
        out.append("</ul>")
    out.append("</section>")
    return "".join(out)


def report_html(result: dict, course=None, *, doc: dict | None = None, pass_mark: float = PASS_MARK) -> str:
    """The whole report as one HTML document; `doc` (the results.json read) gives the files rejected or set aside and each result's warnings."""
    src = result["source"]
    scenarios = course.dialogues if course is not None else {}
    toc = [f'<li><a href="#{TOP_ID}">First things to know</a></li>', '<li><a href="#overview">Overview</a></li>']
    toc += [f'<li><a href="#{html_id("quiz", q["id"])}">{_e(q["title"])}</a></li>' for q in result["quizzes"]]
    toc += [f'<li><a href="#{html_id("dlg", d["id"])}">Dialogue: {_e(d["title"])}</a></li>' for d in result["dialogues"]]
    toc.append('<li><a href="#steps">Model steps</a></li>')
    cohort = cohort_html(result, _table)
    toc += [f'<li><a href="#{SECTION_ID}">The class</a></li>'] if cohort else []
    flagged = list(iter_flags(result))
    overview = [
        [
            q["title"],
            q["learners"],
            pct(q["mean_share"]),
            pct(q["median_share"]),
            pct(q["sd_share"]),
            coefficient(q["cic"]) if len(q["questions"]) > 1 else "–",
            sum(1 for x in q["questions"] for _ in x["flags"]) if len(q["questions"]) > 1 else "–",
        ]
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
        top_html(result, doc or {}, pass_mark),
        '<section aria-labelledby="overview"><h2 id="overview">Overview</h2>',
        _table(
            "Every activity at a glance",
            ["Activity", "Learners", "Mean", "Median", "SD", "Consistency", "Flags"],
            overview,
            numeric={1, 2, 3, 4, 5, 6},
        ),
    ]
    if flagged:
        named = dict.fromkeys(f"{q['id']} in {quiz['title']}" for quiz, q, _ in flagged)
        parts.append("<p>Questions flagged for a closer look: " + _e(", ".join(named)) + ".</p>")
    parts.append("</section>")
    parts += [quiz_section(q) for q in result["quizzes"]]
    parts += [_dialogue_section(d, scenarios.get(d["id"])) for d in result["dialogues"]]
    parts.append(_steps_section(result["steps"]))
    parts.append(cohort)
    parts.append("</main>")
    parts.append(
        "<footer><p>Written by <code>grader report</code>. Facility, discrimination index, discriminative efficiency and the coefficient of internal consistency follow "
        "Moodle's quiz statistics, and their readings use the ranges in Moodle's quiz statistics documentation and, for consistency, Nunnally and Bernstein's "
        f"Psychometric Theory; standard deviations are sample values (divided by n − 1). Flags: facility of {pct(statistics.FACILITY_HIGH, 0)} or more, or {pct(statistics.FACILITY_LOW, 0)} or less; "
        f"discrimination below {pct(statistics.DISCRIMINATION_LOW, 0)}; discriminative efficiency below {pct(statistics.EFFICIENCY_LOW, 0)}. The page loads nothing from the network.</p></footer>"
    )
    parts.append("</body></html>\n")
    return "\n".join(p for p in parts if p)
