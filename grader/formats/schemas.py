"""The JSON Schemas (package data in grader/schemas/), each format's one structural validator, and its errors in plain words.

The schemas say what each file holds; code checks only what a schema cannot (graphs, references between files).
Editors read the same files through the `# yaml-language-server: $schema=...` line at the top of each course file.
"""

from __future__ import annotations

import difflib
import functools
import json
import math
from collections.abc import Iterable, Mapping
from importlib import resources
from typing import Any

import jsonschema

from grader.common.ids import LEARNER_ID_PATTERN, LEARNER_ID_RULE
from grader.common.problems import Problem
from grader.common.text import shorten

# What each id pattern the schemas use asks for, in words.
PATTERN_RULES = {
    "^[a-z0-9][a-z0-9-]*$": "use lower case letters, digits and '-', starting with a letter or digit",
    "^[a-z0-9-]+\\.[a-z0-9-]+$": "use `model.step`, lower case, as quizzes/models.yml defines it",
    "^[^\\s]+\\.md(#[A-Za-z0-9_-]+)?$": "use a page path under docs/, such as lessons/five-step-process.md#clarify",
    LEARNER_ID_PATTERN: LEARNER_ID_RULE,
    "^[^\\s#]+\\.md$": "use a page path under docs/ without a section, such as lessons/five-step-process.md",
    "^[A-Za-z0-9_-]+$": "use the section's anchor without the #, such as clarify for {#clarify}",
}
KINDS = {
    "number": "a number",
    "integer": "a whole number",
    "string": "text",
    "array": "a list",
    "object": "a mapping",
    "boolean": "true or false",
    "null": "empty",
}


def _finite_number(checker, value) -> bool:
    """JSON Schema's "number", less NaN and the infinities."""
    number = jsonschema.Draft202012Validator.TYPE_CHECKER.is_type(value, "number")
    return number and (not isinstance(value, float) or math.isfinite(value))


# YAML's .inf and .nan and JSON's NaN are numbers to Python, but no score or count can be one.
_Validator = jsonschema.validators.extend(
    jsonschema.Draft202012Validator, type_checker=jsonschema.Draft202012Validator.TYPE_CHECKER.redefine("number", _finite_number)
)


def _inline(node: Any, defs: dict) -> Any:
    """`node` with each local `$ref` to `#/$defs/...` replaced by what it names (the schemas here are not recursive)."""
    if isinstance(node, list):
        return [_inline(item, defs) for item in node]
    if not isinstance(node, dict):
        return node
    ref = node.get("$ref", "")
    if ref.startswith("#/$defs/"):
        target = _inline(defs[ref.removeprefix("#/$defs/")], defs)
        rest = {key: _inline(value, defs) for key, value in node.items() if key != "$ref"}
        # Beside a $ref only notes are written; where anything else is, both must hold.
        return {**rest, **target} if set(rest) <= {"description", "title"} else {**rest, "allOf": [target]}
    return {key: _inline(value, defs) for key, value in node.items() if key != "$defs"}


def schema_text(name: str) -> str:
    """The text of grader/schemas/<name>.schema.json, read as package data (it works however the grader was installed)."""
    return (resources.files("grader") / "schemas" / f"{name}.schema.json").read_text(encoding="utf-8")


def schema_data(name: str) -> dict[str, Any]:
    """grader/schemas/<name>.schema.json as data, each local `$ref` replaced by what it names; a fresh copy each call."""
    schema = json.loads(schema_text(name))
    # Resolving a $ref costs more than the check it leads to; results.json has one per value.
    return _inline(schema, schema.get("$defs", {}))


@functools.cache
def validator(name: str) -> jsonschema.protocols.Validator:
    """The validator for grader/schemas/<name>.schema.json, where "number" means a finite number."""
    return _Validator(schema_data(name))


def where(path: Iterable) -> str:
    """Key path as authors write it: `questions[2].options`."""
    out = ""
    for part in path:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out


def _shown(value: Any) -> str:
    return shorten(json.dumps(value, ensure_ascii=True, default=str), 40)


def _kind(value: Any) -> str:
    if isinstance(value, bool):
        return json.dumps(value)
    if isinstance(value, float) and not math.isfinite(value):
        return "NaN" if value != value else "Infinity" if value > 0 else "-Infinity"
    if isinstance(value, (int, float)):
        return "a number"
    return {str: "text", list: "a list", dict: "a mapping", type(None): "nothing"}.get(type(value), type(value).__name__)


def _described(schema: Mapping[str, Any]) -> str:
    """What a schema's description calls the value, in a few words: "Scenario id; must equal..." gives "scenario id"."""
    what = schema.get("description", "")
    for stop in (":", ";", ". ", " ("):
        what = what.split(stop)[0]
    what = what.rstrip(".").strip()
    for article in ("A ", "An ", "The "):
        what = what.removeprefix(article)
    return what[:1].lower() + what[1:]


