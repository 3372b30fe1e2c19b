"""Which hand-in counts when a learner hands in one activity more than once (--keep latest, best or first)."""

from __future__ import annotations

import itertools
from collections.abc import Callable, Iterable

from grader.grading.one_file import Graded

KEEP = ("latest", "best", "first")


def order_key(graded: Graded) -> tuple:
    """When a file was handed in, for --keep: its `submitted` time, else its file time; then its name.

    A `submitted` time that is implausible (answers.COURSE_START, FUTURE_SLACK) was dropped with a
    warning when the file was read, so the file time decides for it.
    """
    sub = graded.submission
    return (sub.submitted.timestamp() if sub.submitted else sub.mtime, sub.file)


def choose(items: Iterable, keep: str, *, group: Callable, order: Callable, score: Callable) -> tuple[list, list]:
    """One item per group by the --keep rule, groups in order; and (set aside, kept instead) pairs."""
    # One sort and a walk over its runs: no dict of lists, so a class of 20,000 files adds little memory.
    kept, aside = [], []
    for _name, run in itertools.groupby(sorted(items, key=lambda item: (group(item), order(item))), key=group):
        ordered = list(run)
        if keep == "first":
            chosen = ordered[0]
        elif keep == "best":
            chosen = max(ordered, key=lambda m: (score(m), order(m)))
        else:
            chosen = ordered[-1]
        kept.append(chosen)
        aside += [(other, chosen) for other in ordered if other is not chosen]
    return kept, aside
