"""Exam scenarios' keys (quizzes/keys/dialogues/<scenario>.yml): checked against their scenario and merged into it, scores and all."""

from __future__ import annotations

from pathlib import Path

from grader.common.problems import Problem
from grader.course.model import Course
from grader.dialogue.analysis import study
from grader.dialogue.check import score_problems
from grader.dialogue.model import Dialogue
from grader.dialogue.parse import scored_by
from grader.dialogue.text import suggest
from grader.formats.loader import Loaded
from grader.formats.schemas import line_at, where

FOLDER = "dialogues"
"""Exam scenarios' keys sit in this folder of the keys folder, one file per scenario."""


def key_problems(loaded: Loaded, d: Dialogue, step_ids: set[str], anti_ids: set[str]) -> list[Problem]:
    """What the schema cannot see in one exam key: it names its scenario, scores every reply and ending, and tags known ids."""
    data, problems = loaded.data, []

    def fail(path: tuple, message: str) -> None:
        problems.append(Problem(loaded.file, message, line_at(loaded.line_of, path), where(path)))

    if data["scenario"] != d.id:
        fail(
            ("scenario",),
            f"this key says it scores scenario '{data['scenario']}', but its file name is for '{d.id}'; make them agree",
        )
    replies = {r.id: node.id for node in d.nodes.values() for r in node.replies}
    for rid, entry in data["replies"].items():
        if rid not in replies:
            fail(
                ("replies", rid),
                f"reply '{rid}' is not in scenario '{d.id}'{suggest(rid, replies, 'its replies')}; remove it or fix the id",
            )
            continue
        for i, step in enumerate(entry.get("steps", ())):
            if step not in step_ids:
                fail(
                    ("replies", rid, "steps", i),
                    f"reply '{rid}' tags step '{step}', which quizzes/models.yml does not define{suggest(step, step_ids)}",
                )
        for i, mistake in enumerate(entry.get("mistakes", ())):
            if mistake not in anti_ids:
                fail(
                    ("replies", rid, "mistakes", i),
                    f"reply '{rid}' tags anti-pattern '{mistake}', which quizzes/models.yml does not define{suggest(mistake, anti_ids)}",
                )
    for rid, nid in replies.items():
        if rid not in data["replies"]:
            fail(
                ("replies",),
                f"no entry for reply '{rid}' (at node '{nid}'); every reply of an exam scenario needs its score and feedback here",
            )
    for eid in data["endings"]:
        if eid not in d.endings:
            fail(
                ("endings", eid),
                f"ending '{eid}' is not in scenario '{d.id}'{suggest(eid, d.endings, 'its endings')}; remove it or fix the id",
            )
    for eid in d.endings:
        if eid not in data["endings"]:
            fail(
                ("endings",), f"no entry for ending '{eid}'; every ending of an exam scenario needs its outcome and debrief here"
            )
    return problems


def merged(loaded: Loaded, d: Dialogue) -> tuple[Dialogue, list[Problem]]:
    """The scenario scored by its key, and the problems its scores make over every path (reported in the key)."""
    scenario = scored_by(d, loaded.data, loaded.file)
    problems: list[Problem] = []

    def fail(path: tuple, message: str) -> None:
        # The key has no nodes: a loop is reported where the replies are scored.
        at = ("replies",) if path[:1] == ("nodes",) else path
        problems.append(Problem(loaded.file, message, line_at(loaded.line_of, at), where(at)))

    explored = study(scenario)
    if explored.analysis.complete and explored.analysis.endings_reached:
        score_problems(scenario, explored, "", fail)
    return scenario, problems


def lesson_refs(loaded: Loaded) -> list[tuple]:
    """(file, line, where, target) for every lesson a key's replies send the learner to."""
    return [
        (loaded.file, loaded.line_of(("replies", rid, "lesson")), f"replies.{rid}.lesson", entry["lesson"])
        for rid, entry in loaded.data["replies"].items()
        if isinstance(entry, dict) and isinstance(entry.get("lesson"), str)
    ]


def stray_keys(key_dir: Path, course: Course, root: Path) -> list[Problem]:
    """Key files in the dialogues folder for a scenario that is missing or not an exam scenario."""
    found = []
    for path in sorted((key_dir / FOLDER).glob("*.yml")):
        shown = path.relative_to(root) if path.is_relative_to(root) else path
        scenario = course.dialogues.get(path.stem)
        if scenario is None:
            found.append(
                Problem(str(shown), f"a key for scenario '{path.stem}', but there is no quizzes/dialogues/{path.stem}.yml")
            )
        elif not scenario.exam:
            found.append(
                Problem(
                    str(shown),
                    f"a key for scenario '{path.stem}', which is practice: its scores are in its own file. "
                    "Write `exam: true` in the scenario and move its scoring here, or remove this key",
                )
            )
    return found
