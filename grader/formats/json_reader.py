"""JSON as the grader reads it: the same rules as YAML (no duplicate keys, bounded depth and numbers), lines found by search."""

from __future__ import annotations

import json
import math
import re
from typing import Any

from grader.common.problems import Problem
from grader.formats.limits import DEPTH_PROBLEM, MAX_DEPTH, MAX_INT_CHARS, LoadError
from grader.formats.numbers import WrittenFloat, WrittenInt, finite_problem, int_problem


def json_line(text: str, key: Any, default: int | None) -> int | None:
    """Line of the first `"key":` in JSON text (json keeps no positions)."""
    match = re.search(r'"' + re.escape(str(key)) + r'"\s*:', text)
    return text.count("\n", 0, match.start()) + 1 if match else default


_JSON_STRING_OR_BRACKET = re.compile(r'"[^"\\]*(?:\\.[^"\\]*)*"|[\[\]{}]')


# An escaped backslash, a surrogate pair, or (group 1) half of one on its own.
_JSON_SURROGATE = re.compile(r"\\\\|\\u[dD][89abAB][0-9a-fA-F]{2}\\u[dD][c-fC-F][0-9a-fA-F]{2}|(\\u[dD][89a-fA-F][0-9a-fA-F]{2})")


def _check_json_depth(text: str, file: str) -> None:
    """Refuse JSON nested deeper than MAX_DEPTH; brackets inside strings do not count."""
    if text.count("[") + text.count("{") <= MAX_DEPTH:
        return
    depth = 0
    for match in _JSON_STRING_OR_BRACKET.finditer(text):
        bracket = match.group()
        if bracket in "[{":
            depth += 1
            if depth > MAX_DEPTH:
                raise LoadError(Problem(file, DEPTH_PROBLEM, text.count("\n", 0, match.start()) + 1))
        elif bracket in "]}":
            depth -= 1


class _Refused(Exception):
    """A JSON value refused while parsing; json gives no position, so its text is searched for."""

    def __init__(self, token: str, message: str):
        self.token, self.message = token, message


def _json_token_line(text: str, token: str) -> int | None:
    """Line of the first `token` outside a string in JSON text."""
    pattern = re.compile(r'"[^"\\]*(?:\\.[^"\\]*)*"|(?<![\w.+-])(' + re.escape(token) + r")(?![\w.])")
    for match in pattern.finditer(text):
        if match.group(1):
            return text.count("\n", 0, match.start()) + 1
    return None


def _json_int(text: str) -> int:
    if len(text) > MAX_INT_CHARS:
        raise _Refused(text, int_problem(text))
    return WrittenInt(int(text), text)


def _json_float(text: str) -> float | str:
    value = float(text)
    # JSON numbers are always digits: one too large for a float is kept as the text written.
    return WrittenFloat(value, text) if math.isfinite(value) else text


def _json_constant(name: str):
    raise _Refused(name, finite_problem(name))


def read_json(text: str, file: str) -> Any:
    """The document in JSON `text`, by the same rules as YAML: no duplicate keys, bounded depth and numbers, no lone surrogates."""

    def pairs(items: list) -> dict:
        data: dict = {}
        for key, value in items:
            if key in data:
                raise LoadError(Problem(file, f"the key '{key}' appears twice; keep one", json_line(text, key, None)))
            data[key] = value
        return data

    _check_json_depth(text, file)
    try:
        data = json.loads(
            text, object_pairs_hook=pairs, parse_int=_json_int, parse_float=_json_float, parse_constant=_json_constant
        )
    except json.JSONDecodeError as error:
        raise LoadError(Problem(file, f"not valid JSON ({error.msg}, column {error.colno})", error.lineno)) from None
    except _Refused as refused:
        raise LoadError(Problem(file, refused.message, _json_token_line(text, refused.token))) from None
    except RecursionError:
        raise LoadError(Problem(file, DEPTH_PROBLEM)) from None
    if "\\u" in text:
        # A lone surrogate escape decodes to a str that cannot be written out as UTF-8.
        for match in _JSON_SURROGATE.finditer(text):
            if match.group(1):
                raise LoadError(
                    Problem(
                        file,
                        f"{match.group(1)} is half of a character (a lone surrogate), not text; remove it",
                        text.count("\n", 0, match.start()) + 1,
                    )
                )
    return data
