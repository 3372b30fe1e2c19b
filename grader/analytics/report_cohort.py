"""The report's section on the class: the learners on the roster who handed nothing in, late and held hand-ins, and every override applied with its reason."""

from __future__ import annotations

from collections.abc import Callable

from grader.common.escape import html_text
from grader.common.text import num

SECTION_ID = "class"


def cohort_html(result: dict, table: Callable[..., str]) -> str:
    """The section, or "" when the results know nothing about the class beyond the hand-ins; `table` draws an accessible table."""
    cohort = result.get("cohort") or {}
    missing, overrides = cohort.get("missing") or [], cohort.get("overrides") or []
    late, held, strangers = cohort.get("late") or [], cohort.get("identity_mismatch") or [], cohort.get("not_on_roster") or []
    if not (cohort.get("roster") or missing or overrides or late or held or strangers):
        return ""
    out = [f'<section aria-labelledby="{SECTION_ID}"><h2 id="{SECTION_ID}">The class: missing, late, held, corrected</h2>']
    if cohort.get("roster"):
        who = sorted({m["learner"] for m in missing})
        out.append(
            f"<p>The roster has {cohort['roster']} learner(s); {len(who)} handed nothing in for at least one activity here. The figures above count hand-ins only.</p>"
        )
    by_learner: dict[str, list[str]] = {}
    for m in missing:
        by_learner.setdefault(m["learner"], []).append(m["quiz"])
    names = cohort.get("names") or {}
    if by_learner:
        rows = [[learner, names.get(learner, ""), ", ".join(quizzes)] for learner, quizzes in by_learner.items()]
        out.append(table("Learners on the roster with nothing handed in", ["Learner", "Name", "Activities missing"], rows))
    if late:
        rows = [[x["learner"], x["quiz"], x["days"], num(x["penalty"])] for x in late]
        out.append(table("Late hand-ins", ["Learner", "Activity", "Days late", "Points taken off"], rows, numeric={2, 3}))
    if held:
        rows = [[x["learner"], x["quiz"], x["note"]] for x in held]
        out.append(
            table("Held at 0 for an identity mismatch (until an override releases them)", ["Learner", "Activity", "Why"], rows)
        )
    if strangers:
        out.append(f"<p>Graded but not on the roster: {html_text(', '.join(strangers))}.</p>")
    if overrides:
        rows = [
            [
                o["learner"],
                o["quiz"],
                o.get("question") or "–",
                o["kind"].replace("_", " "),
                num(o["before"]),
                num(o["after"]),
                o["reason"],
            ]
            for o in overrides
        ]
        out.append(
            table(
                "Overrides applied (the audit trail)",
                ["Learner", "Activity", "Question", "Override", "Before", "After", "Reason"],
                rows,
                numeric={4, 5},
            )
        )
    if cohort.get("not_applied"):
        out.append("<p>Overrides that found nothing to correct: " + html_text("; ".join(cohort["not_applied"])) + ".</p>")
    out.append("</section>")
    return "".join(out)
