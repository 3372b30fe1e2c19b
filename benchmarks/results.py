"""Turn the measurements into benchmarks/RESULTS.md: machine, date, command, every figure against its target."""

from __future__ import annotations

from dataclasses import dataclass

NOTES_MARK = "<!-- Everything below this line is written by hand and kept when the benchmark rewrites this file. -->"

TARGET_RATIO = 1.5
TARGET_STARTUP = 0.3
TARGET_MEMORY_GROWTH = 1.5
TARGET_SITE_RATIO = 1.25
TARGET_ACCESSIBILITY = 100
TARGET_PERFORMANCE = 95


@dataclass
class Row:
    """One figure, its target, and whether it was met."""

    what: str
    figure: str
    target: str
    met: bool | None
    """None when there is no target."""

    def cells(self) -> str:
        """The row as a Markdown table line."""
        verdict = "" if self.met is None else ("met" if self.met else "**missed**")
        return f"| {self.what} | {self.figure} | {self.target} | {verdict} |"


def _s(seconds: float) -> str:
    return f"{seconds:.2f} s"


def _rate(files: int, seconds: float) -> str:
    return f"{files / seconds:,.0f} files/s"


def _mib(kib: int) -> str:
    return f"{kib / 1024:.0f} MiB"


def _kb(size: int) -> str:
    return f"{size / 1024:.1f} KB"


def grading_rows(speed, memory) -> list[Row]:
    """Rows for grading speed and memory."""
    rows = []
    if speed is not None:
        n = speed.files
        rows += [
            Row(
                f"(a) floor: read + parse {n:,} files with the C loader", f"{_s(speed.floor)} ({_rate(n, speed.floor)})", "", None
            ),
            *(
                [
                    Row(
                        f"(c) second floor: create {speed.created:,} files (one per feedback file, of their mean size) and nothing else",
                        f"{_s(speed.create)} ({_rate(speed.created, speed.create)})",
                        "",
                        None,
                    ),
                    Row("(a) + (c)", _s(speed.floor + speed.create), "", None),
                ]
                if speed.create is not None
                else []
            ),
            Row("(b) `grader grade --jobs 1`, end to end", f"{_s(speed.one_core)} ({_rate(n, speed.one_core)})", "", None),
            Row("(b)/(a) on one core", f"{speed.ratio:.2f}", f"≤ {TARGET_RATIO}", speed.ratio <= TARGET_RATIO),
        ]
        if speed.one_core_tmpfs is not None:
            ratio = speed.one_core_tmpfs / speed.floor
            rows.append(
                Row(
                    "(b)/(a) with `--out` on tmpfs (no disk cost for creating files)",
                    f"{ratio:.2f} ({_s(speed.one_core_tmpfs)})",
                    f"≤ {TARGET_RATIO}",
                    ratio <= TARGET_RATIO,
                )
            )
        rows.append(
            Row(
                f"`grader grade --jobs {speed.jobs}` (all cores) wall time",
                f"{_s(speed.all_cores)} ({_rate(n, speed.all_cores)})",
                f"< floor, {_s(speed.floor)}",
                speed.all_cores < speed.floor,
            )
        )
    if memory is not None:
        sizes = sorted(memory.peaks)
        for label in memory.peaks[sizes[0]]:
            figures = ", ".join(f"{_mib(memory.peaks[s][label])} at {s:,}" for s in sizes)
            growth = memory.growth(label)
            rows.append(
                Row(
                    f"peak RSS, `grader grade --{label}`",
                    f"{figures}: × {growth:.2f}",
                    f"× ≤ {TARGET_MEMORY_GROWTH}",
                    growth <= TARGET_MEMORY_GROWTH,
                )
            )
    return rows


def startup_rows(startup) -> list[Row]:
    """Rows for start-up: the floor, the import, and the two commands with a target."""
    if startup is None:
        return []
    rows = []
    for label in startup.runs:
        seconds = startup.median(label)
        target = label in ("`grader --help`", "`grader check`")
        rows.append(
            Row(label, _s(seconds), f"< {TARGET_STARTUP} s" if target else "", seconds < TARGET_STARTUP if target else None)
        )
    return rows


