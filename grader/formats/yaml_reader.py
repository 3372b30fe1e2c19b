"""YAML as the grader reads it: libyaml's C parser, YAML 1.2 core scalars, lines kept, no duplicate keys or aliases, bounded depth."""

from __future__ import annotations

import math
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, ClassVar

import yaml

from grader.common.problems import Problem
from grader.formats.limits import DEPTH_PROBLEM, MAX_DEPTH, MAX_INT_CHARS, LoadError
from grader.formats.numbers import DIGITS, WrittenFloat, WrittenInt, finite_problem, int_problem

try:  # libyaml is optional in PyYAML builds; the pure-Python parser gives the same data.
    from yaml import CSafeLoader as _BaseLoader
except ImportError:  # pragma: no cover - depends on how PyYAML was built
    from yaml import SafeLoader as _BaseLoader  # type: ignore[assignment]


# libyaml recurses once per nesting level while composing and crashes the interpreter near
# 25,000 levels. Each level takes at least one character, so shorter text cannot get there
# (the constructors below then count depth exactly); longer text has its tokens scanned first.
_SCAN_ABOVE = 4096


_OPENS = (yaml.BlockSequenceStartToken, yaml.BlockMappingStartToken, yaml.FlowSequenceStartToken, yaml.FlowMappingStartToken)


_CLOSES = (yaml.BlockEndToken, yaml.FlowSequenceEndToken, yaml.FlowMappingEndToken)


