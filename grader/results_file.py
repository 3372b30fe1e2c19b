"""Read a results.json that `grader grade` wrote: strict parsing, its schema, and the checks a schema cannot make.

Whatever the file holds (a TA's edit, a cut-off copy, another program's JSON), the reader
returns the document or raises ResultsError with one line naming the file, the key path
and the fix.
"""

from __future__ import annotations

import copy
import functools
import itertools
import json
from pathlib import Path
from typing import Any

# The course files' schema loader and key-path format, so both kinds of file report faults alike.
from grader.course import _schema, _where
from grader.labels import shorten
from grader.problems import Problem

FORMAT = 1
# Answer files nest at most 32 levels and results.json puts them 5 deep; deeper is not grading output.
MAX_DEPTH = 64
# Enough schema errors to name the first and say more follow, without walking a hopeless file to its end.
LIMIT = 100
FIX = "results.json must be as `grader grade` wrote it: undo the edit, or grade again"
KINDS = {"number": "a finite number", "integer": "a whole number", "string": "text", "array": "a list", "object": "an object", "boolean": "true or false", "null": "null"}


class ResultsError(Exception):
    """A results.json that cannot be read; the message is one line naming the file, the place and the fix."""


def read(path: Path, root: Path | None = None) -> dict:
    """The results document in `path`, checked against schemas/results.schema.json (found beside the package or under `root`)."""
    data = _parse(path)
    _check_depth(path, data)
    if not isinstance(data, dict) or not {"quizzes", "results"} & set(data):
        raise ResultsError(f"{path}: not grading output (a results.json written by `grader grade` has format, quizzes and results); pass the folder `grader grade --out` wrote")
    if "format" in data and data["format"] != FORMAT:
        shown = shorten(json.dumps(data.get("format")), 20)
        raise ResultsError(f"{path}: results format {shown}, but this grader reads format {FORMAT}; grade again with this grader")
    problem = first_problem(data, str(path), root)
    if problem is not None:
        raise ResultsError(str(problem))
    return data


def _parse(path: Path):
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        raise ResultsError(f"{path}: no such file; run `grader grade ... --out DIR` first, then pass DIR") from None
    except OSError as error:
        raise ResultsError(f"{path}: cannot be read ({error.strerror or error})") from None
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = raw.count(b"\n", 0, error.start) + 1
        raise ResultsError(f"{path}:{line}: not UTF-8 text (byte 0x{raw[error.start]:02x}); {FIX}") from None
    try:
        return json.loads(text)
    except json.JSONDecodeError as error:
        raise ResultsError(f"{path}:{error.lineno}: not valid JSON ({error.msg.removesuffix(' at')} at column {error.colno}); the file is damaged or cut short: {FIX}") from None
    except RecursionError:
        raise ResultsError(f"{path}: nested deeper than {MAX_DEPTH} levels, which `grader grade` never writes; {FIX}") from None
    except ValueError as error:  # e.g. an integer too long to convert
        raise ResultsError(f"{path}: not valid JSON ({shorten(error, 100)}); {FIX}") from None


def _check_depth(path: Path, data) -> None:
    """Refuse nesting no grading output has, before anything walks the document recursively."""
    level = [data]
    for _ in range(MAX_DEPTH + 1):
        level = [child for value in level for child in (value.values() if isinstance(value, dict) else value if isinstance(value, list) else ())]
        if not level:
            return
    raise ResultsError(f"{path}: nested deeper than {MAX_DEPTH} levels, which `grader grade` never writes; {FIX}")


def _order(path: tuple) -> tuple:
    """Document order of a key path: list indexes as numbers, keys as text."""
    return tuple((0, part, "") if isinstance(part, int) else (1, 0, str(part)) for part in path)


def _shown(value) -> str:
    return shorten(json.dumps(value, ensure_ascii=True), 40)


def _kind(value) -> str:
    if isinstance(value, bool):
        return json.dumps(value)
    if isinstance(value, float) and value != value:
        return "NaN"
    if isinstance(value, float) and value in (float("inf"), float("-inf")):
        return "Infinity" if value > 0 else "-Infinity"
    if isinstance(value, (int, float)):
        return "a number"
    return {str: "text", list: "a list", dict: "an object", type(None): "null"}.get(type(value), type(value).__name__)


