"""Every question type and scoring policy, scored against the test course's real key."""

from __future__ import annotations

from dataclasses import replace

import pytest

from grader.course import load_course
from grader.formats.loader import load_bytes
from grader.grading import answers
from grader.grading.one_file import grade_submission, versions
from grader.grading.scoring import longest_ordered, normalise_text, score_item, score_quiz
from tests.conftest import MINI, ROOT


def item(mini, qid, answer, penalty=0.0):
    quiz, key = mini.quizzes["mini-quiz"], mini.keys["mini-quiz"]
    question = next(q for q in quiz.questions if q.id == qid)
    return score_item(question, key.items[qid], answer, penalty=penalty, scenario=mini.dialogues.get(question.scenario))


@pytest.mark.parametrize(
    "qid, answer, score",
    [
        ("q1", "b", 2),
        ("q1", "a", 0),
        ("q3", False, 1),
        ("q3", True, 0),
        # multiple, right minus wrong over 2 right options, floored at 0
        ("q2", ["a", "c"], 2),
        ("q2", ["a"], 1),
        ("q2", ["a", "b"], 0),
        ("q2", ["a", "c", "d"], 1),
        ("q2", ["b", "d"], 0),
        # multiple, weights a=.6 b=.4 c=-.5, kept within 0..1
        ("q8", ["a", "b"], 1),
        ("q8", ["a"], 0.6),
        ("q8", ["a", "b", "c"], 0.5),
        ("q8", ["c"], 0),
        # ordering by longest ordered subsequence, 3 points over 3 items
        ("q4", ["listen", "fix", "check"], 3),
        ("q4", ["fix", "check", "listen"], 2),
        ("q4", ["check", "fix", "listen"], 0),
        # ordering, all or nothing
        ("q9", ["x", "y"], 1),
        ("q9", ["y", "x"], 0),
        # matching per pair, 2 points over 2 pairs
        ("q5", {"uh-huh": "listen", "refund": "fix"}, 2),
        ("q5", {"uh-huh": "listen", "refund": "listen"}, 1),
        ("q5", {"uh-huh": "listen"}, 1),
        # matching, all or nothing
        ("q10", {"p1": "c1", "p2": "c2"}, 1),
        ("q10", {"p1": "c1", "p2": "c1"}, 0),
        # short text: accepted answers ignore case and spacing; the pattern catches variants
        ("q6", "  FIX   it ", 1),
        ("q6", "Offer a remedy", 1),
        ("q6", "listen", 0),
    ],
)
def test_each_type_and_policy(mini, qid, answer, score):
    assert item(mini, qid, answer).score == pytest.approx(score)


def test_feedback_follows_the_answer(mini):
    assert item(mini, "q1", "a").feedback == ("Deflecting makes it worse.",)
    assert item(mini, "q3", True).feedback == ("Fixing first skips the feeling.",)
    # multiple: feedback on each pick, then on each right option missed
    assert item(mini, "q2", ["b"]).feedback == ("Arguing hurts.", "Listening helps.", "A fix helps.")
    assert item(mini, "q4", ["fix", "listen", "check"]).feedback == ("Listening comes first.",)


@pytest.mark.parametrize(
    "qid, answer, note",
    [
        ("q1", "z", "'z' is not one of the options (a, b, c)"),
        ("q1", ["b"], "is not one of the options"),
        ("q3", "yes", "answer with true or false"),
        ("q2", "a,c", "answer with a list of option ids from: a, b, c, d"),
        ("q4", ["listen", "fix"], "answer with every item id once"),
        ("q4", ["listen", "listen", "fix"], "answer with every item id once"),
        ("q5", ["listen"], "answer with a mapping of each of uh-huh, refund"),
        ("q5", {"nope": "listen"}, "answer with a mapping"),
        ("q6", ["fix"], "answer with a word or phrase"),
        ("q7", "r1", "stops at node n2 before an ending"),
    ],
)
def test_wrong_shapes_score_zero_and_say_why(mini, qid, answer, note):
    result = item(mini, qid, answer)
    assert result.score == 0
    assert note in result.note


