"""The report's tables on the class: the learners on the roster who handed nothing in, late and held hand-ins, and every override applied with its reason."""

from __future__ import annotations

from collections.abc import Callable

from grader.common.escape import html_text
from grader.common.text import num

SECTION_ID = "class"


def missing_table(result: dict, table: Callable[..., str]) -> str:
    """The roster learners with nothing handed in, with the activities they miss; "" when there are none."""
    cohort = result.get("cohort") or {}
    by_learner: dict[str, list[str]] = {}
    for m in cohort.get("missing") or ():
        by_learner.setdefault(m["learner"], []).append(m["quiz"])
    names = cohort.get("names") or {}
    if not by_learner:
        return ""
    rows = [[learner, names.get(learner, ""), ", ".join(quizzes)] for learner, quizzes in by_learner.items()]
    return table("Learners on the roster with nothing handed in", ["Learner", "Name", "Activities missing"], rows)


def late_table(result: dict, table: Callable[..., str]) -> str:
    """Every late hand-in with the points taken off; "" when there are none."""
    late = (result.get("cohort") or {}).get("late") or []
    if not late:
        return ""
    rows = [[x["learner"], x["quiz"], x["days"], num(x["penalty"])] for x in late]
    return table("Late hand-ins", ["Learner", "Activity", "Days late", "Points taken off"], rows, numeric={2, 3})


def cohort_html(result: dict, table: Callable[..., str]) -> str:
    """The section (held hand-ins, learners not on the roster, overrides; the missing and the late are at the top), or "" when the results know nothing about the class beyond the hand-ins; `table` draws an accessible table."""
    cohort = result.get("cohort") or {}
    missing, overrides = cohort.get("missing") or [], cohort.get("overrides") or []
    late, held, strangers = cohort.get("late") or [], cohort.get("identity_mismatch") or [], cohort.get("not_on_roster") or []
    if not (cohort.get("roster") or missing or overrides or late or held or strangers):
        return ""
    out = [f'<section aria-labelledby="{SECTION_ID}"><h2 id="{SECTION_ID}">The class: held, not on the roster, corrected</h2>']
    if cohort.get("roster"):
        who = sorted({m["learner"] for m in missing})
        out.append(
            f"<p>The roster has {cohort['roster']} learner(s); {len(who)} handed nothing in for at least one activity here "
            '(listed under <a href="#first-missing">Not handed in</a>). The figures above count hand-ins only.</p>'
        )
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
