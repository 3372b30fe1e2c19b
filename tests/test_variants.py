"""Variants and details: what a seed deals, the scenario as it is then played, their checks, and answers replayed with their seed."""

from __future__ import annotations

import pytest

from grader.course.load import scenario_from
from grader.dialogue.analysis import analyse_paths
from grader.dialogue.variants import PLACEHOLDER, SEEDS, Choice, as_written, played, random_choice, replay_answer
from grader.formats.loader import load_file
from tests.conftest import CASES

DIALOGUES = CASES / "dialogues"
STEPS = {"five-step.acknowledge", "five-step.resolve"}
ANTI = {"deflects-blame", "blames-policy"}


def load(name: str):
    loaded = load_file(DIALOGUES / f"{name}.yml", display=f"tests/cases/dialogues/{name}.yml")
    return scenario_from(loaded, "0badc0de", STEPS, ANTI)


def line_of(name: str, marker: str) -> int:
    lines = (DIALOGUES / f"{name}.yml").read_text().splitlines()
    return next(n for n, text in enumerate(lines, 1) if marker in text)


@pytest.fixture(scope="module")
def d():
    scenario, problems = load("valid-variants")
    assert problems == []
    return scenario


# ---------------------------------------------------------------- what a seed deals


def test_a_seed_deals_the_same_variant_and_details_every_time(d):
    # Fixed by the generator (mulberry32, as the page script has it): these never change for these seeds.
    assert random_choice(d, 0) == Choice("tired", {"item": "parcel", "day": "Monday"})
    assert random_choice(d, 42) == Choice("cross", {"item": "lamp", "day": "Friday"})
    assert random_choice(d, SEEDS - 1) == Choice("cross", {"item": "parcel", "day": "Friday"})


def test_every_variant_and_every_detail_text_is_dealt_by_some_seed(d):
    dealt = [random_choice(d, seed) for seed in range(200)]
    assert {c.variant for c in dealt} == {"tired", "cross"}
    assert {c.details["item"] for c in dealt} == {"parcel", "lamp", "kettle"}
    assert {c.details["day"] for c in dealt} == {"Monday", "Friday"}


def test_as_written_is_no_variant_and_each_details_first_text(d):
    assert as_written(d) == Choice(None, {"item": "parcel", "day": "Monday"})


def test_a_variant_changes_the_meters_start_and_its_lines_and_details_fill_every_text(d):
    cross = played(d, Choice("cross", {"item": "kettle", "day": "Friday"}))
    assert cross.meters["calm"].start == 1 and d.meters["calm"].start == 2
    assert cross.nodes["n1"].say == "My kettle is late AGAIN. Third time!"
    assert cross.nodes["n1"].note == "Sam is close to hanging up."
    assert cross.setting == "Phone call, Friday morning."
    assert cross.nodes["n2"].replies[0].text == "I will send a new kettle today by express, at no cost."
    tired = played(d, Choice("tired", {"item": "lamp", "day": "Monday"}))
    assert tired.meters["calm"].start == 2 and tired.nodes["n1"].say == "My lamp is late again."
    texts = [tired.setting] + [t for n in tired.nodes.values() for t in (n.say, n.note, *(r.text for r in n.replies))]
    assert not [t for t in texts if PLACEHOLDER.search(t)]


def test_a_variant_plays_differently_and_is_scored_on_its_own_best(d):
    tired, cross = (analyse_paths(played(d, Choice(v, as_written(d).details))) for v in ("tired", "cross"))
    assert (tired.best, tired.worst, tired.worst_path) == (7, -4, ("r3", "r7"))
    # Sam starts a point from hanging up when cross: one poor reply ends the call.
    assert (cross.best, cross.worst, cross.worst_path) == (7, -3, ("r3",))


# ---------------------------------------------------------------- checks, with file and line


def test_every_bad_reference_in_variants_and_details_is_named_with_its_line():
    scenario, problems = load("variants-bad")
    assert scenario is None
    name = "variants-bad"
    wheres = [p.where for p in problems]
    assert wheres == [
        "variants[1].id",
        "variants[1].start.calm",
        "variants[1].start.clam",
        "variants[1].nodes.n9",
        "details.colour",
        "nodes.n1.note",
    ]
    by_where = {p.where: p for p in problems}
    assert "variant id 'tired' is already used by variant 1" in by_where["variants[1].id"].message
    assert "at 9, outside its range 0 to 6" in by_where["variants[1].start.calm"].message
    assert "did you mean 'calm'?" in by_where["variants[1].start.clam"].message
    assert "changes node 'n9', which `nodes` does not define" in by_where["variants[1].nodes.n9"].message
    assert "detail 'colour' is never used" in by_where["details.colour"].message
    assert "{mood} names no detail" in by_where["nodes.n1.note"].message
    assert by_where["nodes.n1.note"].line == line_of(name, "{mood}")
    assert by_where["variants[1].start.calm"].line == line_of(name, "clam")
    assert all(p.file == "tests/cases/dialogues/variants-bad.yml" for p in problems)


def test_each_variant_is_checked_over_every_path_and_named_in_the_problem():
    _, problems = load("variant-out-of-range")
    assert len(problems) == 1, [str(p) for p in problems]
    problem = problems[0]
    assert problem.message.startswith("in variant 'calm', meter 'calm' reaches 7, above its max 6")
    assert "path: r1, r4" in problem.message
    assert problem.where == "nodes.n2.replies[0].effect.calm"
    assert problem.line == line_of("variant-out-of-range", "I will send a new {item}") + 4


