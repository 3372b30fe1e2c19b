"""The answer-file shape, read quickly: a small, strict subset of YAML; whatever falls outside it goes to the full reader.

Answer files are short and all alike: block mappings two levels deep whose values are scalars, quoted
strings or one-line flow lists and mappings of scalars. Reading that shape line by line costs a
fraction of composing YAML nodes. The fast reader never judges a file: at the first thing it does not
know for certain (a tag, an anchor, a block list, a multi-line or escaped string, a duplicate key, an
odd character) it gives up, and the full reader (yaml_reader.py) reads the file and reports any problem
with its line. So both readers give the same data and lines for every file the fast one accepts, which
tests/test_plain_yaml.py checks on generated files.
"""

from __future__ import annotations

import json
import math
import re
from typing import Any

from grader.formats.limits import MAX_INT_CHARS
from grader.formats.numbers import WrittenFloat, WrittenInt
from grader.formats.yaml_reader import CORE_RESOLVERS, key_text

# Characters a YAML reader treats specially anywhere in a stream: controls other than newline, DEL, C1,
# line and paragraph separators, byte-order and non-characters, stray surrogates, tabs and carriage returns.
_ODD = re.compile("[\x00-\x09\x0b-\x1f\x7f-\x9f\u2028\u2029\ufeff\ufffe\uffff\ud800-\udfff]")
_LINE = re.compile(r"( *)(\"(?:[^\"\\]|\\.)*\"|'(?:[^']|'')*'|[\w.@-]+):(?: +(.*))?$")
_PLAIN_KEY = re.compile(r"[\w.@-]+")
# A plain scalar that means the same to any YAML reader: a word character (or a sign or dot before one)
# first, then words, spaces and harmless punctuation, never `: `, ` #` or a trailing `:`.
_PLAIN_BLOCK = re.compile(r"(?:[\w]|[-+.](?=\w))[\w .,'()/+@:!?=;&%$-]*")
_PLAIN_FLOW = re.compile(r"(?:[\w]|[-+.](?=\w))[\w .'()/+@:!?=;&%$-]*")
_COMMENT = re.compile(r" +#.*$")
_RESOLVE = [(tag.rsplit(":", 1)[-1], re.compile(pattern)) for tag, pattern, _first in CORE_RESOLVERS]
# JSON's escapes are all YAML escapes too, with the same meaning.
_JSON_ESCAPES = re.compile(r'\\(?:["\\/bfnrt]|u[0-9a-fA-F]{4})')
_SURROGATE_ESCAPE = re.compile(r"\\u[dD][89a-fA-F]")


class _GiveUp(Exception):
    """The text is outside the shape this reader knows; the full reader decides."""


# Answer files repeat the same few scalars (option ids, true, false) thousands of times: each is resolved once.
_SEEN: dict[tuple[str, bool], Any] = {}
_SEEN_AT_MOST = 50_000


def _plain(text: str, flow: bool) -> Any:
    """A plain scalar resolved as the full reader resolves it (YAML 1.2 core), numbers keeping their text."""
    try:
        return _SEEN[text, flow]
    except KeyError:
        pass
    value = _resolve(text, flow)
    if len(_SEEN) >= _SEEN_AT_MOST:
        _SEEN.clear()
    _SEEN[text, flow] = value
    return value


def _resolve(text: str, flow: bool) -> Any:
    if not (_PLAIN_FLOW if flow else _PLAIN_BLOCK).fullmatch(text) or ": " in text or text.endswith(":"):
        raise _GiveUp
    for kind, pattern in _RESOLVE:
        if pattern.match(text):
            if kind == "null":
                return None
            if kind == "bool":
                return text.lower() == "true"
            if kind == "int":
                if len(text) > MAX_INT_CHARS:
                    raise _GiveUp
                return WrittenInt(int(text, 0 if "x" in text else 10), text)
            value = float(text)
            if not math.isfinite(value):
                raise _GiveUp
            return WrittenFloat(value, text)
    return text


def _quoted(text: str) -> str:
    """A double-quoted (JSON-style) or single-quoted scalar, whole."""
    if text[0] == "'":
        return text[1:-1].replace("''", "'")
    if "\\" in _JSON_ESCAPES.sub("", text) or _SURROGATE_ESCAPE.search(text):
        raise _GiveUp  # a YAML-only escape (\x, \e, \N, ...), or JSON's surrogate pairs, which YAML writes as \U: the full reader's
    try:
        value = json.loads(text)
    except ValueError:
        raise _GiveUp from None
    if not isinstance(value, str) or _ODD.search(value):
        raise _GiveUp  # an escaped control or half a character: the full reader decides what it means
    return value


_TOKEN = re.compile(r" *(\"(?:[^\"\\]|\\.)*\"|'(?:[^']|'')*'|[^,\[\]{}\"']*) *")


def _flow_scalar(text: str) -> Any:
    text = text.strip()
    if not text:
        raise _GiveUp
    if text[0] in "\"'":
        return _quoted(text)
    return _plain(text, flow=True)


