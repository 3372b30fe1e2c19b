"""Run every benchmark and write benchmarks/RESULTS.md.

    .venv/bin/python -m benchmarks.run            # everything, about ten minutes on two cores
    .venv/bin/python -m benchmarks.run --skip lighthouse --files 2000

Works on a throw-away copy of the project in a temporary folder; nothing is
written into the repository except RESULTS.md.
"""

from __future__ import annotations

import argparse
import os
import shlex
import shutil
import sys
import tempfile
from datetime import UTC, datetime
from pathlib import Path

from benchmarks import grading, lighthouse, machine, project, results, site, startup, weight

PARTS = ("grading", "memory", "startup", "site", "weight", "lighthouse")


def _say(message: str) -> None:
    print(f"bench: {message}", file=sys.stderr, flush=True)


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    """The command line."""
    parser = argparse.ArgumentParser(
        prog="python -m benchmarks.run",
        description="Measure grading speed, memory, start-up, site build time, page weight and Lighthouse scores.",
    )
    parser.add_argument("--files", type=int, default=10_000, help="answer files for the speed runs (default 10,000)")
    parser.add_argument("--memory-sizes", default="1000,20000", help="class sizes for peak memory (default 1000,20000)")
    parser.add_argument("--seed", type=int, default=2026, help="seed for the generated answer files")
    parser.add_argument("--repeat", type=int, default=3, help="repetitions per measurement; the median is reported (default 3)")
    parser.add_argument(
        "--jobs", type=int, default=os.cpu_count() or 1, help="processes for the parallel run (default: all cores)"
    )
    parser.add_argument("--skip", action="append", choices=PARTS, default=[], help="leave a part out (repeatable)")
    parser.add_argument("--course", type=Path, default=project.ROOT, help="the project to measure (default: this repository)")
    parser.add_argument(
        "--results", type=Path, default=project.ROOT / "benchmarks" / "RESULTS.md", help="where to write the results"
    )
    parser.add_argument("--keep", action="store_true", help="keep the temporary folder and say where it is")
    return parser.parse_args(argv)


def _load() -> str:
    return " ".join(f"{x:.2f}" for x in os.getloadavg())


def _tmpfs() -> Path | None:
    shm = Path("/dev/shm")
    return Path(tempfile.mkdtemp(prefix="deescalation-bench-", dir=shm)) if shm.is_dir() and os.access(shm, os.W_OK) else None


def main(argv: list[str] | None = None) -> int:
    """Measure what was asked and write RESULTS.md."""
    args = parse_args(argv)
    load_before = _load()
    scratch = Path(tempfile.mkdtemp(prefix="deescalation-bench-"))
    tmpfs = _tmpfs()
    copy = project.snapshot(args.course.resolve(), scratch / "project")
    # The generator reads the course with the copy's own grader, the one being measured.
    sys.path.insert(0, str(copy))
    from benchmarks import generate
    from grader.course import load_course

    found: dict = {
        "made": None,
        "speed": None,
        "phases": {},
        "memory": None,
        "startup": None,
        "build": None,
        "weight": None,
        "lighthouse": [],
        "lighthouse_skipped": "",
    }
    try:
        course = load_course(copy, keys=True)
        if "grading" not in args.skip:
            answers = scratch / f"answers-{args.files}"
            _say(f"writing {args.files:,} answer files")
            found["made"] = generate.make(course, answers, args.files, args.seed)
            _say(f"grading: floor, --jobs 1, --jobs {args.jobs}, {args.repeat} times")
            found["speed"] = grading.speed(answers, copy, scratch, jobs=args.jobs, repeat=args.repeat, tmpfs=tmpfs)
            _say("grading: time per phase")
            found["phases"] = grading.phases(answers, copy, scratch)
            shutil.rmtree(answers)
        if "memory" not in args.skip:
            folders = {}
            for size in (int(s) for s in args.memory_sizes.split(",")):
                folders[size] = scratch / f"memory-{size}"
                _say(f"memory: writing {size:,} answer files")
                generate.make(course, folders[size], size, args.seed)
            _say("memory: peak RSS of grader grade")
            found["memory"] = grading.memory(folders, copy, scratch, jobs=args.jobs)
            for folder in folders.values():
                shutil.rmtree(folder)
        if "startup" not in args.skip:
            _say("start-up: python, the import, grader --help, grader check")
            found["startup"] = startup.measure(copy, repeat=args.repeat)
        port = lighthouse.free_port()
        serve_root = scratch / "serve"
        built = serve_root / lighthouse.SUB_PATH
        site_url = f"http://127.0.0.1:{port}/{lighthouse.SUB_PATH}/"
        if "site" not in args.skip:
            _say(f"site: building with and without the fences, {args.repeat} times")
            found["build"] = site.measure(copy, built, repeat=args.repeat, site_url=site_url)
        elif {"weight", "lighthouse"} - set(args.skip):
            site.build(copy, "mkdocs.yml", built, site_url)
        if "weight" not in args.skip:
            ours = [weight.measure(p, p.relative_to(built).as_posix()) for p in weight.course_assets(copy, built) if p.exists()]
            missing = [p.name for p in weight.course_assets(copy, built) if not p.exists()]
            if missing:
                _say(f"weight: not found: {', '.join(missing)}")
            material = weight.total([weight.measure(p) for p in weight.material_assets(built)])
            found["weight"] = ((ours, weight.total(ours), missing), material, weight.BUDGET_GZIP)
        if "lighthouse" not in args.skip:
            reason = lighthouse.why_not(built)
            if reason:
                found["lighthouse_skipped"] = reason
            else:
                _say("lighthouse: scoring pages")
                try:
                    found["lighthouse"] = lighthouse.measure(serve_root, port, scratch, runs=args.repeat)
                except Exception as error:  # a missing npm registry must not lose the other figures
                    found["lighthouse_skipped"] = f"lighthouse could not be installed or started ({error})"
        else:
            found["lighthouse_skipped"] = "left out with --skip lighthouse"
    finally:
        if args.keep:
            _say(f"kept {scratch}")
        else:
            shutil.rmtree(scratch, ignore_errors=True)
        if tmpfs is not None:
            shutil.rmtree(tmpfs, ignore_errors=True)
    previous = args.results.read_text(encoding="utf-8") if args.results.exists() else ""
    command = "python -m benchmarks.run" + (
        "" if argv is None and len(sys.argv) <= 1 else " " + shlex.join(sys.argv[1:] if argv is None else argv)
    )
    text = results.render(
        date=datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC"),
        command=command,
        machine=machine.describe(),
        load=f"at the start {load_before}, at the end {_load()}",
        notes=results.kept_notes(previous),
        **found,
    )
    args.results.write_text(text, encoding="utf-8")
    _say(f"wrote {args.results}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
