"""Site build time with the quiz and dialogue fences, against the same Markdown with them turned off."""

from __future__ import annotations

import json
import shutil
import statistics
from dataclasses import dataclass, field
from pathlib import Path

from benchmarks import project

FENCES_OFF = "mkdocs-fences-off.yml"


def without_fences(config: str) -> str:
    """mkdocs.yml text with the `custom_fences:` block removed, so the fences stay plain code blocks."""
    out, cut_at = [], None
    for line in config.splitlines(keepends=True):
        indent = len(line) - len(line.lstrip())
        if cut_at is not None:
            if line.strip() and indent <= cut_at:
                cut_at = None
            else:
                continue
        if line.strip() == "custom_fences:":
            cut_at = indent
            continue
        out.append(line)
    return "".join(out)


@dataclass
class Build:
    """Median build times in seconds, and every repetition."""

    with_fences: float
    fences_off: float
    runs: dict = field(default_factory=dict)
    pages: int = 0
    rebuilds: list = field(default_factory=list)
    """Seconds per `mkdocs serve`-style rebuild after editing one lesson (benchmarks/rebuild.py)."""

    @property
    def ratio(self) -> float:
        """Course build over the build with rendering off."""
        return self.with_fences / self.fences_off


def build(copy: Path, config: str, dest: Path, site_url: str) -> project.Ran:
    """`mkdocs build` of the copy with `config` into `dest`."""
    shutil.rmtree(dest, ignore_errors=True)
    argv = [project.python(), "-m", "mkdocs", "build", "--quiet", "--strict", "-f", config, "-d", str(dest)]
    ran = project.timed(argv, cwd=copy, env=project.env(copy, SITE_URL=site_url, NO_MKDOCS_2_WARNING="1"))
    if ran.code != 0:
        raise RuntimeError(f"mkdocs build -f {config} failed in {copy} (exit {ran.code}); run `mkdocs build --strict` to see why")
    return ran


def measure(copy: Path, dest: Path, *, repeat: int, site_url: str) -> Build:
    """Build both variants `repeat` times, interleaved; the last course build stays in `dest`."""
    (copy / FENCES_OFF).write_text(without_fences((copy / "mkdocs.yml").read_text()))
    plain = dest.parent / (dest.name + "-fences-off")
    build(copy, "mkdocs.yml", dest, site_url)  # warm-up: byte-compiles the grader and fills the page cache
    runs: dict[str, list[float]] = {"course": [], "fences off": []}
    for _ in range(repeat):
        runs["fences off"].append(build(copy, FENCES_OFF, plain, site_url).seconds)
        runs["course"].append(build(copy, "mkdocs.yml", dest, site_url).seconds)
    shutil.rmtree(plain, ignore_errors=True)
    pages = sum(1 for _ in dest.rglob("index.html"))
    return Build(statistics.median(runs["course"]), statistics.median(runs["fences off"]), runs, pages, rebuilds(copy, repeat))


LESSON = "docs/lessons/five-step-process.md"


def rebuilds(copy: Path, repeat: int) -> list[float]:
    """`repeat` rebuilds after editing one lesson, in one process as `mkdocs serve` does them."""
    sink = copy / "rebuilds.json"
    dest = copy.parent / "rebuild-site"
    with open(sink, "w") as handle:
        argv = [project.python(), str(Path(__file__).with_name("rebuild.py")), str(dest), LESSON, str(repeat)]
        ran = project.timed(argv, cwd=copy, env=project.env(copy, NO_MKDOCS_2_WARNING="1"), stdout=handle)
    shutil.rmtree(dest, ignore_errors=True)
    if ran.code != 0:
        raise RuntimeError(f"the rebuild benchmark failed in {copy} (exit {ran.code})")
    return json.loads(sink.read_text())
