"""Exam scenarios: the public file carries only what plays, the key in quizzes/keys/dialogues/ carries the scoring, and
`grader check` keeps practice and exam apart (a graded quiz never plays a practice scenario, no page offers an exam one)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from grader.course import load_course
from grader.dialogue.analysis import analyse_paths
from tests.conftest import MINI, ROOT


@pytest.fixture
def course_copy(tmp_path) -> Path:
    """The real course (quizzes, keys, pages and nav) in a scratch folder, to break on purpose."""
    target = tmp_path / "course"
    shutil.copytree(ROOT / "quizzes", target / "quizzes")
    shutil.copytree(ROOT / "docs", target / "docs", ignore=shutil.ignore_patterns("javascripts", "stylesheets"))
    shutil.copy2(ROOT / "mkdocs.yml", target / "mkdocs.yml")
    return target


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {path.name}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def line_of(path: Path, marker: str) -> int:
    return next(n for n, text in enumerate(path.read_text(encoding="utf-8").splitlines(), 1) if marker in text)


# ---------------------------------------------------------------- practice and exam, never both


def test_check_refuses_a_practice_scenario_graded_in_a_quiz_and_names_the_page_that_offers_it(cli, course_copy):
    quiz = course_copy / "quizzes" / "final-assessment.yml"
    edit(quiz, "scenario: still-charged", "scenario: manager-demand")
    result = cli("check", course_copy)
    assert result.code == 1
    page_line = line_of(course_copy / "docs" / "lessons" / "comparing-the-models.md", "manager-demand")
    assert (
        f"quizzes/final-assessment.yml:{line_of(quiz, 'scenario: manager-demand')} (questions[18].scenario): "
        f"scenario 'manager-demand' is offered as practice (docs/lessons/comparing-the-models.md:{page_line}) "
        "and graded here by question 'q19'; a scenario is practice or exam, never both"
    ) in result.err, result.err
    # still-charged is now graded by nothing.
    assert "exam scenario 'still-charged' is played by no quiz question" in result.err


@pytest.mark.parametrize("fence", ["dialogue", "dialogue-map"])
def test_check_refuses_a_page_that_offers_an_exam_scenario_with_the_page_and_line(cli, course_copy, fence):
    page = course_copy / "docs" / "practice" / "index.md"
    page.write_text(page.read_text(encoding="utf-8") + f"\n## One more\n\n```{fence}\nstill-charged\n```\n", encoding="utf-8")
    result = cli("check", course_copy)
    assert result.code == 1
    assert (
        f"docs/practice/index.md:{line_of(page, 'still-charged')}: the ```{fence} fence offers scenario 'still-charged' "
        "(graded in quiz 'final-assessment', question 'q19') on a page; a scenario is practice or exam, never both"
    ) in result.err, result.err


def test_an_indented_or_tilde_fence_is_found_too(cli, course_copy):
    page = course_copy / "docs" / "practice" / "index.md"
    page.write_text(
        page.read_text(encoding="utf-8") + "\n!!! note\n\n    ~~~~dialogue\n    still-charged\n    ~~~~\n", encoding="utf-8"
    )
    result = cli("check", course_copy)
    assert f"docs/practice/index.md:{line_of(page, 'still-charged')}: the ```dialogue fence" in result.err, result.err


def test_a_quiz_that_grades_a_practice_scenario_no_page_offers_is_refused_too(cli, mini_copy):
    # Its scores would still be public, in quizzes/dialogues/, and on the quiz page.
    edit(mini_copy / "quizzes" / "mini-quiz.yml", "scenario: tiny-exam", "scenario: tiny")
    result = cli("check", mini_copy)
    assert result.code == 1
    assert (
        "quizzes/mini-quiz.yml:57 (questions[6].scenario): scenario 'tiny' is practice, so its scores and feedback are public"
        in result.err
    )
    assert "quizzes/dialogues/tiny-exam.yml:5 (exam): exam scenario 'tiny-exam' is played by no quiz question" in result.err


def test_an_exam_scenario_is_not_an_activity_of_its_own(mini):
    assert mini.activity("tiny-exam") is None and mini.key_for("tiny-exam") is None
    assert mini.activity("tiny") is not None


# ---------------------------------------------------------------- the public file and the key


def test_the_public_course_has_no_scoring_for_the_exam_scenario():
    scenario = load_course(ROOT).dialogues["still-charged"]
    assert scenario.exam and not scenario.scored
    replies = [r for n in scenario.nodes.values() for r in n.replies]
    assert len(replies) == 42
    assert all((r.score, r.steps, r.mistakes, r.feedback, r.lesson) == (0, (), (), "", None) for r in replies)
    assert all((e.outcome, e.debrief, e.score) == ("", "", 0) for e in scenario.endings.values())
    assert all(r.effect for r in replies) and all(e.title for e in scenario.endings.values())


def test_with_its_key_the_exam_scenario_is_scored_as_it_was_written_whole():
    scenario = load_course(ROOT, keys=True).dialogues["still-charged"]
    assert scenario.scored and scenario.key_file == "quizzes/keys/dialogues/still-charged.yml"
    replies = [r for n in scenario.nodes.values() for r in n.replies]
    assert all(r.feedback and r.lesson for r in replies)
    a = analyse_paths(scenario)
    # The figures the scenario had before its scoring moved to the key.
    assert (a.paths, a.best, a.worst, a.longest) == (20321, 25, -12, 14)
    assert {e.outcome for e in scenario.endings.values()} == {"resolved_retained", "resolved", "escalated", "lost"}


KEY = "quizzes/keys/dialogues/tiny-exam.yml"


@pytest.mark.parametrize(
    "old, new, message",
    [
        (
            "scenario: tiny-exam",
            "scenario: tiny",
            "this key says it scores scenario 'tiny', but its file name is for 'tiny-exam'",
        ),
        ("  r4: {score: 0", "  r9: {score: 0", "reply 'r9' is not in scenario 'tiny-exam'"),
        (
            "steps: [calm.listen]",
            "steps: [calm.lisen]",
            "reply 'r1' tags step 'calm.lisen', which quizzes/models.yml does not define; did you mean 'calm.listen'?",
        ),
        ("mistakes: [argues]", "mistakes: [argue]", "tags anti-pattern 'argue'"),
        ("  passed: {outcome", "  passd: {outcome", "ending 'passd' is not in scenario 'tiny-exam'"),
        ("feedback: Good start.,", "feedbak: Good start.,", "is not a key this format has here; did you mean 'feedback'?"),
    ],
)
def test_each_key_mistake_is_named_with_the_key_file_and_line(cli, mini_copy, old, new, message):
    key = mini_copy / KEY
    edit(key, old, new)
    result = cli("check", mini_copy)
    assert result.code == 1
    found = [line for line in result.err.splitlines() if message in line]
    assert found, result.err
    assert found[0].startswith(f"{KEY}:{line_of(key, new.split(':')[0].strip() or new)}"), found[0]


def test_a_reply_or_ending_left_out_of_the_key_is_named(cli, mini_copy):
    key = mini_copy / KEY
    edit(key, '  r4: {score: 0, feedback: Passing it on., lesson: "lessons/calm.md#fix"}\n', "")
    edit(key, "  passed: {outcome: escalated, debrief: A manager takes over., score: 0}\n", "")
    result = cli("check", mini_copy)
    assert f"{KEY}:2 (replies): no entry for reply 'r4' (at node 'n2')" in result.err, result.err
    assert f"{KEY}:" in result.err and "no entry for ending 'passed'" in result.err


def test_scoring_written_in_an_exam_scenarios_own_file_is_refused_with_its_line(cli, mini_copy):
    scenario = mini_copy / "quizzes" / "dialogues" / "tiny-exam.yml"
    edit(scenario, "next: n2, effect: {calm: 2, trust: 1}", "next: n2, score: 2, effect: {calm: 2, trust: 1}")
    edit(scenario, "fixed: {title: Fixed}", "fixed: {title: Fixed, debrief: The customer stays.}")
    result = cli("check", mini_copy)
    assert result.code == 1
    assert (
        f"quizzes/dialogues/tiny-exam.yml:{line_of(scenario, 'score: 2')} (nodes.n1.replies[0].score): is not written in an exam scenario"
    ) in result.err
    assert f"quizzes/dialogues/tiny-exam.yml:{line_of(scenario, 'debrief')} (endings.fixed.debrief)" in result.err


def test_an_exam_scenario_without_its_key_is_named_with_the_file_to_write(cli, mini_copy):
    (mini_copy / KEY).unlink()
    result = cli("check", mini_copy)
    assert result.code == 1
    assert f"{KEY}: no key for exam scenario 'tiny-exam'; write {KEY}" in result.err


def test_a_key_for_a_practice_or_missing_scenario_is_refused(cli, mini_copy):
    shutil.copy2(mini_copy / KEY, mini_copy / "quizzes" / "keys" / "dialogues" / "tiny.yml")
    shutil.copy2(mini_copy / KEY, mini_copy / "quizzes" / "keys" / "dialogues" / "gone.yml")
    result = cli("check", mini_copy)
    assert "quizzes/keys/dialogues/tiny.yml: a key for scenario 'tiny', which is practice" in result.err
    assert "quizzes/keys/dialogues/gone.yml: a key for scenario 'gone', but there is no quizzes/dialogues/gone.yml" in result.err


def test_scores_that_leave_nothing_to_earn_are_reported_in_the_key(cli, mini_copy):
    key = mini_copy / KEY
    edit(key, "r1: {score: 2", "r1: {score: 0")
    edit(key, "r3: {score: 2", "r3: {score: -1")
    result = cli("check", mini_copy)
    assert f"{KEY}:{line_of(key, 'endings:')} (endings): the best raw score is 0 (path: r1, r3)" in result.err, result.err


def test_check_without_the_keys_says_the_exam_scenario_is_unscored(cli, mini_copy):
    shutil.rmtree(mini_copy / "quizzes" / "keys")
    result = cli("check", mini_copy)
    assert result.code == 0, result.err
    assert (
        "tiny-exam                  exam         2       3     ?      ?        2  3 (scored in its key, which was not loaded)"
        in result.out
    )


def test_an_exam_scenario_handed_in_on_its_own_is_rejected_and_the_rest_graded(cli, tmp_path):
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    (inbox / "alone.yml").write_text("format: 1\nquiz: tiny-exam\nlearner: {id: s1}\nanswers: {path: [r1, r3]}\n")
    (inbox / "practice.yml").write_text("format: 1\nquiz: tiny\nlearner: {id: s1}\nanswers: {path: [r1, r3]}\n")
    result = cli("--course", MINI, "grade", inbox, "--out", tmp_path / "out")
    assert result.code == 1
    rejected = (tmp_path / "out" / "rejected.csv").read_text()
    assert "alone.yml" in rejected and "quiz 'tiny-exam' is not in this course" in rejected
    assert "s1,,tiny,10,10," in (tmp_path / "out" / "gradebook.csv").read_text()
