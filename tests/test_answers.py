"""Answer files: each rejection names the file, the place and the fix; warnings never lose a file."""

from __future__ import annotations

import os
from datetime import UTC, datetime

import pytest

from grader.common.ids import LEARNER_ID_RULE, check_learner_id
from grader.formats.loader import load_bytes
from grader.grading import answers
from grader.grading.one_file import versions

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
    assert (sub.quiz, sub.learner_id, sub.learner_name, sub.answers, sub.warnings) == (
        "mini-quiz",
        "s1234567",
        "Ada Lovelace",
        {"q1": "b"},
        (),
    )
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
        (
            "id: s1234567",
            "id: ../../etc/passwd",
            "in/s1.yml:5 (learner.id): learner id '../../etc/passwd' is not allowed; use 1 to 64",
        ),
        ("id: s1234567", "id: ..", "learner id '..' is not allowed"),
        ("id: s1234567", "id: .hidden", "learner id '.hidden' is not allowed"),
        ("id: s1234567", "id: a b", "learner id 'a b' is not allowed"),
        ("id: s1234567", "id: " + "x" * 65, "is not allowed"),
        ("id: s1234567", "id: -12345", "learner id '-12345' is not allowed"),
        ("id: s1234567", "id: true", "learner id is missing"),
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
    assert check_learner_id("s1234567") is None
    assert check_learner_id("ada.lovelace@uni-x.edu") is None
    assert check_learner_id("x" * 64) is None
    assert check_learner_id("x" * 65) is not None
    assert LEARNER_ID_RULE in check_learner_id("a/b")
    assert check_learner_id("s1\n") is not None


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


@pytest.mark.parametrize(
    "written, learner_id",
    [("20261234", "20261234"), ("0012345", "0012345"), ("0x1F", "0x1F"), ("12.50", "12.50"), ("'0012345'", "0012345")],
)
def test_a_learner_id_written_as_a_number_is_the_text_typed(activities, written, learner_id):
    text = GOOD.format(version=activities["mini-quiz"]).replace("id: s1234567", f"id: {written}")
    assert parse(text, activities).learner_id == learner_id


def test_numbers_in_json_are_the_text_typed_too(activities):
    text = '{"format": 1, "quiz": "mini-quiz", "version": 1234567, "learner": {"id": 20261234, "name": 7}, "answers": {}}'
    sub = answers.parse(
        load_bytes(text.encode(), "in/s1.json", answer=True, as_json=True), {**activities, "mini-quiz": "1234567"}
    )
    assert (sub.learner_id, sub.learner_name, sub.version, sub.warnings) == ("20261234", "7", "1234567", ())


@pytest.mark.parametrize("written", ["01234567", "12345e78", "1234.567"])
def test_an_unquoted_version_is_the_text_typed(activities, written):
    sub = parse(GOOD.format(version=written).replace(f'"{written}"', written), {**activities, "mini-quiz": written})
    assert sub.version == written and sub.warnings == ()


def test_a_name_written_as_a_number_is_the_text_typed(activities):
    text = GOOD.format(version=activities["mini-quiz"]).replace("name: Ada Lovelace", "name: 007")
    assert parse(text, activities).learner_name == "007"


RUN = datetime(2026, 12, 1, 12, 0, tzinfo=UTC)


@pytest.mark.parametrize(
    "claimed, why",
    [
        ("9999-12-31T23:00:00-05:00", "is out of range"),
        ("0001-01-01T00:00:00+05:00", "is out of range"),
        ("1970-01-01T00:00:00Z", "is before the course began (2026-01-01)"),
        ("2025-12-31T23:59:59Z", "is before the course began (2026-01-01)"),
        ("2026-12-02T12:00:01Z", "is more than a day after this run"),
        ('"9999-12-31T00:00:00Z"', "is more than a day after this run"),
    ],
)
def test_implausible_times_are_flagged_and_not_believed(activities, claimed, why):
    text = GOOD.format(version=activities["mini-quiz"]).replace("2026-11-23T21:00:00Z", claimed)
    sub = answers.parse(load_bytes(text.encode(), "in/s1.yml", answer=True), activities, now=RUN)
    assert sub.submitted is None
    shown = claimed.strip('"')
    assert sub.warnings == (f"submitted time '{shown}' {why}; ordered by the file's time instead",)


@pytest.mark.parametrize("claimed", ["2026-01-01T00:00:00Z", "2026-12-02T11:59:59Z", "2026-11-30T23:00:00-05:00"])
def test_plausible_times_are_kept(activities, claimed):
    text = GOOD.format(version=activities["mini-quiz"]).replace("2026-11-23T21:00:00Z", claimed)
    sub = answers.parse(load_bytes(text.encode(), "in/s1.yml", answer=True), activities, now=RUN)
    assert sub.submitted is not None and sub.warnings == ()


def test_a_file_name_that_is_not_utf8_is_rejected_readably(tmp_path, activities):
    folder = os.fsencode(tmp_path)
    with open(folder + b"/caf\xe9.yml", "wb") as handle:
        handle.write(GOOD.format(version=activities["mini-quiz"]).encode())
    (name,) = os.listdir(tmp_path)
    with pytest.raises(answers.Rejected) as caught:
        answers.read(os.path.join(tmp_path, name), activities)
    message = str(caught.value)
    assert message.startswith(f"{tmp_path}/caf\\xe9.yml: ") and "not UTF-8" in message and "rename" in message
    message.encode("utf-8")  # printable and writable as it is


def test_a_learner_id_with_control_characters_is_shown_escaped(activities):
    text = GOOD.format(version=activities["mini-quiz"]).replace("id: s1234567", 'id: "\\e[2Js1"')
    message = rejected(text, activities)
    assert "learner id '\\x1b[2Js1' is not allowed" in message and "\x1b" not in message
