"""Render quizzes and dialogues into pages: SuperFences custom fences that read the public course files.

In any page, a fence holds one id:

    ```quiz
    five-step-process
    ```

    ```dialogue
    late-delivery
    ```

    ```dialogue-map
    late-delivery
    ```

`quiz` renders every question as a form with a hand-in panel, `dialogue` a
practice scenario (a text version plus the data the page script plays), and
`dialogue-map` the scenario's map and path statistics for instructors.
mkdocs.yml wires them in under `pymdownx.superfences: custom_fences` with
`format: !!python/name:grader.site.quiz_fence` (and `dialogue_fence`,
`dialogue_map_fence`). The fences find `quizzes/` from the working directory,
never open the answer keys, and turn every course problem into a
`SuperFencesException`, so `mkdocs build --strict` stops with the message
`grader check` prints. docs/javascripts/course.js brings the markup to life.
"""

from __future__ import annotations

import functools
import html
import json
import re

import markdown
from pymdownx.superfences import SuperFencesException

from grader import course as course_files
from grader import dialogue as dialogues
from grader.answers import LEARNER_ID_PATTERN, LEARNER_ID_RULE
from grader.problems import CourseError

OUTCOMES = {
    "resolved_retained": "Resolved, and the customer stays",
    "resolved": "Resolved",
    "escalated": "Escalated",
    "lost": "Lost",
}
HINTS = {
    "single": "Choose one answer.",
    "multiple": "Choose every answer that applies.",
    "true_false": "Choose true or false.",
    "ordering": "Put the items in order with the Move up and Move down buttons.",
    "matching": "Choose a match for each item.",
    "short_text": "Type a word or a short phrase.",
    "dialogue": "Play the conversation to an ending; the replies you choose are your answer.",
}
LEARNER = {"pattern": LEARNER_ID_PATTERN, "rule": LEARNER_ID_RULE}
HANDING_IN = "handing-in.md"
_ONE_ID = re.compile(r"[a-z0-9][a-z0-9-]*")


# ---------------------------------------------------------------- HTML helpers


def _e(text) -> str:
    """Escape text for HTML content and attribute values."""
    return html.escape(str(text), quote=True)


def _attrs(attrs: dict) -> str:
    """` name="value"` pairs: `class_` gives class, `data_x` gives data-x, True a bare name, None or False nothing."""
    out = ""
    for name, value in attrs.items():
        if value is None or value is False:
            continue
        name = name.rstrip("_").replace("_", "-")
        out += f" {name}" if value is True else f' {name}="{_e(value)}"'
    return out


def _tag(name: str, body: str = "", **attrs) -> str:
    """An element around HTML `body` (already escaped)."""
    return f"<{name}{_attrs(attrs)}>{body}</{name}>"


def _input(**attrs) -> str:
    return f"<input{_attrs(attrs)}>"


def _json(data: dict) -> str:
    """Data for the page script, carried in the widget's `data-course` attribute.

    Not a <script type="application/json"> island: Material's instant navigation re-creates
    every script in the new page and keeps only its text, so the island would run as code.
    """
    return json.dumps(data, ensure_ascii=False, separators=(",", ":"))


def _markdown(text: str) -> str:
    """Author Markdown as HTML, with a fresh converter so the page's state (footnotes, ids) is untouched."""
    return markdown.Markdown(extensions=["attr_list", "def_list", "tables"]).convert(text)


def _inline(text: str) -> str:
    """One line of author Markdown (an option, an item) as inline HTML; any HTML in it stays text."""
    html_text = _markdown(html.escape(text, quote=False)).strip()
    if html_text.startswith("<p>") and html_text.endswith("</p>") and html_text.count("<p>") == 1:
        return html_text[3:-4]
    return html_text


def _plain(text: str) -> str:
    """One line of author Markdown as plain text, for places that take no markup (<option>, aria-label)."""
    return html.unescape(re.sub(r"<[^>]+>", "", _inline(text)))


def _points(points: float) -> str:
    return f"{points:g} point{'' if points == 1 else 's'}"


