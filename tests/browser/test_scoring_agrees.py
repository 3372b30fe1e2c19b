"""One set of scoring rules: the page's docs/javascripts/scoring.js, imported from the built site in Chromium, scores every
practice question and every graded question (but dialogues) exactly as grader/grading/scoring.py does, for every option,
every subset and order where there are few, random and malformed answers, with and without negative marking; the totals
agree, and short answers are normalised alike, Python's casefold included, for every character Unicode assigns."""

from __future__ import annotations

import json
import random
from dataclasses import asdict

import pytest

from grader.course import Key, Quiz, load_course
from grader.grading.scoring import normalise_text, score_item, score_quiz
from grader.site.scoring_data import key_data, question_data
from tests.browser import widgets
from tests.browser.conftest import ROOT
from tests.scoring_cases import answer_sets, answers_for, shown, unicode_samples

pytestmark = pytest.mark.browser

COURSE = load_course(ROOT, keys=True)
PENALTIES = (0.0, 0.25)
FIELDS = ("score", "max", "answered", "correct", "feedback", "note")

SCORE = """async ([url, questions, keys, cases]) => {
  const { scoreItem } = await import(url + "javascripts/scoring.js");
  return cases.map(([at, answer, penalty]) => scoreItem(questions[at], keys[at], answer, penalty));
}"""
TOTAL = """async ([url, questions, keys, sets, penalty]) => {
  const { scoreItem, total } = await import(url + "javascripts/scoring.js");
  return sets.map((answers) => total(questions.map((question, at) => {
    const answer = question.id in answers ? answers[question.id] : null;
    return scoreItem(question, keys[at], answer, penalty);
  })));
}"""
ROUND = """async ([url, values, digits]) => {
  const { pythonRound } = await import(url + "javascripts/python-values.js");
  return values.map((value) => pythonRound(value, digits));
}"""
NORMALISE = """async ([url, texts]) => {
  const { normaliseText } = await import(url + "javascripts/normalise.js");
  return texts.map(normaliseText);
}"""


def _groups():
    """(name, questions, keys) for every practice set and every graded quiz, dialogue questions left out."""
    for practice in COURSE.practice.values():
        yield practice.id, list(practice.questions), practice.keys
    for quiz in COURSE.quizzes.values():
        yield quiz.id, [q for q in quiz.questions if q.type != "dialogue"], COURSE.keys[quiz.id].items


GROUPS = list(_groups())


def _as_json(value):
    """The answer as the page holds it: JSON, where a tuple is a list."""
    return json.loads(json.dumps(value))


@pytest.fixture
def scoring_page(page, served):
    widgets.visit(page, served.url)
    return page


def test_every_question_scores_alike_in_the_page_and_the_grader(scoring_page, served):
    rng = random.Random(14)
    questions, keys, cases, expected = [], [], [], []
    for _, group, group_keys in GROUPS:
        for q in group:
            at = len(questions)
            questions.append(question_data(q))
            keys.append(key_data(group_keys[q.id], text=str))
            for answer in answers_for(q, group_keys[q.id], rng):
                answer = _as_json(answer)
                for penalty in PENALTIES:
                    cases.append([at, answer, penalty])
                    expected.append((q, score_item(q, group_keys[q.id], answer, penalty=penalty)))
    assert len(cases) > 20_000
    found = scoring_page.evaluate(SCORE, [served.url, questions, keys, cases])
    kinds = set()
    for (q, python), page_result, (_, answer, penalty) in zip(expected, found, cases, strict=True):
        wanted = {name: getattr(python, name) for name in FIELDS}
        wanted["feedback"] = list(wanted["feedback"])
        got = {name: page_result[name] for name in FIELDS}
        assert got == wanted, f"{q.id} ({q.type}) answer {shown(answer)} penalty {penalty}"
        kinds.add((q.type, python.correct, python.answered))
    # Every type was scored right, wrong and unanswered, and every policy was met.
    for kind in ("single", "multiple", "true_false", "ordering", "matching", "short_text"):
        assert {(kind, True, True), (kind, False, True), (kind, False, False)} <= kinds, kind
    policies = {(q.type, group_keys[q.id].policy) for _, group, group_keys in GROUPS for q in group}
    assert policies >= {
        ("multiple", "all_or_nothing"),
        ("multiple", "right_minus_wrong"),
        ("multiple", "weights"),
        ("ordering", "all_or_nothing"),
        ("ordering", "subsequence"),
        ("matching", "per_pair"),
        ("matching", "all_or_nothing"),
    }


@pytest.mark.parametrize("penalty", PENALTIES)
def test_totals_agree_for_whole_answer_sets(scoring_page, served, penalty):
    rng = random.Random(1400)
    for name, group, group_keys in GROUPS:
        sets = [_as_json(answers) for answers in answer_sets(group, group_keys, rng)]
        quiz = Quiz(name, name, "", "", tuple(group), "", "")
        key = Key(name, group_keys, negative_marking=penalty)
        wanted = [score_quiz(quiz, key, answers, {}).score for answers in sets]
        found = scoring_page.evaluate(
            TOTAL,
            [served.url, [question_data(q) for q in group], [key_data(group_keys[q.id], text=str) for q in group], sets, penalty],
        )
        assert found == wanted, name


def test_short_answers_are_normalised_alike_for_every_character(scoring_page, served):
    texts = unicode_samples(random.Random(7))
    assert len(texts) > 140_000
    found = scoring_page.evaluate(NORMALISE, [served.url, texts])
    differ = [(text, page, normalise_text(text)) for text, page in zip(texts, found, strict=True) if page != normalise_text(text)]
    assert not differ, f"{len(differ)} differ, first: " + ", ".join(f"{t!r} page {p!r} grader {g!r}" for t, p, g in differ[:10])


@pytest.mark.parametrize("digits", [4, 9])
def test_rounding_is_pythons_round_ties_to_even(scoring_page, served, digits):
    rng = random.Random(digits)
    # Ties are exactly the odd multiples of 2 ** -(digits + 1); the others sit just beside a half.
    ties = [k / 2 ** (digits + 1) for k in range(-401, 401, 2)]
    near = [k / 10**digits + 5 / 10 ** (digits + 1) for k in range(-300, 300)]
    values = ties + near + [rng.uniform(-10, 10) for _ in range(5000)] + [2.675, 0.5, 1e-05, 0.35 + 0.3 + 0.35]
    assert scoring_page.evaluate(ROUND, [served.url, values, digits]) == [round(v, digits) for v in values]


@pytest.mark.parametrize(
    ("text", "folded"),
    [
        ("STRASSE", "strasse"),
        ("Stra\u00dfe", "strasse"),
        ("STRA\u1e9eE", "strasse"),
        ("\u039f\u0394\u039f\u03a3", "\u03bf\u03b4\u03bf\u03c3"),  # a final capital sigma folds to σ, never to ς
        ("\u0131", "\u0131"),
        ("\u13a0\uab70", "\u13a0\u13a0"),  # Cherokee folds to capitals
        ("  Check\u2013back\u2019s  ", "check-back's"),
    ],
)
def test_the_cases_where_javascript_lower_case_differs_from_casefold(scoring_page, served, text, folded):
    assert normalise_text(text) == folded
    assert scoring_page.evaluate(NORMALISE, [served.url, [text]]) == [folded]


def test_the_page_is_given_the_keys_as_the_grader_holds_them():
    # The comparison above hands scoring.js what the practice fence publishes; this is the same data.
    practice = COURSE.practice["five-step-process#goal"]
    published = key_data(practice.keys["goal-1"], text=str)
    assert published == _as_json(asdict(practice.keys["goal-1"]))
