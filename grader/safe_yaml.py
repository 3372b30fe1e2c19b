"""The one YAML loader: C-accelerated, YAML 1.2 scalars, no duplicate keys, size and nesting limits.

Every file the grader or the site reads goes through `load_file` (or `load_bytes`):

    loaded = load_file("quizzes/five-step-process.yml")
    loaded.data                           # plain dicts, lists, str, int, float, bool, None
    loaded.line_of(("questions", 2, "options"))   # 1-based line, or None

Numbers keep the text they were written as: `str()` of the `id` in `id: 0012345` is "0012345".
Problems raise `LoadError`, whose `.problem` names the file, the line and the fix.
"""

from __future__ import annotations

import errno
import json
import math
import os
import re
import stat
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
_DEPTH_PROBLEM = f"nested more than {MAX_DEPTH} levels deep; an answer file needs three"
# Python refuses to turn an int of more than 640 to 4,300 digits (its setting) into text, and a
# hex number of 500 characters stays below 640 decimal digits; no real file needs one this long.
MAX_INT_CHARS = 500

# libyaml recurses once per nesting level while composing and crashes the interpreter near
# 25,000 levels. Each level takes at least one character, so shorter text cannot get there
# (the constructors below then count depth exactly); longer text has its tokens scanned first.
_SCAN_ABOVE = 4096
_OPENS = (yaml.BlockSequenceStartToken, yaml.BlockMappingStartToken, yaml.FlowSequenceStartToken, yaml.FlowMappingStartToken)
_CLOSES = (yaml.BlockEndToken, yaml.FlowSequenceEndToken, yaml.FlowMappingEndToken)
_JSON_STRING_OR_BRACKET = re.compile(r'"[^"\\]*(?:\\.[^"\\]*)*"|[\[\]{}]')
# An escaped backslash, a surrogate pair, or (group 1) half of one on its own.
_JSON_SURROGATE = re.compile(r"\\\\|\\u[dD][89abAB][0-9a-fA-F]{2}\\u[dD][c-fC-F][0-9a-fA-F]{2}|(\\u[dD][89a-fA-F][0-9a-fA-F]{2})")
_NOT_FILES = {stat.S_IFIFO: "a named pipe (FIFO)", stat.S_IFSOCK: "a socket", stat.S_IFCHR: "a device", stat.S_IFBLK: "a device", stat.S_IFDIR: "a folder"}


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
    mtime: float = 0.0
    """Modification time of the file read, from the descriptor it was read through (0 for bytes)."""

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


class _Written:
    """A number that keeps the text it was written as: `str()` gives that text, arithmetic the number."""

    text: str

    def __new__(cls, value, text: str):
        number = super().__new__(cls, value)
        number.text = text
        return number

    def __str__(self) -> str:
        return self.text

    def __reduce__(self):
        return (type(self), (self.real, self.text))


class WrittenInt(_Written, int):
    """An int read from a file, with its text (`0012345`, `0x1F`)."""


class WrittenFloat(_Written, float):
    """A float read from a file, with its text (`2.50`, `12345e78`)."""


def _int_problem(text: str) -> str:
    return f"a number {len(text)} characters long is more than any file needs (at most {MAX_INT_CHARS}); is this the right file?"


# Written in digits (not .inf or .nan), however large: such a number is kept as its text.
_DIGITS = re.compile(r"[-+]?[0-9.]+(?:[eE][-+]?[0-9]+)?$")


def _finite_problem(text: str) -> str:
    return f"{text} is not a finite number, and results.json could not hold it; write a number, or quote text"


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
    """Safe loader that records lines and depths and refuses duplicate keys."""

    yaml_implicit_resolvers: dict = {}
    # Only the tags plain data needs: `!!set`, `!!pairs` and the rest make objects no output can hold.
    yaml_constructors: dict = {None: _BaseLoader.yaml_constructors[None]}

    def __init__(self, stream, file: str):
        super().__init__(stream)
        self.file = file
        self.lines: dict[int, Any] = {}
        self.depths: dict[int, int] = {}
        """id(container) -> its depth, for containers not yet filled in."""

    def refuse(self, node: yaml.Node, message: str) -> LoadError:
        """A LoadError for `node`'s line."""
        return LoadError(Problem(self.file, message, node.start_mark.line + 1))

    def nest(self, child: Any, depth: int, node: yaml.Node) -> None:
        """Note that `child` sits one level below a container at `depth`; refuse past MAX_DEPTH."""
        if type(child) in (dict, list):
            if depth >= MAX_DEPTH:
                raise self.refuse(node, _DEPTH_PROBLEM)
            self.depths[id(child)] = depth + 1


for _tag, _pattern, _first in _CORE_RESOLVERS:
    _Loader.add_implicit_resolver(_tag, re.compile(_pattern), _first)


def _key_text(key: Any) -> Any:
    """Mapping keys become text, as in JSON: `true:` is the key "true", `01:` the key "01"."""
    if key is None:
        return "null"
    if isinstance(key, bool):
        return "true" if key else "false"
    if isinstance(key, (int, float)):
        return str(key)
    return key


