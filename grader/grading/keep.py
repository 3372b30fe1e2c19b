"""Which hand-in counts when a learner hands in one activity more than once (--keep latest, best or first)."""

from __future__ import annotations

import itertools
from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # for the annotation only: the command line reads KEEP without importing the grading
    from grader.grading.one_file import Graded

KEEP = ("latest", "best", "first")


def order_key(graded: Graded) -> tuple:
    """When a file was handed in, for --keep: its trusted time (the LMS's, the file's, then the learner's own), then the
    learner's own time and the LMS's upload number to order files of the same second, then its name.

    A `submitted` time that is implausible (answers.COURSE_START, FUTURE_SLACK) was dropped with a
    warning when the file was read, so a learner cannot win "latest" with a time in the future.
    """
    at = graded.time.at if graded.time else None
    claimed = graded.submission.submitted
    return (at.timestamp() if at else 0.0, claimed.timestamp() if claimed else 0.0, graded.seq, graded.submission.file)


def choose(
    items: Iterable, keep: str, *, group: Callable, order: Callable, score: Callable, usable: Callable = lambda item: True
) -> tuple[list, list]:
    """One item per group by the --keep rule, groups in order; and (set aside, kept instead) pairs.

    `usable` items win over the others (a hand-in held for an identity mismatch never displaces the learner's own).
    """
    # One sort and a walk over its runs: no dict of lists, so a class of 20,000 files adds little memory.
    kept, aside = [], []
    for _name, run in itertools.groupby(sorted(items, key=lambda item: (group(item), order(item))), key=group):
        ordered = list(run)
        candidates = [m for m in ordered if usable(m)] or ordered
        if keep == "first":
            chosen = candidates[0]
        elif keep == "best":
            chosen = max(candidates, key=lambda m: (score(m), order(m)))
        else:
            chosen = candidates[-1]
        kept.append(chosen)
        aside += [(other, chosen) for other in ordered if other is not chosen]
    return kept, aside
