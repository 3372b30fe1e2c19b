"""A class's graded results for stats, report and export: from a grade output folder, or graded from answer files the way `grader grade` does."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

from grader.analytics.results_file import read
from grader.cli.class_rules import class_rules, refuse_grading_rules, rule_files
from grader.cli.options import course_for, worker_count
from grader.cli.progress import Progress
from grader.cohort.roster import read_roster
from grader.common.problems import UsageError
from grader.course import Course
from grader.grading.batch import grade_in_memory
from grader.grading.collect import handins


@dataclass
class ClassResults:
    """A class's graded results, where they came from, and the files read to get them."""

    doc: dict
    """The results document (as results.json holds it)."""
    source: dict
    """What was read and which attempts count, for the output's `source`."""
    course: Course
    inputs: list[Path]
    """Every file read, so no output overwrites one."""


def results_path(paths: list[str]) -> Path | None:
    """The results.json a single PATH names (the file, or a grade output folder holding it), else None."""
    if len(paths) != 1:
        return None
    path = Path(paths[0])
    if path.is_dir() and (path / "results.json").is_file():
        return path / "results.json"
    if path.is_file() and path.name == "results.json":
        return path
    if path.is_file() and path.suffix.lower() == ".json":
        try:
            data = json.loads(path.read_text(encoding="utf-8-sig"))
        except (ValueError, UnicodeDecodeError, RecursionError):
            return None
        # Grading output, however damaged, rather than an answer file handed in as JSON.
        if isinstance(data, dict) and {"results", "quizzes"} & set(data) and "answers" not in data:
            return path
    return None


def read_results(path: Path, args) -> dict:
    """Load a results.json written by `grader grade`; a one-line Usage error naming the file, the place and the fix when it is not one."""
    return read(path)


def _version_warnings(doc: dict, course: Course) -> list[str]:
    out = []
    for quiz_id, meta in sorted(doc["quizzes"].items()):
        live = course.activity(quiz_id)
        if live is None:
            out.append(f"'{quiz_id}' is in the results but no longer in the course; its questions are shown without their texts")
        elif meta.get("version") and meta["version"] != live.version:
            out.append(f"'{quiz_id}' was graded at version {meta['version']}; the course now has {live.version}")
    return out


def class_from_results(args, found: Path) -> ClassResults:
    """The class as `grader grade` left it in `found` (a results.json)."""
    refuse_grading_rules(args, str(found))
    doc = read_results(found, args)
    course = course_for(args, keys_if_found=True)
    if getattr(args, "roster", None):
        # Who is in the class, for a grade output written without a roster or with an older one.
        doc["roster"] = [lr.as_json() for lr in read_roster(args.roster).learners.values()]
    rules = sorted({s.get("rule") for s in doc.get("set_aside", ()) if s.get("rule")})
    attempts = (
        f"the attempt `grader grade` kept for each learner and quiz (--keep {rules[0]})"
        if len(rules) == 1
        else "the attempt `grader grade` kept for each learner and quiz (one file each, so no choice was needed)"
        if not rules
        else "the attempts `grader grade` kept"
    )
    source = {
        "kind": "results",
        "path": str(found),
        "attempts": attempts,
        "keep": rules[0] if len(rules) == 1 else None,
        "warnings": _version_warnings(doc, course),
    }
    return ClassResults(doc, source, course, [found, *(Path(f) for f in rule_files(args))])


def class_from_answers(args, paths: list[str], *, keep: str, json_mode: bool) -> ClassResults:
    """The class graded from answer files and folders, by the same path `grader grade` takes, with `keep` choosing among repeated hand-ins."""
    course = course_for(args, keys=True)
    rules = class_rules(args, course)
    with handins(paths, ignore_file_times=bool(getattr(args, "ignore_file_times", False))) as (files, skipped):
        if not files:
            raise UsageError(f"no answer files (.yml, .yaml, .json) and no results.json in {', '.join(paths)}")
        progress = Progress("grading", len(files), enabled=not json_mode)
        doc, outcome = grade_in_memory(
            files,
            course,
            keep=keep,
            jobs=worker_count(getattr(args, "jobs", None)),
            skipped=skipped,
            rules=rules,
            progress=progress.update,
        )
        progress.done()
        read_from = [Path(p) for p in dict.fromkeys(f.read_from for f in files) if p]
    moodle = ", Moodle's default" if keep == "first" else ""
    source = {
        "kind": "answers",
        "path": ", ".join(paths),
        "keep": keep,
        "attempts": f"each learner's {keep} attempt at each quiz (--keep {keep}{moodle})",
        "files": outcome.files,
        "rejected": [{"file": r.file, "reason": r.reason} for r in outcome.rejected],
        "warnings": [],
    }
    return ClassResults(doc, source, course, read_from + [Path(f) for f in rule_files(args)])


def load_class(args, paths: list[str], *, keep: str, json_mode: bool) -> ClassResults:
    """The class from a grade output (a folder or its results.json) or from answer files graded in memory."""
    found = results_path(paths)
    if found is not None:
        return class_from_results(args, found)
    return class_from_answers(args, paths, keep=keep, json_mode=json_mode)
