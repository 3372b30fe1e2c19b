"""Whether a hand-in's LMS identity (from its file name) and the learner id inside it are the same learner, through the roster. Pure."""

from __future__ import annotations

from dataclasses import dataclass

from grader.cohort.lms import LmsIdentity, same_name
from grader.cohort.roster import Roster


@dataclass(frozen=True)
class Identity:
    """The LMS identity of one hand-in and what the roster says about it."""

    lms: LmsIdentity
    learner: str | None
    """The roster learner the LMS account belongs to, when the roster tells."""
    matches: bool | None
    """True: the file names that learner; False: it names another (held, never credited); None: cannot tell."""
    note: str
    """Why, in words."""

    def as_json(self) -> dict:
        """The identity as results.json records it."""
        return {
            "lms": self.lms.layout,
            "name": self.lms.name,
            "id": self.lms.account,
            "kind": self.lms.account_kind,
            "original": self.lms.original,
            "late_marker": self.lms.late,
            "upload": self.lms.seq,
            "learner": self.learner,
            "matches": self.matches,
            "note": self.note,
        }


def account_owner(roster: Roster, lms: LmsIdentity) -> tuple[str | None, str]:
    """The roster learner an LMS account is, and how that was found (or why not)."""
    if lms.account_kind == "user":
        owners = [lr for lr in roster.learners.values() if lr.lms_id == lms.account]
        if owners:
            return owners[0].id, f"{lms.lms} user {lms.account} is {owners[0].id} (roster lms_id)"
    if not lms.name:
        return None, f"{lms.lms} marking is anonymous here and the roster has no lms_id for account {lms.account}"
    named = [lr for lr in roster.learners.values() if same_name(lms, lr.lms_name) or same_name(lms, lr.name)]
    if len(named) == 1:
        return named[0].id, f"{lms.lms} name '{lms.name}' is {named[0].id} (roster name)"
    if named:
        listed = ", ".join(lr.id for lr in named[:5])
        return (
            None,
            f"{lms.lms} name '{lms.name}' fits {len(named)} roster learners ({listed}); add lms_id or lms_name to the roster",
        )
    return (
        None,
        f"no roster learner has {lms.lms} account {lms.account} or the name '{lms.name}'; add lms_id or lms_name to the roster",
    )


def check_identity(lms: LmsIdentity | None, learner_id: str, roster: Roster | None) -> Identity | None:
    """Check the LMS identity of a hand-in against the learner id written in it; None when the file name has no LMS identity."""
    if lms is None:
        return None
    if roster is None:
        return Identity(lms, None, None, "not checked: give --roster to check LMS accounts against learner ids")
    owner, how = account_owner(roster, lms)
    if owner is None:
        return Identity(lms, None, None, how)
    if owner == learner_id:
        return Identity(lms, owner, True, how)
    named = f" '{lms.name}'" if lms.name else ""
    return Identity(
        lms,
        owner,
        False,
        f"handed in from {lms.lms} account {lms.account}{named}, which is {owner} on the roster, but the file names learner {learner_id}",
    )
