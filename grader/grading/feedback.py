"""What a learner reads about one hand-in: score, each question, their answer beside what was right, and what to revisit."""

from __future__ import annotations

import json
from typing import Any
from urllib.parse import quote

from grader.common.escape import md_code, md_text
from grader.common.text import number
from grader.course import Course, Question, Quiz
from grader.grading.one_file import Graded
from grader.grading.scoring import ItemResult


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
        return "; ".join(
            f"{_choice_text(question.pairs, p, with_id=False)} → {_choice_text(question.choices, c, with_id=False)}"
            for p, c in answer.items()
        )
    if question.type == "dialogue":
        path = item.evidence.get("path") or []
        return f"path of {len(path)} replies: {', '.join(md_text(p) for p in path)}" if path else _as_written(answer)
    return md_text(answer)


def _section_name(course: Course, target: str) -> str:
    found = course.lesson_section(target)
    return f"{found.section} ({found.page})" if found.section else found.page


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
        f"- **Score:** {number(result.score)} of {number(result.max)} points ({result.percent}%)",
        f"- **File:** {md_text(sub.file)}",
    ]
    if sub.submitted:
        lines.append(f"- **Handed in:** {sub.submitted.strftime('%Y-%m-%d %H:%M UTC')}")
    for warning in sub.warnings:
        lines.append(f"- **Note:** {md_text(warning)}")
    lines.append("")
    by_id = {q.id: q for q in quiz.questions}
    revisit: dict[str, str] = {}
    for position, item in enumerate(result.items, 1):
        question = by_id[item.question]
        unit = "point" if item.max == 1 else "points"
        lines += [f"## Question {position} ({number(item.score)} of {number(item.max)} {unit})", "", _quote(question.prompt), ""]
        lines.append(f"**Your answer:** {describe_answer(question, item)}")
        lines.append("")
        if item.note and item.note != "not answered":
            lines += [f"**Not scored as given:** {md_text(item.note)}", ""]
        if item.type == "dialogue" and item.evidence.get("ending"):
            ev = item.evidence
            ending = course.scenario_of(question).endings.get(ev["ending"])
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
            lines += [f"**Revisit:** [{_section_name(course, item.lesson)}]({link})", ""]
            revisit.setdefault(item.lesson, link)
    if revisit:
        lines += ["## What to revisit", ""]
        lines += [f"- [{_section_name(course, target)}]({link})" for target, link in revisit.items()]
        lines.append("")
    return "\n".join(lines)
