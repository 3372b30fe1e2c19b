"""How long `grader --help` and `grader check` take from a cold interpreter, beside `python -c pass` and the import alone."""

from __future__ import annotations

import statistics
from dataclasses import dataclass, field
from pathlib import Path

from benchmarks import project

TARGET_SECONDS = 0.3


@dataclass
class Startup:
    """Every repetition in seconds, by label; the medians are what the table shows."""

    runs: dict = field(default_factory=dict)

    def median(self, label: str) -> float:
        """Median of one label's repetitions."""
        return statistics.median(self.runs[label])


COMMANDS = {
    "`python -c pass`": ["-c", "pass"],
    "`import grader.cli`": ["-c", "import grader.cli"],
    "`grader --help`": ["-m", "grader", "--help"],
    "`grader check`": ["-m", "grader", "check"],
}


def measure(root: Path, *, repeat: int) -> Startup:
    """Run each command `repeat` times (interleaved, after one warm-up each) in the project copy."""
    found = Startup({label: [] for label in COMMANDS})
    for argv in COMMANDS.values():
        project.timed([project.python(), *argv], cwd=root, env=project.env(root))
    for _ in range(max(repeat, 5)):
        for label, argv in COMMANDS.items():
            ran = project.timed([project.python(), *argv], cwd=root, env=project.env(root))
            if ran.code not in (0, 1):
                raise RuntimeError(f"{label} exited {ran.code} in {root}")
            found.runs[label].append(ran.seconds)
    return found
