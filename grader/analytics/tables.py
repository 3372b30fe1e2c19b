"""Class statistics as plain text tables for the terminal."""

from __future__ import annotations

from grader.analytics.readings import alpha_reading, error_reading, skew_reading
from grader.common.text import num, pct, shorten


def _table(header: list[str], rows: list[list[str]], indent: str = "  ") -> list[str]:
    widths = [max(len(str(c)) for c in col) for col in zip(header, *rows, strict=True)]
    line = lambda cells: indent + "  ".join(str(c).ljust(w) for c, w in zip(cells, widths, strict=True)).rstrip()  # noqa: E731
    return [line(header), *(line(r) for r in rows)]


def _points(value: float | None) -> str:
    return num(value, 2)


def _cohort_lines(cohort: dict) -> list[str]:
    """The class around the figures: the roster, late and held hand-ins, overrides."""
    out = []
    if cohort.get("roster"):
        who = sorted({m["learner"] for m in cohort["missing"]})
        out.append(f"Roster: {cohort['roster']} learner(s); {len(who)} with nothing handed in for an activity here.")
    if cohort.get("not_on_roster"):
        out.append(f"Not on the roster: {', '.join(cohort['not_on_roster'])}.")
    if cohort.get("late"):
        out.append(
            "Late: "
            + "; ".join(f"{x['learner']} {x['quiz']} ({x['days']} day(s), -{_points(x['penalty'])})" for x in cohort["late"])
            + "."
        )
    if cohort.get("identity_mismatch"):
        out.append(
            "Held for an identity mismatch: "
            + "; ".join(f"{x['learner']} {x['quiz']}" for x in cohort["identity_mismatch"])
            + "."
        )
    for o in cohort.get("overrides") or ():
        on = f" {o['question']}" if o.get("question") else ""
        out.append(
            f"Override: {o['learner']} {o['quiz']}{on}: {o['kind']}, {_points(o['before'])} -> {_points(o['after'])}: {shorten(o['reason'], 100)}"
        )
    return out