def _construct_map(loader: _Loader, node: yaml.Node):
    if not isinstance(node, yaml.MappingNode):
        raise loader.refuse(node, f"the tag !!{node.tag.rsplit(':', 1)[-1]} needs a mapping here")
    data: dict = {}
    yield data
    depth = loader.depths.pop(id(data), 1)
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
        loader.nest(data[key], depth, value_node)
        lines[key] = line
    loader.lines[id(data)] = lines


def _construct_seq(loader: _Loader, node: yaml.Node):
    if not isinstance(node, yaml.SequenceNode):
        raise loader.refuse(node, "the tag !!seq needs a list here")
    data: list = []
    yield data
    depth = loader.depths.pop(id(data), 1)
    for child in node.value:
        data.append(loader.construct_object(child))
        loader.nest(data[-1], depth, child)
    loader.lines[id(data)] = [child.start_mark.line + 1 for child in node.value]


def _construct_int(loader: _Loader, node: yaml.Node) -> int:
    text = loader.construct_scalar(node)
    if len(text) > MAX_INT_CHARS:
        raise loader.refuse(node, _int_problem(text))
    try:
        return WrittenInt(int(text, 0 if "x" in text else 10), text)
    except ValueError:
        raise loader.refuse(node, f"{text[:40]!r} is tagged !!int but is not a whole number") from None


def _construct_float(loader: _Loader, node: yaml.Node) -> float:
    text = loader.construct_scalar(node)
    try:
        value = loader.construct_yaml_float(node)
    except ValueError:
        raise loader.refuse(node, f"{text[:40]!r} is tagged !!float but is not a number") from None
    if not math.isfinite(value):
        if _DIGITS.match(text):
            return text  # digits too large for any number (an unquoted hash such as 12e45678): the text meant
        raise loader.refuse(node, _finite_problem(text))
    return WrittenFloat(value, text)


def _construct_bool(loader: _Loader, node: yaml.Node) -> bool:
    text = loader.construct_scalar(node)
    if text.lower() not in ("true", "false"):
        raise loader.refuse(node, f"{text[:40]!r} is tagged !!bool but is not true or false")
    return text.lower() == "true"


def _construct_text(loader: _Loader, node: yaml.Node) -> str:
    return loader.construct_scalar(node)


def _construct_null(loader: _Loader, node: yaml.Node) -> None:
    loader.construct_scalar(node)
    return None


_Loader.add_constructor("tag:yaml.org,2002:map", _construct_map)
_Loader.add_constructor("tag:yaml.org,2002:omap", _construct_map)
_Loader.add_constructor("tag:yaml.org,2002:seq", _construct_seq)
_Loader.add_constructor("tag:yaml.org,2002:int", _construct_int)
_Loader.add_constructor("tag:yaml.org,2002:float", _construct_float)
_Loader.add_constructor("tag:yaml.org,2002:bool", _construct_bool)
_Loader.add_constructor("tag:yaml.org,2002:null", _construct_null)
_Loader.add_constructor("tag:yaml.org,2002:str", _construct_text)
# Explicit `!!timestamp` or `!!binary` tags would make objects a file cannot round-trip.
_Loader.add_constructor("tag:yaml.org,2002:timestamp", _construct_text)
_Loader.add_constructor("tag:yaml.org,2002:binary", _construct_text)


def _syntax_problem(file: str, error: yaml.YAMLError) -> Problem:
    mark = getattr(error, "problem_mark", None)
    line = mark.line + 1 if mark is not None else None
    what = getattr(error, "problem", None) or str(error)
    if what == "exceeded maximum nesting depth":  # libyaml 0.2.5 stops at 1,000 levels on its own
        return Problem(file, _DEPTH_PROBLEM, line)
    context = getattr(error, "context", None)
    detail = f"{context}, {what}" if context else what
    return Problem(file, f"not valid YAML ({detail}); check the indentation and quotes on this line or the one above", line)


def _check_depth(text: str, file: str) -> None:
    """Refuse YAML nested deeper than MAX_DEPTH before libyaml composes it, when it is long enough to crash it."""
    if len(text) <= _SCAN_ABOVE:
        return
    depth = 0
    try:
        # libyaml's scanner is iterative: it reads structure (quotes, block scalars, comments) without recursing.
        for token in yaml.scan(text, Loader=_BaseLoader):
            if isinstance(token, _OPENS):
                depth += 1
                if depth > MAX_DEPTH:
                    raise LoadError(Problem(file, _DEPTH_PROBLEM, token.start_mark.line + 1))
            elif isinstance(token, _CLOSES):
                depth -= 1
    except yaml.YAMLError as error:
        raise LoadError(_syntax_problem(file, error)) from None


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
                raise LoadError(Problem(file, _DEPTH_PROBLEM, text.count("\n", 0, match.start()) + 1))
        elif bracket in "]}":
            depth -= 1


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