def _split(body: str) -> list[str]:
    """The comma-separated items of a one-line flow collection (no nesting); gives up on anything unclear."""
    items, at = [], 0
    while at <= len(body):
        match = _TOKEN.match(body, at)
        if match is None:
            raise _GiveUp
        items.append(match.group(1))
        at = match.end()
        if at == len(body):
            break
        if body[at] != ",":
            raise _GiveUp
        at += 1
    return items


def _value(text: str, line: int, lines: dict[int, Any]) -> Any:
    """One value written on the same line as its key."""
    if text[0] in "\"'":
        end = _quoted_end(text)
        rest = text[end:]
        if rest and not _COMMENT.fullmatch(rest):
            raise _GiveUp
        return _quoted(text[:end])
    text = _COMMENT.sub("", text) if " #" in text else text
    if text[0] == "[":
        if not text.endswith("]"):
            raise _GiveUp
        body = text[1:-1]
        if not body.strip():
            items: list[Any] = []
        elif "'" in body or '"' in body:
            items = [_flow_scalar(item) for item in _split(body)]
        else:
            items = [_flow_scalar(item) for item in body.split(",")]
        lines[id(items)] = [line] * len(items)
        return items
    if text[0] == "{":
        if not text.endswith("}"):
            raise _GiveUp
        body = text[1:-1]
        mapping: dict[str, Any] = {}
        keys: dict[str, int] = {}
        for pair in [] if not body.strip() else (_split_pairs(body) if "'" in body or '"' in body else body.split(",")):
            key_part, _, value_part = pair.partition(": ")
            key = key_text(_flow_scalar(key_part))
            if not isinstance(key, str) or key in mapping or not value_part.strip():
                raise _GiveUp
            mapping[key] = _flow_scalar(value_part)
            keys[key] = line
        lines[id(mapping)] = keys
        return mapping
    return _plain(text.rstrip(), flow=False)


def _split_pairs(body: str) -> list[str]:
    """`k: v, k: v` split at the commas between pairs (quoted parts kept whole)."""
    pairs, at, start, quote = [], 0, 0, ""
    while at < len(body):
        char = body[at]
        if quote:
            if char == "\\" and quote == '"':
                at += 1
            elif char == quote:
                quote = ""
        elif char in "\"'":
            quote = char
        elif char in "[]{}":
            raise _GiveUp
        elif char == ",":
            pairs.append(body[start:at])
            start = at + 1
        at += 1
    if quote:
        raise _GiveUp
    pairs.append(body[start:])
    return pairs


def _quoted_end(text: str) -> int:
    """The index just past the quoted scalar that starts `text`."""
    quote, at = text[0], 1
    while at < len(text):
        if quote == '"' and text[at] == "\\":
            at += 2
            continue
        if text[at] == quote:
            if quote == "'" and text[at + 1 : at + 2] == "'":
                at += 2
                continue
            return at + 1
        at += 1
    raise _GiveUp


def read_plain(text: str) -> tuple[Any, dict[int, Any]] | None:
    """The document and its line table when `text` has the answer-file shape; None to let the full reader decide."""
    if _ODD.search(text) or "\r" in text:
        return None
    try:
        return _read(text)
    except (_GiveUp, IndexError, ValueError):
        return None


def _read(text: str) -> tuple[Any, dict[int, Any]]:
    root: dict[str, Any] = {}
    lines: dict[int, Any] = {id(root): {}}
    child: dict[str, Any] | None = None  # the block mapping under the last key written with no value
    child_indent = 0
    opened = False  # whether the last top-level key had no value (and so may open a block mapping)
    for number, raw in enumerate(text.split("\n"), 1):
        stripped = raw.strip()
        if not stripped or stripped.startswith("#"):
            continue
        match = _LINE.match(raw)
        if match is None:
            raise _GiveUp
        indent, key_source, value = len(match.group(1)), match.group(2), match.group(3)
        key = key_text(_plain(key_source, flow=True) if _PLAIN_KEY.fullmatch(key_source) else _quoted(key_source))
        if not isinstance(key, str):
            raise _GiveUp
        if value is not None and (not value or value.startswith(("#", "&", "*", "!", "|", ">", "-", "?", "%", "@", "`"))):
            raise _GiveUp  # comments after a bare key, anchors, tags, block scalars, lists: the full reader's
        if indent == 0:
            target, table = root, lines[id(root)]
            child = None
        else:
            if child is None:
                if not opened:
                    raise _GiveUp
                child = {}
                child_indent = indent
                parent_key = next(reversed(root))
                root[parent_key] = child
                lines[id(child)] = {}
            if indent != child_indent:
                raise _GiveUp
            target, table = child, lines[id(child)]
        if key in target:
            raise _GiveUp  # a duplicate key: the full reader names both lines
        target[key] = None if value is None else _value(value, number, lines)
        table[key] = number
        opened = indent == 0 and value is None
    if not root:
        raise _GiveUp
    return root, lines
