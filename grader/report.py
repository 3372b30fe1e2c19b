"""Write what grading produced: gradebook.csv, results.json, feedback/<learner>/<quiz>.md, rejected.csv."""

from __future__ import annotations

import csv
import io
import json
import os
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path
from typing import Any, Iterable
from urllib.parse import quote

from grader.course import Course, Question, Quiz
from grader.escape import json_text, md_code, md_text
from grader.grading import Batch, Graded
from grader.scoring import ItemResult

GRADEBOOK_COLUMNS = ["learner_id", "name", "quiz", "score", "max", "percent", "status", "file"]
# A spreadsheet runs a cell that starts with one of these as a formula.
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value: Any) -> Any:
    """Neutralise text a spreadsheet would run as a formula; numbers pass through."""
    if isinstance(value, str) and value.startswith(FORMULA_START):
        return "'" + value
    return value


def csv_text(header: list[str], rows: Iterable[Iterable[Any]]) -> str:
    """CSV text (RFC 4180, CRLF line ends) with every text cell made safe for spreadsheets."""
    buffer = io.StringIO()
    # With CRLF as the terminator, csv quotes any cell holding a bare CR, so no row can split.
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(header)
    for row in rows:
        writer.writerow([safe_cell(cell) for cell in row])
    return buffer.getvalue()


def write_atomic(path: Path, text: str) -> None:
    """Write to a temporary name beside `path`, then rename, so readers never see half a file.

    The file gets the usual permissions (the umask decides), and an error names `path`, never the temporary name.
    """
    temp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        with open(temp, "w", encoding="utf-8", newline="") as out:
            out.write(text)
        os.replace(temp, path)
    except BaseException as error:
        temp.unlink(missing_ok=True)
        if isinstance(error, OSError):
            raise OSError(error.errno, error.strerror, str(path)) from None
        raise


def _number(value: float) -> float | int:
    """2.0 -> 2, 2.5 -> 2.5: readable in CSV and Markdown."""
    value = round(value, 2)
    return int(value) if value == int(value) else value


def gradebook_row(graded: Graded) -> list:
    """One gradebook line, in GRADEBOOK_COLUMNS order."""
    sub, result = graded.submission, graded.result
    return [sub.learner_id, sub.learner_name, sub.quiz, _number(result.score), _number(result.max), result.percent, graded.status, sub.file]


def _item_json(item: ItemResult) -> dict:
    return {
        "question": item.question,
        "type": item.type,
        "score": item.score,
        "max": item.max,
        "answer": item.answer,
        "answered": item.answered,
        "correct": item.correct,
        "feedback": list(item.feedback),
        "note": item.note,
        "lesson": item.lesson,
        "steps": list(item.steps),
        **({"evidence": item.evidence} if item.evidence else {}),
    }


def _result_json(graded: Graded) -> dict:
    sub, result = graded.submission, graded.result
    return {
        "learner": {"id": sub.learner_id, "name": sub.learner_name},
        "quiz": sub.quiz,
        "file": sub.file,
        "version": sub.version,
        "submitted": sub.submitted.isoformat().replace("+00:00", "Z") if sub.submitted else None,
        "score": result.score,
        "max": result.max,
        "percent": result.percent,
        "status": graded.status,
        "warnings": list(sub.warnings),
        "items": [_item_json(i) for i in result.items],
    }


def quizzes_json(course: Course, ids) -> dict:
    """The quizzes section of results.json: each quiz's questions, for statistics."""
    quizzes = {}
    for quiz_id in sorted(ids):
        quiz = course.activity(quiz_id)
        quizzes[quiz_id] = {
            "title": quiz.title,
            "kind": quiz.kind,
            "version": quiz.version,
            "max": quiz.max_points,
            "questions": [
                {"id": q.id, "type": q.type, "points": q.points, "steps": list(q.steps), "scenario": q.scenario, "options": [o.id for o in q.options]}
                for q in quiz.questions
            ],
        }
    return quizzes


def set_aside_json(file: str, learner: str, quiz: str, kept: str, rule: str, score: float) -> dict:
    """One set-aside file in results.json."""
    return {"file": file, "learner": learner, "quiz": quiz, "kept": kept, "rule": rule, "score": score}


def rejected_json(rejection) -> dict:
    """One rejected file in results.json."""
    return {"file": rejection.file, "line": rejection.line, "reason": rejection.reason}


