"""Every practice dialogue, played to an ending on its page, handed in and graded: the score matches the debrief."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from grader.course import load_course
from grader.dialogue.analysis import item_score
from grader.dialogue.engine import replay
from grader.dialogue.variants import replay_answer
from grader.formats.loader import load_file
from tests.browser import plans, widgets
from tests.browser.conftest import ROOT
from tests.browser.gradebook import grade

COURSE = load_course(ROOT, keys=True)
PATHS = plans.practice_paths(COURSE)
LEARNER = "grace.hopper"


def test_the_paths_differ_and_one_is_ended_by_a_meter_rule():
    assert set(PATHS) == set(plans.practice_scenarios(COURSE))
    assert any(name == "best" for name, _ in PATHS.values())
    for sid, (name, path) in PATHS.items():
        assert replay(COURSE.dialogues[sid], path).ok, f"{sid}: the {name} path does not reach an ending"
    assert any(plans.ended_by_rule(COURSE.dialogues[sid], path) for sid, (_, path) in PATHS.items())
    assert len({tuple(path) for _, path in PATHS.values()}) == len(PATHS)


@pytest.mark.browser
@pytest.mark.parametrize("scenario", plans.practice_scenarios(COURSE))
def test_a_dialogue_played_on_the_page_grades_as_its_debrief_says(page, served, tmp_path, scenario):
    d = COURSE.dialogues[scenario]
    name, path = PATHS[scenario]
    found = served.pages_with(f'data-course-dialogue="{scenario}" data-mode="practice"')
    assert found, f"no page offers the {scenario} dialogue"
    widgets.visit(page, served.url + found[0])
    seed = plans.plain_seed(d) if plans.dealt(d) else None
    if seed is not None:  # the page deals at random: deal it as the paths were found
        widgets.pin_seed(page, d, seed)
    root = widgets.practice(page, scenario)
    expect(root.locator("[data-course-text]")).to_be_hidden()
    expect(root.locator("[data-handin]")).to_be_hidden()  # offered once an ending is reached

    widgets.play(root, path)
    shown, points = widgets.debrief_worth(root)
    answer = path if seed is None else {"replies": path, "seed": seed}
    dealt = replay_answer(d, answer)
    expected = item_score(dealt.scenario, dealt.replay, d.points)
    assert (shown, points) == (round(expected, 2), d.points), f"the {name} path"
    expect(root.locator("[data-debrief]")).to_contain_text(dealt.replay.ending.title)
    expect(root.locator(".course-reply")).to_have_count(0)
    kept = {"version": d.version, "path": path} | ({"seed": seed} if seed is not None else {})
    assert widgets.stored(page, f"course:dialogue:{scenario}") == kept

    widgets.sign(root, LEARNER)
    file = widgets.download(page, root, tmp_path / "downloads")
    assert file.name == f"{scenario}-{LEARNER}.yml"
    handed_in = load_file(file, answer=True).data
    written = path if seed is None else {"replies": path, "seed": seed} | ({"variant": dealt.variant} if dealt.variant else {})
    assert (handed_in["quiz"], handed_in["version"], handed_in["answers"]) == (scenario, d.version, {"path": written})
    assert "name" not in handed_in["learner"]

    grades = grade([file], tmp_path / "grades")
    assert grades.summary["graded"] == 1 and grades.summary["warnings"] == 0
    row = grades.row(LEARNER, scenario)
    assert row["status"] == "graded"
    assert float(row["score"]) == shown
    assert grades.results["results"][0]["score"] == pytest.approx(expected)
