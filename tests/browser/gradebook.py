"""Run `grader grade` on downloaded answer files, as an instructor does, and read what it wrote."""

from __future__ import annotations

import csv
import json
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

from tests.conftest import ROOT


@dataclass(frozen=True)
class Grades:
    summary: dict
    """What `--json` printed."""
    rows: list
    """gradebook.csv, one dict per row."""
    results: dict
    """results.json."""

    def row(self, learner: str, quiz: str) -> dict:
        found = [r for r in self.rows if r["learner_id"] == learner and r["quiz"] == quiz]
        assert len(found) == 1, f"expected one gradebook row for {learner} / {quiz}, found {self.rows}"
        return found[0]


def grade(files: list[Path], out: Path) -> Grades:
    """`python -m grader grade FILES --out OUT --json` from the course folder; it must exit 0."""
    done = subprocess.run(
        [sys.executable, "-m", "grader", "grade", *map(str, files), "--out", str(out), "--json"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, f"grader grade exited {done.returncode}:\n{done.stdout}{done.stderr}"
    with open(out / "gradebook.csv", encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    return Grades(json.loads(done.stdout), rows, json.loads((out / "results.json").read_text(encoding="utf-8")))