def _linker(md):
    """A function from `page.md#section` under docs/ to an href from the page being built."""
    # MkDocs hangs its link rewriter on each page's Markdown as "relpath"; it knows the page and every file.
    relpath = md.treeprocessors["relpath"] if md is not None and "relpath" in md.treeprocessors else None
    page, files = getattr(relpath, "file", None), getattr(relpath, "files", None)

    def href(target: str) -> str | None:
        path, _, anchor = target.partition("#")
        found = files.get_file_from_path(path) if page is not None and files is not None else None
        if found is None:
            return None  # outside MkDocs, or a page this site does not have: no link rather than a broken one
        from mkdocs.utils import get_relative_url

        url = "" if found is page else get_relative_url(found.url, page.url)
        return f"{url}#{anchor}" if anchor else url or "./"

    return href


# ---------------------------------------------------------------- finding what a fence names


def _fail(fence: str, message: str) -> SuperFencesException:
    return SuperFencesException(f"```{fence} fence: {message}")


def _course(fence: str) -> course_files.Course:
    """The public course (never the keys), or the problems exactly as `grader check` words them."""
    try:
        return course_files.load_public()
    except CourseError as error:
        raise _fail(fence, f"the course files have problems (run `grader check`):\n{error}") from None


def _one_id(source: str, fence: str) -> str:
    found = source.strip()
    if not _ONE_ID.fullmatch(found):
        raise _fail(fence, f"the fence must hold one id (lower case letters, digits and -), found {found[:60]!r}")
    return found


def _quiz(course: course_files.Course, quiz_id: str) -> course_files.Quiz:
    if quiz_id not in course.quizzes:
        known = ", ".join(sorted(course.quizzes)) or "none"
        raise _fail("quiz", f"quizzes/{quiz_id}.yml: there is no quiz '{quiz_id}' in this course (quizzes: {known})")
    return course.quizzes[quiz_id]


def _scenario(course: course_files.Course, scenario_id: str, fence: str) -> dialogues.Dialogue:
    if scenario_id not in course.dialogues:
        known = ", ".join(sorted(course.dialogues)) or "none"
        raise _fail(fence, f"quizzes/dialogues/{scenario_id}.yml: there is no scenario '{scenario_id}' in this course (scenarios: {known})")
    return course.dialogues[scenario_id]


# ---------------------------------------------------------------- hand-in panel


def _handin(prefix: str, href, *, start_over: bool, hidden: bool) -> str:
    """Learner id and name, the download button and the message region, shared by quizzes and dialogues."""
    rule = LEARNER_ID_RULE[0].upper() + LEARNER_ID_RULE[1:] + "."
    guide = href(HANDING_IN)
    more = f" {_tag('a', 'How to hand in work', href=guide)}." if guide else ""
    fields = (
        _tag("p", _tag("label", "Learner id", for_=f"{prefix}_id")
             + _input(type="text", id=f"{prefix}_id", data_learner_id=True, autocomplete="off", spellcheck="false",
                      autocapitalize="none", maxlength="64", aria_describedby=f"{prefix}_id_hint")
             + _tag("span", f"Your instructor tells you which id to use. {_e(rule)}", id=f"{prefix}_id_hint", class_="course-hint"),
             class_="course-field")
        + _tag("p", _tag("label", "Name (optional)", for_=f"{prefix}_name")
               + _input(type="text", id=f"{prefix}_name", data_learner_name=True, autocomplete="name"),
               class_="course-field")
    )
    buttons = _tag("button", "Download answer file", type="button", class_="md-button md-button--primary", data_action="download")
    if start_over:
        buttons += " " + _tag("button", "Start over", type="button", class_="md-button", data_action="start-over")
    return _tag(
        "div",
        _tag("p", _tag("strong", "Hand in"), id=f"{prefix}_handin", class_="course-handin-title")
        + _tag("p", f"Download your answers as a file and send it to your instructor.{more}")
        + fields
        + _tag("p", buttons, class_="course-buttons")
        + _tag("p", "", class_="course-status", role="status", data_status=True),
        class_="course-handin", role="group", aria_labelledby=f"{prefix}_handin", data_handin=True, hidden=hidden,
    )


# ---------------------------------------------------------------- dialogues