def test_an_exam_scenario_may_not_have_variants_or_details():
    from grader.formats.schemas import problems as schema_problems

    data = load_file(DIALOGUES / "valid-variants.yml").data
    data["exam"] = True
    found = {p.where: p.message for p in schema_problems(data, "x.yml", "dialogue")}
    assert "every learner plays the same conversation, so that their scores compare" in found["variants"]
    assert "every learner plays the same conversation" in found["details"]


# ---------------------------------------------------------------- answers replayed with their seed


def test_a_list_answer_plays_the_scenario_as_written(d):
    got = replay_answer(d, ["r1", "r4"])
    assert got.replay.ok and got.replay.raw == 7 and (got.variant, got.seed) == (None, None)
    assert got.scenario.nodes["n1"].say == "My parcel is late again."


def test_a_seeded_answer_replays_the_variant_the_seed_dealt(d):
    # Seed 42 deals the cross Sam, a point from hanging up: r3 ends the call at once.
    got = replay_answer(d, {"replies": ["r3"], "variant": "cross", "seed": 42})
    assert got.replay.ok and got.replay.ending.id == "hangs-up" and got.variant == "cross" and got.seed == 42
    assert got.scenario.nodes["n1"].say == "My lamp is late AGAIN. Third time!"
    # The same path as written (calm 2) does not end there.
    assert not replay_answer(d, ["r3"]).replay.ok
    # The variant may be left out: the seed decides it.
    assert replay_answer(d, {"replies": ["r3"], "seed": 42}).replay.ok


BAD_ANSWERS = [
    (
        {"replies": ["r3"], "variant": "tired", "seed": 42},
        "the variant 'tired' is not the one seed 42 chooses ('cross'); the file was changed",
    ),
    ({"replies": ["r3"], "variant": "cross"}, "the variant 'cross' is given without the seed that chose it"),
    ({"replies": ["r3"], "seed": -1}, "`seed` must be a whole number from 0 to 4294967295, not the number -1"),
    ({"replies": ["r3"], "seed": SEEDS}, "not the number 4294967296"),
    ({"replies": ["r3"], "seed": True}, "not true"),
    ({"replies": ["r3"], "seed": "42"}, "not '42'"),
    ({"replies": "r3", "seed": 42}, "`replies` must be the list of reply ids taken, not 'r3'"),
    ({"path": ["r3"], "seed": 42}, "the answer has 'path', which a dialogue answer does not hold"),
]


@pytest.mark.parametrize("answer, reason", BAD_ANSWERS, ids=[r[:30] for _, r in BAD_ANSWERS])
def test_a_seeded_answer_that_does_not_hold_together_is_refused_with_its_reason(d, answer, reason):
    got = replay_answer(d, answer)
    assert not got.replay.ok and reason in got.replay.reason, got.replay.reason


def test_a_scenario_without_variants_plays_a_seeded_answer_as_written():
    # Its variants were taken out after the learner played: the answer still grades, as written.
    scenario, _ = load("valid-small")
    for answer in ({"replies": ["r1", "r4"], "seed": 42}, {"replies": ["r1", "r4"], "variant": "cross", "seed": 42}):
        got = replay_answer(scenario, answer)
        assert got.replay.ok and got.replay.raw == 7 and (got.variant, got.seed) == (None, None)


def test_a_variant_named_for_a_scenario_with_details_only_is_refused():
    scenario, _ = load("valid-variants")
    import dataclasses

    details_only = dataclasses.replace(scenario, variants=())
    refused = replay_answer(details_only, {"replies": ["r1", "r4"], "variant": "cross", "seed": 42})
    assert not refused.replay.ok and "the scenario has no variants" in refused.replay.reason


def test_a_seeded_answer_is_scored_on_its_variant_and_its_evidence_says_how_it_was_dealt(d):
    from grader.course import ItemKey, Question
    from grader.grading.scoring import score_item

    question = Question("path", "dialogue", "Play it.", 10.0, (), "", scenario=d.id)
    # Seed 42: the cross Sam, and a lamp. r1 then r5 ends with Sam passed on: raw 2 of the best 7.
    result = score_item(question, ItemKey(), {"replies": ["r1", "r5"], "variant": "cross", "seed": 42}, scenario=d)
    assert result.score == round(10 * 2 / 7, 4)
    ev = result.evidence
    assert (ev["variant"], ev["seed"], ev["raw"], ev["best"], ev["ending"]) == ("cross", 42, 2, 7, "escalated")
    assert ev["turns"][0]["text"] == "That is frustrating; let me look into it now."
    assert ev["turning_point"] == {"turn": 1, "reply": "r5", "cost": 5}
    tampered = score_item(question, ItemKey(), {"replies": ["r1", "r5"], "variant": "tired", "seed": 42}, scenario=d)
    assert tampered.score == 0 and "the file was changed after the dialogue was played" in tampered.note
    sorted_out = score_item(question, ItemKey(), {"replies": ["r1", "r4"], "seed": 42}, scenario=d)
    assert (
        sorted_out.score == 10
        and sorted_out.evidence["turns"][1]["text"] == "I will send a new lamp today by express, at no cost."
    )


def test_class_statistics_replay_each_play_with_its_seed(d):
    from grader.analytics.dialogue_stats import dialogue_section, replayed

    # r3 alone ends the call only for the cross Sam that seed 42 deals.
    assert replayed(d, {"path": ["r3"], "seed": 42}).ok
    assert not replayed(d, {"path": ["r3"], "seed": None}).ok
    section = dialogue_section(d, [{"learner": "s1", "quiz": d.id, "question": "path", "path": ["r3"], "seed": 42}])
    assert section["plays"] == 1 and section["invalid"] == [] and section["lost"] == 1
