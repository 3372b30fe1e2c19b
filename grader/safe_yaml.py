"""The one YAML loader: C-accelerated, YAML 1.2 scalars, no duplicate keys, size and nesting limits.

Every file the grader or the site reads goes through `load_file` (or `load_bytes`):

    loaded = load_file("quizzes/five-step-process.yml")
    loaded.data                           # plain dicts, lists, str, int, float, bool, None
    loaded.line_of(("questions", 2, "options"))   # 1-based line, or None

Problems raise `LoadError`, whose `.problem` names the file, the line and the fix.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable

import yaml

from grader.problems import Problem

try:  # libyaml is optional in PyYAML builds; the pure-Python parser gives the same data.
    from yaml import CSafeLoader as _BaseLoader
except ImportError:  # pragma: no cover - depends on how PyYAML was built
    from yaml import SafeLoader as _BaseLoader

MAX_ANSWER_BYTES = 1 << 20
MAX_COURSE_BYTES = 8 << 20
MAX_DEPTH = 32

# libyaml recurses once per nesting level and crashes the interpreter far past
# any real file, so depth is bounded before the text reaches it.
_BLOCK_NEST = re.compile(r"(?:[-?][ \t]+){%d}" % MAX_DEPTH)
_FLOW_CHARS = re.compile(r"[\[\]{}]")


class LoadError(Exception):
    """A file could not be loaded; `.problem` says where and why."""

    def __init__(self, problem: Problem):
        self.problem = problem
        super().__init__(str(problem))


@dataclass
class Loaded:
    """Data read from one file, with the line of each key and item."""

    data: Any
    """The document: plain dicts, lists and scalars."""
    file: str
    """The path as given."""
    lines: dict[int, Any] = field(default_factory=dict, repr=False)
    """id(container) -> {key: line} for mappings, [line, ...] for sequences."""
    text: str = field(default="", repr=False)
    """The decoded text, for JSON files whose lines are found by search."""

    def line_of(self, path: tuple = ()) -> int | None:
        """Line of the deepest part of `path` that exists, or None."""
        node, found = self.data, 1 if self.data is not None else None
        for part in path:
            table = self.lines.get(id(node))
            if isinstance(node, dict) and part in node:
                found = table.get(part, found) if table else _json_line(self.text, part, found)
                node = node[part]
            elif isinstance(node, list) and isinstance(part, int) and 0 <= part < len(node):
                found = table[part] if table else found
                node = node[part]
            else:
                break
        return found


def _json_line(text: str, key: Any, default: int | None) -> int | None:
    """Line of the first `"key":` in JSON text (json keeps no positions)."""
    match = re.search(r'"%s"\s*:' % re.escape(str(key)), text)
    return text.count("\n", 0, match.start()) + 1 if match else default


# YAML 1.2 core schema: only true/false are booleans, no octal, no dates, no `<<` merges,
# so ids such as `no` or `off` and versions such as `01234567` stay text.
_CORE_RESOLVERS = [
    ("tag:yaml.org,2002:null", r"^(?:~|null|Null|NULL|)$", list("~nN") + [""]),
    ("tag:yaml.org,2002:bool", r"^(?:true|True|TRUE|false|False|FALSE)$", list("tTfF")),
    ("tag:yaml.org,2002:int", r"^(?:[-+]?[0-9]+|0x[0-9a-fA-F]+)$", list("-+0123456789")),
    (
        "tag:yaml.org,2002:float",
        r"^(?:[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN))$",
        list("-+.0123456789"),
    ),
]


class _Loader(_BaseLoader):
    """Safe loader that records lines and refuses duplicate keys."""

    yaml_implicit_resolvers: dict = {}
    yaml_constructors = dict(_BaseLoader.yaml_constructors)

    def __init__(self, stream, file: str):
        super().__init__(stream)
        self.file = file
        self.lines: dict[int, Any] = {}


for _tag, _pattern, _first in _CORE_RESOLVERS:
    _Loader.add_implicit_resolver(_tag, re.compile(_pattern), _first)


def _key_text(key: Any) -> Any:
    """Mapping keys become text, as in JSON: `true:` is the key "true"."""
    if key is None:
        return "null"
    if isinstance(key, bool):
        return "true" if key else "false"
    if isinstance(key, (int, float)):
        return str(key)
    return key


def _construct_map(loader: _Loader, node: yaml.MappingNode):
    data: dict = {}
    yield data
    lines: dict = {}
    for key_node, value_node in node.value:
        key = _key_text(loader.construct_object(key_node, deep=True))
        line = key_node.start_mark.line + 1
        if not isinstance(key, str):
            raise LoadError(Problem(loader.file, "a key must be plain text, not a list or mapping", line))
        if key in data:
            raise LoadError(
                Problem(
                    loader.file,
                    f"the key '{key}' appears twice (first on line {lines[key]}); keep one",
                    line,
                )
            )
        data[key] = loader.construct_object(value_node)
        lines[key] = line
    loader.lines[id(data)] = lines


def _construct_seq(loader: _Loader, node: yaml.SequenceNode):
    data: list = []
    yield data
    data.extend(loader.construct_object(child) for child in node.value)
    loader.lines[id(data)] = [child.start_mark.line + 1 for child in node.value]


def _construct_int(loader: _Loader, node: yaml.ScalarNode) -> int:
    return int(loader.construct_scalar(node), 0 if "x" in node.value else 10)


def _construct_text(loader: _Loader, node: yaml.ScalarNode) -> str:
    return loader.construct_scalar(node)


_Loader.add_constructor("tag:yaml.org,2002:map", _construct_map)
_Loader.add_constructor("tag:yaml.org,2002:omap", _construct_map)
_Loader.add_constructor("tag:yaml.org,2002:seq", _construct_seq)
_Loader.add_constructor("tag:yaml.org,2002:int", _construct_int)
# Explicit `!!timestamp` or `!!binary` tags would make objects a file cannot round-trip.
_Loader.add_constructor("tag:yaml.org,2002:timestamp", _construct_text)
_Loader.add_constructor("tag:yaml.org,2002:binary", _construct_text)


def _syntax_problem(file: str, error: yaml.YAMLError) -> Problem:
    mark = getattr(error, "problem_mark", None)
    line = mark.line + 1 if mark is not None else None
    what = getattr(error, "problem", None) or str(error)
    context = getattr(error, "context", None)
    detail = f"{context}, {what}" if context else what
    return Problem(file, f"not valid YAML ({detail}); check the indentation and quotes on this line or the one above", line)


def _check_depth(text: str, file: str) -> None:
    """Refuse text nested deeper than MAX_DEPTH before the parser sees it."""
    block = _BLOCK_NEST.search(text)
    if block:
        line = text.count("\n", 0, block.start()) + 1
        raise LoadError(Problem(file, f"nested more than {MAX_DEPTH} levels deep; an answer file needs three", line))
    if text.count("[") + text.count("{") <= MAX_DEPTH:
        return
    depth = 0
    for match in _FLOW_CHARS.finditer(text):
        depth = depth + 1 if match.group() in "[{" else max(depth - 1, 0)
        if depth > MAX_DEPTH:
            line = text.count("\n", 0, match.start()) + 1
            raise LoadError(Problem(file, f"brackets nested more than {MAX_DEPTH} levels deep; an answer file needs three", line))


def _refuse_aliases(text: str, file: str) -> None:
    """Answer files may not use anchors or aliases (they can multiply a small file into a huge one)."""
    if "&" not in text and "*" not in text:
        return
    try:
        for event in yaml.parse(text, Loader=_BaseLoader):
            if isinstance(event, yaml.AliasEvent) or getattr(event, "anchor", None):
                raise LoadError(
                    Problem(file, "anchors and aliases (&name, *name) are not allowed in answer files; write the value out", event.start_mark.line + 1)
                )
    except yaml.YAMLError as error:
        raise LoadError(_syntax_problem(file, error)) from None


def _decode(raw: bytes, file: str) -> str:
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as error:
        line = raw.count(b"\n", 0, error.start) + 1
        raise LoadError(Problem(file, "not UTF-8 text; save the file as UTF-8", line)) from None
    return text[1:] if text.startswith("\ufeff") else text


def _load_json(text: str, file: str) -> Loaded:
    def pairs(items: list) -> dict:
        data: dict = {}
        for key, value in items:
            if key in data:
                raise LoadError(Problem(file, f"the key '{key}' appears twice; keep one", _json_line(text, key, None)))
            data[key] = value
        return data

    try:
        data = json.loads(text, object_pairs_hook=pairs)
    except json.JSONDecodeError as error:
        raise LoadError(Problem(file, f"not valid JSON ({error.msg}, column {error.colno})", error.lineno)) from None
    except RecursionError:
        raise LoadError(Problem(file, f"nested more than {MAX_DEPTH} levels deep")) from None
    return Loaded(data, file, {}, text)


def load_bytes(raw: bytes, file: str, *, answer: bool = False, as_json: bool = False) -> Loaded:
    """Load one document from bytes; `answer` applies the stricter answer-file rules."""
    limit = MAX_ANSWER_BYTES if answer else MAX_COURSE_BYTES
    if len(raw) > limit:
        raise LoadError(Problem(file, f"larger than the {limit // 1024} KiB limit ({len(raw) // 1024} KiB); is this the right file?"))
    text = _decode(raw, file)
    _check_depth(text, file)
    if as_json:
        return _load_json(text, file)
    if answer:
        _refuse_aliases(text, file)
    loader = _Loader(text, file)
    try:
        node = loader.get_single_node()
        data = loader.construct_document(node) if node is not None else None
    except yaml.YAMLError as error:
        raise LoadError(_syntax_problem(file, error)) from None
    except (RecursionError, MemoryError):
        raise LoadError(Problem(file, "too deeply nested or too large to read")) from None
    finally:
        loader.dispose()
    return Loaded(data, file, loader.lines, text)


def load_file(path: str | Path, *, answer: bool = False, display: str | None = None) -> Loaded:
    """Load one YAML or JSON file; `display` is the name used in messages."""
    name = display or str(path)
    limit = MAX_ANSWER_BYTES if answer else MAX_COURSE_BYTES
    try:
        with open(path, "rb") as handle:
            raw = handle.read(limit + 1)
    except FileNotFoundError:
        raise LoadError(Problem(name, "no such file")) from None
    except IsADirectoryError:
        raise LoadError(Problem(name, "is a folder, not a file")) from None
    except OSError as error:
        raise LoadError(Problem(name, f"cannot be read ({error.strerror})")) from None
    return load_bytes(raw, name, answer=answer, as_json=str(path).lower().endswith(".json"))


LineOf = Callable[[tuple], "int | None"]