def _effects(reply: dialogues.Reply, d: dialogues.Dialogue) -> str:
    return ", ".join(f"{d.meters[m].label} {n:+d}" for m, n in reply.effect.items() if m in d.meters)


def _dialogue_data(course: course_files.Course, d: dialogues.Dialogue, href) -> dict:
    """Everything the page script needs to play the scenario: it is practice, public by design."""
    used_steps = {s for n in d.nodes.values() for r in n.replies for s in r.steps}
    used_mistakes = {m for n in d.nodes.values() for r in n.replies for m in r.mistakes}
    return {
        "id": d.id,
        "title": d.title,
        "version": d.version,
        "points": d.points,
        "best": dialogues.analyse(d).best,
        "customer": d.customer,
        "meters": {m.id: {"label": m.label, "min": m.min, "max": m.max, "start": m.start} for m in d.meters.values()},
        "rules": [{"meter": r.meter, "at_most": r.at_most, "at_least": r.at_least, "ending": r.ending} for r in d.rules],
        "start": d.start,
        "nodes": {
            n.id: {
                "say": n.say,
                "note": n.note,
                "replies": [
                    {
                        "id": r.id, "text": r.text, "next": r.next, "score": r.score, "steps": list(r.steps),
                        "mistakes": list(r.mistakes), "effect": dict(r.effect), "feedback": r.feedback,
                        "lesson": href(r.lesson) if r.lesson else None,
                    }
                    for r in n.replies
                ],
            }
            for n in d.nodes.values()
        },
        "endings": {e.id: {"outcome": e.outcome, "title": e.title, "debrief": e.debrief, "score": e.score} for e in d.endings.values()},
        "outcomes": OUTCOMES,
        "steps": {s: course.steps[s].title for s in course.steps if s in used_steps},
        "mistakes": {m: course.anti_patterns[m].title for m in course.anti_patterns if m in used_mistakes},
        "learner": LEARNER,
    }


def _dialogue_text(d: dialogues.Dialogue, prefix: str) -> str:
    """The whole scenario as text, for reading without JavaScript."""
    turn = {nid: i for i, nid in enumerate(d.nodes, 1)}
    who = _e(d.customer or "The customer")

    def where(target: str) -> str:
        if target in turn:
            return _tag("a", f"turn {turn[target]}", href=f"#{prefix}_n_{target}")
        ending = d.endings.get(target)
        return _tag("a", f"ending: {_e(ending.title)}", href=f"#{prefix}_e_{target}") if ending else _e(target)

    parts = [_tag("p", "Without JavaScript the conversation cannot be played here, but you can follow it: each turn lists your replies and where each one leads.")]
    if d.meters:
        meters = "; ".join(f"{_e(m.label)} starts at {m.start} (from {m.min} to {m.max})" for m in d.meters.values())
        rules = "".join(
            f" If {_e(d.meters[r.meter].label)} reaches {r.at_most if r.at_most is not None else r.at_least}"
            f"{' or below' if r.at_most is not None else ' or above'}, the conversation ends ({where(r.ending)})."
            for r in d.rules if r.meter in d.meters
        )
        parts.append(_tag("p", f"{meters}.{rules}"))
    for node in d.nodes.values():
        replies = "".join(
            _tag("li", f"{_e(r.text)} " + _tag("span", f"({_e(_effects(r, d)) + '; ' if r.effect else ''}leads to {where(r.next)})", class_="course-hint"))
            for r in node.replies
        )
        note = _tag("p", _tag("em", _e(node.note))) if node.note else ""
        parts.append(_tag(
            "div",
            _tag("p", f"{_tag('strong', f'Turn {turn[node.id]}.')} {who}: “{_e(node.say)}”") + note + _tag("ul", replies),
            id=f"{prefix}_n_{node.id}", class_="course-turn",
        ))
    for ending in d.endings.values():
        parts.append(_tag(
            "div",
            _tag("p", f"{_tag('strong', 'Ending: ' + _e(ending.title))} ({_e(OUTCOMES.get(ending.outcome, ending.outcome))})")
            + _tag("p", _e(ending.debrief)),
            id=f"{prefix}_e_{ending.id}", class_="course-turn",
        ))
    return _tag("div", "".join(parts), class_="course-dialogue-text", data_course_text=True)


