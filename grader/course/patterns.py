"""Short-answer patterns the page can run: the part of Python's regular expressions that JavaScript reads the same way."""

from __future__ import annotations

import re

# Outside a character class these may be escaped to mean themselves, in Python and in JavaScript's `u` mode alike.
_SYNTAX = set("^$\\.*+?()[]{}|/")
_CONTROL = set("ntrfv")
# What Python reads differently from the page, and what to write instead.
_ALTERNATIVES = {
    "d": "[0-9]",
    "D": "[^0-9]",
    "w": "[a-z0-9_] (letters are compared in lower case)",
    "W": "[^a-z0-9_]",
    "s": "a space (answers are compared with their spaces collapsed to one)",
    "S": "[^ ]",
    "b": "( |$) or (^| ) around the word",
    "B": "an explicit character class",
    "A": "^",
    "Z": "$",
}
_QUANTIFIER = re.compile(r"\{\d+(,\d*)?\}")
_GROUP_OPENERS = ("(?:", "(?=", "(?!", "(?<=", "(?<!")


def page_problem(pattern: str) -> str | None:
    """Why `pattern` would not score on the page as it does in the grader (JavaScript, flags `iu`), or None.

    Conservative: escapes, groups and braces are allowed only in forms both languages read alike.
    """
    at, in_class = 0, False
    while at < len(pattern):
        char = pattern[at]
        if char == "\\":
            escaped = pattern[at + 1 : at + 2]
            if escaped in _ALTERNATIVES:
                return f"\\{escaped} means something else on the page than in the grader; write {_ALTERNATIVES[escaped]}"
            hexa = re.match(r"x[0-9a-fA-F]{2}|u[0-9a-fA-F]{4}", pattern[at + 1 :])
            if hexa:
                at += 1 + len(hexa.group(0))
                continue
            if not (
                escaped in _SYNTAX
                or escaped in _CONTROL
                or (in_class and escaped == "-")
                or (escaped.isdigit() and escaped != "0")
            ):
                return f"the escape \\{escaped} is not read the same way on the page; write the character itself, or use a character class"
            at += 2
            continue
        if in_class:
            in_class = char != "]"
        elif char == "[":
            in_class = True
            if pattern.startswith("[^]", at) or pattern.startswith("[]", at):
                return "a character class that opens with ] is not read the same way on the page; escape it as \\]"
        elif char == "(" and pattern.startswith("(?", at):
            if not pattern.startswith(_GROUP_OPENERS, at):
                return f"the group {pattern[at : at + 4]}... is Python's own syntax; use (...) or (?:...)"
        elif char == "{":
            found = _QUANTIFIER.match(pattern, at)
            if not found:
                return "a { that is not a count such as {2} or {1,3}; escape it as \\{"
            at = found.end()
            if pattern[at : at + 1] == "+":
                return "a possessive count such as {2}+ is Python's own syntax; leave out the +"
            continue
        elif char in "}]":
            return f"a lone {char}; escape it as \\{char}"
        elif char in "*+?" and pattern[at + 1 : at + 2] == "+":
            return f"a possessive quantifier {char}+ is Python's own syntax; leave out the second +"
        at += 1
    return "a character class that is never closed; end it with ]" if in_class else None
