"""Helpers for tests that run the real `grader` command and check what it left on disk."""

from __future__ import annotations

import csv
import json
import os
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


@dataclass
class Done:
    """What one `grader` process printed and returned."""

    code: int
    out: str
    err: str
    raw_out: bytes = b""
    """stdout as the bytes a terminal would receive."""
    raw_err: bytes = b""


def grader_env(**extra: str) -> dict:
    """The environment for a `grader` subprocess: this checkout's code first, no debug tracebacks."""
    env = {k: v for k, v in os.environ.items() if k not in ("GRADER_DEBUG", "SITE_URL", "COURSE_DIR")}
    env["PYTHONPATH"] = str(ROOT) + (os.pathsep + env["PYTHONPATH"] if env.get("PYTHONPATH") else "")
    env.update(extra)
    return env


def run_grader(*args, cwd: Path | None = None, timeout: float = 300, **env: str) -> Done:
    """Run `python -m grader ARGS...` as a separate process, as a user would, and wait for it."""
    done = subprocess.run(
        [sys.executable, "-m", "grader", *map(str, args)],
        cwd=cwd,
        capture_output=True,
        timeout=timeout,
        env=grader_env(**env),
    )
    out, err = (stream.decode("utf-8", "backslashreplace") for stream in (done.stdout, done.stderr))
    assert "Traceback" not in err, err
    assert "unexpected error" not in err, err
    return Done(done.returncode, out, err, done.stdout, done.stderr)


OUTPUT_NAMES = [".grader", "changes.csv", "feedback", "gradebook.csv", "mail-merge.csv", "rejected.csv", "results.json"]
"""What a grade output folder holds, sorted."""


def strict_json(text: str):
    """Parse JSON as strict parsers do (no NaN or Infinity), as Node and browsers would."""

    def refuse(name: str):
        raise ValueError(f"not JSON: {name}")

    return json.loads(text, parse_constant=refuse)


def snapshot(folder: Path, *, skip: Path | None = None) -> dict[str, tuple]:
    """Every entry under `folder` (not following links) with its kind, bytes and mode; `skip` is left out."""
    found: dict[str, tuple] = {}
    for here, dirs, files in os.walk(folder, followlinks=False):
        if skip is not None and Path(here).resolve() == skip.resolve():
            dirs[:] = []
            continue
        for name in sorted(dirs + files):
            path = Path(here) / name
            if skip is not None and path.resolve() == skip.resolve():
                continue
            info = path.lstat()
            if path.is_symlink():
                found[str(path.relative_to(folder))] = ("link", os.readlink(path))
            elif path.is_file():
                found[str(path.relative_to(folder))] = ("file", path.read_bytes(), info.st_mode)
            elif path.is_dir():
                found[str(path.relative_to(folder))] = ("dir", info.st_mode)
            else:
                found[str(path.relative_to(folder))] = ("other", info.st_mode)
    return found


def output_set(out: Path) -> dict:
    """Read gradebook.csv, results.json, rejected.csv and feedback/ and check they come from one run.

    Returns {"gradebook": rows, "results": document, "rejected": rows, "feedback": {(learner, quiz), ...}}.
    """
    with open(out / "gradebook.csv", encoding="utf-8", newline="") as handle:
        gradebook = list(csv.DictReader(handle))
    results = strict_json((out / "results.json").read_text(encoding="utf-8"))
    with open(out / "rejected.csv", encoding="utf-8", newline="") as handle:
        rejected = list(csv.DictReader(handle))
    feedback = {
        (learner.name, page.stem)
        for learner in (out / "feedback").iterdir()
        for page in learner.iterdir()
        if page.suffix == ".md"
    }
    handed_in = {(r["learner_id"], r["quiz"]) for r in gradebook if not r.get("status", "").startswith("missing")}
    in_results = {(r["learner"]["id"], r["quiz"]) for r in results["results"]}
    assert handed_in == in_results, "gradebook.csv and results.json come from different runs"
    assert feedback == in_results, "feedback/ and results.json come from different runs"
    assert {r["file"] for r in rejected} == {r["file"] for r in results["rejected"]}, "rejected.csv and results.json differ"
    return {"gradebook": gradebook, "results": results, "rejected": rejected, "feedback": feedback}