def _meters(d: dialogues.Dialogue) -> str:
    out = ""
    for m in d.meters.values():
        share = round(100 * (m.start - m.min) / ((m.max - m.min) or 1))
        out += _tag(
            "p",
            _tag("span", f"{_e(m.label)} {m.start} of {m.max}", data_meter_text=True)
            + _tag("span", _tag("span", style=f"width:{share}%", data_meter_bar=True), class_="course-bar", aria_hidden="true"),
            class_="course-meter", data_meter=m.id,
        )
    return _tag("div", out, class_="course-meters")


def _dialogue_html(course: course_files.Course, d: dialogues.Dialogue, href, prefix: str, question: course_files.Question | None = None) -> str:
    """A playable scenario; with `question` it is part of a quiz, whose answer is the path."""
    play = _tag(
        "div",
        _meters(d)
        + _tag("ol", "", class_="course-log", aria_label="Conversation", data_log=True)
        + _tag("div", "", class_="course-replies", role="group", aria_label="Your reply", data_replies=True)
        + _tag("div", "", class_="course-debrief", tabindex="-1", data_debrief=True, hidden=True)
        + _tag("p", _tag("button", "Undo last choice", type="button", class_="md-button", data_action="undo")
               + " " + _tag("button", "Restart", type="button", class_="md-button", data_action="restart"),
               class_="course-buttons")
        + _tag("p", "", class_="course-sr", aria_live="polite", data_say=True),
        class_="course-play", data_play=True, hidden=True,
    )
    setting = _tag("p", f"{_tag('strong', 'Setting:')} {_e(d.setting)}", class_="course-setting") if d.setting else ""
    handin = "" if question else _handin(prefix, href, start_over=False, hidden=True)
    return _tag(
        "div",
        setting + _dialogue_text(d, prefix) + play + handin,
        class_="course-dialogue", id=prefix, data_course_dialogue=d.id, data_mode="quiz" if question else "practice",
        data_question=question.id if question else None,
        # In a quiz the dialogue is worth the question's points, not the scenario's own.
        data_course=_json({**_dialogue_data(course, d, href), **({"points": question.points} if question else {})}),
    )


# ---------------------------------------------------------------- quizzes


def _choices(name: str, prefix: str, kind: str, choices) -> str:
    return _tag("div", "".join(
        _tag("label", _input(type=kind, name=name, value=c.id, id=f"{prefix}_{c.id}") + " " + _tag("span", _inline(c.text)), class_="course-option")
        for c in choices
    ), class_="course-options")


def _answer_area(course: course_files.Course, q: course_files.Question, prefix: str, href) -> str:
    """The form controls for one question, by type."""
    if q.type in ("single", "multiple"):
        return _choices(prefix, prefix, "radio" if q.type == "single" else "checkbox", q.options)
    if q.type == "true_false":
        return _choices(prefix, prefix, "radio", (course_files.Choice("true", "True"), course_files.Choice("false", "False")))
    if q.type == "ordering":
        items = "".join(
            _tag("li", _tag("span", _inline(c.text), class_="course-item-text")
                 + _tag("span",
                        _tag("button", "Move up", type="button", data_move="up", aria_label=f"Move up: {_plain(c.text)}")
                        + _tag("button", "Move down", type="button", data_move="down", aria_label=f"Move down: {_plain(c.text)}"),
                        class_="course-move"),
                 data_item=c.id)
            for c in q.items
        )
        return _tag("ol", items, class_="course-order", aria_label="Your order")
    if q.type == "matching":
        options = _tag("option", "Choose…", value="") + "".join(_tag("option", _e(_plain(c.text)), value=c.id) for c in q.choices)
        return _tag("ul", "".join(
            _tag("li", _tag("label", _inline(p.text), for_=f"{prefix}_{p.id}") + " " + _tag("select", options, id=f"{prefix}_{p.id}", data_pair=p.id))
            for p in q.pairs
        ), class_="course-pairs")
    if q.type == "short_text":
        return _tag("p", _tag("label", "Your answer", for_=f"{prefix}_text") + " "
                    + _input(type="text", id=f"{prefix}_text", autocomplete="off", maxlength="200"), class_="course-field")
    return _dialogue_html(course, course.dialogues[q.scenario], href, f"{prefix}_d", question=q)