def friendly(error: jsonschema.ValidationError, prefix: tuple = ()) -> tuple[tuple, str]:
    """(key path, what is wrong and how to fix it) for one schema error found at `prefix`, in words an author can act on."""
    path = prefix + tuple(error.absolute_path)
    # iter_errors sets these on every error it yields; the stubs also allow the Unset of an error made by hand.
    value: Any = error.instance
    setting: Any = error.validator_value
    # A `false` subschema fails without a keyword and has no mapping to look in.
    schema = error.schema if isinstance(error.schema, Mapping) else {}
    kind = error.validator
    if kind == "type" and value is None:
        return path, "has no value; write one after the colon, or remove the key"
    if kind == "type":
        wanted: list[str] = setting if isinstance(setting, list) else [setting]
        return path, f"must be {' or '.join(KINDS.get(w, w) for w in wanted)}, not {_kind(value)}"
    if kind == "required":
        missing = next((key for key in setting if key not in value), "?")
        return path, f"lacks the key '{missing}'; add it"
    if kind == "additionalProperties":
        known = list(schema.get("properties", {}))
        extra = next((key for key in value if key not in known), "?")
        close = difflib.get_close_matches(str(extra), known, n=1, cutoff=0.6)
        hint = (
            f"did you mean '{close[0]}'?"
            if close
            else f"the keys here are: {', '.join(known)}"
            if 0 < len(known) <= 12
            else "check the spelling against the format reference"
        )
        return path + (extra,), f"is not a key this format has here; {hint}"
    if kind == "const":
        return path, f"must be {json.dumps(setting)}, not {_shown(value)}"
    if kind == "enum":
        return path, f"must be one of {', '.join(json.dumps(v) for v in setting)}, not {_shown(value)}"
    if kind in ("minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum"):
        low = schema.get("minimum", schema.get("exclusiveMinimum"))
        high = schema.get("maximum", schema.get("exclusiveMaximum"))
        above = "above" if "exclusiveMinimum" in schema else "at least"
        bounds = (
            f"between {low:,} and {high:,}"
            if low is not None and high is not None
            else f"{above} {low:,}"
            if low is not None
            else f"at most {high:,}"
        )
        return path, f"must be {bounds}, not {_shown(value)}"
    if kind == "minLength":
        return (
            path,
            "must be non-empty text" if setting == 1 else f"needs at least {setting} characters",
        )
    if kind in ("minItems", "minProperties"):
        return path, "must not be empty" if setting == 1 else f"needs at least {setting} entries"
    if kind == "maxLength":
        return path, f"is longer than {setting:,} characters"
    if kind in ("maxItems", "maxProperties"):
        return path, f"has more than {setting:,} entries"
    if kind == "uniqueItems":
        return path, "lists the same entry twice; keep one"
    if kind == "pattern":
        what = _described(schema) or "value"
        rule = PATTERN_RULES.get(setting, "see the format reference for its form")
        return path, f"{_shown(value)} is not a valid {what}: {rule}"
    if kind == "propertyNames":
        names = schema.get("propertyNames", {})
        what = _described(names) or "key"
        rule = PATTERN_RULES.get(names.get("pattern", ""), "see the format reference for its form")
        bad = (
            next((key for key in value if not jsonschema.Draft202012Validator(names).is_valid(key)), "?")
            if isinstance(value, dict)
            else "?"
        )
        return path + (bad,), f"{_shown(bad)} is not a valid {what}: {rule}"
    branches = setting if kind in ("oneOf", "anyOf") else None
    if branches and all(set(b) == {"required"} and len(b["required"]) == 1 for b in branches):
        names = " and ".join(f"`{b['required'][0]}`" for b in branches)
        return path, f"needs exactly one of {names}" if kind == "oneOf" else f"needs at least one of {names}"
    why = schema.get("description") if isinstance(schema, dict) else None
    if kind == "not" and error.validator_value == {} and isinstance(why, str):
        return path, why  # a key this kind of file must not have: its description says why
    if kind in ("if", "not", "oneOf", "anyOf", "allOf", "then", "else", "dependentRequired"):
        return path, "has fields that do not fit its type; see the format reference for this kind of entry"
    return path, shorten(error.message, 120)


def order(path: tuple) -> tuple:
    """Document order of a key path: list indexes as numbers, keys as text."""
    return tuple((0, part, "") if isinstance(part, int) else (1, 0, str(part)) for part in path)


def line_at(line_of, path: tuple) -> int | None:
    """Line of `path`, or of its nearest parent that has one; None when unknown."""
    if line_of is None:
        return None
    for end in range(len(path), -1, -1):
        try:
            found = line_of(tuple(path[:end]))
        except Exception:  # a line is a courtesy; a broken lookup must not hide the problem
            found = None
        if found:
            return found
    return None


def problems(data: Any, file: str, name: str, line_of=None) -> list[Problem]:
    """Every place `data` breaks schema `name`, in document order, each with its line when `line_of` knows it."""
    found = sorted((friendly(error) for error in validator(name).iter_errors(data)), key=lambda pair: order(pair[0]))
    return [Problem(file, message, line_at(line_of, path), where(path)) for path, message in found]
