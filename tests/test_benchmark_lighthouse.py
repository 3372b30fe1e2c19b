"""The Lighthouse benchmark reports the median of several runs, and says so."""

from __future__ import annotations

from benchmarks.lighthouse import Score, median_run
from benchmarks.results import lighthouse_rows


def _run(performance: float | None, error: str = "") -> Score:
    return Score(
        "quiz", "http://127.0.0.1/course/quizzes/x/", "mobile", performance, 1.0, {"speed-index": f"{performance}"}, error=error
    )


def test_the_median_run_is_reported_with_every_runs_score():
    chosen = median_run([_run(0.99), _run(0.89), _run(0.94)])
    assert chosen.performance == 0.94 and chosen.metrics == {"speed-index": "0.94"}
    assert chosen.runs == (99, 89, 94)
    row = lighthouse_rows([chosen])[0]
    assert row.cells().startswith(
        "| Lighthouse mobile: quiz | performance 94 (median of 3 runs: 99, 89, 94), accessibility 100 |"
    )


def test_failed_runs_are_left_out_unless_every_run_failed():
    assert median_run([_run(None, "timed out"), _run(0.97), _run(0.95)]).runs == (97, 95)
    assert median_run([_run(None, "timed out"), _run(0.97), _run(0.95)]).performance == 0.95
    failed = median_run([_run(None, "no Chromium"), _run(None, "no Chromium")])
    assert failed.error == "no Chromium"
    assert "did not run: no Chromium" in lighthouse_rows([failed])[0].cells()


def test_a_single_run_shows_no_spread():
    assert "median" not in lighthouse_rows([median_run([_run(0.96)])])[0].cells()