def test_unanswered_is_never_penalised(mini):
    for answer in (None, "", [], {}):
        result = item(mini, "q1", answer, penalty=0.5)
        assert (result.score, result.answered, result.note) == (0, False, "not answered")


def test_negative_marking_applies_to_clear_wrong_choices_only(mini):
    assert item(mini, "q1", "a", penalty=0.25).score == -0.5
    assert item(mini, "q3", True, penalty=0.25).score == -0.25
    assert item(mini, "q9", ["y", "x"], penalty=0.25).score == -0.25
    # partial-credit policies and short text are not penalised
    assert item(mini, "q2", ["b"], penalty=0.25).score == 0
    assert item(mini, "q6", "nope", penalty=0.25).score == 0
    # an answer of the wrong shape is not a wrong choice
    assert item(mini, "q1", "z", penalty=0.25).score == 0


def test_quiz_total_never_goes_below_zero(mini):
    quiz, key = mini.quizzes["mini-quiz"], mini.keys["mini-quiz"]
    harsh = replace(key, negative_marking=1.0)
    result = score_quiz(quiz, harsh, {"q1": "a", "q3": True, "q9": ["y", "x"]}, mini.dialogues)
    assert sum(i.score for i in result.items) < 0
    assert result.score == 0
    assert result.max == quiz.max_points == 18


def test_dialogue_item_replays_the_path(mini):
    best = item(mini, "q7", ["r1", "r3"])
    assert best.score == 4 and best.correct
    assert best.evidence == {
        "path": ["r1", "r3"],
        "variant": None,
        "seed": None,
        "raw": 5,
        "best": 5,
        "ending": "fixed",
        "outcome": "resolved_retained",
        "steps_shown": ["calm.listen", "calm.fix"],
        "mistakes": [],
        "turns": [
            {
                "node": "n1",
                "reply": "r1",
                "text": "I'm sorry. What arrived?",
                "score": 2,
                "cost": 0,
                "steps": ["calm.listen"],
                "mistakes": [],
            },
            {
                "node": "n2",
                "reply": "r3",
                "text": "I'll send the red one today and a return label.",
                "score": 2,
                "cost": 0,
                "steps": ["calm.fix"],
                "mistakes": [],
            },
        ],
        "turning_point": None,
    }
    poor = item(mini, "q7", ["r2", "r4"])
    assert poor.score == 0 and poor.evidence["mistakes"] == ["argues"]
    # r2 costs calm (3 - 3 = 0), so the customer hangs up at once: more choices follow the ending.
    assert poor.evidence["ending"] == "hangs-up" and poor.note.startswith("the dialogue ended at 'hangs-up' after choice 1")
    lost = item(mini, "q7", ["r2"])
    assert lost.evidence["turning_point"] == {"turn": 0, "reply": "r2", "cost": 7}
    assert [t["cost"] for t in lost.evidence["turns"]] == [7]
    middling = item(mini, "q7", ["r1", "r4"])
    assert middling.score == pytest.approx(4 * 2 / 5)


@pytest.mark.parametrize(
    "path, reason",
    [
        (["r1", "r1"], "not on offer"),
        (["r1", "r3", "r4"], "ended"),
        (["r9"], "not on offer"),
        ([1, None], ""),
    ],
)
def test_impossible_dialogue_paths_score_nothing(mini, path, reason):
    result = item(mini, "q7", path)
    assert result.score == 0
    assert reason in result.note and result.note


def test_longest_ordered():
    assert longest_ordered(list("abcd"), list("abcd")) == 4
    assert longest_ordered(list("dcba"), list("abcd")) == 1
    assert longest_ordered(list("bacd"), list("abcd")) == 3
    assert longest_ordered(list("axb"), list("ab")) == 2


def test_normalise_text():
    assert normalise_text("  Check\tBACK \n") == "check back"


