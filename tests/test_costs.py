"""What each reply of a played path cost, and the turning point, on a real fixture and against brute force."""

from __future__ import annotations

from hypothesis import given, settings

from grader.dialogue.analysis import analyse_paths
from grader.dialogue.costs import TurningPoint, reply_costs, turning_point
from grader.dialogue.engine import replay
from tests.test_dialogue import brute_force, parse, random_scenario, small


def test_a_best_path_costs_nothing_and_has_no_turning_point():
    d = small()
    rep = replay(d, ["r1", "r4"])
    assert reply_costs(d, rep) == [0, 0]
    assert turning_point(d, rep) is None


def test_the_turning_point_is_the_reply_that_gave_up_the_most():
    d = small()
    # r3 (-1) leaves Sam a point from hanging up, so the best left is r6 then r4: 6; it cost 7 - (-1) - 6 = 2.
    # r7 (-1) then ends the call (-2) where 6 was still possible: it cost 6 - (-1) - (-2) = 9.
    rep = replay(d, ["r3", "r7"])
    assert reply_costs(d, rep) == [2, 9]
    assert turning_point(d, rep) == TurningPoint(1, "r7", 9)
    # r2 scores 0 but its cost is what it leads away from: 7 - 0 - 5 = 2; then r5 gives up the 5 still on offer.
    rep = replay(d, ["r2", "r5"])
    assert reply_costs(d, rep) == [2, 5] and turning_point(d, rep) == TurningPoint(1, "r5", 5)


def test_of_two_equal_costs_the_first_is_the_turning_point():
    d = small()
    rep = replay(d, ["r3", "r6", "r4"])  # r3 costs 2; r6 and r4 are best from where they are
    assert reply_costs(d, rep) == [2, 0, 0]
    assert turning_point(d, rep) == TurningPoint(0, "r3", 2)


@settings(max_examples=200, deadline=None)
@given(random_scenario())
def test_costs_match_brute_force_and_add_up_to_what_the_path_gave_up(data):
    d, found = parse(data, "random.yml", None, "00000000")
    assert found == []
    paths = brute_force(data)
    if not paths:
        return
    best = analyse_paths(d).best
    scores = {r["id"]: r.get("score", 0) for n in data["nodes"].values() for r in n.get("replies", [])}

    def best_after(prefix: list[str]) -> int:
        """The most raw score still to come after `prefix`, by brute force."""
        return max(raw - sum(scores[r] for r in prefix) for taken, raw, _ in paths if taken[: len(prefix)] == prefix)

    for taken, raw, _ in paths:
        rep = replay(d, taken)
        costs = reply_costs(d, rep)
        assert costs == [best_after(taken[:i]) - scores[r] - best_after(taken[: i + 1]) for i, r in enumerate(taken)]
        assert all(c >= 0 for c in costs) and sum(costs) == best - raw
        point = turning_point(d, rep)
        if best == raw:
            assert point is None
        else:
            assert point is not None and point.cost == max(costs) and costs.index(point.cost) == point.turn


def test_a_path_still_in_play_has_costs_from_where_it_got_to():
    d = small()
    rep = replay(d, ["r3"])  # stops at n3, where 6 is still possible
    assert not rep.ok and reply_costs(d, rep) == [2]