def _message(error, prefix: tuple = ()) -> tuple[tuple, str]:
    """(key path, what is wrong) for one schema error found at `prefix`, in words a TA can act on."""
    path, value, schema = prefix + tuple(error.absolute_path), error.instance, error.schema
    kind = error.validator
    if kind == "type":
        wanted = error.validator_value if isinstance(error.validator_value, list) else [error.validator_value]
        return path, f"must be {' or '.join(KINDS.get(w, w) for w in wanted)} (found {_kind(value)})"
    if kind == "required":
        missing = next((key for key in error.validator_value if key not in value), "?")
        return path + (missing,), "is missing"
    if kind == "additionalProperties":
        extra = next((key for key in value if key not in schema.get("properties", {})), "?")
        return path + (extra,), "is not a key format 1 has here"
    if kind == "const":
        return path, f"must be {json.dumps(error.validator_value)} (found {_shown(value)})"
    if kind == "enum":
        return path, f"must be one of {', '.join(json.dumps(v) for v in error.validator_value)} (found {_shown(value)})"
    if kind in ("minimum", "maximum"):
        low, high = schema.get("minimum"), schema.get("maximum")
        bounds = f"between {low:,} and {high:,}" if low is not None and high is not None else f"at least {low:,}" if low is not None else f"at most {high:,}"
        return path, f"must be {bounds} (found {_shown(value)})"
    if kind == "maxLength":
        return path, f"is longer than {error.validator_value:,} characters"
    if kind == "maxItems":
        return path, f"has more than {error.validator_value:,} entries"
    if kind == "pattern":
        what = schema.get("description", "").rstrip(".")
        return path, f"{_shown(value)} is not {what[:1].lower() + what[1:]}" if what else f"{_shown(value)} is not allowed here"
    if kind == "propertyNames":
        return path, f"{_shown(value)} is not a quiz id (lower-case letters, digits and hyphens)"
    return path, shorten(error.message, 120)


@functools.lru_cache(maxsize=None)
def _validators(root: Path | None):
    """The results schema in two parts: the document without what each item holds, and one item."""
    whole = _schema("results", root)
    document = copy.deepcopy(whole.schema)
    item = document["properties"]["results"]["items"]["properties"]["items"].pop("items")
    return type(whole)(document), type(whole)(item)


def _schema_errors(data: dict, root: Path | None) -> list[tuple[tuple, Any]]:
    """(where, error) for up to LIMIT schema errors; an item that repeats another is checked once."""
    document, item = _validators(root)
    found = [((), error) for error in itertools.islice(document.iter_errors(data), LIMIT)]
    # A class gives the same answer to the same question again and again; checking each distinct item once is
    # the same check, ten times faster on a real class.
    distinct: dict[str, tuple] = {}
    results = data.get("results")
    for i, result in enumerate(results if isinstance(results, list) else ()):
        items = result.get("items") if isinstance(result, dict) else None
        for j, entry in enumerate(items if isinstance(items, list) else ()):
            distinct.setdefault(json.dumps(entry, sort_keys=True), (("results", i, "items", j), entry))
    for where, entry in distinct.values():
        if len(found) >= LIMIT:
            break
        found += [(where, error) for error in item.iter_errors(entry)]
    return found


def schema_problem(data: dict, file: str, root: Path | None = None) -> Problem | None:
    """The first place (in document order) where `data` breaks the results schema, and whether more follow."""
    found = sorted((_message(error, where) for where, error in _schema_errors(data, root)), key=lambda pair: _order(pair[0]))
    if not found:
        return None
    path, message = found[0]
    more = f"; at least {len(found) - 1} more problem(s) after it" if len(found) > 1 else ""
    return Problem(file, f"{message}{more}; {FIX}", None, _where(path))


def reference_problem(data: dict, file: str) -> Problem | None:
    """The first result that names a quiz or question the file does not describe, or repeats a learner's quiz."""
    questions: dict[str, set] = {}
    for quiz_id, meta in data["quizzes"].items():
        ids = [q["id"] for q in meta["questions"]]
        repeated = next((qid for qid in ids if ids.count(qid) > 1), None)
        if repeated:
            return Problem(file, f"question '{repeated}' is listed twice; {FIX}", None, f"quizzes.{quiz_id}.questions")
        questions[quiz_id] = set(ids)
    seen: dict[tuple, int] = {}
    for index, result in enumerate(data["results"]):
        at = f"results[{index}]"
        quiz_id = result["quiz"]
        if quiz_id not in questions:
            return Problem(file, f"quiz '{quiz_id}' is not described under quizzes; {FIX}", None, f"{at}.quiz")
        for number, item in enumerate(result["items"]):
            if item["question"] not in questions[quiz_id]:
                return Problem(file, f"quiz '{quiz_id}' has no question '{item['question']}'; {FIX}", None, f"{at}.items[{number}].question")
        key = (result["learner"]["id"], quiz_id)
        if key in seen:
            return Problem(file, f"a second result for learner '{key[0]}' in quiz '{quiz_id}' (the first is results[{seen[key]}]); keep one: {FIX}", None, at)
        seen[key] = index
    return None


def first_problem(data: dict, file: str, root: Path | None = None) -> Problem | None:
    """What makes `data` unusable as results: a schema fault first, then a reference the file cannot resolve."""
    return schema_problem(data, file, root) or reference_problem(data, file)