# YAML 1.2 core schema: only true/false are booleans, no octal, no dates, no `<<` merges,
# so ids such as `no` or `off` and versions such as `01234567` stay text.
CORE_RESOLVERS = [
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

    # A class-level table in PyYAML, which types-PyYAML declares as an instance attribute.
    yaml_implicit_resolvers: ClassVar[dict] = {}  # type: ignore[misc]
    # Only the tags plain data needs: `!!set`, `!!pairs` and the rest make objects no output can hold.
    yaml_constructors: ClassVar[dict] = {None: _BaseLoader.yaml_constructors[None]}

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
                raise self.refuse(node, DEPTH_PROBLEM)
            self.depths[id(child)] = depth + 1


for _tag, _pattern, _first in CORE_RESOLVERS:
    _Loader.add_implicit_resolver(_tag, re.compile(_pattern), _first)


def key_text(key: Any) -> Any:
    """Mapping keys become text, as in JSON: `true:` is the key "true", `01:` the key "01"."""
    if key is None:
        return "null"
    if isinstance(key, bool):
        return "true" if key else "false"
    if isinstance(key, (int, float)):
        return str(key)
    return key


def _tag_name(node: yaml.Node) -> str:
    """The tag as written: `int` for `!!int`."""
    return node.tag.rsplit(":", 1)[-1]


def _construct_map(loader: _Loader, node: yaml.Node):
    if not isinstance(node, yaml.MappingNode):
        raise loader.refuse(node, f"the tag !!{_tag_name(node)} needs a mapping here")
    data: dict = {}
    yield data
    depth = loader.depths.pop(id(data), 1)
    lines: dict = {}
    for key_node, value_node in node.value:
        key = key_text(loader.construct_object(key_node, deep=True))
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


def _scalar(construct: Callable[[_Loader, yaml.ScalarNode], Any]) -> Callable[[_Loader, yaml.Node], Any]:
    """`construct` for a tag of one value, refusing a list or mapping written with that tag (`!!int [1]`)."""

    def checked(loader: _Loader, node: yaml.Node) -> Any:
        if not isinstance(node, yaml.ScalarNode):
            raise loader.refuse(node, f"the tag !!{_tag_name(node)} needs a single value here, not a list or mapping")
        return construct(loader, node)

    return checked


def _construct_int(loader: _Loader, node: yaml.ScalarNode) -> int:
    text = loader.construct_scalar(node)
    if len(text) > MAX_INT_CHARS:
        raise loader.refuse(node, int_problem(text))
    try:
        return WrittenInt(int(text, 0 if "x" in text else 10), text)
    except ValueError:
        raise loader.refuse(node, f"{text[:40]!r} is tagged !!int but is not a whole number") from None


def _construct_float(loader: _Loader, node: yaml.ScalarNode) -> float | str:
    text = loader.construct_scalar(node)
    try:
        value = loader.construct_yaml_float(node)
    except ValueError:
        raise loader.refuse(node, f"{text[:40]!r} is tagged !!float but is not a number") from None
    if not math.isfinite(value):
        if DIGITS.match(text):
            return text  # digits too large for any number (an unquoted hash such as 12e45678): the text meant
        raise loader.refuse(node, finite_problem(text))
    return WrittenFloat(value, text)


def _construct_bool(loader: _Loader, node: yaml.ScalarNode) -> bool:
    text = loader.construct_scalar(node)
    if text.lower() not in ("true", "false"):
        raise loader.refuse(node, f"{text[:40]!r} is tagged !!bool but is not true or false")
    return text.lower() == "true"


def _construct_text(loader: _Loader, node: yaml.ScalarNode) -> str:
    return loader.construct_scalar(node)


def _construct_null(loader: _Loader, node: yaml.ScalarNode) -> None:
    loader.construct_scalar(node)
    return None


_Loader.add_constructor("tag:yaml.org,2002:map", _construct_map)
_Loader.add_constructor("tag:yaml.org,2002:omap", _construct_map)
_Loader.add_constructor("tag:yaml.org,2002:seq", _construct_seq)
_Loader.add_constructor("tag:yaml.org,2002:int", _scalar(_construct_int))
_Loader.add_constructor("tag:yaml.org,2002:float", _scalar(_construct_float))
_Loader.add_constructor("tag:yaml.org,2002:bool", _scalar(_construct_bool))
_Loader.add_constructor("tag:yaml.org,2002:null", _scalar(_construct_null))
_Loader.add_constructor("tag:yaml.org,2002:str", _scalar(_construct_text))
# Explicit `!!timestamp` or `!!binary` tags would make objects a file cannot round-trip.
_Loader.add_constructor("tag:yaml.org,2002:timestamp", _scalar(_construct_text))
_Loader.add_constructor("tag:yaml.org,2002:binary", _scalar(_construct_text))


@dataclass(frozen=True)
class Tagged:
    """A value written with an application's tag, kept for that application to read: `!ENV [SITE_URL, x]` in mkdocs.yml."""

    tag: str
    """The tag as written: `!ENV`, or `tag:yaml.org,2002:python/name:module.function` for `!!python/name:`."""
    value: Any
    """What follows the tag, read as plain data: a text, a list or a mapping."""


_PLAIN_TAG = {
    yaml.ScalarNode: "tag:yaml.org,2002:str",
    yaml.SequenceNode: "tag:yaml.org,2002:seq",
    yaml.MappingNode: "tag:yaml.org,2002:map",
}


def _construct_tagged(loader: _Loader, _suffix: str, node: yaml.Node) -> Tagged:
    plain = type(node)(_PLAIN_TAG[type(node)], node.value, node.start_mark, node.end_mark)
    return Tagged(node.tag, loader.construct_object(plain, deep=True))


class _ConfigLoader(_Loader):
    """The same loader, keeping the tags another tool's configuration uses (mkdocs.yml's) as Tagged values."""


# Local tags (`!ENV`) and Python's (`!!python/name:`); PyYAML copies the table into the subclass.
_ConfigLoader.add_multi_constructor("!", _construct_tagged)
_ConfigLoader.add_multi_constructor("tag:yaml.org,2002:python/", _construct_tagged)


def syntax_problem(file: str, error: yaml.YAMLError) -> Problem:
    mark = getattr(error, "problem_mark", None)
    line = mark.line + 1 if mark is not None else None
    what = getattr(error, "problem", None) or str(error)
    if what == "exceeded maximum nesting depth":  # libyaml 0.2.5 stops at 1,000 levels on its own
        return Problem(file, DEPTH_PROBLEM, line)
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
                    raise LoadError(Problem(file, DEPTH_PROBLEM, token.start_mark.line + 1))
            elif isinstance(token, _CLOSES):
                depth -= 1
    except yaml.YAMLError as error:
        raise LoadError(syntax_problem(file, error)) from None


def _refuse_aliases(text: str, file: str) -> None:
    """Answer files may not use anchors or aliases (they can multiply a small file into a huge one)."""
    if "&" not in text and "*" not in text:
        return
    try:
        for event in yaml.parse(text, Loader=_BaseLoader):
            if isinstance(event, yaml.AliasEvent) or getattr(event, "anchor", None):
                raise LoadError(
                    Problem(
                        file,
                        "anchors and aliases (&name, *name) are not allowed in answer files; write the value out",
                        event.start_mark.line + 1 if event.start_mark is not None else None,
                    )
                )
    except yaml.YAMLError as error:
        raise LoadError(syntax_problem(file, error)) from None


def read_yaml(text: str, file: str, *, answer: bool, tags: bool = False) -> tuple[Any, dict[int, Any]]:
    """The document in `text` and its line table; `answer` refuses anchors and aliases too, `tags` keeps application tags."""
    _check_depth(text, file)
    if answer:
        _refuse_aliases(text, file)
    loader = (_ConfigLoader if tags else _Loader)(text, file)
    try:
        node = loader.get_single_node()
        data = loader.construct_document(node) if node is not None else None
    except yaml.YAMLError as error:
        raise LoadError(syntax_problem(file, error)) from None
    except (RecursionError, MemoryError):
        raise LoadError(Problem(file, "too deeply nested or too large to read")) from None
    finally:
        loader.dispose()
    return data, loader.lines
