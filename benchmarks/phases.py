"""Where one `grader grade --jobs 1` run spends its time, phase by phase, in one process.

`python benchmarks/phases.py COURSE ANSWERS OUT` prints JSON: seconds per phase.
It calls the grader's own functions in the order `grader grade` does.
"""

import json
import sys
import time
from pathlib import Path


def measure(course_dir: str, answers: str, out: str) -> dict:
    """Seconds spent importing, loading the course, collecting, grading, choosing and writing."""
    marks = {}
    start = time.perf_counter()
    from grader import cli, grading, report  # noqa: F401  (importing is a phase of its own)
    from grader.course import load_course

    marks["import"] = time.perf_counter() - start
    at = time.perf_counter()
    course = load_course(course_dir, keys=True)
    marks["load course"] = time.perf_counter() - at
    at = time.perf_counter()
    files, _skipped = grading.collect([answers])
    marks["collect"] = time.perf_counter() - at
    at = time.perf_counter()
    outcomes = grading.grade_files(files, course, jobs=1)
    marks["read, check and score"] = time.perf_counter() - at
    at = time.perf_counter()
    batch = grading.keep_one(outcomes)
    marks["keep one per learner"] = time.perf_counter() - at
    # The writing phase, split: rendering feedback text, encoding results.json, then the files themselves.
    at = time.perf_counter()
    for graded in batch.graded:
        report.feedback_markdown(graded, course.activity(graded.submission.quiz), course, None)
    marks["  render feedback text"] = time.perf_counter() - at
    at = time.perf_counter()
    document = report.results_document(batch, course)
    marks["  build the results.json document"] = time.perf_counter() - at
    at = time.perf_counter()
    json.dumps(document, indent=2, ensure_ascii=False)
    marks["  encode it with json.dumps(indent=2)"] = time.perf_counter() - at
    at = time.perf_counter()
    report.write_outputs(Path(out), batch, course)
    marks["write outputs (all of it)"] = time.perf_counter() - at
    marks["total"] = time.perf_counter() - start - sum(v for k, v in marks.items() if k.startswith("  "))
    return marks


if __name__ == "__main__":
    json.dump(measure(*sys.argv[1:4]), sys.stdout)
