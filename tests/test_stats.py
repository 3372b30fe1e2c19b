"""`grader stats`: Moodle's quiz and item statistics checked against an independent computation, flags, dialogue paths, step mastery."""

from __future__ import annotations

import json
import math
import re
import shutil
import statistics as st

import pytest
from hypothesis import given, settings
from hypothesis import strategies as hs

from grader.analytics import mastery, statistics
from grader.analytics.class_stats import class_statistics
from grader.course import load_course
from grader.grading.batch import grade_in_memory
from grader.grading.collect import collect
from tests.conftest import CASES

STATS = CASES / "stats"
COURSE = STATS / "course"
ANSWERS = STATS / "answers"
# The data set's files carry the times they were handed in (`submitted`); their modification times are the checkout's.
OWN_TIMES = "--ignore-file-times"
PLACES = 6

# Item scores of each learner's first attempt at `practice`, written out by hand from the answer files.
# Columns: q1 single (1 point), q2 multiple with weights (2), q3 true/false (1), q4 matching per pair (2),
# q5 short text (1), q6 ordering by subsequence (3).
MAXIMA = [1, 2, 1, 2, 1, 3]
MATRIX = {
    "s01": [1, 2, 0, 2, 1, 3],
    "s02": [1, 2, 0, 2, 1, 3],
    "s03": [1, 1, 0, 2, 1, 3],
    "s04": [1, 2, 1, 1, 1, 2],
    "s05": [1, 1, 0, 2, 0, 2],
    "s06": [1, 1, 1, 1, 1, 2],
    "s07": [1, 0, 1, 1, 0, 2],
    "s08": [1, 1, 1, 0, 1, 0],
    "s09": [1, 0, 1, 1, 0, 0],
    "s10": [0, 1, 1, 0, 0, 2],
    "s11": [1, 0, 1, 0, 0, 0],
    "s12": [1, 0, 0, 0, 0, 0],
}


@pytest.fixture(scope="module")
def course():
    return load_course(COURSE, keys=True)


def graded_doc(course, keep="first") -> dict:
    files, _ = collect([ANSWERS], ignore_file_times=True)
    return grade_in_memory(files, course, keep=keep)[0]


@pytest.fixture(scope="module")
def doc(course):
    return graded_doc(course)


@pytest.fixture(scope="module")
def result(doc, course):
    return class_statistics(doc, course)


def quiz(result, quiz_id="practice"):
    return next(q for q in result["quizzes"] if q["id"] == quiz_id)


# ---------------------------------------------------------------- the data set


def test_graded_scores_are_the_hand_matrix(doc):
    got = {r["learner"]["id"]: [i["score"] for i in r["items"]] for r in doc["results"] if r["quiz"] == "practice"}
    assert got == MATRIX


# ---------------------------------------------------------------- agreement with an independent computation


def independent(matrix: list[list[float]], maxima: list[float]) -> dict:
    """The same statistics from the standard library's statistics module, written from the textbook formulas."""
    columns = list(zip(*matrix, strict=True))
    totals = [sum(row) for row in matrix]
    n, k = len(matrix), len(maxima)
    items = []
    for col, top in zip(columns, maxima, strict=True):
        rest = [t - x for t, x in zip(totals, col, strict=True)]
        constant = len(set(col)) == 1 or len(set(rest)) == 1
        items.append(
            {
                "facility": st.fmean(col) / top,
                "sd": st.stdev(col),
                "discrimination": None if constant else st.correlation(list(col), rest),
                "efficiency": None if constant else st.covariance(list(col), rest) / st.covariance(sorted(col), sorted(rest)),
            }
        )
    alpha = k / (k - 1) * (1 - sum(st.variance(c) for c in columns) / st.variance(totals))
    m = st.fmean(totals)
    m2 = sum((t - m) ** 2 for t in totals) / n
    m3 = sum((t - m) ** 3 for t in totals) / n
    m4 = sum((t - m) ** 4 for t in totals) / n
    g1, g2 = m3 / m2**1.5, m4 / m2**2 - 3
    return {
        "items": items,
        "mean": m,
        "median": st.median(totals),
        "sd": st.stdev(totals),
        "skewness": math.sqrt(n * (n - 1)) / (n - 2) * g1,
        "kurtosis": (n - 1) / ((n - 2) * (n - 3)) * ((n + 1) * g2 + 6),
        "cic": alpha,
        "error_ratio": math.sqrt(1 - alpha),
        "standard_error": st.stdev(totals) * math.sqrt(1 - alpha),
    }


