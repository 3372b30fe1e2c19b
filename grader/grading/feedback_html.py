"""The feedback page as one self-contained HTML file beside the Markdown: the same content, readable offline, printable, accessible.

No script, no font, no image and no request: the style is inline and follows the reader's light or dark setting.
Author text is converted from Markdown as the site converts it; every other text is put on one line, with control
characters shown as escapes (as in the Markdown page), and goes through html_text.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any

from grader.common.author_text import inline_html, markdown_html, plain_text
from grader.common.escape import html_text, one_line
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

GENERATOR = '<meta name="generator" content="grader grade">'

# Colours keep 4.5:1 against their background in both schemes; every result is also said in words.
CSS = """
:root { color-scheme: light dark; --text: #1a1a1a; --muted: #4d4d4d; --back: #fff; --panel: #f3f5f8; --line: #8c8c8c;
  --link: #0b4f8a; --right: #1d5c2e; --wrong: #9b1c1c; --partly: #7a4a00; --focus: #a04b00; }
@media (prefers-color-scheme: dark) {
  :root { --text: #ececec; --muted: #c2c2c2; --back: #16181d; --panel: #23262d; --line: #7a7a7a;
    --link: #8cc4ff; --right: #8fd6a0; --wrong: #ff9e9e; --partly: #f2c46d; --focus: #ffb870; }
}
* { box-sizing: border-box; }
body { margin: 0; font: 16px/1.55 system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif;
  color: var(--text); background: var(--back); }
main { max-width: 50rem; margin: 0 auto; padding: 1.5rem 1.25rem 3rem; }
h1 { font-size: 1.8rem; margin: 0 0 1rem; line-height: 1.25; }
h2 { font-size: 1.3rem; margin: 2.25rem 0 .75rem; padding-top: .5rem; border-top: 3px solid var(--line); }
a { color: var(--link); }
a:focus-visible { outline: 3px solid var(--focus); outline-offset: 2px; }
dl.facts { margin: 0 0 1rem; }
dl.facts div { display: flex; flex-wrap: wrap; gap: 0 .5rem; }
dl.facts dt { font-weight: 600; }
dl.facts dt::after { content: ":"; }
dl.facts dd { margin: 0; }
.reveal { color: var(--muted); }
nav ol { padding-left: 1.5rem; columns: 2 14rem; }
blockquote { margin: 0 0 1rem; padding: .5rem 1rem; border-left: 4px solid var(--line); background: var(--panel); }
blockquote > :first-child { margin-top: 0; } blockquote > :last-child { margin-bottom: 0; }
table { border-collapse: collapse; margin: .5rem 0 1rem; }
caption { text-align: left; font-weight: 600; padding-bottom: .3rem; }
th, td { border: 1px solid var(--line); padding: .3rem .6rem; text-align: left; vertical-align: top; }
thead th { background: var(--panel); }
tbody th { font-weight: normal; }
.right { color: var(--right); font-weight: 600; }
.wrong { color: var(--wrong); font-weight: 600; }
.partly { color: var(--partly); font-weight: 600; }
li > p:first-of-type { display: inline; }
code { font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; font-size: .92em; background: var(--panel);
  padding: 0 .2em; border-radius: 3px; overflow-wrap: anywhere; }
@media print {
  :root { --text: #000; --muted: #333; --back: #fff; --panel: #eee; --line: #555; --link: #000;
    --right: #000; --wrong: #000; --partly: #000; }
  @page { margin: 14mm; }
  body { font-size: 10.5pt; }
  main { max-width: none; padding: 0; }
  nav { display: none; }
  h2 { break-after: avoid; }
  tr, blockquote, li { break-inside: avoid; }
  a { text-decoration: none; }
  a[href^="http"]::after { content: " (" attr(href) ")"; font-size: .85em; overflow-wrap: anywhere; }
}
"""

VERDICT_CLASS = {"right": "right", "partly right": "partly", "wrong": "wrong", "not answered": "wrong", "not scored": "wrong"}


@functools.lru_cache(maxsize=16384)
def _piece(kind: type, text: str) -> str:
    """One piece as HTML, by its kind; kept, since the same texts come back on every page."""
    if kind is Code:
        return f"<code>{html_text(one_line(text))}</code>"
    if kind is Author:
        return inline_html(" ".join(text.split()))
    return html_text(one_line(text))


def inline(line: Line) -> str:
    """Pieces on one line as HTML: author Markdown converted, everything else as text."""
    # The kind is part of the key: a learner's text equal to an author's is still escaped.
    return "".join(_piece(type(piece), piece) for piece in line)


def _yes(flag: bool, *, good: bool | None = None) -> str:
    word = "yes" if flag else "no"
    return f'<span class="{"right" if good else "wrong"}">{word}</span>' if good is not None else word


def _table(caption: str, header: list[str], rows: list[list[str]]) -> str:
    """A table whose first cell in each row heads it."""
    head = "".join(f'<th scope="col">{h}</th>' for h in header)
    body = "".join(
        "<tr>" + f'<th scope="row">{row[0]}</th>' + "".join(f"<td>{cell}</td>" for cell in row[1:]) + "</tr>\n" for row in rows
    )
    return f"<table>\n<caption>{caption}</caption>\n<thead><tr>{head}</tr></thead>\n<tbody>\n{body}</tbody>\n</table>\n"


def revisit_html(revisit: Revisit) -> str:
    """A lesson section, named as the lesson shows it, linked when the published site is known."""
    section, page = revisit.section.section, revisit.section.page
    name = inline((Author(section or page),))
    target = f'<a href="{html_text(revisit.url)}">{name}</a>' if revisit.url else name
    return f"{target}, in the lesson {inline((Author(page),))}" if section else f"the lesson {target}"


def _choices(block: Choices) -> str:
    shown = any(row.right is not None for row in block.rows)
    header = ["Option", "Chosen"] + (["Right"] if shown else [])
    rows = []
    for r in block.rows:
        good = None if r.right is None else r.chosen == r.right
        rows.append([inline(r.option), _yes(r.chosen, good=good)] + ([_yes(bool(r.right))] if shown else []))
    out = _table("The options, and your choice", header, rows)
    why = []
    for row in block.rows:
        if row.feedback:
            why.append(f"<li><strong>{row.status}:</strong> {inline(row.option)} — {markdown_html(row.feedback)}</li>\n")
    return out + (f"<ul>\n{''.join(why)}</ul>\n" if why else "")


def _pairs(block: Pairs) -> str:
    shown = all(row.right is not None for row in block.rows)
    header = ["Pair", "Your match"] + (["Right match", "Result"] if shown else [])
    rows = []
    for r in block.rows:
        row = [inline(r.prompt), inline(r.given) if r.given else "(none)"]
        if shown and r.right is not None:
            row += [inline(r.right), f'<span class="{"right" if r.ok else "wrong"}">{"right" if r.ok else "wrong"}</span>']
        rows.append(row)
    return _table("Each pair, your match" + (" and the right one" if shown else ""), header, rows)


def _order(block: Order) -> str:
    if block.right is None or not block.yours:
        mine = f"<p><strong>Your order:</strong> {' → '.join(inline(i) for i in block.yours)}</p>\n" if block.yours else ""
        right = f"<p><strong>Right order:</strong> {' → '.join(inline(i) for i in block.right)}</p>\n" if block.right else ""
        return mine + right
    size = max(len(block.yours), len(block.right))
    rows = []
    for n in range(size):
        mine = inline(block.yours[n]) if n < len(block.yours) else ""
        right = inline(block.right[n]) if n < len(block.right) else ""
        mark = "right" if n < len(block.yours) and n < len(block.right) and block.yours[n] == block.right[n] else "wrong"
        rows.append([str(n + 1), f'<span class="{mark}">{mine}</span>', right])
    return _table("Your order beside the right one", ["Place", "Your order", "Right order"], rows)


def _typed(block: Typed) -> str:
    out = f"<p><strong>You wrote:</strong> {inline(block.given) if block.given else '(nothing)'}</p>\n"
    if block.accepted is not None:
        accepted = "; ".join(inline(a) for a in block.accepted) or "(see the feedback)"
        other = " (and other wordings of the same answer)" if block.patterned else ""
        out += f"<p><strong>Accepted:</strong> {accepted}{other}</p>\n"
    return out


def _conversation(block: Conversation) -> str:
    out = ""
    customer = inline((Author(block.customer),))
    if block.turns:
        shown = any(t.points is not None for t in block.turns)
        header = ["#", f"{customer} said", "You replied"] + (["Points"] if shown else [])
        rows = []
        for n, turn in enumerate(block.turns, 1):
            row = [str(n), inline(turn.customer), inline(turn.reply)]
            if shown:
                row.append(points_cell(turn))
            rows.append(row)
        out += _table(f"Your conversation with {customer}", header, rows)
    if block.ending:
        out += f"<p><strong>Ending:</strong> {inline(block.ending)}</p>\n"
    if block.debrief:
        out += markdown_html(block.debrief) + "\n"
    if block.steps is not None:
        out += (
            f"<ul><li><strong>Steps you showed:</strong> {inline(block.steps) or 'none'}</li>"
            f"<li><strong>Mistakes:</strong> {inline(block.mistakes or ()) or 'none'}</li></ul>\n"
        )
    if block.costly:
        items = []
        for costly in block.costly:
            points = f"{number(costly.cost)} point{'s' if costly.cost != 1 else ''}"
            item = f"“{inline(costly.reply)}”, {points} below the best reply there — {markdown_html(costly.feedback)}"
            if costly.revisit:
                item += f"<p>Revisit: {revisit_html(costly.revisit)}</p>"
            items.append(f"<li>{item}</li>\n")
        out += f"<p><strong>The replies that cost the most:</strong></p>\n<ul>\n{''.join(items)}</ul>\n"
    if block.better:
        out += (
            "<p><strong>A path to the best ending:</strong></p><ol>"
            + "".join(f"<li>{inline(r)}</li>" for r in block.better)
            + "</ol>"
        )
    return out


def answer_html(answer: Answer) -> str:
    """The answer block of one question, by its kind."""
    writers: dict[type, Callable[[Any], str]] = {
        Choices: _choices,
        Pairs: _pairs,
        Order: _order,
        Typed: _typed,
        Conversation: _conversation,
    }
    return writers[type(answer)](answer)


def question_html(q: QuestionFeedback) -> str:
    """One question as a section: its result, the prompt, the answer beside what was right, why, and what to revisit."""
    unit = "point" if q.max == 1 else "points"
    verdict = f'<span class="{VERDICT_CLASS.get(q.verdict, "wrong")}">{q.verdict}</span>'
    parts = [
        f'<section id="q{q.number}" aria-labelledby="q{q.number}-title">',
        f'<h2 id="q{q.number}-title">Question {q.number}: {verdict} ({number(q.score)} of {number(q.max)} {unit})</h2>',
        f"<blockquote>{markdown_html(q.prompt)}</blockquote>",
    ]
    if q.verdict == "not answered":
        parts.append("<p><strong>Your answer:</strong> none; the question was not answered.</p>")
    if q.written:
        parts.append(f"<p><strong>Your answer as written:</strong> {inline(q.written)}</p>")
    if q.note:
        parts.append(f"<p><strong>Not scored as given:</strong> {html_text(one_line(q.note))}</p>")
    parts.append(answer_html(q.answer).rstrip("\n"))
    parts += [markdown_html(text) for text in q.feedback]
    if q.revisit:
        parts.append(f"<p><strong>Revisit:</strong> {revisit_html(q.revisit)}</p>")
    return "\n".join(p for p in parts if p) + "\n</section>\n"


def feedback_html(page: FeedbackPage) -> str:
    """The whole page as one HTML document."""
    title = f"{plain_text(page.title)}: your feedback"
    facts = "".join(f"<div><dt>{html_text(f.label)}</dt><dd>{inline(f.value)}</dd></div>\n" for f in page.facts)
    contents = "".join(
        f'<li><a href="#q{q.number}">Question {q.number}</a>: {html_text(q.verdict)}</li>\n' for q in page.questions
    )
    parts = [
        f"<h1>{inline((Author(page.title),))}: your feedback</h1>",
        f'<dl class="facts">\n{facts}</dl>',
        f'<p class="reveal">{html_text(REVEALED[page.reveal])}</p>',
        f'<nav aria-label="Questions">\n<ol>\n{contents}</ol>\n</nav>',
        *(question_html(q) for q in page.questions),
    ]
    if page.revisit:
        items = "".join(f"<li>{revisit_html(r)}</li>\n" for r in page.revisit)
        parts.append(
            f'<section aria-labelledby="revisit-title">\n<h2 id="revisit-title">What to revisit</h2>\n<ul>\n{items}</ul>\n</section>\n'
        )
    body = "\n".join(part.rstrip("\n") for part in parts)
    return (
        '<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f"{GENERATOR}\n<title>{html_text(title)}</title>\n<style>{CSS}</style>\n</head>\n"
        f"<body>\n<main>\n{body}\n</main>\n</body>\n</html>\n"
    )
