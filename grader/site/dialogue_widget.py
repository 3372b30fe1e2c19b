"""A playable scenario: its text version for reading without JavaScript, the meters, the chat log, and the data the page script plays."""

from __future__ import annotations

from grader.common.text import OUTCOMES
from grader.course import Course, Question
from grader.dialogue.analysis import analyse_paths
from grader.dialogue.model import Dialogue, Reply
from grader.site.handin import LEARNER, handin
from grader.site.html import esc, page_data, tag


def _effects(reply: Reply, d: Dialogue) -> str:
    return ", ".join(f"{d.meters[m].label} {n:+d}" for m, n in reply.effect.items() if m in d.meters)


def _dialogue_data(course: Course, d: Dialogue, href) -> dict:
    """Everything the page script needs to play the scenario: it is practice, public by design."""
    used_steps = {s for n in d.nodes.values() for r in n.replies for s in r.steps}
    used_mistakes = {m for n in d.nodes.values() for r in n.replies for m in r.mistakes}
    return {
        "id": d.id,
        "title": d.title,
        "version": d.version,
        "points": d.points,
        "best": analyse_paths(d).best,
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


def _dialogue_text(d: Dialogue, prefix: str) -> str:
    """The whole scenario as text, for reading without JavaScript."""
    turn = {nid: i for i, nid in enumerate(d.nodes, 1)}
    who = esc(d.customer or "The customer")

    def where(target: str) -> str:
        if target in turn:
            return tag("a", f"turn {turn[target]}", href=f"#{prefix}_n_{target}")
        ending = d.endings.get(target)
        return tag("a", f"ending: {esc(ending.title)}", href=f"#{prefix}_e_{target}") if ending else esc(target)

    parts = [tag("p", "Without JavaScript the conversation cannot be played here, but you can follow it: each turn lists your replies and where each one leads.")]
    if d.meters:
        meters = "; ".join(f"{esc(m.label)} starts at {m.start} (from {m.min} to {m.max})" for m in d.meters.values())
        rules = "".join(
            f" If {esc(d.meters[r.meter].label)} reaches {r.at_most if r.at_most is not None else r.at_least}"
            f"{' or below' if r.at_most is not None else ' or above'}, the conversation ends ({where(r.ending)})."
            for r in d.rules if r.meter in d.meters
        )
        parts.append(tag("p", f"{meters}.{rules}"))
    for node in d.nodes.values():
        replies = "".join(
            tag("li", f"{esc(r.text)} " + tag("span", f"({esc(_effects(r, d)) + '; ' if r.effect else ''}leads to {where(r.next)})", class_="course-hint"))
            for r in node.replies
        )
        note = tag("p", tag("em", esc(node.note))) if node.note else ""
        parts.append(tag(
            "div",
            tag("p", f"{tag('strong', f'Turn {turn[node.id]}.')} {who}: “{esc(node.say)}”") + note + tag("ul", replies),
            id=f"{prefix}_n_{node.id}", class_="course-turn",
        ))
    for ending in d.endings.values():
        parts.append(tag(
            "div",
            tag("p", f"{tag('strong', 'Ending: ' + esc(ending.title))} ({esc(OUTCOMES.get(ending.outcome, ending.outcome))})")
            + tag("p", esc(ending.debrief)),
            id=f"{prefix}_e_{ending.id}", class_="course-turn",
        ))
    return tag("div", "".join(parts), class_="course-dialogue-text", data_course_text=True)


def _meters(d: Dialogue) -> str:
    out = ""
    for m in d.meters.values():
        share = round(100 * (m.start - m.min) / ((m.max - m.min) or 1))
        out += tag(
            "p",
            tag("span", f"{esc(m.label)} {m.start} of {m.max}", data_meter_text=True)
            + tag("span", tag("span", style=f"width:{share}%", data_meter_bar=True), class_="course-bar", aria_hidden="true"),
            class_="course-meter", data_meter=m.id,
        )
    return tag("div", out, class_="course-meters")


def dialogue_html(course: Course, d: Dialogue, href, prefix: str, question: Question | None = None) -> str:
    """A playable scenario; with `question` it is part of a quiz, whose answer is the path."""
    play = tag(
        "div",
        _meters(d)
        + tag("ol", "", class_="course-log", aria_label="Conversation", data_log=True)
        + tag("div", "", class_="course-replies", role="group", aria_label="Your reply", data_replies=True)
        + tag("div", "", class_="course-debrief", tabindex="-1", data_debrief=True, hidden=True)
        + tag("p", tag("button", "Undo last choice", type="button", class_="md-button", data_action="undo")
               + " " + tag("button", "Restart", type="button", class_="md-button", data_action="restart"),
               class_="course-buttons")
        + tag("p", "", class_="course-sr", aria_live="polite", data_say=True),
        class_="course-play", data_play=True, hidden=True,
    )
    setting = tag("p", f"{tag('strong', 'Setting:')} {esc(d.setting)}", class_="course-setting") if d.setting else ""
    panel = "" if question else handin(prefix, href, start_over=False, hidden=True)
    return tag(
        "div",
        setting + _dialogue_text(d, prefix) + play + panel,
        class_="course-dialogue", id=prefix, data_course_dialogue=d.id, data_mode="quiz" if question else "practice",
        data_question=question.id if question else None,
        # In a quiz the dialogue is worth the question's points, not the scenario's own.
        data_course=page_data({**_dialogue_data(course, d, href), **({"points": question.points} if question else {})}),
    )