def test_quiz_statistics_agree_with_independent_computation(result):
    expected = independent(list(MATRIX.values()), MAXIMA)
    got = quiz(result)
    assert got["learners"] == 12
    for name in ("mean", "median", "sd", "skewness", "kurtosis", "cic", "error_ratio", "standard_error"):
        assert got[name] == pytest.approx(expected[name], abs=10**-PLACES), name
    assert got["cic_method"] == "Cronbach's alpha"  # partial credit on q2, q4, q6


def test_item_statistics_agree_with_independent_computation(result):
    expected = independent(list(MATRIX.values()), MAXIMA)["items"]
    for got, want in zip(quiz(result)["questions"], expected, strict=True):
        for name in ("facility", "sd", "discrimination", "efficiency"):
            assert got[name] == pytest.approx(want[name], abs=10**-PLACES), f"{got['id']} {name}"


def test_known_values_to_six_places(result):
    """Figures worked out once by hand (and by the independent computation) so a shared mistake in both cannot hide."""
    q = quiz(result)
    assert round(q["mean"], 6) == 5.5
    assert round(q["sd"], 6) == round(math.sqrt(83 / 11), 6)  # squared deviations from 5.5 add up to 83
    assert round(q["questions"][0]["facility"], 6) == round(11 / 12, 6)
    # q3 is answered right by weaker learners: its discrimination is negative
    assert q["questions"][2]["discrimination"] < 0


def test_kr20_for_right_or_wrong_items():
    """On items scored 0 or full marks the coefficient is KR-20: k/(k-1) × (1 − Σ p·q ÷ population variance of totals)."""
    rows = [[r[0], r[2], r[4]] for r in MATRIX.values()]
    _, got = statistics.item_analysis(rows, [1, 1, 1])
    n, k = len(rows), 3
    p = [sum(col) / n for col in zip(*rows, strict=True)]
    kr20 = k / (k - 1) * (1 - sum(x * (1 - x) for x in p) / st.pvariance([sum(r) for r in rows]))
    assert got["cic_method"] == "KR-20"
    assert got["cic"] == pytest.approx(kr20, abs=1e-9)


@settings(max_examples=60, deadline=None)
@given(hs.lists(hs.lists(hs.integers(0, 3), min_size=4, max_size=4), min_size=4, max_size=15))
def test_any_matrix_agrees_with_independent_computation(rows):
    totals = [sum(r) for r in rows]
    columns = list(zip(*rows, strict=True))
    if len(set(totals)) == 1 or any(len(set(c)) == 1 for c in columns):
        return  # a constant column or total has no correlation to compare
    items, quiz_stats = statistics.item_analysis(rows, [3, 3, 3, 3])
    want = independent(rows, [3, 3, 3, 3])
    assert quiz_stats["cic"] == pytest.approx(want["cic"], abs=1e-9)
    for got, expected in zip(items, want["items"], strict=True):
        if expected["discrimination"] is not None and got["discrimination"] is not None:
            assert got["discrimination"] == pytest.approx(expected["discrimination"], abs=1e-9)


def test_small_classes_leave_unknowns_empty():
    items, quiz_stats = statistics.item_analysis([[1, 0]], [1, 1])
    assert quiz_stats["sd"] is None and quiz_stats["cic"] is None and items[0]["discrimination"] is None
    items, quiz_stats = statistics.item_analysis([[1, 0], [1, 1], [1, 0]], [1, 1])
    assert items[0]["facility"] == 1 and items[0]["discrimination"] is None and items[0]["efficiency"] is None
    assert statistics.describe([])["mean"] is None


def test_distribution_bands():
    bands = statistics.distribution([0, 9.99, 10, 55, 99.9, 100])
    assert [b["count"] for b in bands] == [2, 1, 0, 0, 0, 1, 0, 0, 0, 2]
    assert bands[0]["label"] == "0–9%" and bands[-1]["label"] == "90–100%"


# ---------------------------------------------------------------- flags and hints


def test_flags_and_hints(result):
    codes = {q["id"]: [f["code"] for f in q["flags"]] for q in quiz(result)["questions"]}
    assert codes == {
        "q1": ["too-easy", "low-discrimination"],
        "q2": [],
        "q3": ["negative-discrimination"],
        "q4": [],
        "q5": [],
        "q6": [],
    }
    hints = {f["code"]: f["text"] for q in quiz(result)["questions"] for f in q["flags"]}
    assert hints["too-easy"].startswith("almost everyone gets this right")
    assert (
        hints["negative-discrimination"].startswith("strong learners miss this")
        and "check the key" in hints["negative-discrimination"]
    )


