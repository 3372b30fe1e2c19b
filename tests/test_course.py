"""The real course: it checks clean, covers every step, and the example class grades as documented."""

from __future__ import annotations

import csv
import re
import subprocess
import sys

from grader.course import coverage, load_course
from tests.conftest import ROOT


def test_the_course_checks_clean(cli):
    result = cli("check", ROOT)
    assert result.code == 0, result.err
    assert "Course OK: 5 models, 24 steps, 6 quizzes, 6 keys, 7 dialogues, 40 practice sets (86 questions)." in result.out


def test_every_step_is_assessed_by_a_question_and_practised_in_a_dialogue():
    course = load_course(ROOT, keys=True)
    rows = coverage(course)
    assert len(rows) == 24
    assert all(row.questions for row in rows), [r.step for r in rows if not r.questions]
    assert all(row.replies for row in rows), [r.step for r in rows if not r.replies]


def test_quizzes_meet_the_course_brief():
    course = load_course(ROOT, keys=True)
    per_model = {m.lesson.split("/")[-1][:-3] for m in course.models}
    assert per_model <= set(course.quizzes)
    for quiz_id in per_model:
        assert len(course.quizzes[quiz_id].questions) >= 8, quiz_id
    assert len(course.quizzes["final-assessment"].questions) >= 15
    used = {q.type for quiz in course.quizzes.values() for q in quiz.questions}
    assert used == {"single", "multiple", "true_false", "ordering", "matching", "short_text", "dialogue"}


def test_scenarios_meet_the_course_brief():
    from grader.dialogue.analysis import analyse_paths as analyse

    course = load_course(ROOT, keys=True)  # an exam scenario's steps and endings are in its key
    assert len(course.dialogues) >= 6
    for scenario in course.dialogues.values():
        stats = analyse(scenario)
        assert stats.longest >= 8, scenario.id
        assert len({e.outcome for e in scenario.endings.values()}) >= 3, scenario.id
        models = {s.split(".")[0] for n in scenario.nodes.values() for r in n.replies for s in r.steps}
        assert len(models) > 1, scenario.id


def test_a_scenario_is_practice_or_graded_never_both():
    course = load_course(ROOT)
    graded = {q.scenario for quiz in course.quizzes.values() for q in quiz.questions if q.type == "dialogue"}
    fence = re.compile(r"^[ \t]*```(?:dialogue|dialogue-map)[ \t]*\n[ \t]*([a-z0-9-]+)[ \t]*\n", re.M)
    shown: dict[str, list[str]] = {}
    for page in sorted((ROOT / "docs").rglob("*.md")):
        for scenario in fence.findall(page.read_text(encoding="utf-8")):
            shown.setdefault(scenario, []).append(str(page.relative_to(ROOT)))
    assert not {s: shown[s] for s in graded & shown.keys()}, "a graded scenario is played or mapped on a page"
    # The practice list and the maps page are about practice only: they do not even name a graded scenario.
    for page in ("docs/practice/index.md", "docs/instructor/scenario-maps.md"):
        text = (ROOT / page).read_text(encoding="utf-8")
        named = [s for s in sorted(graded) if s in text or course.dialogues[s].title in text]
        assert not named, f"{page} names graded scenarios {named}"


def test_example_class(tmp_path):
    done = subprocess.run(
        [sys.executable, "-m", "grader", "grade", "examples/submissions", "--out", str(tmp_path)],
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    assert done.returncode == 1, done.stderr  # only because of the deliberately broken files
    rejected = sorted(row["file"].split("/")[-1] for row in csv.DictReader(open(tmp_path / "rejected.csv", encoding="utf-8")))
    assert rejected == [
        "broken-bad-yaml.yml",
        "broken-duplicate-key.yml",
        "broken-learner-id-path.yml",
        "broken-missing-learner-id.yml",
        "broken-unknown-quiz.yml",
    ]
    rows = list(csv.DictReader(open(tmp_path / "gradebook.csv", encoding="utf-8")))
    assert len(rows) >= 30 and {r["quiz"] for r in rows} == {"five-step-process", "person-then-problem"}
    # Only the one deliberately stale file is out of date: the others match the quizzes as they are now.
    warned = [r["file"].split("/")[-1] for r in rows if "warning" in r["status"]]
    assert warned == ["s2026012.yml"]
    for name in ("gradebook.csv", "results.json", "rejected.csv"):
        assert (tmp_path / name).is_file()
    assert len(list((tmp_path / "feedback").rglob("*.md"))) == len(rows)
