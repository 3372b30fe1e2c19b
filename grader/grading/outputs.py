"""What one run writes into its folder: gradebook.csv, results.json, rejected.csv, mail-merge.csv and feedback/<learner>/<activity>.md and .html."""

from __future__ import annotations

import csv
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

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

GRADEBOOK_COLUMNS = ["learner_id", "name", "quiz", "score", "max", "percent", "status", "file"]


def gradebook_row(graded: Graded) -> list:
    """One gradebook line, in GRADEBOOK_COLUMNS order."""
    sub, result = graded.submission, graded.result
    return [
        sub.learner_id,
        sub.learner_name,
        sub.quiz,
        number(result.score),
        number(result.max),
        result.percent,
        graded.status,
        sub.file,
    ]


@dataclass(slots=True)
class Rendered:
    """One counted result, turned into the text each output needs."""

    learner_id: str
    quiz: str
    row: list
    """Its gradebook line."""
    result: str
    """Its results.json entry, compact JSON on one line."""
    feedback: str
    """Its feedback file, Markdown."""
    page: str
    """The same feedback as a self-contained HTML page."""


def render_result(graded: Graded, course: Course, options: Options | None = None) -> Rendered:
    """Everything written about one graded file."""
    sub = graded.submission
    quiz = course.known_activity(sub.quiz)
    # The C encoder, not indent=2's pure-Python one: this runs once per file.
    result = json_text(result_json(graded), separators=(",", ":"))
    page = feedback_page(graded, quiz, course, options)
    return Rendered(sub.learner_id, quiz.id, gradebook_row(graded), result, feedback_markdown(page), feedback_html(page))


OUTPUTS = ("feedback", "gradebook.csv", "mail-merge.csv", "rejected.csv", "results.json")
"""What `write_all` writes into a run's folder."""


def write_all(
    folder: Path,
    rendered: Iterable[Rendered],
    *,
    head: dict,
    set_aside: list[dict],
    rejected: list,
    roster: list[dict] | None = None,
) -> None:
    """Write every output of one run into `folder`, a run folder that nobody reads until it is switched in whole.

    `head` is the start of results.json (format, run, generated, summary, quizzes); results follow one per line.
    `roster` gives the mail merge its email addresses (grading/mail_merge.py).
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
            if item.learner_id not in made:
                (feedback / item.learner_id).mkdir()
                made.add(item.learner_id)
            with open(feedback / item.learner_id / f"{item.quiz}.md", "w", encoding="utf-8") as page:
                page.write(item.feedback)
            with open(feedback / item.learner_id / f"{item.quiz}.html", "w", encoding="utf-8") as page:
                page.write(item.page)
            results.write(separator + item.result)
            separator = ",\n    "
            gradebook.writerow([safe_cell(cell) for cell in item.row])
            add(learners, item.learner_id, item.row[1], item.quiz, f"{item.row[3]} of {item.row[4]} points")
        results.write("\n  ],\n")
        results.write(f'  "set_aside": {json_text(set_aside)},\n')
        results.write(f'  "rejected": {json_text(rejected)}\n}}\n')
    with open(folder / "rejected.csv", "w", encoding="utf-8", newline="") as out:
        out.write(csv_text(["file", "reason"], ([r["file"], r["reason"]] for r in rejected)))
    titles = {quiz: meta["title"] for quiz, meta in head["quizzes"].items()}
    with open(folder / "mail-merge.csv", "w", encoding="utf-8", newline="") as out:
        out.write(mail_merge_csv(learners, titles, roster))
