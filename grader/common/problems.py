"""Problems found in course or answer files, each naming file, place and fix; usage errors; exit codes."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Problem:
    """One thing wrong with one file."""

    file: str
    """Path of the file, as the user gave it or relative to the course."""
    message: str
    """What is wrong and what to do about it."""
    line: int | None = None
    """1-based line number, when known."""
    where: str = ""
    """Key path inside the file, such as `questions[2].options`."""

    def __str__(self) -> str:
        place = self.file + (f":{self.line}" if self.line else "")
        where = f" ({self.where})" if self.where else ""
        return f"{place}{where}: {self.message}"


class CourseError(Exception):
    """The course files have problems; carries every one of them."""

    def __init__(self, problems: list[Problem]):
        self.problems = list(problems)
        super().__init__("\n".join(str(p) for p in self.problems))


class UsageError(Exception):
    """A mistake in how a command was called, or an input it cannot use; the message says what to do."""


EXIT_OK = 0
"""All well."""
EXIT_SOME_REJECTED = 1
"""Some files rejected (the rest graded and written), or course problems found by `grader check`."""
EXIT_USAGE = 2
"""A usage or course error: nothing was written."""
