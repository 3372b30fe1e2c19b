"""Learner text made safe for where it lands: Markdown, HTML, the terminal and JSON printed to it."""

from __future__ import annotations

import hashlib
import html
import json
import math
import re
from typing import Any, TextIO

# What a terminal acts on instead of showing: C0 controls but tab and newline, DEL, C1 controls
# (U+009B is CSI), the bidi embeddings, overrides and isolates that reorder what is shown, and lone
# surrogates (bytes of a file name that was not UTF-8, which would reach the terminal raw).
_CONTROL = "\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069\ud800-\udfff"
_UNSAFE = re.compile(f"[{_CONTROL}]")
_UNSAFE_OR_CRLF = re.compile(f"\r\n|[{_CONTROL}]")
# Every line break str.splitlines() knows (\r\n first, so it folds to one space), and tabs, which
# Markdown expands into indentation.
_BREAKS = re.compile("\r\n|[\t\n\r\v\f\x1c-\x1e\x85\u2028\u2029]")
# What starts markup inside a line in Python-Markdown with the course's extensions: code, emphasis,
# links and images (`[`), attribute lists (`{`) and backslash escapes. All are in Markdown.ESCAPED_CHARS,
# so the backslash in front never shows. Raw HTML, autolinks and entities start with `<` or `&`.
_MARKDOWN = re.compile(r"([\\`*_{}\[\]])")
_SLUG = re.compile(r"[a-z0-9][a-z0-9-]*")


def _shown(char: str) -> str:
    if char == "\r":
        return "\\r"
    code = ord(char)
    if 0xDC80 <= code <= 0xDCFF:  # a byte that was not UTF-8, kept by surrogateescape
        return f"\\x{code - 0xDC00:02x}"
    return f"\\x{code:02x}" if code <= 0xFF else f"\\u{code:04x}"


def visible(text: Any, *, crlf: bool = False) -> str:
    """`text` with every control, bidi and stray surrogate character shown as an escape such as `\\x1b` or `\\u202e`.

    Newlines and tabs stay; with `crlf`, so does a carriage return that ends a line (CSV's line ends).
    """
    pattern = _UNSAFE_OR_CRLF if crlf else _UNSAFE
    return pattern.sub(lambda m: m.group() if m.group() == "\r\n" else _shown(m.group()), str(text))


def one_line(text: Any) -> str:
    """`text` on one line: each line break (\\n, \\r, \\u2028, \\x85, ...) and tab becomes a space, other controls are shown."""
    return visible(_BREAKS.sub(" ", str(text)))


def md_text(text: Any) -> str:
    """Learner text as literal Markdown on one line, placed after other text: no HTML, link, emphasis, code or block starts in it."""
    escaped = one_line(text).replace("&", "&amp;").replace("<", "&lt;")
    return _MARKDOWN.sub(r"\\\1", escaped)


def md_code(text: Any) -> str:
    """Learner text as one inline code span, fenced with more backticks than it holds."""
    text = one_line(text)
    fence = "`" * (max((len(run) for run in re.findall("`+", text)), default=0) + 1)
    # A span may not start or end with its own fence character; a space each side keeps them apart.
    pad = " " if text.startswith("`") or text.endswith("`") else ""
    return f"{fence}{pad}{text}{pad}{fence}"


def html_text(value: Any) -> str:
    """Text for HTML content or a quoted attribute value."""
    return html.escape(str(value), quote=True)


def html_id(prefix: str, value: Any) -> str:
    """A valid HTML id for `value`: the value itself when it is a plain slug, else a slug and a hash of it.

    Plain slugs never hold `_`, and the hash keeps distinct values apart, so ids stay unique; an id
    made here plus `_t` or `_d` (a chart's title and description) cannot equal another one.
    """
    text = str(value)
    if _SLUG.fullmatch(text):
        return f"{prefix}-{text}"
    slug = re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")[:40]
    digest = hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()[:12]
    return f"{prefix}-{slug}_{digest}"


def json_text(data: Any, **options: Any) -> str:
    """Strict JSON that is safe to print: no NaN or Infinity (a non-finite number becomes null), and each
    control or bidi character inside a string written as a `\\u` escape."""
    try:
        text = json.dumps(data, ensure_ascii=False, allow_nan=False, **options)
    except ValueError:
        text = json.dumps(_finite(data), ensure_ascii=False, allow_nan=False, **options)
    # json.dumps escapes C0 itself; what is left can only be inside strings, where \\uXXXX means the same.
    return _UNSAFE.sub(lambda m: f"\\u{ord(m.group()):04x}", text) if _UNSAFE.search(text) else text


def _finite(value: Any) -> Any:
    if isinstance(value, float):
        return value if math.isfinite(value) else None
    if isinstance(value, dict):
        return {k: _finite(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_finite(v) for v in value]
    return value


class VisibleStream:
    """A text stream that shows every control and bidi character written to it (see `visible`)."""

    def __init__(self, stream: TextIO):
        self.unescaped = stream

    def write(self, text: str) -> int:
        self.unescaped.write(visible(text))
        return len(text)

    def writelines(self, lines) -> None:
        for line in lines:
            self.write(line)

    def __getattr__(self, name: str):
        return getattr(self.unescaped, name)


def unescaped(stream: TextIO) -> TextIO:
    """The stream under a VisibleStream, for text the grader writes itself with controls on purpose."""
    return getattr(stream, "unescaped", stream)
