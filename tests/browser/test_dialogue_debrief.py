"""Dialogues that teach: meters in view and read out, a debrief in words, the turning point and "try again from here",
the best ending kept, and variants dealt at random but graded as played; by keyboard, with a screen reader's view, and axe."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from grader.course import load_course
from grader.dialogue.analysis import analyse_paths, item_score
from grader.dialogue.costs import turning_point
from grader.dialogue.engine import replay
from grader.dialogue.variants import played, random_choice, replay_answer
from grader.formats.loader import load_file
from tests.browser import plans, widgets
from tests.browser.conftest import ROOT
from tests.browser.gradebook import grade
from tests.browser.test_accessibility import violations
from tests.browser.widgets import focused, tab_to

pytestmark = pytest.mark.browser

COURSE = load_course(ROOT, keys=True)
PROGRESS = "course:progress:v1"


def _open(page: Page, served, scenario: str, seed: int | None = None):
    d = COURSE.dialogues[scenario]
    widgets.visit(page, served.url + served.pages_with(f'data-course-dialogue="{scenario}" data-mode="practice"')[0])
    if seed is not None or plans.dealt(d):
        widgets.pin_seed(page, d, plans.plain_seed(d) if seed is None else seed)
    return d, widgets.practice(page, scenario), f'[data-course-dialogue="{scenario}"][data-mode=practice]'


def _by_keyboard(page: Page, base: str, path: list[str]) -> None:
    for reply in path:
        tab_to(page, f'{base} .course-reply[data-reply="{reply}"]')
        page.keyboard.press("Enter")


def test_a_lost_dialogue_debriefs_in_words_and_tries_again_from_its_turning_point_by_keyboard(page, served, axe_source):
    d, root, base = _open(page, served, "late-delivery")
    worst = list(analyse_paths(d).worst_path)
    point = turning_point(d, replay(d, worst))
    assert point is not None and replay(d, worst).ending.outcome == "lost"
    _by_keyboard(page, base, worst)
    assert focused(page, "e.matches('[data-debrief]')"), "the ending's debrief should take the focus"
    debrief = root.locator("[data-debrief]")
    text = debrief.inner_text()
    # The score on the points' scale, never a raw figure below 0.
    assert "Score: 0 of 10 points." in text and not re.search(r"(?<![\w-])[−-]\d", text)
    said = replay(d, worst).taken[point.turn][1]
    assert f"Turning point: turn {point.turn + 1}, the reply that cost you the most: “{said.text}”" in text
    assert said.feedback.split(".")[0] in text
    # The conversation retold in words: each of the customer's lines, the reply, what it did; then the ending.
    retold = debrief.locator("ol > li")
    expect(retold).to_have_count(len(worst) + 1)
    first = replay(d, worst).taken[0]
    expect(retold.first).to_contain_text(f"Marek: “{d.nodes[first[0]].say}” You: “{first[1].text}”")
    expect(retold.last).to_have_text(f"Ending: {replay(d, worst).ending.title}.")
    assert "Mistakes made:" in text and "Four key steps: Empty apology" in text
    found = violations(page, axe_source)
    assert not found, "\n".join(found)

    tab_to(page, f"{base} [data-retry]")
    assert focused(page, "e.textContent") == "Try again from here"
    page.keyboard.press("Enter")
    expect(root.locator("[data-log] .course-you")).to_have_count(point.turn)
    assert widgets.stored(page, "course:dialogue:late-delivery")["path"] == worst[: point.turn]
    assert focused(page, "e.matches('.course-reply')"), "after trying again the focus is on the first reply"
    expect(root.locator("[data-say]")).to_contain_text(f"Back to turn {point.turn + 1}, just before that reply.")
    record = widgets.stored(page, PROGRESS)["dialogues"]["late-delivery"]
    assert record == {
        "finished": True,
        "bestEnding": replay(d, worst).ending.id,
        "bestOutcome": "lost",
        "bestTitle": replay(d, worst).ending.title,
    }

    better = plans.best_from(d, worst[: point.turn])
    _by_keyboard(page, base, better[point.turn :])
    ending = replay(d, better).ending
    expect(root.locator("[data-debrief]")).to_contain_text(f"Your best ending so far: {ending.title}")
    assert widgets.stored(page, PROGRESS)["dialogues"]["late-delivery"]["bestEnding"] == ending.id
    # A worse ending later does not replace the best one.
    root.locator("[data-action=restart]").click()
    root.locator("[data-action=restart]").click()
    widgets.pin_seed(page, d, plans.plain_seed(d))
    root = widgets.practice(page, "late-delivery")
    widgets.play(root, worst)
    expect(root.locator("[data-debrief]")).to_contain_text(f"Your best ending so far: {ending.title}")
    assert widgets.stored(page, PROGRESS)["dialogues"]["late-delivery"]["bestEnding"] == ending.id


def test_an_early_lesson_lists_only_the_steps_of_the_models_met_so_far(page, served):
    d, root, _ = _open(page, served, "wrong-information")  # lesson 1: the person-then-problem model only
    best = list(analyse_paths(d).best_path)
    widgets.play(root, best)
    text = root.locator("[data-debrief]").inner_text()
    shown = replay(d, best).steps_shown
    later = [s for s in shown if not s.startswith("person-first.")]
    assert later, "the best path should use a step of a later model"
    assert "Treat the person, then the problem: " in text
    for step in later:
        assert COURSE.steps[step].title not in text.split("Mistakes made:")[0].split("Steps you used well:")[1], step
    assert f"You also used {len(later)} step{'s' if len(later) > 1 else ''} from models later in the course." in text


def test_the_meters_stay_in_view_as_the_conversation_scrolls_and_each_change_is_read_with_the_reply(page, served):
    d, root, base = _open(page, served, "late-delivery")
    best = list(analyse_paths(d).best_path)
    widgets.play(root, best[:6])
    meters = root.locator("[data-meters]")
    assert meters.evaluate("(e) => getComputedStyle(e).position") == "sticky"
    root.locator("[data-log] > li").last.scroll_into_view_if_needed()
    page.mouse.wheel(0, 400)
    box, log = meters.bounding_box(), root.locator("[data-log]").bounding_box()
    assert log["y"] < 0 < box["y"] < 200, (log, box)  # the log has scrolled up past the top; the meters have not
    assert meters.get_attribute("aria-hidden") is None and meters.get_attribute("role") == "group"
    # The reply's feedback takes the focus, and says what happened to the meters.
    tab_to(page, f'{base} .course-reply[data-reply="{best[6]}"]')
    page.keyboard.press("Enter")
    entry = focused(page, "e.matches('li.course-feedback') && e.textContent")
    rep = replay(d, best[:7])
    moved = [m for m in d.meters.values() if rep.meters[-1][m.id] != rep.meters[-2][m.id]]
    assert entry and all(
        f"{m.label} {'up' if rep.meters[-1][m.id] > rep.meters[-2][m.id] else 'down'}" in entry for m in moved
    ), entry


def _seed_dealing(d, variant=None, detail=None) -> int:
    return next(
        s
        for s in range(10_000)
        if (variant is None or random_choice(d, s).variant == variant)
        and (detail is None or random_choice(d, s).details[detail[0]] == detail[1])
    )


def test_a_variant_dealt_at_random_is_shown_kept_handed_in_and_graded_as_played(page, served, tmp_path):
    d = COURSE.dialogues["late-delivery"]
    seed = _seed_dealing(d, "quiet")
    _, root, _ = _open(page, served, "late-delivery", seed)
    expect(root.locator("[data-variant]")).to_have_text(
        "This time: Marek is quietly furious, and trusts you less from the start."
    )
    quiet = played(d, random_choice(d, seed))
    expect(root.locator("[data-log] > li").first).to_contain_text(quiet.nodes[d.start].say)
    expect(root.locator("[data-meter=trust] [data-meter-text]")).to_have_text("Trust 2 of 10")
    path = list(analyse_paths(quiet).worst_path)  # ended sooner than as written: trust starts lower
    assert path != list(analyse_paths(d).worst_path)
    widgets.play(root, path)
    shown, _ = widgets.debrief_worth(root)
    page.reload()
    widgets.settle(page)
    root = widgets.practice(page, "late-delivery")
    expect(root.locator("[data-variant]")).to_have_text(re.compile("quietly furious"))  # a reload deals the same
    widgets.sign(root, "ada")
    file = widgets.download(page, root, tmp_path)
    assert load_file(file, answer=True).data["answers"] == {"path": {"replies": path, "variant": "quiet", "seed": seed}}
    grades = grade([file], tmp_path / "grades")
    again = replay_answer(d, {"replies": path, "seed": seed})
    assert (
        float(grades.row("ada", "late-delivery")["score"])
        == shown
        == round(item_score(again.scenario, again.replay, d.points), 2)
    )
    assert grades.results["results"][0]["items"][0]["evidence"]["variant"] == "quiet"
    # Restart deals afresh.
    restart = root.locator("[data-action=restart]")
    restart.click()
    restart.click()
    assert widgets.stored(page, "course:dialogue:late-delivery")["seed"] != seed


def test_a_customer_detail_dealt_at_random_fills_the_lines(page, served):
    d = COURSE.dialogues["poor-quality"]
    seed = _seed_dealing(d, detail=("colour", "plum"))
    _, root, _ = _open(page, served, "poor-quality", seed)
    dealt = random_choice(d, seed).details
    opening = root.locator("[data-log] > li").first
    expect(opening).to_contain_text(f"Order {dealt['order']} is on your screen: Larchmont jacket, plum, size {dealt['size']}")
    expect(root.locator("[data-variant]")).to_be_hidden()
