"""The extensions CSV (`--extensions FILE.csv`): a learner id and their own deadline on each line, and optionally the activity it is for."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

from grader.cohort.deadlines import parse_when
from grader.cohort.roster import Roster, RosterError
from grader.common.ids import check_learner_id
from grader.common.problems import UsageError
from grader.common.sheets import read_sheet


def read_extensions(path: str | Path, activities: set[str], roster: Roster | None) -> dict[tuple[str, str | None], datetime]:
    """(learner, activity or None for every activity) -> deadline; every problem named with its line, and none written."""
    sheet = read_sheet(path, "extensions file")
    file = sheet.file
    columns = {"learner_id": "id", "due": "deadline"}
    names = {columns.get(c, c) for c in sheet.columns}
    problems = [
        f"{file}:1: no '{name}' column; the header must name id and deadline (and may add activity)"
        for name in ("id", "deadline")
        if name not in names
    ]
    found: dict[tuple[str, str | None], datetime] = {}
    first: dict[tuple[str, str | None], int] = {}
    for line, raw in [] if problems else sheet.rows:
        cells = {columns.get(k, k): v for k, v in raw.items()}
        learner, activity = cells.get("id", ""), cells.get("activity") or None
        reason = check_learner_id(learner) if learner else "the id is empty; fill it in or delete the row"
        if reason:
            problems.append(f"{file}:{line}: {reason}")
            continue
        if roster is not None and learner not in roster:
            problems.append(f"{file}:{line}: learner '{learner}' is not on the roster {roster.file}")
        if activity is not None and activity not in activities:
            problems.append(f"{file}:{line}: activity '{activity}' is not in this course")
        try:
            when = parse_when(cells.get("deadline", ""), "deadline")
        except UsageError as error:
            problems.append(f"{file}:{line}: {error}")
            continue
        key = (learner, activity)
        if key in first:
            problems.append(f"{file}:{line}: a second extension for {learner} (the first is on line {first[key]}); keep one")
            continue
        first[key], found[key] = line, when
    if problems:
        tail = f"{len(problems)} problem(s) in the extensions file {file}; fix them and run again (nothing was written)"
        raise RosterError("\n".join([*problems[:50], tail]))
    return found