def skipped_json(skipped) -> dict:
    """One file or folder looked at and not graded, in results.json."""
    return {"file": skipped.file, "reason": skipped.reason}


def generated_now(moment: datetime | None = None) -> str:
    """The time stamp results.json carries."""
    return (moment or datetime.now(timezone.utc)).replace(microsecond=0).isoformat().replace("+00:00", "Z")


def results_document(batch: Batch, course: Course, *, generated: datetime | None = None) -> dict:
    """Everything graded, in one document: what `grader stats` and `grader report` read."""
    used = {g.submission.quiz for g in batch.graded} | {s.graded.submission.quiz for s in batch.set_aside}
    return {
        "format": 1,
        "generated": generated_now(generated),
        "summary": summary(batch),
        "quizzes": quizzes_json(course, used),
        "results": [_result_json(g) for g in batch.graded],
        "set_aside": [
            set_aside_json(s.graded.submission.file, s.graded.submission.learner_id, s.graded.submission.quiz, s.kept, s.rule, s.graded.result.score)
            for s in batch.set_aside
        ],
        "rejected": [rejected_json(r) for r in batch.rejected],
        "skipped": [skipped_json(s) for s in batch.skipped],
    }


def counts(learners: list[str], warned: int, *, set_aside: int, rejected: int, skipped: int) -> dict:
    """Counts an instructor wants at a glance, from the learner id of each counted result."""
    return {
        "files": len(learners) + set_aside + rejected,
        "graded": len(learners),
        "set_aside": set_aside,
        "rejected": rejected,
        "skipped": skipped,
        "warnings": warned,
        "learners": len(set(learners)),
    }


def summary(batch: Batch) -> dict:
    """The counts for a batch graded in memory."""
    return counts(
        [g.submission.learner_id for g in batch.graded],
        sum(1 for g in batch.graded if g.submission.warnings),
        set_aside=len(batch.set_aside), rejected=len(batch.rejected), skipped=len(batch.skipped),
    )


def lesson_link(target: str, site_url: str | None) -> str:
    """A lesson reference as a link the learner can open: on the published site when its address is known."""
    if not target:
        return ""
    page, _, anchor = target.partition("#")
    if not site_url:
        return _link_safe(target)
    path = page[:-3] if page.endswith(".md") else page
    path = "" if path == "index" else (path[:-6] if path.endswith("/index") else path) + "/"
    return _link_safe(site_url.rstrip("/") + "/" + path + (f"#{anchor}" if anchor else ""))


def _link_safe(url: str) -> str:
    # Spaces, brackets, parentheses and angle brackets would end a Markdown link early.
    return quote(url, safe=":/?#@!$&'*+,;=%~")


def _choice_text(choices, choice_id: Any, *, with_id: bool = True) -> str:
    """A choice as the learner reads it: its id and text from the course, or the unknown id they wrote, escaped."""
    for choice in choices:
        if choice.id == str(choice_id):
            return f"{choice.id}: {choice.text}" if with_id else choice.text
    return md_text(choice_id)


def _as_written(answer: Any) -> str:
    return md_code(json.dumps(answer, ensure_ascii=False)[:200])


def describe_answer(question: Question, item: ItemResult) -> str:
    """The learner's answer in words, as Markdown: the course's option texts as written, the learner's own text escaped."""
    answer = item.answer
    if not item.answered:
        return "*(not answered)*"
    if item.note and item.type != "dialogue":
        return _as_written(answer)
    if question.type == "single":
        return _choice_text(question.options, answer)
    if question.type == "multiple":
        ids = answer if isinstance(answer, list) else [answer]
        return "; ".join(_choice_text(question.options, a) for a in ids)
    if question.type == "true_false":
        return "true" if answer else "false"
    if question.type == "ordering":
        return " → ".join(_choice_text(question.items, a, with_id=False) for a in answer)
    if question.type == "matching":
        return "; ".join(f"{_choice_text(question.pairs, p, with_id=False)} → {_choice_text(question.choices, c, with_id=False)}" for p, c in answer.items())
    if question.type == "dialogue":
        path = item.evidence.get("path") or []
        return f"path of {len(path)} replies: {', '.join(md_text(p) for p in path)}" if path else _as_written(answer)
    return md_text(answer)


def _quote(text: str) -> str:
    return "\n".join("> " + line if line.strip() else ">" for line in text.strip().splitlines())