def site_rows(build) -> list[Row]:
    """Rows for the site build."""
    if build is None:
        return []
    rebuilt = (
        [
            Row(
                "`mkdocs serve` rebuild after editing one lesson (same process, median)",
                _s(sorted(build.rebuilds)[len(build.rebuilds) // 2]),
                "reported",
                None,
            )
        ]
        if build.rebuilds
        else []
    )
    return rebuilt + [
        Row(f"`mkdocs build` of the course ({build.pages} pages)", _s(build.with_fences), "", None),
        Row("the same Markdown with the quiz and dialogue fences off", _s(build.fences_off), "", None),
        Row("course build / fences-off build", f"{build.ratio:.2f}", f"≤ {TARGET_SITE_RATIO}", build.ratio <= TARGET_SITE_RATIO),
    ]


def weight_rows(course, material, budget: int) -> list[Row]:
    """Rows for page weight."""
    if course is None:
        return []
    rows = [Row(f"course: `{a.name}`", f"{_kb(a.raw)} raw, {_kb(a.gzip)} gzipped", "", None) for a in course[0]]
    missing = f"; not found: {', '.join(course[2])}" if course[2] else ""
    rows.append(
        Row(
            "course JavaScript + CSS, gzipped (level 9)",
            f"{course[1].gzip:,} bytes ({_kb(course[1].raw)} raw){missing}",
            f"≤ {budget:,} bytes",
            course[1].gzip <= budget and not course[2],
        )
    )
    if material:
        rows.append(
            Row("Material's own JavaScript + CSS, for scale", f"{_kb(material.raw)} raw, {_kb(material.gzip)} gzipped", "", None)
        )
    return rows


def lighthouse_rows(scores) -> list[Row]:
    """Rows for Lighthouse, one per page and preset."""
    rows = []
    for s in scores or []:
        if s.error:
            rows.append(Row(f"Lighthouse {s.preset}: {s.page}", f"did not run: {s.error}", "", False))
            continue
        perf, a11y = round(100 * (s.performance or 0)), round(100 * (s.accessibility or 0))
        spread = f" (median of {len(s.runs)} runs: {', '.join(map(str, s.runs))})" if len(s.runs) > 1 else ""
        rows.append(
            Row(
                f"Lighthouse {s.preset}: {s.page}",
                f"performance {perf}{spread}, accessibility {a11y}",
                f"≥ {TARGET_PERFORMANCE}, {TARGET_ACCESSIBILITY}",
                perf >= TARGET_PERFORMANCE and a11y >= TARGET_ACCESSIBILITY,
            )
        )
    return rows


def _repetitions(runs: dict, digits: int = 2, extra: str = "") -> list[str]:
    """The line that gives every repetition of every measurement, and a blank line."""
    each = "; ".join(f"{label}: " + ", ".join(f"{t:.{digits}f}" for t in times) for label, times in runs.items() if times)
    return [f"Every repetition, in seconds: {each}{extra}.", ""]


def _table(rows: list[Row]) -> list[str]:
    return ["| what | figure | target | |", "| --- | --- | --- | --- |", *(r.cells() for r in rows), ""]


def render(
    *,
    date: str,
    command: str,
    machine: dict,
    load: str,
    made,
    speed,
    phases: dict,
    memory,
    startup,
    build,
    weight,
    lighthouse,
    lighthouse_skipped: str,
    notes: str,
) -> str:
    """The whole RESULTS.md text."""
    lines = [
        "# Benchmark results",
        "",
        "Written by `benchmarks/run.py`; the figures are medians of the repetitions, measured in one run.",
        "",
        f"- **Date:** {date}",
        f"- **Command:** `{command}` (from the repository root)",
        f"- **Load average** (1, 5, 15 min) {load}: other work on the machine during the run makes the figures slower and noisier.",
        "",
        "## Machine",
        "",
        "| | |",
        "| --- | --- |",
        *(f"| {k} | {v} |" for k, v in machine.items()),
        "",
    ]
    if made is not None:
        lines += [
            "## Grading",
            "",
            f"{made.files:,} generated answer files ({made.bytes / 1e6:.1f} MB) from {made.learners:,} learners across every quiz and "
            f"dialogue: {made.resubmitted} resubmissions, {made.invalid} broken on purpose, {made.old_version} answered against another "
            f"quiz version or with none, {made.json_files} in JSON. Both (a) and (b) run in a fresh interpreter on the same files with "
            "a warm page cache; (b) writes every output (gradebook, results.json, one feedback file per learner and quiz) into an "
            "empty folder on the same disk.",
            "",
        ]
        if speed is not None and speed.summary:
            counted = {k: v for k, v in speed.summary.items() if isinstance(v, int) and (v or k in ("rejected", "skipped"))}
            lines += ["`grader grade --json` said: " + ", ".join(f"{k} {v}" for k, v in counted.items()) + ".", ""]
        lines += _table(grading_rows(speed, memory))
        if speed is not None:
            lines += _repetitions(speed.runs)
        if phases:
            total = phases.get("total") or 1
            lines += [
                "Where one `--jobs 1` run spends its time (`benchmarks/phases.py`, in-process, same files):",
                "",
                "| phase | seconds | share |",
                "| --- | --- | --- |",
            ]
            for name, seconds in phases.items():
                share = "" if name.startswith("  ") or name == "total" else f"{100 * seconds / total:.0f} %"
                label = f"of which: {name.strip()}" if name.startswith("  ") else name
                lines.append(f"| {label} | {seconds:.2f} | {share} |")
            lines.append("")
    if startup is not None:
        lines += [
            "## Start-up",
            "",
            "Each command in a fresh interpreter on the project copy, after one warm-up run (byte-compiled, page cache warm).",
            "",
        ]
        lines += _table(startup_rows(startup))
        lines += _repetitions(startup.runs, 3)
    if build is not None:
        lines += [
            "## Site build",
            "",
            "Both builds run `mkdocs build --strict` on the same copy of the project in a fresh interpreter; "
            "the second uses mkdocs.yml without its `custom_fences`, so each `quiz`, `dialogue` and `dialogue-map` fence stays a code block.",
            "",
        ]
        lines += _table(site_rows(build))
        rebuilt = f"; rebuilds after an edit: {', '.join(f'{t:.2f}' for t in build.rebuilds)}" if build.rebuilds else ""
        lines += _repetitions(build.runs, extra=rebuilt)
    if weight is not None:
        lines += [
            "## Page weight",
            "",
            "What mkdocs.yml adds to every page (`extra_javascript`, `extra_css`, and the modules the page script imports) next to Material's own bundle and style sheets; each file is gzipped on its own, as it is fetched. "
            "`tests/test_page_weight.py` checks the budget.",
            "",
        ]
        lines += _table(weight_rows(weight[0], weight[1], weight[2]))
    lines += ["## Lighthouse", ""]
    if lighthouse_skipped:
        lines += [f"Not run: {lighthouse_skipped}.", ""]
    else:
        lines += [
            "npm `lighthouse` with Debian's Chromium (headless, no network beyond 127.0.0.1), the built site served under "
            "`/course/` with gzip as GitHub Pages serves it; `mobile` is Lighthouse's default (simulated slow 4G and a slower CPU), `desktop` is `--preset=desktop`. Each page and preset runs as often as `--repeat` says; "
            "the table gives the median run (Lighthouse's advice, as one run swings by several points here) and every run's score.",
            "",
        ]
        lines += _table(lighthouse_rows(lighthouse))
        failing = {}
        for s in lighthouse or []:
            for audit, title, selectors in s.failing:
                failing.setdefault((audit, title), set()).update(filter(None, selectors))
        if failing:
            lines += ["Accessibility audits below full marks, on any page:", ""]
            lines += [
                f"- `{audit}`: {title} ({'; '.join(f'`{x}`' for x in sorted(sel)) or 'no selector'})"
                for (audit, title), sel in sorted(failing.items())
            ]
            lines.append("")
        metrics = [s for s in lighthouse or [] if s.metrics]
        if metrics:
            names = list(metrics[0].metrics)
            lines += ["| page | preset | " + " | ".join(names) + " |", "| --- | --- |" + " --- |" * len(names)]
            lines += [f"| {s.page} | {s.preset} | " + " | ".join(s.metrics.get(n, "") for n in names) + " |" for s in metrics]
            lines.append("")
    lines += [NOTES_MARK, ""]
    return "\n".join(lines) + (notes.strip() + "\n" if notes.strip() else "")


def kept_notes(previous: str) -> str:
    """The hand-written part of an earlier RESULTS.md."""
    return previous.split(NOTES_MARK, 1)[1] if NOTES_MARK in previous else ""
