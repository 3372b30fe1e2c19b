"""The top of the report: who is below the pass mark, who has not handed in, the files not graded or not counted, warnings, late hand-ins, and every learner's score per activity."""

from __future__ import annotations

from grader.analytics.html_table import table
from grader.analytics.report_cohort import late_table, missing_table
from grader.common.escape import html_text
from grader.common.text import num, pct

SECTION_ID = "first"
PASS_MARK = 60.0
"""`grader report --pass`: the default pass mark, in percent."""

_e = html_text


def _part(ident: str, title: str, body: str) -> str:
    return f'<h3 id="{SECTION_ID}-{ident}">{_e(title)}</h3>{body}'


def _names(result: dict) -> dict[str, str]:
    names = dict((result.get("cohort") or {}).get("names") or {})
    for quiz in result["quizzes"]:
        for s in quiz["scores"]:
            names.setdefault(s["learner"], s["name"])
    return names


def _failing(result: dict, pass_mark: float, names: dict[str, str]) -> str:
    rows = [
        [
            s["learner"],
            names.get(s["learner"], ""),
            quiz["title"],
            f"{num(s['score'])} / {num(s['max'])}",
            pct(s["percent"] / 100, 0),
        ]
        for quiz in result["quizzes"]
        for s in quiz["scores"]
        if s["percent"] < pass_mark
    ]
    if not rows:
        return f"<p>No learner is below the pass mark of {num(pass_mark)}%.</p>"
    rows.sort(key=lambda r: (r[0], r[2]))
    caption = f"Below the pass mark of {num(pass_mark)}% ({len({r[0] for r in rows})} learner(s))"
    return table(caption, ["Learner", "Name", "Activity", "Score", "Share"], rows, numeric={3, 4})


def _rejected(doc: dict) -> str:
    rows = [[r["file"], r.get("line") or "–", r["reason"]] for r in doc.get("rejected") or ()]
    if not rows:
        return "<p>No rejected files.</p>"
    return table(
        f"Files that could not be graded ({len(rows)}); nothing was counted for them",
        ["File", "Line", "Why, and the fix"],
        rows,
        numeric={1},
    )


def _set_aside(doc: dict) -> str:
    rows = [[s["file"], s["learner"], s["quiz"], s["kept"], s.get("rule") or ""] for s in doc.get("set_aside") or ()]
    if not rows:
        return "<p>No set-aside files.</p>"
    return table(
        f"Files set aside ({len(rows)}): the learner handed the activity in again and another file counts",
        ["File", "Learner", "Activity", "Counted instead", "--keep rule"],
        rows,
    )


def _warnings(result: dict, doc: dict) -> str:
    rows = [["(the whole activity)", "", w] for w in (result.get("source") or {}).get("warnings") or ()]
    rows += [[r["learner"]["id"], r["quiz"], w] for r in doc.get("results") or () for w in r.get("warnings") or ()]
    if not rows:
        return "<p>No version warnings.</p>"
    return table(f"Graded with a warning ({len(rows)})", ["Learner", "Activity", "Warning"], rows)


def _grid(result: dict, doc: dict, names: dict[str, str]) -> str:
    quizzes = result["quizzes"]
    if not quizzes:
        return "<p>No activity has a graded result.</p>"
    cohort = result.get("cohort") or {}
    cells: dict[str, dict[str, str]] = {}
    for quiz in quizzes:
        for s in quiz["scores"]:
            cells.setdefault(s["learner"], {})[quiz["id"]] = f"{num(s['score'])} / {num(s['max'])} ({pct(s['percent'] / 100, 0)})"
        for learner in quiz.get("missing") or ():
            cells.setdefault(learner, {})[quiz["id"]] = "missing"
    for m in doc.get("missing") or ():
        if m.get("score") is not None:
            cells.setdefault(m["learner"], {})[m["quiz"]] = f"{num(m['score'])} (set by override, nothing handed in)"
    order = list(cohort.get("names") or {}) + sorted(cells)
    rows = []
    for learner in dict.fromkeys(order):
        who = f"{learner} ({names[learner]})" if names.get(learner) else learner
        rows.append([who] + [cells.get(learner, {}).get(q["id"], "no hand-in") for q in quizzes])
    caption = "Every learner's score per activity (“missing”: on the roster, nothing handed in; not a 0)"
    return table(caption, ["Learner"] + [q["title"] for q in quizzes], rows, scroll=True)


def top_html(result: dict, doc: dict, pass_mark: float = PASS_MARK) -> str:
    """The section that answers an instructor's first questions; every empty list says so in words."""
    names = _names(result)
    cohort = result.get("cohort") or {}
    if cohort.get("roster"):
        missing = missing_table(result, table) or "<p>Everyone on the roster handed in every activity here.</p>"
    else:
        missing = "<p>No roster was given, so the report cannot tell who has not handed in: grade with <code>--roster FILE.csv</code>.</p>"
    parts = [
        f'<section aria-labelledby="{SECTION_ID}"><h2 id="{SECTION_ID}">First things to know</h2>',
        _part("failing", "Below the pass mark", _failing(result, pass_mark, names)),
        _part("missing", "Not handed in", missing),
        _part("rejected", "Rejected files", _rejected(doc)),
        _part("set-aside", "Set-aside files", _set_aside(doc)),
        _part("warnings", "Version warnings", _warnings(result, doc)),
        _part("late", "Late hand-ins", late_table(result, table) or "<p>No late hand-ins.</p>"),
        _part("scores", "Scores", _grid(result, doc, names)),
        "</section>",
    ]
    return "".join(parts)
