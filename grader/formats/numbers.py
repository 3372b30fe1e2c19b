"""Numbers read from a file keep the text they were written as: `str()` of `0012345` is "0012345"."""

from __future__ import annotations

import re
from typing import Protocol, Self

from grader.formats.limits import MAX_INT_CHARS


class _Number(Protocol):
    """What `_Written` needs of the number type it is mixed into."""

    text: str

    @property
    def real(self) -> float: ...


class _Written:
    """A number that keeps the text it was written as: `str()` gives that text, arithmetic the number."""

    text: str

    def __str__(self) -> str:
        return self.text

    def __reduce__(self: _Number) -> tuple[type, tuple[float, str]]:
        return (type(self), (self.real, self.text))


# Each class makes its own number: the mixin alone has no number type whose __new__ takes a value.
class WrittenInt(_Written, int):
    """An int read from a file, with its text (`0012345`, `0x1F`)."""

    def __new__(cls, value: int, text: str) -> Self:
        number = super().__new__(cls, value)
        number.text = text
        return number


class WrittenFloat(_Written, float):
    """A float read from a file, with its text (`2.50`, `12345e78`)."""

    def __new__(cls, value: float, text: str) -> Self:
        number = super().__new__(cls, value)
        number.text = text
        return number


def int_problem(text: str) -> str:
    return f"a number {len(text)} characters long is more than any file needs (at most {MAX_INT_CHARS}); is this the right file?"


# Written in digits (not .inf or .nan), however large: such a number is kept as its text.
DIGITS = re.compile(r"[-+]?[0-9.]+(?:[eE][-+]?[0-9]+)?$")


def finite_problem(text: str) -> str:
    return f"{text} is not a finite number, and results.json could not hold it; write a number, or quote text"
