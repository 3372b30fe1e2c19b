"""Where one `grader grade --jobs 1` run spends its time, phase by phase, in one process.

`python benchmarks/phases.py COURSE ANSWERS OUT` prints JSON: seconds per phase.
It times the parts of `grader.grading.batch.grade_to` apart on the same files, then runs it whole.
"""

import json
import sys
import time


def measure(course_dir: str, answers_dir: str, out: str) -> dict:
    """Seconds spent importing, loading the course, collecting, reading, scoring, rendering, and the whole run."""
    marks = {}
    start = time.perf_counter()
    from grader.cli import grade  # noqa: F401  (importing is a phase of its own)
    from grader.course import load_course
    from grader.grading import batch  # noqa: F401
    from grader.grading.collect import handins

    marks["import"] = time.perf_counter() - start
    at = time.perf_counter()
    course = load_course(course_dir, keys=True)
    marks["load course"] = time.perf_counter() - at
    at = time.perf_counter()
    with handins([answers_dir]) as (files, _skipped):
        marks["collect"] = time.perf_counter() - at
        _parts(marks, course, files, out, answers_dir)
    marks["total"] = time.perf_counter() - start - sum(v for k, v in marks.items() if k.startswith("  "))
    order = [
        "import",
        "load course",
        "collect",
        "  read and check (YAML, schema, answer-file rules)",
        "  score",
        "  render feedback, gradebook row and results.json line",
        "grade_to: read, score, render, keep and write every output",
        "total",
    ]
    return {name: marks[name] for name in order}


def _parts(marks: dict, course, files: list, out: str, answers_dir: str) -> None:
    from grader.grading import answers, batch, one_file, outputs
    from grader.grading.feedback_model import Options

    activities = one_file.versions(course)
    # Reading, scoring and rendering timed apart on the same files, as a worker does them.
    at = time.perf_counter()
    read = []
    for item in files:
        try:
            read.append(answers.read(item.path, activities, display=item.display))
        except answers.Rejected:
            pass
    marks["  read and check (YAML, schema, answer-file rules)"] = time.perf_counter() - at
    at = time.perf_counter()
    graded = [one_file.grade_submission(sub, course) for sub in read if course.key_for(sub.quiz) is not None]
    marks["  score"] = time.perf_counter() - at
    at = time.perf_counter()
    options = Options(None, "mistakes")
    for one in graded:
        text = outputs.render_result(one, course, options)
        json.dumps(text.row, ensure_ascii=False)
    marks["  render feedback, gradebook row and results.json line"] = time.perf_counter() - at
    del read, graded
    at = time.perf_counter()
    batch.grade_to(out, files, course, inputs=[answers_dir], jobs=1)
    marks["grade_to: read, score, render, keep and write every output"] = time.perf_counter() - at


if __name__ == "__main__":
    json.dump(measure(*sys.argv[1:4]), sys.stdout)