@pytest.mark.parametrize(
    "typed, same_as",
    [
        ("ＣＨＥＣＫＢＡＣＫ", "checkback"),  # full-width, as CJK input methods type it
        ("check\u2010back", "check-back"),  # hyphen
        ("check\u2011back", "check-back"),  # non-breaking hyphen
        ("check\u2013back", "check-back"),  # en dash
        ("check\u2014back", "check-back"),  # em dash
        ("check\u2212back", "check-back"),  # minus sign
        ("check\uff0dback", "check-back"),  # full-width hyphen-minus
        ("\u2018fix\u2019 it", "'fix' it"),
        ("\u201cfix\u201d\u00a0it", '"fix" it'),
        ("Stra\u00dfe", "strasse"),
        ("ﬁx", "fix"),  # the fi ligature
        ("e\u0301", "\u00e9"),  # a combining accent and the composed letter
    ],
)
def test_normalise_text_treats_what_looks_the_same_as_the_same(typed, same_as):
    assert normalise_text(typed) == normalise_text(same_as)


def test_short_text_normalises_both_sides(mini):
    assert item(mini, "q6", "ＦＩＸ\u3000ＩＴ").score == 1
    key = mini.keys["mini-quiz"].items["q6"]
    question = next(q for q in mini.quizzes["mini-quiz"].questions if q.id == "q6")
    dashed = replace(key, accept=("check\u2013back",), pattern=None)
    assert score_item(question, dashed, "Check-Back").score == 1


def test_every_unicode_dash_is_listed():
    import sys
    import unicodedata

    from grader.grading.scoring import DASHES

    pd = {code for code in range(sys.maxunicode + 1) if unicodedata.category(chr(code)) == "Pd"} - {ord("-")}
    assert pd <= set(DASHES), "Unicode has new dashes; add them to scoring.DASHES and the formats page"


def test_option_ids_written_as_numbers_are_the_text_typed(mini):
    from grader.course import Choice
    from grader.formats.loader import load_bytes

    quiz, key = mini.quizzes["mini-quiz"], mini.keys["mini-quiz"]
    single = replace(next(q for q in quiz.questions if q.id == "q1"), options=(Choice("01", "One"), Choice("1", "Another")))
    multiple = replace(next(q for q in quiz.questions if q.id == "q2"), options=(Choice("007", "x"), Choice("7", "y")))
    answers = load_bytes(b"q1: 01\nq2: [007]\n", "a.yml", answer=True).data
    assert score_item(single, replace(key.items["q1"], correct="01"), answers["q1"]).correct
    assert score_item(multiple, replace(key.items["q2"], correct=("007",), policy="all_or_nothing"), answers["q2"]).correct


def test_the_course_names_what_a_graded_file_refers_to_or_says_it_has_no_such_thing(mini):
    assert mini.known_activity("mini-quiz") is mini.quizzes["mini-quiz"]
    assert mini.known_activity("tiny").questions[0].scenario == "tiny"
    with pytest.raises(KeyError, match="no quiz or scenario 'gone'"):
        mini.known_activity("gone")
    played = next(q for q in mini.quizzes["mini-quiz"].questions if q.type == "dialogue")
    assert mini.scenario_of(played) is mini.dialogues["tiny-exam"]
    with pytest.raises(KeyError, match="question 'q1' plays no scenario"):
        mini.scenario_of(mini.quizzes["mini-quiz"].questions[0])


def test_scoring_a_submission_whose_quiz_has_no_key_is_refused_by_name(mini):
    version = mini.quizzes["mini-quiz"].version
    text = f'format: 1\nquiz: mini-quiz\nversion: "{version}"\nlearner: {{id: s1}}\nanswers: {{q1: b}}\n'
    course = load_course(MINI)
    sub = answers.parse(load_bytes(text.encode(), "in/s1.yml", answer=True), versions(course))
    with pytest.raises(KeyError, match="no answer key for 'mini-quiz'"):
        grade_submission(sub, course)


def test_weights_that_add_up_to_one_give_full_marks():
    practice = load_course(ROOT).practice["person-then-problem#listen"]
    question = next(q for q in practice.questions if practice.keys[q.id].policy == "weights")
    assert 0.35 + 0.3 + 0.35 < 1  # in the options' order, the floating-point sum falls short
    result = score_item(question, practice.keys[question.id], list(practice.keys[question.id].correct))
    assert result.correct and result.score == result.max