def _question(course: course_files.Course, quiz: course_files.Quiz, number: int, q: course_files.Question, href) -> str:
    prefix = f"q_{quiz.id}_{q.id}"
    legend = _tag("legend", f"Question {number} " + _tag("span", f"({_points(q.points)})", class_="course-points"))
    return _tag(
        "fieldset",
        legend
        + _tag("div", _markdown(q.prompt), class_="course-prompt", id=f"{prefix}_prompt")
        + _tag("p", HINTS[q.type], class_="course-hint")
        + _answer_area(course, q, prefix, href),
        class_="course-question", id=prefix, data_question=q.id, data_type=q.type, aria_describedby=f"{prefix}_prompt",
    )


def _quiz_html(course: course_files.Course, quiz: course_files.Quiz, href) -> str:
    data = {
        "quiz": quiz.id,
        "title": quiz.title,
        "version": quiz.version,
        "questions": [{"id": q.id, "type": q.type, "number": n, "points": q.points} for n, q in enumerate(quiz.questions, 1)],
        "learner": LEARNER,
    }
    intro = _tag("div", _markdown(quiz.intro), class_="course-intro") if quiz.intro else ""
    summary = _tag("p", f"{len(quiz.questions)} question{'' if len(quiz.questions) == 1 else 's'}, {_points(quiz.max_points)} in all. "
                   "Your answers are saved in this browser as you go.", class_="course-hint")
    nojs = _tag("p", "Saving and downloading answers needs JavaScript. Without it, ask your instructor for a blank answer file.",
                class_="course-nojs", data_nojs=True)
    questions = "".join(_question(course, quiz, n, q, href) for n, q in enumerate(quiz.questions, 1))
    return _tag(
        "div",
        intro + summary + _tag("form", questions, class_="course-form", novalidate=True)
        + nojs + _handin(f"q_{quiz.id}", href, start_over=True, hidden=True),
        class_="course-quiz", data_course_quiz=quiz.id, data_course=_json(data),
    )


# ---------------------------------------------------------------- the fences


def _loud(fence: str):
    """SuperFences quietly shows a plain code block when a formatter raises anything else, so say every failure."""

    def wrap(render):
        @functools.wraps(render)
        def formatter(source, language, css_class, options, md, **kwargs):
            try:
                return render(source, md)
            except SuperFencesException:
                raise
            except Exception as error:  # a bug must not pass as a page that merely lacks its quiz
                raise _fail(fence, f"{type(error).__name__}: {error}") from error

        return formatter

    return wrap


@_loud("quiz")
def quiz_fence(source, md) -> str:
    """```quiz: the whole quiz as a form, with its hand-in panel."""
    course = _course("quiz")
    return _quiz_html(course, _quiz(course, _one_id(source, "quiz")), _linker(md))


@_loud("dialogue")
def dialogue_fence(source, md) -> str:
    """```dialogue: a practice scenario with its text version and hand-in panel."""
    course = _course("dialogue")
    d = _scenario(course, _one_id(source, "dialogue"), "dialogue")
    return _dialogue_html(course, d, _linker(md), f"d_{d.id}")


@_loud("dialogue-map")
def dialogue_map_fence(source, md) -> str:
    """```dialogue-map: the scenario's map and path statistics, for instructors."""
    course = _course("dialogue-map")
    d = _scenario(course, _one_id(source, "dialogue-map"), "dialogue-map")
    from grader import dialogue_map  # imported late so quizzes and dialogues render without it

    analysis = dialogues.analyse(d)
    return _tag("div", dialogue_map.render_map(d, analysis) + dialogue_map.render_stats_table(d, analysis), class_="course-map", data_course_map=d.id,
                # A wide map scrolls sideways; keyboard users need to reach it to scroll it.
                tabindex="0", role="region", aria_label=f"Map of {d.title}")
