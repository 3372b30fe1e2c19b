"""The class's rules for one run, together: the roster, the deadlines and late policy, the overrides. What grading applies to every hand-in."""

from __future__ import annotations

from dataclasses import dataclass

from grader.cohort.deadlines import Deadlines
from grader.cohort.overrides import Overrides
from grader.cohort.roster import Roster


@dataclass(frozen=True)
class ClassRules:
    """What a run knows about the class besides the answer files; each part is optional."""

    roster: Roster | None = None
    deadlines: Deadlines | None = None
    overrides: Overrides | None = None

    def head_json(self) -> dict:
        """What results.json records about them at its top."""
        return {
            "roster": [lr.as_json() for lr in self.roster.learners.values()] if self.roster else None,
            "deadlines": self.deadlines.as_json() if self.deadlines else None,
            "overrides": self.overrides.as_json() if self.overrides else None,
        }


NO_RULES = ClassRules()
