"""`grader check`: every course mistake an author can make is reported with file, line and fix."""

from __future__ import annotations

import pytest

from tests.conftest import ROOT


def edit(course, name: str, old: str, new: str) -> None:
    path = course / "quizzes" / name
    text = path.read_text()
    assert old in text, f"{old!r} not in {name}"
    path.write_text(text.replace(old, new, 1))


CASES = [
    (
        "unknown-step",
        "mini-quiz.yml",
        "steps: [calm.listen]\n    lesson",
        "steps: [calm.lisen]\n    lesson",
        "quizzes/mini-quiz.yml:8 (questions[0].steps): unknown model step 'calm.lisen'; see quizzes/models.yml for the step ids",
    ),
    (
        "unknown-type",
        "mini-quiz.yml",
        "type: single",
        "type: essay",
        'quizzes/mini-quiz.yml:6 (questions[0].type): must be one of "single", "multiple", "true_false", "ordering", "matching", "short_text", "dialogue", not "essay"',
    ),
    (
        "fields-of-another-type",
        "mini-quiz.yml",
        "    type: true_false\n",
        "    type: true_false\n    options: [{id: a, text: A}, {id: b, text: B}]\n",
        "has fields that do not fit its type",
    ),
    ("duplicate-question", "mini-quiz.yml", "id: q2", "id: q1", "quizzes/mini-quiz.yml:15: question id 'q1' is used twice"),
    (
        "duplicate-option",
        "mini-quiz.yml",
        '{id: c, text: "Let me transfer you."}',
        '{id: a, text: "Let me transfer you."}',
        "quizzes/mini-quiz.yml:14 (questions[0].options): option id 'a' is used twice in question 'q1'",
    ),
    (
        "quiz-id-differs-from-file",
        "mini-quiz.yml",
        "id: mini-quiz",
        "id: maxi-quiz",
        "quizzes/mini-quiz.yml:1 (id): quiz id 'maxi-quiz' differs from the file name",
    ),
    (
        "misspelt-field",
        "mini-quiz.yml",
        "    prompt: Which help?",
        "    promt: Which help?",
        "quizzes/mini-quiz.yml:19 (questions[1].promt): is not a key this format has here; did you mean 'prompt'?",
    ),
    (
        "missing-scenario",
        "mini-quiz.yml",
        "scenario: tiny-exam",
        "scenario: huge",
        "quizzes/mini-quiz.yml:57 (questions[6].scenario): scenario 'huge' does not exist in quizzes/dialogues/",
    ),
    (
        "key-option-not-defined",
        "keys/mini-quiz.yml",
        "correct: b",
        "correct: z",
        "quizzes/keys/mini-quiz.yml:4 (answers.q1.correct): correct must be one of the option ids (a, b, c)",
    ),
    (
        "key-for-unknown-question",
        "keys/mini-quiz.yml",
        "answers:\n",
        "answers:\n  q42: {correct: a, feedback: {a: x}}\n",
        "quizzes/keys/mini-quiz.yml:3 (answers.q42): an answer for question 'q42', which quiz 'mini-quiz' does not have",
    ),
    (
        "key-missing-question",
        "keys/mini-quiz.yml",
        "  q9:\n    correct: [x, y]\n    feedback: {correct: Right order., incorrect: X then Y.}\n",
        "",
        "no answer for question 'q9' of quiz 'mini-quiz'; add it under answers",
    ),
    (
        "key-for-other-quiz",
        "keys/mini-quiz.yml",
        "quiz: mini-quiz",
        "quiz: other-quiz",
        "quizzes/keys/mini-quiz.yml:1 (quiz): this key says it is for quiz 'other-quiz', but it sits beside quiz 'mini-quiz'",
    ),
    (
        "feedback-missing-for-an-option",
        "keys/mini-quiz.yml",
        "      c: A transfer makes them tell it again.\n",
        "",
        "quizzes/keys/mini-quiz.yml:5 (answers.q1.feedback): no feedback for 'c'; every option needs feedback that says why",
    ),
    (
        "feedback-for-unknown-option",
        "keys/mini-quiz.yml",
        "      c: A transfer",
        "      e: A transfer",
        "feedback for 'e', which this question does not have (expected: a, b, c)",
    ),
    (
        "policy-for-wrong-type",
        "keys/mini-quiz.yml",
        "    policy: subsequence",
        "    policy: right_minus_wrong",
        "quizzes/keys/mini-quiz.yml:18 (answers.q4.policy): policy 'right_minus_wrong' does not apply to a ordering question (allowed: all_or_nothing, subsequence)",
    ),
    (
        "weights-for-unknown-option",
        "keys/mini-quiz.yml",
        "weights: {a: 0.6, b: 0.4, c: -0.5}",
        "weights: {a: 0.6, b: 0.4, z: -0.5}",
        "weights name option 'z', which the question does not have",
    ),
    (
        "ordering-key-not-a-permutation",
        "keys/mini-quiz.yml",
        "correct: [listen, fix, check]",
        "correct: [listen, fix]",
        "correct must list every item id once, in the right order (fix, listen, check)",
    ),
    (
        "matching-unknown-choice",
        "keys/mini-quiz.yml",
        "correct: {uh-huh: listen, refund: fix}",
        "correct: {uh-huh: listen, refund: refund}",
        "pair 'refund' is matched to 'refund', which is not a choice (listen, fix)",
    ),
    (
        "bad-regex",
        "keys/mini-quiz.yml",
        "pattern: '^(offer )?(a )?(fix|remedy)$'",
        "pattern: '^(fix'",
        "quizzes/keys/mini-quiz.yml:25 (answers.q6.pattern): pattern is not a valid regular expression",
    ),
    (
        "short-text-without-answers",
        "keys/mini-quiz.yml",
        "    accept: [fix, \"fix it\"]\n    pattern: '^(offer )?(a )?(fix|remedy)$'\n",
        "",
        "a short_text question needs `accept` (a list of answers) or `pattern`",
    ),
    (
        "empty-feedback",
        "keys/mini-quiz.yml",
        "      a: Deflecting makes it worse.",
        "      a:",
        "quizzes/keys/mini-quiz.yml:6 (answers.q1.feedback.a): has no value; write one after the colon, or remove the key",
    ),
    (
        "duplicate-key-in-yaml",
        "keys/mini-quiz.yml",
        "  q2:\n",
        "  q1:\n    feedback: {a: x}\n  q2:\n",
        "quizzes/keys/mini-quiz.yml:9: the key 'q1' appears twice (first on line 3); keep one",
    ),
    ("step-never-assessed", "mini-quiz.yml", "calm.fix", "calm.listen", None),
    ("dialogue-next-missing", "dialogues/tiny.yml", "next: fixed", "next: fixd", "quizzes/dialogues/tiny.yml"),
]