class _Refused(Exception):
    """A JSON value refused while parsing; json gives no position, so its text is searched for."""

    def __init__(self, token: str, message: str):
        self.token, self.message = token, message


def _json_token_line(text: str, token: str) -> int | None:
    """Line of the first `token` outside a string in JSON text."""
    pattern = re.compile(r'"[^"\\]*(?:\\.[^"\\]*)*"|(?<![\w.+-])(%s)(?![\w.])' % re.escape(token))
    for match in pattern.finditer(text):
        if match.group(1):
            return text.count("\n", 0, match.start()) + 1
    return None


def _json_int(text: str) -> int:
    if len(text) > MAX_INT_CHARS:
        raise _Refused(text, _int_problem(text))
    return WrittenInt(int(text), text)


def _json_float(text: str) -> float | str:
    value = float(text)
    # JSON numbers are always digits: one too large for a float is kept as the text written.
    return WrittenFloat(value, text) if math.isfinite(value) else text


def _json_constant(name: str):
    raise _Refused(name, _finite_problem(name))


def _load_json(text: str, file: str) -> Loaded:
    def pairs(items: list) -> dict:
        data: dict = {}
        for key, value in items:
            if key in data:
                raise LoadError(Problem(file, f"the key '{key}' appears twice; keep one", _json_line(text, key, None)))
            data[key] = value
        return data

    _check_json_depth(text, file)
    try:
        data = json.loads(text, object_pairs_hook=pairs, parse_int=_json_int, parse_float=_json_float, parse_constant=_json_constant)
    except json.JSONDecodeError as error:
        raise LoadError(Problem(file, f"not valid JSON ({error.msg}, column {error.colno})", error.lineno)) from None
    except _Refused as refused:
        raise LoadError(Problem(file, refused.message, _json_token_line(text, refused.token))) from None
    except RecursionError:
        raise LoadError(Problem(file, _DEPTH_PROBLEM)) from None
    if "\\u" in text:
        # A lone surrogate escape decodes to a str that cannot be written out as UTF-8.
        for match in _JSON_SURROGATE.finditer(text):
            if match.group(1):
                raise LoadError(
                    Problem(file, f"{match.group(1)} is half of a character (a lone surrogate), not text; remove it", text.count("\n", 0, match.start()) + 1)
                )
    return Loaded(data, file, {}, text)


def load_bytes(raw: bytes, file: str, *, answer: bool = False, as_json: bool = False) -> Loaded:
    """Load one document from bytes; `answer` applies the stricter answer-file rules."""
    limit = MAX_ANSWER_BYTES if answer else MAX_COURSE_BYTES
    if len(raw) > limit:
        raise LoadError(Problem(file, f"larger than the {limit // 1024} KiB limit ({len(raw) // 1024} KiB); is this the right file?"))
    text = _decode(raw, file)
    if as_json:
        return _load_json(text, file)
    _check_depth(text, file)
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


def _open_problem(path: str | Path, error: OSError) -> str:
    """Why a file could not be opened, in words."""
    if error.errno == errno.ENOENT:
        return "a link to a file that does not exist; hand in the file itself" if os.path.islink(path) else "no such file"
    if error.errno == errno.ELOOP:
        return "a link that leads back to itself; hand in the file itself"
    if error.errno == errno.ENXIO:
        return "is a socket, not a file"
    if error.errno == errno.EISDIR:
        return "is a folder, not a file"
    return f"cannot be read ({error.strerror})"


def _read_regular(path: str | Path, limit: int, name: str) -> tuple[bytes, os.stat_result]:
    """Up to `limit` bytes of a regular file, and its stat; anything else (a FIFO, a device) is refused unread."""
    # O_NONBLOCK: opening a FIFO with no writer would otherwise wait forever.
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0) | getattr(os, "O_BINARY", 0)
    try:
        fd = os.open(path, flags)
    except OSError as error:
        raise LoadError(Problem(name, _open_problem(path, error))) from None
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            kind = _NOT_FILES.get(stat.S_IFMT(info.st_mode), "not a regular file")
            raise LoadError(Problem(name, f"is {kind}, not a file; only files are read"))
        chunks, size = [], 0
        while size < limit:
            chunk = os.read(fd, limit - size)
            if not chunk:
                break
            chunks.append(chunk)
            size += len(chunk)
        return b"".join(chunks), info
    except OSError as error:
        raise LoadError(Problem(name, f"cannot be read ({error.strerror})")) from None
    finally:
        os.close(fd)


def load_file(path: str | Path, *, answer: bool = False, display: str | None = None) -> Loaded:
    """Load one YAML or JSON file; `display` is the name used in messages."""
    name = display or str(path)
    limit = MAX_ANSWER_BYTES if answer else MAX_COURSE_BYTES
    raw, info = _read_regular(path, limit + 1, name)
    loaded = load_bytes(raw, name, answer=answer, as_json=str(path).lower().endswith(".json"))
    loaded.mtime = info.st_mtime
    return loaded


LineOf = Callable[[tuple], "int | None"]
