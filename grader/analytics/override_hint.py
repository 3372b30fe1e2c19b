"""The one overrides-file line that would accept a short-text answer the key marked wrong, ready to paste under `questions:`."""

from __future__ import annotations

# overrides.schema.json: an accepted text is 1 to 2000 characters.
LONGEST = 2000


def yaml_quoted(text: str) -> str:
    """`text` as a YAML double-quoted scalar that any YAML 1.1 or 1.2 reader reads back exactly."""
    out = []
    for char in text:
        code = ord(char)
        if char in '"\\':
            out.append("\\" + char)
        elif 0x20 <= code < 0x7F or (code > 0x9F and char.isprintable() and not 0xD800 <= code <= 0xDFFF and code != 0xFEFF):
            out.append(char)
        elif code <= 0xFFFF:
            out.append(f"\\u{code:04x}")
        else:
            out.append(f"\\U{code:08x}")
    return '"' + "".join(out) + '"'


def accept_line(activity: str, question: str, answer: str) -> str | None:
    """`- {activity: …, question: …, accept: […], reason: …}` for `answer`, or None when the format cannot hold it."""
    if not 1 <= len(answer) <= LONGEST:
        return None
    reason = "Accepted on review: this answer names the same idea as the key."
    return (
        f"- {{activity: {yaml_quoted(activity)}, question: {yaml_quoted(question)}, "
        f"accept: [{yaml_quoted(answer)}], reason: {yaml_quoted(reason)}}}"
    )
