"""A playable scenario: its text version for reading without JavaScript, the meters, the chat log, and the data the page script plays.

A practice scenario is public by design: the page gets all of it. An exam scenario (played as a graded quiz
question) gets only what plays it: the lines, the replies, where each leads and their effects on the meters,
never a score, a step, a mistake, a feedback text, an outcome or a debrief (those live in its key)."""

from __future__ import annotations

from grader.common.text import OUTCOMES
from grader.course import Course, Question
from grader.course.groups import mistake_group, models_met, step_model
from grader.dialogue.model import Dialogue, Reply
from grader.dialogue.variants import as_written, played
from grader.site.handin import LEARNER, handin
from grader.site.html import esc, page_data, tag


def _effects(reply: Reply, d: Dialogue) -> str:
    return ", ".join(f"{d.meters[m].label} {n:+d}" for m, n in reply.effect.items() if m in d.meters)


def _play_data(d: Dialogue) -> dict:
    """What any scenario needs to be played: its lines, replies, where each leads, the meters and rules, the endings' titles."""
    return {
        "id": d.id,
        "title": d.title,
        "version": d.version,
        "customer": d.customer,
        "meters": {m.id: {"label": m.label, "min": m.min, "max": m.max, "start": m.start} for m in d.meters.values()},
        "rules": [{"meter": r.meter, "at_most": r.at_most, "at_least": r.at_least, "ending": r.ending} for r in d.rules],
        "start": d.start,
        "nodes": {
            n.id: {"say": n.say, "note": n.note, "replies": [{"id": r.id, "text": r.text, "next": r.next, "effect": dict(r.effect)} for r in n.replies]}
            for n in d.nodes.values()
        },
        "endings": {e.id: {"title": e.title} for e in d.endings.values()},
        "learner": LEARNER,
    }


def _exam_data(d: Dialogue) -> dict:
    """An exam scenario as its quiz page gets it: playable, and nothing that scores it."""
    return {**_play_data(d), "exam": True}


def _practice_data(course: Course, d: Dialogue, href, page: str | None) -> dict:
    """Everything the page script needs to play, coach and debrief a practice scenario: it is public by design."""
    data = _play_data(d)
    for node in d.nodes.values():
        for reply, shown in zip(node.replies, data["nodes"][node.id]["replies"], strict=True):
            shown.update(
                score=reply.score,
                steps=list(reply.steps),
                mistakes=list(reply.mistakes),
                feedback=reply.feedback,
                lesson=href(reply.lesson) if reply.lesson else None,
            )
    used_steps = {s for n in d.nodes.values() for r in n.replies for s in r.steps}
    used_mistakes = {m for n in d.nodes.values() for r in n.replies for m in r.mistakes}
    met = models_met(course, page)
    return {
        **data,
        "points": d.points,
        "endings": {e.id: {"outcome": e.outcome, "title": e.title, "debrief": e.debrief, "score": e.score} for e in d.endings.values()},
        "outcomes": OUTCOMES,
        # Each step with its model, and whether the learner has met that model by this page (the nav's order).
        "steps": {
            s: {"title": course.steps[s].title, "model": step_model(course, s), "met": course.steps[s].model in met}
            for s in course.steps
            if s in used_steps
        },
        "mistakes": {
            m: {"title": course.anti_patterns[m].title, "group": mistake_group(course, m)} for m in course.anti_patterns if m in used_mistakes
        },
        "variants": [
            {"id": v.id, "label": v.label, "start": dict(v.start), "say": dict(v.say), "note": dict(v.note)} for v in d.variants
        ],
        # Pairs, not a mapping: a script orders a mapping's number-like keys first, and the seed draws in file order.
        "details": [[name, list(texts)] for name, texts in d.details.items()],
        "setting": d.setting,
    }


