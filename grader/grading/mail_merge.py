"""OUT/mail-merge.csv: one row per learner, with the email from the roster, the name, a subject and each feedback file's path.

Any mail client's mail merge, or a short script (docs/instructor/feedback.md), sends each learner their own pages.
The roster (`--roster`) gives each learner's email, and the name it knows them by.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from grader.common.author_text import plain_text
from grader.common.csv_text import csv_text

if TYPE_CHECKING:
    from grader.cohort.roster import Roster

NAME = "mail-merge.csv"
COLUMNS = ["email", "name", "learner_id", "subject", "scores", "pages", "markdown"]
SEPARATOR = "; "
"""Between the files (and scores) of one learner: no learner id or activity id holds it."""


@dataclass
class Learner:
    """What the mail merge says about one learner."""

    id: str
    name: str = ""
    activities: list[tuple[str, str]] = field(default_factory=list)
    """(activity id, score as `5 of 8 points`), in the order graded."""


def add(learners: dict[str, Learner], learner_id: str, name: str, activity: str, score: str) -> None:
    """Note one counted hand-in: its learner, the name they gave, and its activity and score."""
    found = learners.setdefault(learner_id, Learner(learner_id))
    found.name = found.name or name
    found.activities.append((activity, score))


def mail_merge_csv(learners: dict[str, Learner], titles: dict[str, str], roster: Roster | None = None) -> str:
    """The CSV: one row per learner in learner-id order; paths are relative to the output folder, cells formula-safe."""
    known = roster.learners if roster else {}
    rows = []
    for learner_id in sorted(learners):
        learner, entry = learners[learner_id], known.get(learner_id)
        names = [plain_text(titles.get(activity, activity)) for activity, _ in learner.activities]
        rows.append(
            [
                entry.email.strip() if entry else "",
                ((entry.name if entry else "") or learner.name or learner_id).strip(),
                learner_id,
                "Your feedback: " + ", ".join(names),
                SEPARATOR.join(f"{name}: {score}" for name, (_, score) in zip(names, learner.activities, strict=True)),
                SEPARATOR.join(f"feedback/{learner_id}/{activity}.html" for activity, _ in learner.activities),
                SEPARATOR.join(f"feedback/{learner_id}/{activity}.md" for activity, _ in learner.activities),
            ]
        )
    return csv_text(COLUMNS, rows)


def mail_merge_note(learners: set[str], roster: Roster | None) -> str:
    """What the summary says about the mail merge: how many learners, and whose email it lacks."""
    head = f"The mail merge ({NAME}) lists {len(learners)} learner(s)"
    if roster is None:
        return f"{head}; its email column is empty, since no roster was given."
    missing = sorted(lr for lr in learners if lr not in roster.learners or not roster.learners[lr].email.strip())
    if not missing:
        return f"{head}, each with an email from the roster."
    shown = ", ".join(missing[:5]) + (", ..." if len(missing) > 5 else "")
    return f"{head}; {len(missing)} have no email in the roster ({shown})."
