"""Grading speed against the parse-only floor, in parallel, and peak memory as the class grows."""

from __future__ import annotations

import json
import os
import shutil
import statistics
from dataclasses import dataclass, field
from pathlib import Path

from benchmarks import project

HERE = Path(__file__).resolve().parent


@dataclass
class Speed:
    """Medians over the repetitions, in seconds."""

    files: int
    floor: float
    one_core: float
    all_cores: float
    jobs: int
    one_core_tmpfs: float | None = None
    create: float | None = None
    """The second floor: creating as many files as were graded, of the feedback's mean size, and nothing else."""
    created: int = 0
    """`--jobs 1` with --out on tmpfs: the same work without the disk's cost of creating files."""
    runs: dict = field(default_factory=dict)
    """Every repetition, by label."""
    summary: dict = field(default_factory=dict)
    """What `grader grade --json` reported on the last run."""

    @property
    def ratio(self) -> float:
        """(b)/(a): `grader grade --jobs 1` over the floor."""
        return self.one_core / self.floor


def floor(folder: Path, root: Path) -> project.Ran:
    """Read and parse every file with the C loader, in a fresh interpreter."""
    os.sync()
    return project.timed([project.python(), str(HERE / "floor.py"), str(folder)], cwd=root, env=project.env(root))


def create_floor(dest: Path, root: Path, count: int, size: int) -> project.Ran:
    """Create `count` files of `size` bytes in the new folder `dest`, in a fresh interpreter (benchmarks/create_floor.py)."""
    os.sync()
    return project.timed(
        [project.python(), str(HERE / "create_floor.py"), str(dest), str(count), str(size)], cwd=root, env=project.env(root)
    )


def _feedback_size(out: Path) -> tuple[int, int]:
    """How many feedback files one grade output holds, and their mean size in bytes."""
    sizes = [p.stat().st_size for p in (out / "feedback").rglob("*") if p.is_file()]
    return len(sizes), (sum(sizes) // len(sizes) if sizes else 0)


def _fresh(base: Path) -> Path:
    """A new, not yet existing folder name beside `base`: no run pays for deleting the last one's files."""
    number = 0
    while base.with_name(f"{base.name}-{number}").exists():
        number += 1
    return base.with_name(f"{base.name}-{number}")


def grade(folder: Path, out: Path, root: Path, jobs: int, summary: Path | None = None) -> project.Ran:
    """`grader grade FOLDER --out OUT-n --jobs N --json` end to end, in a fresh interpreter, into a new --out folder."""
    out = _fresh(out)
    # Flush what earlier steps wrote, so this run is not billed for their write-back.
    os.sync()
    argv = [
        project.python(),
        "-m",
        "grader",
        "--course",
        str(root),
        "grade",
        str(folder),
        "--out",
        str(out),
        "--jobs",
        str(jobs),
        "--json",
    ]
    if summary is None:
        return project.timed(argv, cwd=root, env=project.env(root))
    with open(summary, "w") as sink:
        return project.timed(argv, cwd=root, env=project.env(root), stdout=sink)


def _checked(ran: project.Ran, what: str) -> float:
    # Exit 1 is expected: some generated files are broken on purpose.
    if ran.code not in (0, 1):
        raise RuntimeError(f"{what} exited {ran.code}; run it by hand to see why")
    return ran.seconds


def speed(folder: Path, root: Path, scratch: Path, *, jobs: int, repeat: int, tmpfs: Path | None) -> Speed:
    """Interleave floor, `--jobs 1` and `--jobs N` runs `repeat` times and keep the medians."""
    floor(folder, root)  # warm the page cache so no run pays for the first read from disk
    runs: dict[str, list[float]] = {
        "floor": [],
        "create files": [],
        "jobs 1": [],
        f"jobs {jobs}": [],
        "jobs 1, --out on tmpfs": [],
    }
    summary = scratch / "summary.json"
    grade(folder, scratch / "out", root, 1)  # warm-up, and the feedback files the second floor copies in number and size
    created, size = _feedback_size(scratch / "out-0")
    for _ in range(repeat):
        runs["floor"].append(_checked(floor(folder, root), "the floor"))
        runs["create files"].append(_checked(create_floor(_fresh(scratch / "created"), root, created, size), "the create floor"))
        runs["jobs 1"].append(_checked(grade(folder, scratch / "out", root, 1, summary), "grader grade --jobs 1"))
        runs[f"jobs {jobs}"].append(_checked(grade(folder, scratch / "out", root, jobs), f"grader grade --jobs {jobs}"))
        if tmpfs is not None:
            runs["jobs 1, --out on tmpfs"].append(
                _checked(grade(folder, tmpfs / "out", root, 1), "grader grade --jobs 1 (tmpfs)")
            )
    for base in (scratch, tmpfs):
        for used in [*base.glob("out-*"), *base.glob("created-*")] if base else ():
            shutil.rmtree(used, ignore_errors=True)
    found = json.loads(summary.read_text())
    found.pop("rejected_files", None)
    found.pop("out", None)
    median = {label: statistics.median(times) for label, times in runs.items() if times}
    return Speed(
        files=found.get("files", 0),
        floor=median["floor"],
        one_core=median["jobs 1"],
        all_cores=median[f"jobs {jobs}"],
        jobs=jobs,
        one_core_tmpfs=median.get("jobs 1, --out on tmpfs"),
        create=median.get("create files"),
        created=created,
        runs=runs,
        summary=found,
    )


def phases(folder: Path, root: Path, scratch: Path) -> dict:
    """Seconds per phase of one `--jobs 1` run (see benchmarks/phases.py)."""
    out = _fresh(scratch / "phases-out")
    os.sync()
    sink = scratch / "phases.json"
    with open(sink, "w") as handle:
        ran = project.timed(
            [project.python(), str(HERE / "phases.py"), str(root), str(folder), str(out)],
            cwd=root,
            env=project.env(root),
            stdout=handle,
        )
    if ran.code != 0:
        return {}
    return json.loads(sink.read_text())


@dataclass
class Memory:
    """Peak RSS of `grader grade` for each class size, in KiB."""

    jobs: int
    peaks: dict
    """files -> {"jobs 1": KiB, "jobs N": KiB}."""

    def growth(self, label: str = "jobs 1") -> float:
        """Peak at the largest class over the peak at the smallest."""
        sizes = sorted(self.peaks)
        return self.peaks[sizes[-1]][label] / self.peaks[sizes[0]][label]


def memory(folders: dict[int, Path], root: Path, scratch: Path, *, jobs: int) -> Memory:
    """Peak RSS of one `grader grade` run per class size, with one process and with `jobs`."""
    peaks = {}
    for files, folder in sorted(folders.items()):
        one = grade(folder, scratch / "out", root, 1)
        many = grade(folder, scratch / "out", root, jobs)
        _checked(one, "grader grade --jobs 1")
        _checked(many, f"grader grade --jobs {jobs}")
        peaks[files] = {"jobs 1": one.max_rss_kib, f"jobs {jobs}": many.max_rss_kib}
        for used in scratch.glob("out-*"):
            shutil.rmtree(used, ignore_errors=True)
    return Memory(jobs, peaks)
