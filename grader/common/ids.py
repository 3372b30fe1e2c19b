"""The id rules every part shares: learner ids (which become folder names), activity ids, course ids."""

from __future__ import annotations

import re
from typing import Any

# The site checks learner ids with this same pattern and message (grader.site embeds both).
LEARNER_ID_PATTERN = r"^[A-Za-z0-9][A-Za-z0-9._@-]{0,63}$"
LEARNER_ID_RULE = "use 1 to 64 letters, digits and . _ @ - only, starting with a letter or digit"
# fullmatch, because `$` alone also matches before a trailing newline.
LEARNER_ID = re.compile(LEARNER_ID_PATTERN)
ACTIVITY_ID = re.compile(r"^[a-z0-9][a-z0-9-]{0,99}$")
"""A quiz or scenario id, as an answer file names it."""
COURSE_ID = re.compile(r"^[a-z0-9][a-z0-9-]*$")
"""Ids in course files: models, steps, questions, options, nodes, replies, endings."""


def check_learner_id(value: Any) -> str | None:
    """Why a learner id is refused, or None when it is fine."""
    if not isinstance(value, str) or not value.strip():
        return f"learner id is missing; {LEARNER_ID_RULE}"
    if not LEARNER_ID.fullmatch(value):
        shown = value if len(value) <= 80 else value[:77] + "..."
        shown = f"'{shown}'" if shown.isprintable() else repr(shown)  # the terminal shows it, never obeys it
        return f"learner id {shown} is not allowed; {LEARNER_ID_RULE}"
    return None