def feedback_markdown(graded: Graded, quiz: Quiz, course: Course, site_url: str | None = None) -> str:
    """What one learner reads about one quiz: score, every question, their answer, feedback, what to revisit.

    Texts from the course are Markdown and stay as written; everything from the answer file (name,
    file name, answers, and the warnings and notes that quote them) is escaped with md_text or md_code.
    """
    sub, result = graded.submission, graded.result
    who = f"{md_text(sub.learner_name)} ({md_text(sub.learner_id)})" if sub.learner_name else md_text(sub.learner_id)
    lines = [
        f"# {quiz.title}: your feedback",
        "",
        f"- **Learner:** {who}",
        f"- **Score:** {_number(result.score)} of {_number(result.max)} points ({result.percent}%)",
        f"- **File:** {md_text(sub.file)}",
    ]
    if sub.submitted:
        lines.append(f"- **Handed in:** {sub.submitted.strftime('%Y-%m-%d %H:%M UTC')}")
    for warning in sub.warnings:
        lines.append(f"- **Note:** {md_text(warning)}")
    lines.append("")
    by_id = {q.id: q for q in quiz.questions}
    revisit: dict[str, str] = {}
    for number, item in enumerate(result.items, 1):
        question = by_id[item.question]
        unit = "point" if item.max == 1 else "points"
        lines += [f"## Question {number} ({_number(item.score)} of {_number(item.max)} {unit})", "", _quote(question.prompt), ""]
        lines.append(f"**Your answer:** {describe_answer(question, item)}")
        lines.append("")
        if item.note and item.note != "not answered":
            lines += [f"**Not scored as given:** {md_text(item.note)}", ""]
        if item.type == "dialogue" and item.evidence.get("ending"):
            ev = item.evidence
            ending = course.dialogues[question.scenario].endings.get(ev["ending"])
            shown = ", ".join(course.steps[s].title for s in ev["steps_shown"] if s in course.steps) or "none"
            made = ", ".join(course.anti_patterns[m].title for m in ev["mistakes"] if m in course.anti_patterns) or "none"
            lines += [
                f"- **Ending:** {ending.title if ending else md_text(ev['ending'])} ({md_text(str(ev['outcome']).replace('_', ' '))})",
                f"- **Steps you showed:** {shown}",
                f"- **Mistakes:** {made}",
                "",
            ]
        for text in item.feedback:
            lines += [text.strip(), ""]
        if not item.correct and item.lesson:
            link = lesson_link(item.lesson, site_url)
            lines += [f"**Revisit:** [{course.section_name(item.lesson)}]({link})", ""]
            revisit.setdefault(item.lesson, link)
    if revisit:
        lines += ["## What to revisit", ""]
        lines += [f"- [{course.section_name(target)}]({link})" for target, link in revisit.items()]
        lines.append("")
    return "\n".join(lines)


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


def render(graded: Graded, course: Course, site_url: str | None = None) -> Rendered:
    """Everything written about one graded file."""
    sub = graded.submission
    quiz = course.activity(sub.quiz)
    # The C encoder, not indent=2's pure-Python one: this runs once per file.
    result = json_text(_result_json(graded), separators=(",", ":"))
    return Rendered(sub.learner_id, quiz.id, gradebook_row(graded), result, feedback_markdown(graded, quiz, course, site_url))


OUTPUTS = ("feedback", "gradebook.csv", "rejected.csv", "results.json")
"""What `write_all` writes into a run's folder."""


def write_all(folder: Path, rendered: Iterable[Rendered], *, head: dict, set_aside: list[dict], rejected: list) -> None:
    """Write every output of one run into `folder`, a run folder that nobody reads until it is switched in whole.

    `head` is the start of results.json (format, run, generated, summary, quizzes); results follow one per line.
    """
    feedback = folder / "feedback"
    feedback.mkdir()
    made: set[str] = set()
    with open(folder / "results.json", "w", encoding="utf-8") as results, open(folder / "gradebook.csv", "w", encoding="utf-8", newline="") as book:
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
            results.write(separator + item.result)
            separator = ",\n    "
            gradebook.writerow([safe_cell(cell) for cell in item.row])
        results.write("\n  ],\n")
        results.write(f'  "set_aside": {json_text(set_aside)},\n')
        results.write(f'  "rejected": {json_text(rejected)}\n}}\n')
    with open(folder / "rejected.csv", "w", encoding="utf-8", newline="") as out:
        out.write(csv_text(["file", "reason"], ([r["file"], r["reason"]] for r in rejected)))
