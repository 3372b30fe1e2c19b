"""Read a results.json that `grader grade` wrote: strict parsing, its schema, and the checks a schema cannot make.

Whatever the file holds (a TA's edit, a cut-off copy, another program's JSON), the reader
returns the document or raises ResultsError with one line naming the file, the key path
and the fix.
"""

from __future__ import annotations

import functools
import itertools
import json
from pathlib import Path
from typing import Any

from grader.common.problems import Problem, UsageError
from grader.common.text import shorten

# The course files' schemas and messages, so every kind of file reports faults alike.
from grader.formats.schemas import friendly, order, schema_data, validator, where

FORMAT = 1
# Answer files nest at most 32 levels and results.json puts them 5 deep; deeper is not grading output.
MAX_DEPTH = 64
# Enough schema errors to name the first and say more follow, without walking a hopeless file to its end.
LIMIT = 100
FIX = "results.json must be as `grader grade` wrote it: undo the edit, or grade again"


class ResultsError(UsageError):
    """A results.json that cannot be read; the message is one line naming the file, the place and the fix."""


def read(path: Path) -> dict:
    """The results document in `path`, checked against grader/schemas/results.schema.json."""
    data = _parse(path)
    _check_depth(path, data)
    if not isinstance(data, dict) or not {"quizzes", "results"} & set(data):
        raise ResultsError(
            f"{path}: not grading output (a results.json written by `grader grade` has format, quizzes and results); pass the folder `grader grade --out` wrote"
        )
    if "format" in data and data["format"] != FORMAT:
        shown = shorten(json.dumps(data.get("format")), 20)
        raise ResultsError(f"{path}: results format {shown}, but this grader reads format {FORMAT}; grade again with this grader")
    problem = first_problem(data, str(path))
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
        raise ResultsError(
            f"{path}:{error.lineno}: not valid JSON ({error.msg.removesuffix(' at')} at column {error.colno}); the file is damaged or cut short: {FIX}"
        ) from None
    except RecursionError:
        raise ResultsError(f"{path}: nested deeper than {MAX_DEPTH} levels, which `grader grade` never writes; {FIX}") from None
    except ValueError as error:  # e.g. an integer too long to convert
        raise ResultsError(f"{path}: not valid JSON ({shorten(error, 100)}); {FIX}") from None


def _check_depth(path: Path, data) -> None:
    """Refuse nesting no grading output has, before anything walks the document recursively."""
    level = [data]
    for _ in range(MAX_DEPTH + 1):
        level = [
            child
            for value in level
            for child in (value.values() if isinstance(value, dict) else value if isinstance(value, list) else ())
        ]
        if not level:
            return
    raise ResultsError(f"{path}: nested deeper than {MAX_DEPTH} levels, which `grader grade` never writes; {FIX}")


@functools.cache
def _validators():
    """The results schema in two parts: the document without what each item holds, and one item."""
    document = schema_data("results")
    item = document["properties"]["results"]["items"]["properties"]["items"].pop("items")
    kind = type(validator("results"))
    return kind(document), kind(item)


def _schema_errors(data: dict) -> list[tuple[tuple, Any]]:
    """(where, error) for up to LIMIT schema errors; an item that repeats another is checked once."""
    document, item = _validators()
    found = [((), error) for error in itertools.islice(document.iter_errors(data), LIMIT)]
    # A class gives the same answer to the same question again and again; checking each distinct item once is
    # the same check, ten times faster on a real class.
    distinct: dict[str, tuple] = {}
    results = data.get("results")
    for i, result in enumerate(results if isinstance(results, list) else ()):
        items = result.get("items") if isinstance(result, dict) else None
        for j, entry in enumerate(items if isinstance(items, list) else ()):
            distinct.setdefault(json.dumps(entry, sort_keys=True), (("results", i, "items", j), entry))
    for at, entry in distinct.values():
        if len(found) >= LIMIT:
            break
        found += [(at, error) for error in item.iter_errors(entry)]
    return found


def schema_problem(data: dict, file: str) -> Problem | None:
    """The first place (in document order) where `data` breaks the results schema, and whether more follow."""
    found = sorted((friendly(error, at) for at, error in _schema_errors(data)), key=lambda pair: order(pair[0]))
    if not found:
        return None
    path, message = found[0]
    more = f"; at least {len(found) - 1} more problem(s) after it" if len(found) > 1 else ""
    return Problem(file, f"{message}{more}; {FIX}", None, where(path))


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
                return Problem(
                    file, f"quiz '{quiz_id}' has no question '{item['question']}'; {FIX}", None, f"{at}.items[{number}].question"
                )
        key = (result["learner"]["id"], quiz_id)
        if key in seen:
            return Problem(
                file,
                f"a second result for learner '{key[0]}' in quiz '{quiz_id}' (the first is results[{seen[key]}]); keep one: {FIX}",
                None,
                at,
            )
        seen[key] = index
    return None


def first_problem(data: dict, file: str) -> Problem | None:
    """What makes `data` unusable as results: a schema fault first, then a reference the file cannot resolve."""
    return schema_problem(data, file) or reference_problem(data, file)
