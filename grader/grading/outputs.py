"""What one run writes into its folder: gradebook.csv, results.json, rejected.csv, changes.csv, mail-merge.csv and feedback/<learner>/<activity>.md and .html."""

from __future__ import annotations

import csv
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from grader.cohort.roster import Roster
from grader.common.csv_text import csv_text, safe_cell
from grader.common.escape import json_text
from grader.common.text import number
from grader.course import Course
from grader.grading.feedback import feedback_page
from grader.grading.feedback_html import feedback_html
from grader.grading.feedback_markdown import feedback_markdown
from grader.grading.feedback_model import Options
from grader.grading.mail_merge import Learner, add, mail_merge_csv
from grader.grading.one_file import Graded
from grader.grading.results_json import result_json

GRADEBOOK_COLUMNS = [
    "learner_id",
    "name",
    "quiz",
    "score",
    "max",
    "percent",
    "status",
    "file",
    "section",
    "handed_in",
    "time_from",
    "days_late",
    "late_penalty",
]
CHANGES_COLUMNS = ["learner", "activity", "old score", "new score", "why"]


def gradebook_row(graded: Graded, roster: Roster | None = None) -> list:
    """One gradebook line, in GRADEBOOK_COLUMNS order; the name and section are the roster's when the learner is on it."""
    sub, result, time, late = graded.submission, graded.result, graded.time, graded.late
    on_roster = roster.get(sub.learner_id) if roster else None
    return [
        sub.learner_id,
        on_roster.name if on_roster and on_roster.name else sub.learner_name,
        sub.quiz,
        number(result.score),
        number(result.max),
        result.percent,
        graded.status,
        sub.file,
        on_roster.section if on_roster else "",
        (time.as_json()["at"] or "") if time else "",
        (time.used or "") if time else "",
        late.days if late else "",
        number(late.penalty) if late else "",
    ]


def missing_row(learner: str, name: str, section: str, quiz: str, top: float, score: float | None, status: str) -> list:
    """The gradebook line of a learner with nothing handed in for an activity."""
    percent = round(100 * score / top, 2) if score is not None and top else ""
    shown = number(score) if score is not None else ""
    return [learner, name, quiz, shown, number(top), percent, status, "", section, "", "", "", ""]


@dataclass(slots=True)
class Rendered:
    """One gradebook line, with the text each other output needs when it is a hand-in (not a missing learner)."""

    learner_id: str
    quiz: str
    row: list
    """Its gradebook line."""
    result: str = ""
    """Its results.json entry, compact JSON on one line ("" for a missing learner)."""
    feedback: str = ""
    """Its feedback file, Markdown ("" for a missing learner)."""
    page: str = ""
    """The same feedback as a self-contained HTML page ("" for a missing learner)."""


def render_result(graded: Graded, course: Course, options: Options | None = None, roster: Roster | None = None) -> Rendered:
    """Everything written about one graded file."""
    sub = graded.submission
    quiz = course.known_activity(sub.quiz)
    # The C encoder, not indent=2's pure-Python one: this runs once per file.
    result = json_text(result_json(graded), separators=(",", ":"))
    page = feedback_page(graded, quiz, course, options)
    row = gradebook_row(graded, roster)
    return Rendered(sub.learner_id, quiz.id, row, result, feedback_markdown(page), feedback_html(page))


OUTPUTS = ("changes.csv", "feedback", "gradebook.csv", "mail-merge.csv", "rejected.csv", "results.json")
"""What `write_all` writes into a run's folder."""


def write_all(
    folder: Path,
    rendered: Iterable[Rendered],
    *,
    head: dict,
    set_aside: list[dict],
    rejected: list,
    changes: list[list] | None = None,
    roster: Roster | None = None,
) -> None:
    """Write every output of one run into `folder`, a run folder that nobody reads until it is switched in whole.

    `head` is the start of results.json (format, run, generated, summary, quizzes, ...); results follow one per line.
    `changes` are the changes.csv rows (none on a first run); `roster` gives the mail merge its email addresses.
    """
    feedback = folder / "feedback"
    feedback.mkdir()
    made: set[str] = set()
    learners: dict[str, Learner] = {}
    with (
        open(folder / "results.json", "w", encoding="utf-8") as results,
        open(folder / "gradebook.csv", "w", encoding="utf-8", newline="") as book,
    ):
        gradebook = csv.writer(book, lineterminator="\r\n")
        gradebook.writerow(GRADEBOOK_COLUMNS)
        results.write(json_text(head, indent=2)[:-2] + ',\n  "results": [')
        separator = "\n    "
        for item in rendered:
            gradebook.writerow([safe_cell(cell) for cell in item.row])
            if not item.result:
                continue
            if item.learner_id not in made:
                (feedback / item.learner_id).mkdir()
                made.add(item.learner_id)
            with open(feedback / item.learner_id / f"{item.quiz}.md", "w", encoding="utf-8") as page:
                page.write(item.feedback)
            with open(feedback / item.learner_id / f"{item.quiz}.html", "w", encoding="utf-8") as page:
                page.write(item.page)
            add(learners, item.learner_id, item.row[1], item.quiz, f"{item.row[3]} of {item.row[4]} points")
            results.write(separator + item.result)
            separator = ",\n    "
        results.write("\n  ],\n")
        results.write(f'  "set_aside": {json_text(set_aside)},\n')
        results.write(f'  "rejected": {json_text(rejected)}\n}}\n')
    with open(folder / "rejected.csv", "w", encoding="utf-8", newline="") as out:
        out.write(csv_text(["file", "reason"], ([r["file"], r["reason"]] for r in rejected)))
    with open(folder / "changes.csv", "w", encoding="utf-8", newline="") as out:
        out.write(csv_text(CHANGES_COLUMNS, changes or []))
    titles = {quiz: meta["title"] for quiz, meta in head["quizzes"].items()}
    with open(folder / "mail-merge.csv", "w", encoding="utf-8", newline="") as out:
        out.write(mail_merge_csv(learners, titles, roster))
