"""Drive the quiz and dialogue widgets the way a learner does, through the page's own controls."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any
from urllib.parse import urldefrag

from playwright.sync_api import Locator, Page, expect

# Started: marked ready, and the part the script reveals last is showing (the hand-in panel, the play area, a practice
# set's buttons, the progress view's list or buttons).
READY = """() => [...document.querySelectorAll('[data-course-quiz], [data-course-dialogue][data-mode=practice], [data-course-practice], [data-course-progress]')]
  .every((root) => root.dataset.ready && (root.dataset.courseProgress === 'lesson' ? !!root.querySelector('.course-progress-line')
    : !root.querySelector(root.dataset.courseQuiz ? ':scope > [data-handin]' : root.dataset.coursePractice || root.dataset.courseProgress
      ? ':scope > [data-buttons]' : ':scope > [data-play]').hidden))"""
START_MS = 15_000
MOST_TABS = 400
WORTH = re.compile(r"Score: ([\d.]+) of ([\d.]+) points?")


def visit(page: Page, url: str) -> None:
    """Open a page and wait until every quiz and practice dialogue on it has started."""
    page.goto(url)
    settle(page)


def settle(page: Page) -> None:
    """Wait for the page's widgets to start (after a load or an instant navigation)."""
    page.wait_for_load_state("load")
    page.wait_for_function(READY, timeout=START_MS)


def follow(page: Page, link: Locator) -> str:
    """Click a link to another page of the site and wait until that page has replaced this one and started."""
    href = link.get_attribute("href")
    arrive(page, href, link.click)
    return href


def ready_to_navigate(page: Page) -> None:
    """Wait until Material has fetched the sitemap: until then it leaves clicks to the browser (a full load)."""
    page.wait_for_load_state("networkidle")


def arrive(page: Page, url: str, action) -> None:
    """Do `action` (a click, going back) and wait until the page at `url` has replaced this one and started."""
    page.evaluate("() => { document.querySelector('article').dataset.left = '1'; }")
    action()
    # navigation.tracking writes the heading in view into the address, so compare without the fragment.
    page.wait_for_url(lambda address: urldefrag(address)[0] == url)
    page.wait_for_function("() => !document.querySelector('article[data-left]')")
    settle(page)


def quiz(page: Page, quiz_id: str) -> Locator:
    return page.locator(f'[data-course-quiz="{quiz_id}"]')


def practice(page: Page, scenario: str) -> Locator:
    return page.locator(f'[data-course-dialogue="{scenario}"][data-mode=practice]')


def question(root: Locator, question_id: str) -> Locator:
    return root.locator(f'fieldset[data-question="{question_id}"]')


def stored(page: Page, key: str) -> Any:
    """A value the widgets keep in localStorage, decoded (None when absent)."""
    return json.loads(page.evaluate("(key) => localStorage.getItem(key) || 'null'", key))


# ---------------------------------------------------------------- answering


def order_of(field: Locator) -> list[str]:
    return field.locator("li[data-item]").evaluate_all("(items) => items.map((li) => li.dataset.item)")


def arrange(field: Locator, wanted: list[str]) -> None:
    """Put an ordering question's items in `wanted` order with the Move up / Move down buttons."""
    moved = False
    for position, item in enumerate(wanted):
        for _ in range(order_of(field).index(item) - position):
            field.locator(f'li[data-item="{item}"] [data-move=up]').click()
            moved = True
    if not moved:  # already in order: the widget counts an answer only once the learner moves something
        first = wanted[0]
        field.locator(f'li[data-item="{first}"] [data-move=down]').click()
        field.locator(f'li[data-item="{first}"] [data-move=up]').click()
    assert order_of(field) == wanted


def answer(field: Locator, kind: str, value: Any) -> None:
    """Answer one question (not a dialogue) through its controls."""
    if kind in ("single", "true_false"):
        field.locator(f'input[value="{str(value).lower() if kind == "true_false" else value}"]').check()
    elif kind == "multiple":
        for choice in value:
            field.locator(f'input[value="{choice}"]').check()
    elif kind == "ordering":
        arrange(field, list(value))
    elif kind == "matching":
        for pair, choice in value.items():
            field.locator(f'select[data-pair="{pair}"]').select_option(choice)
    elif kind == "short_text":
        field.locator("input[type=text]").fill(value)
    else:
        raise ValueError(f"no control for {kind}")


def pin_seed(page: Page, scenario, seed: int) -> None:
    """Deal a practice dialogue with `seed` (as if the page had drawn it), then reload so it starts dealt so."""
    key = f"course:dialogue:{scenario.id}"
    page.evaluate(
        "([key, value]) => localStorage.setItem(key, JSON.stringify(value))",
        [key, {"version": scenario.version, "path": [], "seed": seed}],
    )
    page.reload()
    settle(page)


def play(dialogue: Locator, path: list[str]) -> None:
    """Choose each reply in turn."""
    for reply in path:
        dialogue.locator(f'.course-reply[data-reply="{reply}"]').click()


def debrief_worth(dialogue: Locator) -> tuple[float, float]:
    """The score and points the debrief shows once the dialogue has ended."""
    debrief = dialogue.locator("[data-debrief]")
    expect(debrief).to_be_visible()
    found = WORTH.search(debrief.inner_text())
    assert found, f"no score in the debrief: {debrief.inner_text()!r}"
    return float(found.group(1)), float(found.group(2))


# ---------------------------------------------------------------- handing in


def sign(root: Locator, learner_id: str, name: str = "") -> None:
    root.locator("[data-handin] [data-learner-id]").fill(learner_id)
    root.locator("[data-handin] [data-learner-name]").fill(name)


def status(root: Locator) -> Locator:
    return root.locator("[data-handin] [data-status]")


def download(page: Page, root: Locator, folder: Path) -> Path:
    """Press "Download answer file" (twice when the page first lists unanswered questions); keep the file."""
    button = root.locator("[data-handin] [data-action=download]")
    with page.expect_download() as caught:
        button.click()
        if button.get_attribute("data-armed") is not None:
            expect(root.locator("[data-handin] [data-status]")).to_contain_text("Not answered")
            button.click()
    return save(caught.value, folder)


def save(download_, folder: Path) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    target = folder / download_.suggested_filename
    download_.save_as(target)
    return target


# ---------------------------------------------------------------- the keyboard


def tab_to(page: Page, selector: str, *, back: bool = False) -> None:
    """Press Tab (or Shift+Tab) until the focused element matches `selector`."""
    for _ in range(MOST_TABS):
        if page.evaluate("(s) => !!document.activeElement && document.activeElement.matches(s)", selector):
            return
        page.keyboard.press("Shift+Tab" if back else "Tab")
    raise AssertionError(f"Tab never reached {selector}")


def focused(page: Page, script: str):
    return page.evaluate(f"() => {{ const e = document.activeElement; return {script}; }}")
