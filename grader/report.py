"""Write what grading produced: gradebook.csv, results.json, feedback/<learner>/<quiz>.md, rejected.csv."""

from __future__ import annotations

import csv
import io
import json
import os
import shutil
import tempfile
from datetime import datetime, timezone
from pathlib import Path
from typing import Any, Iterable

from grader.course import Course, Question, Quiz
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
    """Write to a temporary name beside `path`, then rename, so readers never see half a file."""
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(handle, "w", encoding="utf-8", newline="") as out:
            out.write(text)
        os.replace(temp, path)
    except BaseException:
        Path(temp).unlink(missing_ok=True)
        raise


def _number(value: float) -> float | int:
    """2.0 -> 2, 2.5 -> 2.5: readable in CSV and Markdown."""
    value = round(value, 2)
    return int(value) if value == int(value) else value


def gradebook_csv(batch: Batch) -> str:
    """One row per learner and quiz."""
    rows = (
        [g.submission.learner_id, g.submission.learner_name, g.submission.quiz, _number(g.result.score), _number(g.result.max), g.result.percent, g.status, g.submission.file]
        for g in batch.graded
    )
    return csv_text(GRADEBOOK_COLUMNS, rows)


def rejected_csv(batch: Batch) -> str:
    """One row per file that could not be graded."""
    return csv_text(["file", "reason"], ([r.file, r.reason] for r in batch.rejected))


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


def results_document(batch: Batch, course: Course, *, generated: datetime | None = None) -> dict:
    """Everything graded, in one document that `grader stats` and `grader report` read."""
    used = sorted({g.submission.quiz for g in batch.graded} | {s.graded.submission.quiz for s in batch.set_aside})
    quizzes = {}
    for quiz_id in used:
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
    moment = generated or datetime.now(timezone.utc)
    return {
        "format": 1,
        "generated": moment.replace(microsecond=0).isoformat().replace("+00:00", "Z"),
        "summary": summary(batch),
        "quizzes": quizzes,
        "results": [_result_json(g) for g in batch.graded],
        "set_aside": [
            {"file": s.graded.submission.file, "learner": s.graded.submission.learner_id, "quiz": s.graded.submission.quiz, "kept": s.kept, "rule": s.rule, "score": s.graded.result.score}
            for s in batch.set_aside
        ],
        "rejected": [{"file": r.file, "line": r.line, "reason": r.reason} for r in batch.rejected],
    }


def summary(batch: Batch) -> dict:
    """Counts an instructor wants at a glance."""
    return {
        "files": batch.files,
        "graded": len(batch.graded),
        "set_aside": len(batch.set_aside),
        "rejected": len(batch.rejected),
        "skipped": len(batch.skipped),
        "warnings": sum(1 for g in batch.graded if g.submission.warnings),
        "learners": len({g.submission.learner_id for g in batch.graded}),
    }


def lesson_link(target: str, site_url: str | None) -> str:
    """A lesson reference as a link the learner can open: on the published site when its address is known."""
    if not target:
        return ""
    page, _, anchor = target.partition("#")
    if not site_url:
        return target
    path = page[:-3] if page.endswith(".md") else page
    path = "" if path == "index" else (path[:-6] if path.endswith("/index") else path) + "/"
    return site_url.rstrip("/") + "/" + path + (f"#{anchor}" if anchor else "")


def _choice_text(choices, choice_id: Any) -> str:
    for choice in choices:
        if choice.id == str(choice_id):
            return f"{choice.id}: {choice.text}"
    return str(choice_id)


def describe_answer(question: Question, item: ItemResult) -> str:
    """The learner's answer in words, with option texts."""
    answer = item.answer
    if not item.answered:
        return "*(not answered)*"
    if item.note and item.type != "dialogue":
        return f"`{json.dumps(answer, ensure_ascii=False)[:200]}`"
    if question.type == "single":
        return _choice_text(question.options, answer)
    if question.type == "multiple":
        ids = answer if isinstance(answer, list) else [answer]
        return "; ".join(_choice_text(question.options, a) for a in ids)
    if question.type == "true_false":
        return "true" if answer else "false"
    if question.type == "ordering":
        return " → ".join(_choice_text(question.items, a).split(": ", 1)[-1] for a in answer)
    if question.type == "matching":
        return "; ".join(f"{_choice_text(question.pairs, p).split(': ', 1)[-1]} → {_choice_text(question.choices, c).split(': ', 1)[-1]}" for p, c in answer.items())
    if question.type == "dialogue":
        path = item.evidence.get("path") or []
        return f"path of {len(path)} replies: {', '.join(path)}" if path else f"`{json.dumps(answer, ensure_ascii=False)[:200]}`"
    return str(answer)


