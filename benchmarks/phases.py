"""Where one `grader grade --jobs 1` run spends its time, phase by phase, in one process.

`python benchmarks/phases.py COURSE ANSWERS OUT` prints JSON: seconds per phase.
It runs the steps of `grader.batch.grade_to` one by one, in the order `grader grade` does.
"""

import json
import sys
import tempfile
import time


def measure(course_dir: str, answers: str, out: str) -> dict:
    """Seconds spent importing, loading the course, collecting, grading and rendering, choosing and writing."""
    marks = {}
    start = time.perf_counter()
    from grader import batch, cli, grading, report  # noqa: F401  (importing is a phase of its own)
    from grader.course import load_course
    from grader.output_folder import output_folder

    marks["import"] = time.perf_counter() - start
    at = time.perf_counter()
    course = load_course(course_dir, keys=True)
    marks["load course"] = time.perf_counter() - at
    at = time.perf_counter()
    files, _skipped = grading.collect([answers])
    marks["collect"] = time.perf_counter() - at
    # Reading, checking and scoring, then rendering, timed apart on the same files.
    at = time.perf_counter()
    outcomes = grading.grade_files(files, course, jobs=1)
    marks["  read, check and score"] = time.perf_counter() - at
    at = time.perf_counter()
    for outcome in outcomes:
        if isinstance(outcome, grading.Graded):
            report.render(outcome, course)
    marks["  render feedback and results.json lines"] = time.perf_counter() - at
    del outcomes
    at = time.perf_counter()
    with output_folder(out, [answers], report.OUTPUTS) as folder, tempfile.TemporaryFile() as spool:
        entries, rejected = batch.spool_results(spool, files, course)
        marks["read, check, score and render, spooled"] = time.perf_counter() - at
        at = time.perf_counter()
        kept, aside = grading.choose(
            entries, "latest", group=lambda e: (e.quiz, e.learner_id), order=lambda e: e.order, score=lambda e: e.score
        )
        marks["keep one per learner"] = time.perf_counter() - at
        at = time.perf_counter()
        batch.write_from_spool(folder.run, spool, batch.Outcome(kept, aside, rejected), course, "latest", folder.run.name)
        folder.publish()
        marks["write outputs (feedback files, results.json, CSVs)"] = time.perf_counter() - at
    marks["total"] = time.perf_counter() - start - sum(v for k, v in marks.items() if k.startswith("  "))
    # Each "  " part is shown under the phase it belongs to.
    order = [
        "import",
        "load course",
        "collect",
        "read, check, score and render, spooled",
        "  read, check and score",
        "  render feedback and results.json lines",
        "keep one per learner",
        "write outputs (feedback files, results.json, CSVs)",
        "total",
    ]
    return {name: marks[name] for name in order}


if __name__ == "__main__":
    json.dump(measure(*sys.argv[1:4]), sys.stdout)