@pytest.mark.parametrize("name, file, old, new, message", CASES, ids=[c[0] for c in CASES])
def test_each_course_mistake(cli, mini_copy, name, file, old, new, message):
    if name == "step-never-assessed":
        path = mini_copy / "quizzes" / file
        path.write_text(path.read_text().replace(old, new))
        message = "quizzes/models.yml (coverage): step 'calm.fix' (Fix) is assessed by no quiz question; tag one with it"
    else:
        edit(mini_copy, file, old, new)
    result = cli("check", mini_copy)
    assert result.code == 1
    assert message in result.err, result.err


def test_every_problem_is_printed_not_just_the_first(cli, mini_copy):
    edit(mini_copy, "mini-quiz.yml", "steps: [calm.listen]\n    lesson", "steps: [calm.lisen]\n    lesson")
    edit(mini_copy, "keys/mini-quiz.yml", "quiz: mini-quiz", "quiz: other-quiz")
    edit(mini_copy, "dialogues/tiny.yml", "score: 2, steps: [calm.listen]", "score: 2, steps: [calm.nope]")
    result = cli("check", mini_copy)
    assert result.code == 1
    assert "unknown model step 'calm.lisen'" in result.err
    assert "this key says it is for quiz 'other-quiz'" in result.err
    assert "calm.nope" in result.err
    assert result.err.strip().splitlines()[-1].startswith("3 problem(s) in the course")


def test_an_unreadable_quiz_is_reported_once(cli, mini_copy):
    edit(mini_copy, "mini-quiz.yml", "type: single", "type: essay")
    result = cli("check", mini_copy)
    assert result.err.strip().splitlines()[-1].startswith("1 problem(s) in the course")


def test_lesson_sections_must_exist(cli, mini_copy):
    (mini_copy / "docs" / "lessons").mkdir(parents=True, exist_ok=True)
    (mini_copy / "docs" / "lessons" / "calm.md").write_text("# Calm\n\n## Listen first {#listen}\n\n## Fixing things\n")
    result = cli("check", mini_copy)
    assert result.code == 1
    assert (
        "quizzes/models.yml:10 (calm.fix.lesson): section '#fix' is not in docs/lessons/calm.md; give the heading {#fix}"
        in result.err
    )
    (mini_copy / "docs" / "lessons" / "calm.md").write_text("# Calm\n\n## Listen first {#listen}\n\n## Fix\n")
    assert cli("check", mini_copy).code == 0


def test_a_clean_course_prints_coverage_and_dialogue_stats(cli):
    result = cli("check", ROOT / "tests" / "cases" / "course")
    assert result.code == 0, result.err
    assert "calm.listen                         0         5        2  lessons/calm.md#listen" in result.out
    assert (
        "  tiny                       practice     2       3     5     -2        2  3 (escalated, lost, resolved_retained)"
        in result.out
    )
    assert (
        "  tiny-exam                  exam         2       3     5     -2        2  3 (escalated, lost, resolved_retained)"
        in result.out
    )
    assert result.out.strip().endswith("Course OK: 1 models, 2 steps, 1 quizzes, 1 keys, 2 dialogues.")


def test_no_course_here(cli, tmp_path):
    result = cli("check", tmp_path)
    assert result.code == 2
    assert "no quizzes/models.yml here or in any parent folder" in result.err


def test_models_file_broken_is_a_clean_error(cli, mini_copy):
    (mini_copy / "quizzes" / "models.yml").write_text("models: [\n")
    result = cli("check", mini_copy)
    assert result.code == 2
    assert result.err.startswith("quizzes/models.yml:2: not valid YAML")


def test_a_public_fork_without_keys_still_checks(cli, mini_copy):
    import shutil

    shutil.rmtree(mini_copy / "quizzes" / "keys")
    result = cli("check", mini_copy)
    assert result.code == 0, result.err
    assert result.out.startswith("No quizzes/keys folder: the answer keys were not checked")
