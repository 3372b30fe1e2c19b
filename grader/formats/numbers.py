"""Numbers read from a file keep the text they were written as: `str()` of `0012345` is "0012345"."""

from __future__ import annotations

import re

from grader.formats.limits import MAX_INT_CHARS


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


def int_problem(text: str) -> str:
    return f"a number {len(text)} characters long is more than any file needs (at most {MAX_INT_CHARS}); is this the right file?"


# Written in digits (not .inf or .nan), however large: such a number is kept as its text.
DIGITS = re.compile(r"[-+]?[0-9.]+(?:[eE][-+]?[0-9]+)?$")


def finite_problem(text: str) -> str:
    return f"{text} is not a finite number, and results.json could not hold it; write a number, or quote text"
