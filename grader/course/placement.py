"""Where each scenario is played: the quiz questions that grade it and the pages' fences that offer it; practice or exam, never both."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from grader.common.problems import Problem
from grader.course.lessons import fences
from grader.course.model import Quiz
from grader.dialogue.model import Dialogue

# The fences that play (`dialogue`) or map (`dialogue-map`) a scenario, its id on their first line.
SCENARIO_FENCES = ("dialogue", "dialogue-map")


@dataclass(frozen=True)
class Offer:
    """A fence in a page under docs/ that plays (`dialogue`) or maps (`dialogue-map`) a scenario."""

    page: str
    """The page, as `docs/lessons/x.md`."""
    line: int
    """The line of the scenario id in the fence."""
    fence: str
    scenario: str


def offers(root: Path) -> list[Offer]:
    """Every scenario fence in the Markdown pages under docs/, in page and line order."""
    found = []
    docs = root / "docs"
    for page in sorted(docs.rglob("*.md")) if docs.is_dir() else ():
        text = page.read_text(encoding="utf-8")
        at = [(line, kind, body) for kind in SCENARIO_FENCES for line, body in fences(text, kind) if body]
        # The scenario id is the fence's first line, on the line after the one that opens it.
        found += [Offer(str(page.relative_to(root)), line + 1, kind, body.splitlines()[0]) for line, kind, body in sorted(at)]
    return found


def placement_problems(
    quizzes: dict[str, Quiz], scenarios: dict[str, Dialogue], found: list[Offer], line_of, *, every_quiz_read: bool = True
) -> list[Problem]:
    """A graded quiz that plays a practice scenario, a page that offers an exam one, and an exam scenario no quiz plays.

    `line_of(file, key path)` gives a line in a loaded quiz or scenario file. Unless `every_quiz_read`, a quiz that
    could not be read may be the one that plays an exam scenario, so none is blamed for being unplayed.
    """
    problems = []
    offered: dict[str, Offer] = {}
    for offer in sorted(found, key=lambda o: o.fence != "dialogue"):  # where it is played, before where it is mapped
        offered.setdefault(offer.scenario, offer)
    graded: dict[str, tuple[Quiz, int]] = {}
    for quiz in quizzes.values():
        for index, question in enumerate(quiz.questions):
            scenario = scenarios.get(question.scenario or "")
            if question.type != "dialogue" or scenario is None:
                continue
            graded.setdefault(scenario.id, (quiz, index))
            if scenario.exam:
                continue
            at = ("questions", index, "scenario")
            page = offered.get(scenario.id)
            where = (
                f"is offered as practice ({page.page}:{page.line}) and"
                if page
                else "is practice, so its scores and feedback are public, and it is"
            )
            problems.append(
                Problem(
                    quiz.file,
                    f"scenario '{scenario.id}' {where} graded here by question '{question.id}'; a scenario is practice or exam, never both: "
                    f"give this question a scenario of its own with `exam: true` and its scoring in quizzes/keys/dialogues/",
                    line_of(quiz.file, at),
                    f"questions[{index}].scenario",
                )
            )
    for offer in found:
        scenario = scenarios.get(offer.scenario)
        if scenario is None or not scenario.exam:
            continue
        user = graded.get(scenario.id)
        by = f"graded in quiz '{user[0].id}', question '{user[0].questions[user[1]].id}'" if user else "an exam scenario"
        problems.append(
            Problem(
                offer.page,
                f"the ```{offer.fence} fence offers scenario '{scenario.id}' ({by}) on a page; a scenario is practice or exam, never both, "
                "and the site shows an exam scenario only inside its quiz: remove the fence",
                offer.line,
            )
        )
    for scenario in scenarios.values():
        if scenario.exam and scenario.id not in graded and every_quiz_read:
            problems.append(
                Problem(
                    scenario.file,
                    f"exam scenario '{scenario.id}' is played by no quiz question; name it from a `type: dialogue` question, or make it practice",
                    line_of(scenario.file, ("exam",)),
                    "exam",
                )
            )
    return problems