def _quote(text: str) -> str:
    return "\n".join("> " + line if line.strip() else ">" for line in text.strip().splitlines())


def feedback_markdown(graded: Graded, quiz: Quiz, course: Course, site_url: str | None = None) -> str:
    """What one learner reads about one quiz: score, every question, their answer, feedback, what to revisit."""
    sub, result = graded.submission, graded.result
    who = f"{sub.learner_name} ({sub.learner_id})" if sub.learner_name else sub.learner_id
    lines = [
        f"# {quiz.title}: your feedback",
        "",
        f"- **Learner:** {who}",
        f"- **Score:** {_number(result.score)} of {_number(result.max)} points ({result.percent}%)",
        f"- **File:** {sub.file}",
    ]
    if sub.submitted:
        lines.append(f"- **Handed in:** {sub.submitted.strftime('%Y-%m-%d %H:%M UTC')}")
    for warning in sub.warnings:
        lines.append(f"- **Note:** {warning}")
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
            lines += [f"**Not scored as given:** {item.note}", ""]
        if item.type == "dialogue" and item.evidence.get("ending"):
            ev = item.evidence
            ending = course.dialogues[question.scenario].endings.get(ev["ending"])
            shown = ", ".join(course.steps[s].title for s in ev["steps_shown"] if s in course.steps) or "none"
            made = ", ".join(course.anti_patterns[m].title for m in ev["mistakes"] if m in course.anti_patterns) or "none"
            lines += [
                f"- **Ending:** {ending.title if ending else ev['ending']} ({str(ev['outcome']).replace('_', ' ')})",
                f"- **Steps you showed:** {shown}",
                f"- **Mistakes:** {made}",
                "",
            ]
        for text in item.feedback:
            lines += [text.strip(), ""]
        if not item.correct and item.lesson:
            link = lesson_link(item.lesson, site_url)
            lines += [f"**Revisit:** [{_section_name(item.lesson, course)}]({link})", ""]
            revisit.setdefault(item.lesson, link)
    if revisit:
        lines += ["## What to revisit", ""]
        lines += [f"- [{_section_name(target, course)}]({link})" for target, link in revisit.items()]
        lines.append("")
    return "\n".join(lines)


def _section_name(target: str, course: Course) -> str:
    """A readable name for a lesson section: the step it teaches, or the page."""
    for step in course.steps.values():
        if step.lesson == target:
            return f"{step.title} ({next(m.title for m in course.models if m.id == step.model)})"
    for model in course.models:
        if model.lesson == target.partition("#")[0]:
            return model.title + (f", section {target.partition('#')[2]}" if "#" in target else "")
    return target


def _swap_in(staging: Path, final: Path) -> None:
    """Put a fully written folder in place of `final` with two renames, never leaving half of one."""
    old = None
    if final.exists():
        old = final.with_name(f".{final.name}.old-{os.getpid()}")
        os.replace(final, old)
    os.replace(staging, final)
    if old is not None:
        shutil.rmtree(old, ignore_errors=True)


def write_outputs(out: Path, batch: Batch, course: Course, *, site_url: str | None = None) -> list[Path]:
    """Write every output under `out`: the feedback folder whole, then each file whole; gradebook last."""
    out.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=".feedback.", dir=out))
    written = []
    try:
        for graded in batch.graded:
            quiz = course.activity(graded.submission.quiz)
            folder = staging / graded.submission.learner_id
            folder.mkdir(exist_ok=True)
            (folder / f"{quiz.id}.md").write_text(feedback_markdown(graded, quiz, course, site_url), encoding="utf-8")
            written.append(out / "feedback" / graded.submission.learner_id / f"{quiz.id}.md")
        _swap_in(staging, out / "feedback")
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    for name, text in (
        ("rejected.csv", rejected_csv(batch)),
        ("results.json", json.dumps(results_document(batch, course), indent=2, ensure_ascii=False) + "\n"),
        ("gradebook.csv", gradebook_csv(batch)),
    ):
        write_atomic(out / name, text)
        written.append(out / name)
    return written
