"""The page scripts as published: comments taken out when MkDocs copies them (an MkDocs hook).

The page script's modules in docs/javascripts/ (the entry mkdocs.yml lists, and the modules it imports)
carry JSDoc types for `tsc --noEmit`; learners need none of them, and the widgets' gzip budget
(tests/test_page_weight.py) has no room for them. mkdocs.yml lists this file under `hooks:`, so
`mkdocs build` and `mkdocs serve` both publish every `.js` file under docs/javascripts/ (and any other
local script in `extra_javascript`) with its comments removed and the code otherwise untouched: strings,
regular expressions and line breaks (which decide where JavaScript ends a statement) stay as they are.
"""

from __future__ import annotations

SCRIPT_FOLDER = "javascripts/"
"""The page script's modules, under docs/: all are published stripped, since only the entry is listed in mkdocs.yml."""

_WORD = set("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_$")
# After these a `/` begins a regular expression; after anything else (a name, `)`, `]`) it divides.
_BEFORE_REGEX = set("(,=:[!&|?{};+-*%<>~^")
_KEYWORDS_BEFORE_REGEX = {"return", "typeof", "case", "do", "else", "in", "of", "new", "delete", "void", "throw", "instanceof", "yield", "await"}


class ScriptError(ValueError):
    """A script the stripper cannot read safely, with the line where it stopped."""


def _line(source: str, at: int) -> int:
    return source.count("\n", 0, at) + 1


def _string_end(source: str, start: int) -> int:
    """The index just past the string or template literal that opens at `start`."""
    quote, at = source[start], start + 1
    while at < len(source):
        char = source[at]
        if char == "\\":
            at += 2
            continue
        if char == quote:
            return at + 1
        if quote == "`" and source.startswith("${", at):
            # A comment or a backtick inside ${...} would need a full parser; the page script has no need of one.
            raise ScriptError(f"line {_line(source, at)}: a template literal with ${{...}}; use string concatenation")
        if char == "\n" and quote != "`":
            break
        at += 1
    raise ScriptError(f"line {_line(source, start)}: a string that does not end")


def _regex_end(source: str, start: int) -> int:
    """The index just past the regular expression literal (flags included) that opens at `start`."""
    at, in_class = start + 1, False
    while at < len(source) and source[at] != "\n":
        char = source[at]
        if char == "\\":
            at += 2
            continue
        if char == "[":
            in_class = True
        elif char == "]":
            in_class = False
        elif char == "/" and not in_class:
            at += 1
            while at < len(source) and source[at] in _WORD:
                at += 1
            return at
        at += 1
    raise ScriptError(f"line {_line(source, start)}: a regular expression that does not end")


def _regex_may_start(code: str) -> bool:
    """True when a `/` after `code` (comments already out) begins a regular expression."""
    before = code.rstrip()
    if not before or before[-1] in _BEFORE_REGEX:
        return True
    word_start = len(before)
    while word_start and before[word_start - 1] in _WORD:
        word_start -= 1
    return before[word_start:] in _KEYWORDS_BEFORE_REGEX


def strip_comments(source: str) -> str:
    """`source` without comments or blank lines; indentation, strings and every line break between tokens kept."""
    out: list[str] = []
    at = 0
    while at < len(source):
        char = source[at]
        if char.isspace() or source.startswith(("//", "/*"), at):
            # Whitespace and comments between two tokens: a line break if they held one, else one space.
            start, broke = at, False
            while at < len(source):
                if source[at].isspace():
                    broke = broke or source[at] == "\n"
                    at += 1
                elif source.startswith("//", at):
                    found = source.find("\n", at)
                    at = len(source) if found < 0 else found
                elif source.startswith("/*", at):
                    found = source.find("*/", at + 2)
                    if found < 0:
                        raise ScriptError(f"line {_line(source, at)}: a comment that does not end")
                    broke = broke or "\n" in source[at:found]
                    at = found + 2
                else:
                    break
            if not out:
                continue
            if broke:
                last_break = source.rfind("\n", start, at)
                indent = source[last_break + 1:at]
                out.append("\n" + (indent if indent.isspace() else ""))
            else:
                out.append(" ")
        elif char in "'\"`":
            end = _string_end(source, at)
            out.append(source[at:end])
            at = end
        elif char == "/" and _regex_may_start("".join(out[-16:])):  # enough pieces to hold the longest keyword
            end = _regex_end(source, at)
            out.append(source[at:end])
            at = end
        else:
            out.append(char)
            at += 1
    return "".join(out).rstrip() + "\n"


def _page_scripts(files, config) -> list:
    """The files to strip: every `.js` under SCRIPT_FOLDER and every other local script in `extra_javascript`."""
    listed = {str(script) for script in config.extra_javascript}
    return [f for f in files if f.src_uri.endswith(".js") and (f.src_uri.startswith(SCRIPT_FOLDER) or f.src_uri in listed)]


def on_files(files, config):
    """MkDocs hook: publish each page script without its comments."""
    from mkdocs.exceptions import PluginError

    for found in _page_scripts(files, config):
        try:
            found.content_string = strip_comments(found.content_string)
        except ScriptError as error:
            raise PluginError(f"{config.docs_dir}/{found.src_uri}: {error}") from None
    return files
