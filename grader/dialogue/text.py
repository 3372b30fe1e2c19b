"""How scenario problems name things: a value shown safely, a close id suggested."""

from __future__ import annotations

import difflib
from collections.abc import Callable
from typing import Any

LineOf = Callable[[tuple], "int | None"]


def shown(value: Any) -> str:
    """A short, safe description of any value for a message."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if value is None:
        return "empty (null)"
    if isinstance(value, (int, float)):
        return f"the number {value}"
    if isinstance(value, str):
        text = value if len(value) <= 40 else value[:37] + "..."
        return f"'{text}'" if text.isprintable() else repr(text)
    if isinstance(value, (list, tuple)):
        return f"a list of {len(value)}"
    if isinstance(value, dict):
        return "a mapping"
    return f"a {type(value).__name__}"


def suggest(word: Any, known, listing: str = "") -> str:
    """'; did you mean 'x'?' when a known id is close to `word`, else `listing` of the known ids when short."""
    known = [k for k in known if isinstance(k, str)]
    close = difflib.get_close_matches(word, known, n=1, cutoff=0.6) if isinstance(word, str) else []
    if close:
        return f"; did you mean '{close[0]}'?"
    if listing and 0 < len(known) <= 12:
        return f" ({listing}: {', '.join(known)})"
    return ""
