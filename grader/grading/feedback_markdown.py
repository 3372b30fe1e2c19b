"""The feedback page as Markdown: feedback/<learner>/<activity>.md, readable as plain text and rendered by any Markdown reader.

Author text is written as the author wrote it; every other text goes through md_text (or md_code), so nothing a
learner wrote becomes markup. Inside a table a `|` would end the cell, so it is escaped there too.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any

from grader.common.escape import md_code, md_text
from grader.common.text import number
from grader.grading.feedback_model import (
    REVEALED,
    Answer,
    Author,
    Choices,
    Code,
    Conversation,
    FeedbackPage,
    Line,
    Order,
    Pairs,
    QuestionFeedback,
    Revisit,
    Typed,
    points_cell,
)


@functools.lru_cache(maxsize=16384)
def _piece(kind: type, text: str, cell: bool) -> str:
    """One piece as Markdown, by its kind; kept, since the same texts come back on every page."""
    if kind is Code:
        return md_code(text)
    shown = " ".join(text.split()) if kind is Author else md_text(text)
    return shown.replace("|", "\\|") if cell else shown


def inline(line: Line, *, cell: bool = False) -> str:
    """Pieces on one line as Markdown; `cell` also escapes `|`, which would end a table cell."""
    # The kind is part of the key: a learner's text equal to an author's is still escaped.
    return "".join(_piece(type(piece), piece, cell) for piece in line)


def _quote(text: str) -> list[str]:
    return ["> " + line if line.strip() else ">" for line in text.strip().splitlines()] + [""]


def _item(lead: str, block: str = "") -> list[str]:
    """A list item: `lead`, then author Markdown indented so every paragraph of it stays in the item."""
    lines = block.strip().splitlines()
    first = f"- {lead} {lines[0]}".rstrip() if lines else f"- {lead}"
    return [first] + [("    " + line) if line.strip() else "" for line in lines[1:]]


def _table(header: list[str], rows: list[list[str]]) -> list[str]:
    return ["| " + " | ".join(header) + " |", "|" + " --- |" * len(header)] + ["| " + " | ".join(r) + " |" for r in rows] + [""]


def revisit_line(revisit: Revisit) -> str:
    """A lesson section, named as the lesson shows it, linked when the published site is known."""
    section, page = revisit.section.section, revisit.section.page
    name = inline((Author(section or page),))
    target = f"[{name}]({revisit.url})" if revisit.url else name
    return f"{target}, in the lesson {inline((Author(page),))}" if section else f"the lesson {target}"


def _choices(block: Choices) -> list[str]:
    shown = any(row.right is not None for row in block.rows)
    header = ["Option", "Chosen"] + (["Right"] if shown else [])
    rows = [
        [inline(r.option, cell=True), "yes" if r.chosen else "no"] + (["yes" if r.right else "no"] if shown else [])
        for r in block.rows
    ]
    lines = _table(header, rows)
    for row in block.rows:
        if row.feedback:
            lines += _item(f"**{row.status}:** {inline(row.option)} —", row.feedback)
    return lines + ([""] if lines[-1] else [])


def _pairs(block: Pairs) -> list[str]:
    shown = all(row.right is not None for row in block.rows)
    header = ["Pair", "Your match"] + (["Right match", "Result"] if shown else [])
    rows = []
    for r in block.rows:
        row = [inline(r.prompt, cell=True), inline(r.given, cell=True) if r.given else "(none)"]
        if shown and r.right is not None:
            row += [inline(r.right, cell=True), "right" if r.ok else "wrong"]
        rows.append(row)
    return _table(header, rows)


def _order(block: Order) -> list[str]:
    if block.right is None or not block.yours:
        mine = [f"**Your order:** {' → '.join(inline(i) for i in block.yours)}", ""] if block.yours else []
        right = [f"**Right order:** {' → '.join(inline(i) for i in block.right)}", ""] if block.right else []
        return mine + right
    size = max(len(block.yours), len(block.right))
    rows = [
        [
            str(n + 1),
            inline(block.yours[n], cell=True) if n < len(block.yours) else "",
            inline(block.right[n], cell=True) if n < len(block.right) else "",
        ]
        for n in range(size)
    ]
    return _table(["Place", "Your order", "Right order"], rows)


def _typed(block: Typed) -> list[str]:
    lines = [f"**You wrote:** {inline(block.given) if block.given else '(nothing)'}", ""]
    if block.accepted is not None:
        accepted = "; ".join(inline(a) for a in block.accepted) or "(see the feedback)"
        other = " (and other wordings of the same answer)" if block.patterned else ""
        lines += [f"**Accepted:** {accepted}{other}", ""]
    return lines


def _conversation(block: Conversation) -> list[str]:
    lines: list[str] = []
    if block.turns:
        shown = any(t.points is not None for t in block.turns)
        header = ["#", f"{inline((Author(block.customer),), cell=True)} said", "You replied"] + (["Points"] if shown else [])
        rows = []
        for n, turn in enumerate(block.turns, 1):
            row = [str(n), inline(turn.customer, cell=True), inline(turn.reply, cell=True)]
            if shown:
                row.append(points_cell(turn))
            rows.append(row)
        lines += [f"**Your conversation with {inline((Author(block.customer),))}:**", ""] + _table(header, rows)
    if block.ending:
        lines += [f"**Ending:** {inline(block.ending)}", ""]
    if block.debrief:
        lines += [block.debrief.strip(), ""]
    if block.steps is not None:
        lines += [
            f"- **Steps you showed:** {inline(block.steps) or 'none'}",
            f"- **Mistakes:** {inline(block.mistakes or ()) or 'none'}",
            "",
        ]
    if block.costly:
        lines += ["**The replies that cost the most:**", ""]
        for costly in block.costly:
            lead = f"“{inline(costly.reply)}”, {number(costly.cost)} point{'s' if costly.cost != 1 else ''} below the best reply there —"
            lines += _item(lead, costly.feedback)
            if costly.revisit:
                lines += ["", f"    Revisit: {revisit_line(costly.revisit)}"]
        lines.append("")
    if block.better:
        lines += (
            ["**A path to the best ending:**", ""] + [f"{n}. {inline(reply)}" for n, reply in enumerate(block.better, 1)] + [""]
        )
    return lines


def answer_lines(answer: Answer) -> list[str]:
    """The answer block of one question, by its kind."""
    writers: dict[type, Callable[[Any], list[str]]] = {
        Choices: _choices,
        Pairs: _pairs,
        Order: _order,
        Typed: _typed,
        Conversation: _conversation,
    }
    return writers[type(answer)](answer)


def question_lines(q: QuestionFeedback) -> list[str]:
    """One question: its result, the prompt, the answer beside what was right, why, and what to revisit."""
    unit = "point" if q.max == 1 else "points"
    lines = [f"## Question {q.number}: {q.verdict} ({number(q.score)} of {number(q.max)} {unit})", ""] + _quote(q.prompt)
    if q.verdict == "not answered":
        lines += ["**Your answer:** none; the question was not answered.", ""]
    if q.written:
        lines += [f"**Your answer as written:** {inline(q.written)}", ""]
    if q.note:
        lines += [f"**Not scored as given:** {md_text(q.note)}", ""]
    lines += answer_lines(q.answer)
    for text in q.feedback:
        lines += [text.strip(), ""]
    if q.revisit:
        lines += [f"**Revisit:** {revisit_line(q.revisit)}", ""]
    return lines


def feedback_markdown(page: FeedbackPage) -> str:
    """The whole page as Markdown."""
    lines = [f"# {inline((Author(page.title),))}: your feedback", ""]
    lines += [f"- **{fact.label}:** {inline(fact.value)}" for fact in page.facts] + [""]
    lines += [REVEALED[page.reveal], ""]
    for question in page.questions:
        lines += question_lines(question)
    if page.revisit:
        lines += ["## What to revisit", ""] + [f"- {revisit_line(r)}" for r in page.revisit] + [""]
    while lines and not lines[-1]:
        lines.pop()
    return "\n".join(lines) + "\n"