def _dialogue_text(d: Dialogue, prefix: str, exam: bool) -> str:
    """The whole scenario as text, for reading without JavaScript (for an exam, without the meters' part in it)."""
    turn = {nid: i for i, nid in enumerate(d.nodes, 1)}
    who = esc(d.customer or "The customer")

    def where(target: str) -> str:
        if target in turn:
            return tag("a", f"turn {turn[target]}", href=f"#{prefix}_n_{target}")
        ending = d.endings.get(target)
        return tag("a", f"ending: {esc(ending.title)}", href=f"#{prefix}_e_{target}") if ending else esc(target)

    parts = [tag("p", "Without JavaScript the conversation cannot be played here, but you can follow it: each turn lists your replies and where each one leads.")]
    if d.meters and not exam:
        meters = "; ".join(f"{esc(m.label)} starts at {m.start} (from {m.min} to {m.max})" for m in d.meters.values())
        rules = "".join(
            f" If {esc(d.meters[r.meter].label)} reaches {r.at_most if r.at_most is not None else r.at_least}"
            f"{' or below' if r.at_most is not None else ' or above'}, the conversation ends ({where(r.ending)})."
            for r in d.rules
            if r.meter in d.meters
        )
        parts.append(tag("p", f"{meters}.{rules}"))
    for node in d.nodes.values():
        replies = "".join(
            tag(
                "li",
                f"{esc(r.text)} "
                + tag("span", f"({esc(_effects(r, d)) + '; ' if r.effect and not exam else ''}leads to {where(r.next)})", class_="course-hint"),
            )
            for r in node.replies
        )
        note = tag("p", tag("em", esc(node.note))) if node.note else ""
        parts.append(
            tag(
                "div",
                tag("p", f"{tag('strong', f'Turn {turn[node.id]}.')} {who}: “{esc(node.say)}”") + note + tag("ul", replies),
                id=f"{prefix}_n_{node.id}",
                class_="course-turn",
            )
        )
    for ending in d.endings.values():
        outcome = "" if exam else f" ({esc(OUTCOMES.get(ending.outcome, ending.outcome))})"
        debrief = "" if exam else tag("p", esc(ending.debrief))
        parts.append(
            tag("div", tag("p", tag("strong", "Ending: " + esc(ending.title)) + outcome) + debrief, id=f"{prefix}_e_{ending.id}", class_="course-turn")
        )
    return tag("div", "".join(parts), class_="course-dialogue-text", data_course_text=True)


def _meters(d: Dialogue) -> str:
    out = ""
    for m in d.meters.values():
        share = round(100 * (m.start - m.min) / ((m.max - m.min) or 1))
        out += tag(
            "p",
            tag("span", f"{esc(m.label)} {m.start} of {m.max}", data_meter_text=True)
            + tag("span", tag("span", style=f"width:{share}%", data_meter_bar=True), class_="course-bar", aria_hidden="true"),
            class_="course-meter",
            data_meter=m.id,
        )
    # Sticky, so it stays in view as the conversation scrolls; a group with a name, so it is read where it sits.
    return tag("div", out, class_="course-meters", role="group", aria_label=f"How {d.customer or 'the customer'} feels", data_meters=True)


def dialogue_html(course: Course, d: Dialogue, href, prefix: str, question: Question | None = None, page: str | None = None) -> str:
    """A playable scenario; with `question` it is part of a quiz, whose answer is the path; `page` is where it sits (docs/-relative)."""
    exam = d.exam and not d.scored  # a scored exam scenario (the keys merged in on purpose) plays as practice
    shown = played(d, as_written(d))  # without JavaScript, the scenario as written
    buttons = (
        ""
        if exam
        else tag(
            "p",
            tag("button", "Undo last choice", type="button", class_="md-button", data_action="undo")
            + " "
            + tag("button", "Restart", type="button", class_="md-button", data_action="restart"),
            class_="course-buttons",
        )
    )
    play = tag(
        "div",
        ("" if exam else tag("p", "", class_="course-variant", data_variant=True, hidden=True) + _meters(shown))
        + tag("ol", "", class_="course-log", aria_label="Conversation", data_log=True)
        + tag("div", "", class_="course-replies", role="group", aria_label="Your reply", data_replies=True)
        + tag("div", "", class_="course-debrief", tabindex="-1", data_debrief=True, hidden=True)
        + buttons
        + tag("p", "", class_="course-sr", aria_live="polite", data_say=True),
        class_="course-play",
        data_play=True,
        hidden=True,
    )
    setting = tag("p", f"{tag('strong', 'Setting:')} {tag('span', esc(shown.setting), data_setting=True)}", class_="course-setting") if d.setting else ""
    if exam:
        setting += tag(
            "p",
            "This conversation is part of your assessment: there are no meters, no feedback and no undo. "
            "The customer reacts to each reply; your feedback comes with your grade.",
            class_="course-hint",
        )
    panel = "" if question else handin(prefix, href, start_over=False, hidden=True)
    data = _exam_data(d) if exam else _practice_data(course, d, href, page)
    return tag(
        "div",
        setting + _dialogue_text(shown, prefix, exam) + play + panel,
        class_="course-dialogue",
        id=prefix,
        data_course_dialogue=d.id,
        data_mode="quiz" if question else "practice",
        data_question=question.id if question else None,
        # In a quiz the dialogue is worth the question's points, not the scenario's own.
        data_course=page_data({**data, **({"points": question.points} if question and not exam else {})}),
    )
