"""The class roster (`--roster`, and the older `--map`, whose columns are a subset): read, checked, and every problem named with its line."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from pathlib import Path

from grader.common.ids import check_learner_id
from grader.common.problems import UsageError
from grader.common.sheets import Sheet, read_sheet

ROSTER_COLUMNS = ("id", "name", "email", "section")
"""What every roster has; email and section may be empty."""
LMS_COLUMNS = ("lms_id", "lms_name", "sis_user_id", "sis_login_id")
"""Who the learner is in the LMS: its own user number, the name as it shows it, the SIS ids."""
MAP_COLUMNS = ("name", "email", "lms_id", "sis_user_id", "sis_login_id", "section")
"""What a --map file may give besides learner_id."""
ALIASES = {"learner_id": "id", "e_mail": "email", "email_address": "email"}
"""Other names a header may give a column: `learner_id` is the id column of a map file."""


class RosterError(UsageError):
    """A roster or map file with problems: one line for each, then what to do."""


@dataclass(frozen=True)
class Learner:
    """One learner on the roster."""

    id: str
    name: str = ""
    email: str = ""
    section: str = ""
    lms_id: str = ""
    """The LMS's own user number (Canvas's user id: the `ID` column of its gradebook, the number in its zip names)."""
    lms_name: str = ""
    """The name as the LMS shows it, when it differs from `name` (Canvas: "Lovelace, Ada")."""
    sis_user_id: str = ""
    sis_login_id: str = ""
    line: int = 0
    """Where the learner is in the file."""

    def as_json(self) -> dict:
        """The learner as results.json's roster lists them."""
        found = asdict(self)
        found.pop("line")
        return found


@dataclass(frozen=True)
class Roster:
    """The learners of a class, in the file's order."""

    file: str
    learners: dict[str, Learner] = field(default_factory=dict)
    columns: tuple[str, ...] = ()
    """The columns the file has, by their plain names (the id column as `id`)."""

    def __contains__(self, learner_id: object) -> bool:
        return learner_id in self.learners

    def __len__(self) -> int:
        return len(self.learners)

    def get(self, learner_id: str) -> Learner | None:
        return self.learners.get(learner_id)

    def identities(self) -> dict[str, dict[str, str]]:
        """learner id -> the identity fields the file has a column for, as the exports read a map."""
        have = [name for name in MAP_COLUMNS if name in self.columns]
        return {lr.id: {name: getattr(lr, name) for name in have} for lr in self.learners.values()}


def roster_from(sheet: Sheet, *, required: tuple[str, ...], what: str) -> Roster:
    """The roster in `sheet`; every problem (missing columns, empty, repeated or ill-formed ids) in one RosterError."""
    file = sheet.file
    columns = tuple(ALIASES.get(name, name) for name in sheet.columns)
    twice = next((name for name in columns if name and columns.count(name) > 1), None)
    if twice:
        raise RosterError(
            f"{file}:1: two columns name the {twice} ({', '.join(n for n in sheet.columns if ALIASES.get(n, n) == twice)}); keep one"
        )
    called = {"id": "learner_id"} if what == "map file" else {}
    problems = [
        f"{file}:1: no '{called.get(name, name)}' column; the header must name {', '.join(called.get(n, n) for n in required)}"
        + (f" (and may add {', '.join(LMS_COLUMNS)})" if what == "roster" else f" and any of {', '.join(MAP_COLUMNS)}")
        for name in required
        if name not in columns
    ]
    if problems:
        raise RosterError(_listed(problems, file, what))
    known = {name for name in (*ROSTER_COLUMNS, *LMS_COLUMNS) if name in columns}
    learners: dict[str, Learner] = {}
    by_lms: dict[str, Learner] = {}
    for line, cells in sheet.rows:
        cells = {ALIASES.get(k, k): v for k, v in cells.items()}
        learner_id = cells.get("id", "")
        reason = (
            check_learner_id(learner_id) if learner_id else f"{called.get('id', 'id')} is empty; fill it in or delete the row"
        )
        if reason:
            problems.append(f"{file}:{line}: {reason}")
            continue
        if learner_id in learners:
            problems.append(
                f"{file}:{line}: learner '{learner_id}' is listed twice (first on line {learners[learner_id].line}); keep one row"
            )
            continue
        if "name" in required and not cells.get("name"):
            problems.append(f"{file}:{line}: learner '{learner_id}' has no name; fill it in")
        learner = Learner(learner_id, **{k: cells[k] for k in known if k != "id"}, line=line)
        if learner.lms_id:
            if learner.lms_id in by_lms:
                first = by_lms[learner.lms_id]
                problems.append(
                    f"{file}:{line}: lms_id {learner.lms_id} is also learner '{first.id}' (line {first.line}); each LMS account is one learner"
                )
            by_lms[learner.lms_id] = learner
        learners[learner_id] = learner
    if problems:
        raise RosterError(_listed(problems, file, what))
    return Roster(file, learners, columns)


def _listed(problems: list[str], file: str, what: str) -> str:
    if len(problems) == 1:
        return problems[0]
    tail = f"{len(problems)} problem(s) in the {what} {file}; fix them and run again (nothing was written)"
    return "\n".join([*problems[:50], *(["..."] if len(problems) > 50 else []), tail])


def read_roster(path: str | Path) -> Roster:
    """The roster CSV `--roster` names: id, name, email and section, plus any LMS identity columns."""
    return roster_from(read_sheet(path, "roster"), required=ROSTER_COLUMNS, what="roster")


def read_map(path: str | Path) -> Roster:
    """A `--map` CSV: learner_id (or id) and any of the identity columns; its other columns are ignored."""
    return roster_from(read_sheet(path, "map file"), required=("id",), what="map file")