@pytest.mark.parametrize(
    "item, codes",
    [
        ({"facility": 0.1, "discrimination": 0.5, "efficiency": 0.6}, ["too-hard"]),
        ({"facility": 0.5, "discrimination": 0.5, "efficiency": 0.1}, ["low-discrimination"]),
        ({"facility": 0.5, "discrimination": 0.19, "efficiency": 0.5}, ["low-discrimination"]),
        ({"facility": 0.5, "discrimination": 0.2, "efficiency": 0.15}, []),
        ({"facility": 0.9, "discrimination": None, "efficiency": None}, ["too-easy"]),
    ],
)
def test_flag_thresholds(item, codes):
    assert [f["code"] for f in statistics.flags(item)] == codes


# ---------------------------------------------------------------- answers chosen


def test_option_counts(result):
    q = {x["id"]: x for x in quiz(result)["questions"]}
    q1 = {r["answer"].split(":")[0]: (r["count"], r["correct"]) for r in q["q1"]["responses"]}
    assert q1 == {"a": (1, False), "b": (11, True), "c": (0, False), "(not answered)": (0, None)}
    q2 = {r["answer"].split(":")[0]: r["count"] for r in q["q2"]["responses"]}
    assert q2 == {"a": 11, "b": 3, "c": 3, "d": 0, "(not answered)": 1}
    p2 = {r["answer"].split(":")[0]: r["count"] for r in q["q4"]["responses"] if r["group"].startswith("p2")}
    assert p2 == {"listen": 3, "fix": 4, "check": 4}
    q6 = [(r["answer"], r["count"], r["correct"]) for r in q["q6"]["responses"]]
    assert q6[:3] == [("fix → listen → check", 5, False), ("check → fix → listen", 3, False), ("listen → fix → check", 3, True)]


# ---------------------------------------------------------------- attempts


def test_first_attempts_by_default_and_keep_changes_it(course):
    first = class_statistics(graded_doc(course, "first"), course)
    latest = class_statistics(graded_doc(course, "latest"), course)
    s12 = lambda r: next(s for s in quiz(r)["scores"] if s["learner"] == "s12")["score"]  # noqa: E731
    assert s12(first) == 1 and s12(latest) == 10


def test_results_json_gives_the_same_statistics(tmp_path, cli, result):
    out = tmp_path / "out"
    assert cli("--course", COURSE, "grade", ANSWERS, OWN_TIMES, "--out", out, "--keep", "first").code == 0
    run = cli("--course", COURSE, "stats", out, "--json")
    assert run.code == 0 and run.err == ""
    from_results = json.loads(run.out)
    assert from_results["source"]["kind"] == "results" and "--keep first" in from_results["source"]["attempts"]
    assert quiz(from_results)["questions"] == json.loads(json.dumps(quiz(result)["questions"]))
    assert from_results["steps"] == json.loads(json.dumps(result["steps"]))


# ---------------------------------------------------------------- dialogues


def test_dialogue_paths(result):
    (dlg,) = result["dialogues"]
    assert dlg["plays"] == 11 and [i["learner"] for i in dlg["invalid"]] == ["s10"]
    taken = {(n["id"], r["id"]): r["count"] for n in dlg["nodes"] for r in n["replies"]}
    assert taken == {
        ("n1", "r1"): 7,
        ("n1", "r2"): 2,
        ("n1", "r3"): 2,
        ("n2", "r4"): 6,
        ("n2", "r5"): 1,
        ("n2", "r8"): 2,
        ("n3", "r6"): 5,
        ("n3", "r7"): 1,
    }
    assert {n["id"]: n["visits"] for n in dlg["nodes"]} == {"n1": 11, "n2": 9, "n3": 6}
    assert {e["id"]: e["count"] for e in dlg["endings"]} == {"sorted": 5, "cold": 1, "escalated": 1, "hangs-up": 4}
    assert dlg["most_common_path"]["path"] == ["r1", "r4", "r6"] and dlg["most_common_path"]["count"] == 4
    # r3 leads to n3, but the calm rule ends the call first: the flow records where it really went
    assert {"from": "n1", "reply": "r3", "to": "hangs-up", "count": 2} in dlg["edges"]
    losing = [(r["id"], r["lost"], r["taken"]) for r in dlg["losing_replies"]]
    assert losing == [("r3", 2, 2), ("r8", 2, 2), ("r2", 1, 2), ("r1", 1, 7)]
    assert dlg["lost"] == 4


# ---------------------------------------------------------------- model steps