def stats_text(result: dict) -> str:
    """The statistics as readable tables."""
    src = result["source"]
    out = [f"Class statistics: {result['learners']} learner(s), {result['results']} graded result(s)."]
    if src.get("attempts"):
        out.append(f"Counted: {src['attempts']}.")
    for warning in src.get("warnings", ()):
        out.append(f"Note: {warning}.")
    for rejected in src.get("rejected", ()):
        out.append(f"Rejected: {rejected['file']}: {rejected['reason']}")
    out += _cohort_lines(result.get("cohort") or {})
    for quiz in result["quizzes"]:
        out += ["", f"== {quiz['title']} ({quiz['id']}) ==", ""]
        top = quiz["max"]
        out.append(
            f"Learners {quiz['learners']}; mean {_points(quiz['mean'])} of {_points(top)} ({pct(quiz['mean_share'])}); "
            f"median {_points(quiz['median'])} ({pct(quiz['median_share'])}); SD {_points(quiz['sd'])} ({pct(quiz['sd_share'])})"
        )
        if quiz.get("missing"):
            shown = ", ".join(quiz["missing"][:12]) + (", ..." if len(quiz["missing"]) > 12 else "")
            out.append(f"Missing (on the roster, nothing handed in; not in these figures): {len(quiz['missing'])}: {shown}")
        if len(quiz["questions"]) > 1:
            # Each figure with its plain reading; the error ratio and kurtosis stay in --json, for those who read them.
            out.append(f"Internal consistency ({quiz['cic_method']}): {alpha_reading(quiz['cic'], len(quiz['questions']))}")
            out.append(f"Standard error {_points(quiz['standard_error'])}: {error_reading(quiz['standard_error'], top)}")
            out.append(f"Skewness {num(quiz['skewness'])}: {skew_reading(quiz['skewness'])}")
        out += ["", "Score distribution (share of the maximum)"]
        biggest = max((band["count"] for band in quiz["distribution"]), default=0) or 1
        for band in quiz["distribution"]:
            out.append(f"  {band['label']:>8}  {'#' * round(30 * band['count'] / biggest):<30} {band['count']}")
        if len(quiz["questions"]) > 1:
            out += ["", "Questions"]
            rows = [
                [
                    q["id"],
                    q["type"],
                    num(q["points"]),
                    pct(q["facility"]),
                    pct(q["sd_share"]),
                    pct(q["discrimination"]),
                    pct(q["efficiency"]),
                    ", ".join(f["code"] for f in q["flags"]) or "-",
                ]
                for q in quiz["questions"]
            ]
            out += _table(["question", "type", "points", "facility", "SD", "discrimination", "efficiency", "flags"], rows)
        flagged = [(q, f) for q in quiz["questions"] for f in q["flags"]]
        if flagged and len(quiz["questions"]) > 1:
            out += ["", "Flags"]
            out += [f"  {q['id']}: {f['text']}" for q, f in flagged]
        out += ["", "Answers given (✓ marks a right answer)"]
        for q in quiz["questions"]:
            parts = []
            group = None
            for r in q["responses"]:
                if not r["count"] and r["correct"] is not True:
                    continue
                mark = " ✓" if r["correct"] else ""
                answer = r["answer"].split(": ", 1)[0] if q["type"] in ("single", "multiple", "matching") else r["answer"]
                prefix = ""
                if r["group"] and r["group"] != group:
                    group = r["group"]
                    prefix = f"[{group.split(': ', 1)[0]}] "
                parts.append(f"{prefix}{answer}{mark} {r['count']}")
            out.append(f"  {q['id']}: " + " · ".join(parts))
    for dlg in result["dialogues"]:
        out += ["", f"== Dialogue: {dlg['title']} ({dlg['id']}) ==", ""]
        bad = f" ({len(dlg['invalid'])} path(s) not valid, left out)" if dlg["invalid"] else ""
        out.append(f"{dlg['plays']} play(s){bad}; customer lost in {dlg['lost']}.")
        out.append("Endings: " + " · ".join(f"{e['title']} ({e['outcome']}) {e['count']}" for e in dlg["endings"]))
        common = dlg["most_common_path"]
        if common:
            out.append(
                f"Most common path: {' → '.join(common['path'])} ({common['count']} play(s), ends at {common['ending']}, {common['outcome']})"
            )
        out += ["", "Replies taken at each node"]
        for node in dlg["nodes"]:
            replies = " · ".join(
                f"{r['id']} {r['count']}" + (f" ({pct(r['share'], 0)})" if r["share"] is not None else "")
                for r in node["replies"]
            )
            out.append(f"  {node['id']} ({node['visits']} visit(s)): {replies}")
        if dlg["losing_replies"]:
            out += ["", "Replies that most often led to losing the customer"]
            for r in dlg["losing_replies"][:5]:
                out.append(
                    f"  {r['id']} at {r['node']}: lost in {r['lost']} of {r['taken']} play(s) that took it ({pct(r['lost_share'], 0)}): {shorten(r['text'], 70)}"
                )
    steps = result["steps"]
    if steps["steps"]:
        out += [
            "",
            f"== Model steps (mastered at {pct(steps['mastered_at'], 0)} or more, weak below {pct(steps['weak_below'], 0)}) ==",
            "",
        ]
        rows = [
            [
                s["step"],
                s["title"],
                str(s["learners"]),
                pct(s["mean"]),
                s["status"],
                str(s["mastered"]),
                str(s["developing"]),
                str(s["weak"]),
            ]
            for s in steps["steps"]
        ]
        out += _table(["step", "title", "learners", "class", "status", "mastered", "developing", "weak"], rows)
        weak = [lr for lr in steps["learners"] if lr["weak"]]
        if weak:
            out += ["", "Learners with weak steps"]
            for lr in weak:
                who = f"{lr['id']} ({lr['name']})" if lr["name"] else lr["id"]
                out.append(f"  {who}: {', '.join(lr['weak'])}")
    return "\n".join(out) + "\n"
