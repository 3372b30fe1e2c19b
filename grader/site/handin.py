"""The hand-in panel under every quiz and practice dialogue: learner id and name, the download button, the status line."""

from __future__ import annotations

from grader.common.ids import LEARNER_ID_PATTERN, LEARNER_ID_RULE
from grader.site.html import esc, input_tag, tag


LEARNER = {"pattern": LEARNER_ID_PATTERN, "rule": LEARNER_ID_RULE}


HANDING_IN = "handing-in.md"


def handin(prefix: str, href, *, start_over: bool, hidden: bool) -> str:
    """Learner id and name, the download button and the message region, shared by quizzes and dialogues."""
    rule = LEARNER_ID_RULE[0].upper() + LEARNER_ID_RULE[1:] + "."
    guide = href(HANDING_IN)
    more = f" {tag('a', 'How to hand in work', href=guide)}." if guide else ""
    fields = (
        tag("p", tag("label", "Learner id", for_=f"{prefix}_id")
             + input_tag(type="text", id=f"{prefix}_id", data_learner_id=True, autocomplete="off", spellcheck="false",
                      autocapitalize="none", maxlength="64", aria_describedby=f"{prefix}_id_hint")
             + tag("span", f"Your instructor tells you which id to use. {esc(rule)}", id=f"{prefix}_id_hint", class_="course-hint"),
             class_="course-field")
        + tag("p", tag("label", "Name (optional)", for_=f"{prefix}_name")
               + input_tag(type="text", id=f"{prefix}_name", data_learner_name=True, autocomplete="name"),
               class_="course-field")
    )
    buttons = tag("button", "Download answer file", type="button", class_="md-button md-button--primary", data_action="download")
    if start_over:
        buttons += " " + tag("button", "Start over", type="button", class_="md-button", data_action="start-over")
    return tag(
        "div",
        tag("p", tag("strong", "Hand in"), id=f"{prefix}_handin", class_="course-handin-title")
        + tag("p", f"Download your answers as a file and send it to your instructor.{more}")
        + fields
        + tag("p", buttons, class_="course-buttons")
        + tag("p", "", class_="course-status", role="status", data_status=True),
        class_="course-handin", role="group", aria_labelledby=f"{prefix}_handin", data_handin=True, hidden=hidden,
    )