def test_step_mastery(result):
    steps = result["steps"]
    assert [s["step"] for s in steps["steps"]] == ["calm.listen", "calm.fix", "calm.check"]
    by = {lr["id"]: lr for lr in steps["learners"]}
    s01 = by["s01"]["steps"]
    # listen: q1 1/1 + q2 2/2 + dialogue r1 shown 1/1; fix: q2 2/2 + q3 0/1 + q4 2/2 + r4 shown 1/1
    assert s01["calm.listen"]["share"] == 1 and s01["calm.listen"]["status"] == "mastered"
    assert s01["calm.fix"]["share"] == pytest.approx(5 / 6) and s01["calm.fix"]["status"] == "mastered"
    # s09: listen q1 1 + q2 0 of 3, dialogue r3 shows nothing: 1/4
    assert by["s09"]["steps"]["calm.listen"]["share"] == pytest.approx(1 / 4)
    assert by["s09"]["weak"] == ["calm.listen", "calm.fix", "calm.check"]
    # s10's path is not valid: no dialogue evidence at all
    assert by["s10"]["steps"]["calm.fix"]["played"] == 0
    listen = steps["steps"][0]
    shares = [lr["steps"]["calm.listen"]["share"] for lr in steps["learners"]]
    assert listen["mean"] == pytest.approx(st.fmean(shares))
    assert listen["mastered"] + listen["developing"] + listen["weak"] == 12
    assert sorted(listen["weak_learners"]) == sorted(
        lr["id"] for lr in steps["learners"] if lr["steps"]["calm.listen"]["share"] < 0.5
    )


@pytest.mark.parametrize(
    "share, status", [(0.8, "mastered"), (0.7999, "developing"), (0.5, "developing"), (0.4999, "weak"), (None, "no evidence")]
)
def test_mastery_thresholds(share, status):
    assert mastery._status(share) == status


# ---------------------------------------------------------------- the command


def test_stats_prints_readable_tables(cli):
    run = cli("--course", COURSE, "stats", ANSWERS, OWN_TIMES, "--keep", "first")
    assert run.code == 0, run.err
    assert "first attempt" in run.out and "Moodle's default" in run.out
    # Every command keeps the same attempt unless told otherwise: the latest, as `grader grade` does.
    assert (
        "each learner's latest attempt at each quiz (--keep latest)" in cli("--course", COURSE, "stats", ANSWERS, OWN_TIMES).out
    )
    assert "q3: strong learners miss this more often than weak ones: check the key" in run.out
    assert "Most common path: r1 → r4 → r6" in run.out
    assert "s09 (Ivy Jones): calm.listen, calm.fix, calm.check" in run.out
    # Each figure with its reading, a coefficient as a coefficient; no figure left as jargon.
    assert re.search(r"Internal consistency \([^)]+\): 0\.\d\d on \d+ questions: \w", run.out), run.out
    assert re.search(r"Standard error [\d.]+: a learner's score could be about", run.out)
    assert "kurtosis" not in run.out.lower() and "error ratio" not in run.out.lower()


def test_stats_out_writes_json(cli, tmp_path):
    target = tmp_path / "stats.json"
    run = cli("--course", COURSE, "stats", ANSWERS, OWN_TIMES, "--json", "--out", target)
    assert run.code == 0 and run.err == ""
    assert json.loads(target.read_text(encoding="utf-8")) == json.loads(run.out)


@pytest.mark.parametrize(
    "make, message",
    [
        (lambda d: d / "nowhere", "no such file or folder"),
        (lambda d: (d / "empty").mkdir() or d / "empty", "no answer files"),
        (lambda d: (d / "results.json", (d / "results.json").write_text("{broken", encoding="utf-8"))[0], "not valid JSON"),
        (
            lambda d: (d, (d / "results.json").write_text('{"format": 2, "results": [], "quizzes": {}}', encoding="utf-8"))[0],
            "results format 2, but this grader reads format 1",
        ),
    ],
)
def test_stats_errors_are_one_clean_line(cli, tmp_path, make, message):
    run = cli("--course", COURSE, "stats", make(tmp_path))
    assert run.code == 2
    assert message in run.err and run.err.count("\n") == 1 and "Traceback" not in run.err


def test_stats_from_a_folder_with_a_bad_file(cli, tmp_path):
    shutil.copytree(ANSWERS, tmp_path / "in")
    (tmp_path / "in" / "broken.yml").write_text("format: 1\nquiz: practice\n", encoding="utf-8")
    run = cli("--course", COURSE, "stats", tmp_path / "in", "--json")
    assert run.code == 1
    assert [r["file"].endswith("broken.yml") for r in json.loads(run.out)["source"]["rejected"]] == [True]
