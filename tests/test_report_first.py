"""`grader report` answers an instructor's first questions: who is failing, missing, rejected, set aside, warned or late, every score;
plain readings beside each statistic; every short-text answer with the override that accepts it; distractors by thirds; matching as one grid."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml

from grader.analytics.readings import alpha_reading, coefficient, discrimination_reading, facility_reading
from grader.cohort.overrides import load_overrides
from grader.course import load_course
from tests import hostile
from tests.outputs import ROOT, run_grader
from tests.test_cohort_example import CLASS_ARGS

EXAMPLES = ROOT / "examples"
NEVER = "s2026023"
CLASS = [*CLASS_ARGS, "--ignore-file-times"]
HOSTILE = '<script>alert(1)</script> **bold** [x](http://e.example) =cmd|"/c calc"!A1'


def _section(page: str, ident: str) -> str:
    start = page.index(f'<h3 id="first-{ident}">')
    end = page.find("<h3", start + 4)
    return page[start : end if end != -1 else page.index("</section>", start)]


@pytest.fixture(scope="module")
def example(tmp_path_factory):
    out = tmp_path_factory.mktemp("first") / "grades"
    done = run_grader("grade", EXAMPLES / "submissions", *CLASS, "--keep", "first", "--out", out, cwd=ROOT)
    assert done.code == 1, done.err  # five files are rejected
    report = run_grader("report", out, cwd=ROOT)
    assert report.code == 0, report.err
    return (out / "report.html").read_text(encoding="utf-8")


def test_the_top_lists_the_rejected_missing_failing_set_aside_warned_and_late(example):
    assert example.index('id="first"') < example.index('id="overview"')
    rejected = _section(example, "rejected")
    for name in ("broken-bad-yaml.yml", "broken-duplicate-key.yml", "broken-learner-id-path.yml", "broken-unknown-quiz.yml"):
        assert name in rejected
    assert "quiz &#x27;calming-customers-101&#x27; is not in this course" in rejected or "calming-customers-101" in rejected
    assert NEVER in _section(example, "missing") and "Björn Lindqvist" in _section(example, "missing")
    failing = _section(example, "failing")
    assert "Below the pass mark of 60%" in failing and "s2026011" in failing  # 2 of 20 on the five-step quiz
    assert "s2026001" not in failing  # full marks
    assert "s2026007-second-attempt.yml" in _section(example, "set-aside")
    assert "answered version cd079484, the quiz is now 63acdcc6" in _section(example, "warnings")
    late = _section(example, "late")
    assert "Late hand-ins" in late and "s2026014" in late
    grid = _section(example, "scores")
    row = re.search(rf"<tr><th scope=\"row\">{NEVER} \(Björn Lindqvist\)</th>(.*?)</tr>", grid)
    assert row and row.group(1).count(">missing<") == 2, "a learner with nothing handed in is missing, not 0"
    assert "20 / 20 (100%)" in grid or "18 / 18 (100%)" in grid or "(100%)" in grid


def test_empty_lists_say_so(tmp_path):
    out = tmp_path / "grades"
    done = run_grader("grade", EXAMPLES / "submissions" / "person-then-problem", "--out", out, cwd=ROOT)
    assert done.code == 0, done.err
    assert run_grader("report", out, "--pass", "0", cwd=ROOT).code == 0
    page = (out / "report.html").read_text(encoding="utf-8")
    for words in (
        "No rejected files.",
        "No set-aside files.",
        "No version warnings.",
        "No late hand-ins.",
        "No learner is below the pass mark of 0%.",
    ):
        assert words in page, words
    assert "No roster was given" in page


@pytest.mark.parametrize("given", ["101", "-1", "sixty", "nan"])
def test_a_bad_pass_mark_is_one_line(tmp_path, given):
    done = run_grader("report", tmp_path, "--pass", given, cwd=ROOT)
    assert done.code == 2 and done.err.count("\n") == 1 and "percentage from 0 to 100" in done.err, done.err


def test_readings_use_the_published_ranges():
    assert coefficient(0.7491) == "0.75"
    words = alpha_reading(0.75, 10)
    assert words.startswith("0.75 on 10 questions: satisfactory") and "too low to pass or fail one learner" in words
    assert "decision about one learner" in alpha_reading(0.93, 10) and "low" in alpha_reading(0.5, 10)
    assert facility_reading(0.5) == "about right for the average learner" and facility_reading(0.97).startswith("extremely easy")
    assert discrimination_reading(-0.1).startswith("invalid") and discrimination_reading(0.55).startswith("very good")


def test_no_statistic_without_its_reading(example):
    assert "Kurtosis" not in example and "Error ratio" not in example and "error ratio" not in example
    consistency = re.findall(r"<th scope=\"row\">Consistency \([^)]*\)</th><td>([^<]*)</td><td>([^<]*)</td>", example)
    assert consistency and all(re.fullmatch(r"-?\d\.\d\d", figure) and reading for figure, reading in consistency)
    assert not re.search(r"Consistency[^<]*</th><td>[^<]*%", example), "alpha is a coefficient, never a percentage"


def _answers(learner: str, **changes) -> dict:
    data = yaml.safe_load((EXAMPLES / "submissions" / "five-step-process" / "s2026001.yml").read_text(encoding="utf-8"))
    data["learner"] = {"id": learner, "name": learner}
    data["answers"].update(changes)
    return data


def _write_class(folder: Path, files: dict[str, dict]) -> Path:
    folder.mkdir(parents=True)
    for name, data in files.items():
        (folder / f"{name}.yml").write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    return folder


def test_short_text_answers_every_one_wrong_first_with_a_valid_override_line(tmp_path):
    weak = {f"q{i}": None for i in range(1, 10)}
    files = {
        "h1": _answers("h1", q10=HOSTILE),
        "h2": _answers("h2", q10=HOSTILE.upper()),  # the same answer once normalised
        **{f"w{i}": _answers(f"w{i}", **{k: v for k, v in weak.items() if False}, q10=f"rare answer {i}") for i in range(6)},
        "ok": _answers("ok"),
    }
    for data in files.values():
        data["answers"] = {k: v for k, v in data["answers"].items() if v is not None}
    folder = _write_class(tmp_path / "in", files)
    out = tmp_path / "grades"
    assert run_grader("grade", folder, "--out", out, cwd=ROOT).code == 0
    assert run_grader("report", out, cwd=ROOT).code == 0
    page = (out / "report.html").read_text(encoding="utf-8")
    assert "(other answers)" not in page
    start = page.index("<caption>q10 (short text)")
    table = page[start : page.index("</table>", start)]
    cells = hostile.cell_texts("<table>" + table + "</table>")
    shown = [c for c in cells if c.startswith(("rare answer", "<script>", "check-back"))]
    assert shown[0] == HOSTILE.casefold() and shown[-1] == "check-back", "wrong answers first, right ones last"
    assert sum(c.startswith("rare answer") for c in shown) == 6, "nothing hidden"
    assert "<script>" not in table and "<strong>" not in table and "<a " not in table
    assert [tag for tag, _ in hostile.elements(page) if tag in ("script", "a") and _.get("href", "#").startswith("http")] == []
    lines = [c for c in cells if c.startswith("- {activity:")]
    assert len(lines) == 7
    course = load_course(ROOT, keys=True)
    accepted = set()
    for number, line in enumerate(lines):  # each line alone is a valid overrides file (one correction per question)
        overrides = tmp_path / f"overrides-{number}.yml"
        overrides.write_text(f"format: 1\nquestions:\n  {line}\n", encoding="utf-8")
        accepted |= {a for fix in load_overrides(overrides, course).questions for a in fix.accept}
    assert HOSTILE.casefold() in accepted and "rare answer 3" in accepted


def test_a_wrong_option_strong_learners_prefer_is_flagged(tmp_path):
    # q3's right option is c. The strong third picks b (wrong); the weak third, who miss everything else, pick c.
    strong = {f"s{i}": _answers(f"s{i}", q3="b") for i in range(3)}
    weak = {f"w{i}": {**_answers(f"w{i}"), "answers": {"q3": "c", "q10": "no idea"}} for i in range(3)}
    middle = {
        f"m{i}": {**_answers(f"m{i}"), "answers": {**_answers("x")["answers"], "q1": [], "q2": [], "q7": {}}} for i in range(3)
    }
    for data in middle.values():
        data["answers"] = {k: v for k, v in data["answers"].items() if v not in ([], {})}
    folder = _write_class(tmp_path / "in", {**strong, **weak, **middle})
    out = tmp_path / "grades"
    assert run_grader("grade", folder, "--out", out, cwd=ROOT).code == 0
    assert run_grader("report", out, cwd=ROOT).code == 0
    page = (out / "report.html").read_text(encoding="utf-8")
    start = page.index("<caption>q3 (single)")
    table = page[start : page.index("</table>", start)]
    assert "Top third (3)" in table and "Bottom third (3)" in table
    row_b = re.search(r"<tr><th scope=\"row\">b:.*?</tr>", table).group(0)
    assert "100%" in row_b and "strong learners prefer it" in row_b
    row_c = re.search(r"<tr><th scope=\"row\">c:.*?</tr>", table).group(0)
    assert "strong learners prefer it" not in row_c
    assert "q3, option(s) b: stronger learners chose this wrong option more often than weaker ones" in page


def test_matching_is_one_grid_with_the_right_cell_in_words(example):
    start = example.index("<caption>q7 (matching)")
    table = example[start : example.index("</table>", start)]
    assert table.count("<tr>") == 1 + 5, "one row per pair, not one per pair and choice"
    assert table.count("(right)</strong>") == 5


def test_prompts_and_options_are_rendered_from_markdown(example):
    captions = re.findall(r"<caption>(.*?)</caption>", example)
    assert captions and not any(re.search(r"\*\*|(?<![\w])_[^_]+_(?![\w])|`", c) for c in captions), [
        c for c in captions if "**" in c or "`" in c
    ]


def test_heat_map_labels_are_shortened_with_the_full_id_kept(tmp_path):
    long_id = "s2026001-with-a-very-long-learner-id"
    folder = _write_class(tmp_path / "in", {"long": _answers(long_id), "short": _answers("s2")})
    out = tmp_path / "grades"
    assert run_grader("grade", folder, "--out", out, cwd=ROOT).code == 0
    assert run_grader("report", out, cwd=ROOT).code == 0
    page = (out / "report.html").read_text(encoding="utf-8")
    heat = page[page.index('aria-labelledby="heat_t') :]
    heat = heat[: heat.index("</svg>")]
    assert f"<title>{long_id}</title>s2026001-with…</text>" in heat
    assert f'<th scope="row">{long_id} ({long_id})</th>' in page  # the full id in the table beside it
