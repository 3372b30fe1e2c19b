"""The limits every file read keeps, and LoadError, which a file that breaks them (or any loading rule) raises."""

from __future__ import annotations

from grader.common.problems import Problem

MAX_ANSWER_BYTES = 1 << 20


MAX_COURSE_BYTES = 8 << 20


MAX_DEPTH = 32


DEPTH_PROBLEM = f"nested more than {MAX_DEPTH} levels deep; an answer file needs three"


# Python refuses to turn an int of more than 640 to 4,300 digits (its setting) into text, and a
# hex number of 500 characters stays below 640 decimal digits; no real file needs one this long.
MAX_INT_CHARS = 500


class LoadError(Exception):
    """A file could not be loaded; `.problem` says where and why."""

    def __init__(self, problem: Problem):
        self.problem = problem
        super().__init__(str(problem))
