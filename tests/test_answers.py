"""Answer files: each rejection names the file, the place and the fix; warnings never lose a file."""

from __future__ import annotations

import pytest

from grader import answers
from grader.grading import versions
from grader.safe_yaml import load_bytes

GOOD = """\
format: 1
quiz: mini-quiz
version: "{version}"
learner:
  id: s1234567
  name: Ada Lovelace
submitted: 2026-11-23T21:00:00Z
answers:
  q1: b
"""


@pytest.fixture
def activities(mini):
    return versions(mini)


def parse(text: str, activities) -> answers.Submission:
    return answers.parse(load_bytes(text.encode(), "in/s1.yml", answer=True), activities)


def rejected(text: str, activities) -> str:
    with pytest.raises(answers.Rejected) as caught:
        parse(text, activities)
    return str(caught.value)


def test_a_good_file(activities):
    sub = parse(GOOD.format(version=activities["mini-quiz"]), activities)
    assert (sub.quiz, sub.learner_id, sub.learner_name, sub.answers, sub.warnings) == ("mini-quiz", "s1234567", "Ada Lovelace", {"q1": "b"}, ())
    assert sub.submitted.isoformat() == "2026-11-23T21:00:00+00:00"


@pytest.mark.parametrize(
    "old, new, message",
    [
        ("format: 1\n", "", "in/s1.yml:1: missing `format: 1` at the top"),
        ("format: 1", "format: 2", "in/s1.yml:1 (format): format 2 is not one this grader reads (it reads format 1)"),
        ("format: 1", "format: true", "format True is not one this grader reads"),
        ("quiz: mini-quiz", "quiz: nope", "in/s1.yml:2 (quiz): quiz 'nope' is not in this course (it has: mini-quiz, tiny)"),
        ("quiz: mini-quiz", "quiz: ../../etc", "in/s1.yml:2 (quiz): `quiz` must be a quiz or dialogue id"),
        ("  id: s1234567\n", "", "in/s1.yml:4 (learner.id): learner id is missing; use 1 to 64 letters, digits and . _ @ - only"),
        ("id: s1234567", "id: ../../etc/passwd", "in/s1.yml:5 (learner.id): learner id '../../etc/passwd' is not allowed; use 1 to 64"),
        ("id: s1234567", "id: ..", "learner id '..' is not allowed"),
        ("id: s1234567", "id: .hidden", "learner id '.hidden' is not allowed"),
        ("id: s1234567", "id: a b", "learner id 'a b' is not allowed"),
        ("id: s1234567", "id: " + "x" * 65, "is not allowed"),
        ("id: s1234567", "id: 12345", "learner id is missing"),
        ("learner:\n  id: s1234567\n  name: Ada Lovelace\n", "", "in/s1.yml:1 (learner): missing `learner:` with your `id:`"),
        ("answers:\n  q1: b", "answers: [b]", "in/s1.yml:8 (answers): `answers` must be a mapping of question id to answer"),
    ],
)
def test_rejections_name_file_place_and_fix(activities, old, new, message):
    text = GOOD.format(version=activities["mini-quiz"])
    assert old in text
    assert message in rejected(text.replace(old, new, 1), activities)


def test_not_a_mapping(activities):
    assert rejected("- a\n- b\n", activities) == (
        "in/s1.yml:1: an answer file is a mapping with format, quiz, learner and answers; see `grader template QUIZ`"
    )


def test_learner_id_rule_shared_with_the_site():
    assert answers.check_learner_id("s1234567") is None
    assert answers.check_learner_id("ada.lovelace@uni-x.edu") is None
    assert answers.check_learner_id("x" * 64) is None
    assert answers.check_learner_id("x" * 65) is not None
    assert answers.LEARNER_ID_RULE in answers.check_learner_id("a/b")
    assert answers.check_learner_id("s1\n") is not None


@pytest.mark.parametrize(
    "old, new, warning",
    [
        ('version: "{v}"', 'version: "0000beef"', "answered version 0000beef, the quiz is now {v}"),
        ('version: "{v}"\n', "", "no version given; graded against the current quiz"),
        ("submitted: 2026-11-23T21:00:00Z", "submitted: last tuesday", "submitted time 'last tuesday' is not ISO 8601; ignored"),
        ("answers:", "score: 100\nanswers:", "ignored field(s) score: the grader computes every score itself"),
    ],
)
def test_warnings_keep_the_file(activities, old, new, warning):
    v = activities["mini-quiz"]
    text = GOOD.format(version=v)
    old, new, warning = old.replace("{v}", v), new.replace("{v}", v), warning.replace("{v}", v)
    sub = parse(text.replace(old, new, 1), activities)
    assert sub.warnings == (warning,)


def test_unquoted_digit_version_keeps_leading_zeros(activities):
    # A hand-edited file may lose the quotes around an all-digit version.
    sub = parse(GOOD.format(version="01234567").replace('"01234567"', "01234567"), {**activities, "mini-quiz": "01234567"})
    assert sub.version == "01234567" and sub.warnings == ()


def test_missing_answers_means_nothing_answered(activities):
    text = GOOD.format(version=activities["mini-quiz"]).replace("answers:\n  q1: b\n", "")
    assert parse(text, activities).answers == {}
