"""models.yml and the quiz files, turned into dataclasses, with the checks their schemas cannot make (unique ids, known steps)."""

from __future__ import annotations

from pathlib import Path

from grader.common.problems import Problem
from grader.course.model import AntiPattern, Choice, Model, Question, Quiz, Source, Step, version_of
from grader.formats.loader import Loaded
from grader.formats.schemas import where


def _choices(items) -> tuple[Choice, ...]:
    return tuple(Choice(str(c["id"]), str(c["text"])) for c in items or ())


def _models(loaded: Loaded, problems: list[Problem]) -> tuple[tuple[Model, ...], dict[str, Step], dict[str, AntiPattern]]:
    models: list[Model] = []
    steps: dict[str, Step] = {}
    anti: dict[str, AntiPattern] = {}
    for mi, raw in enumerate(loaded.data["models"]):
        model_steps: list[Step] = []
        for si, s in enumerate(raw["steps"]):
            step = Step(f"{raw['id']}.{s['id']}", raw["id"], s["title"], s["summary"], s["lesson"])
            if step.id in steps:
                problems.append(
                    Problem(loaded.file, f"step '{step.id}' is defined twice", loaded.line_of(("models", mi, "steps", si, "id")))
                )
            steps[step.id] = step
            model_steps.append(step)
        if any(m.id == raw["id"] for m in models):
            problems.append(Problem(loaded.file, f"model '{raw['id']}' is defined twice", loaded.line_of(("models", mi, "id"))))
        models.append(Model(raw["id"], raw["title"], raw["summary"], raw["lesson"], Source(**raw["source"]), tuple(model_steps)))
    for ai, raw in enumerate(loaded.data["anti_patterns"]):
        if raw["id"] in anti:
            problems.append(
                Problem(loaded.file, f"anti-pattern '{raw['id']}' is defined twice", loaded.line_of(("anti_patterns", ai, "id")))
            )
        anti[raw["id"]] = AntiPattern(raw["id"], raw["title"], raw["summary"], raw["lesson"])
    return tuple(models), steps, anti


def repeated(ids) -> list[tuple[int, str]]:
    """(index, id) of every id that was already used earlier in `ids`."""
    seen: set = set()
    out = []
    for index, value in enumerate(ids):
        if value in seen:
            out.append((index, value))
        seen.add(value)
    return out


def question_from(q: dict, at: tuple, loaded: Loaded, steps: dict, problems: list[Problem], lesson: str) -> Question:
    """One question of a quiz or a practice set, with the checks its schema cannot make: ids used once, steps that exist.

    `lesson` is where a learner who missed it should look, unless the question names its own.
    """
    file = loaded.file
    for field_name in ("options", "items", "pairs", "choices"):
        for dup_index, dup in repeated(c["id"] for c in q.get(field_name, ())):
            problems.append(
                Problem(
                    file,
                    f"{field_name[:-1]} id '{dup}' is used twice in question '{q['id']}'",
                    loaded.line_of(at + (field_name, dup_index)),
                    where(at + (field_name,)),
                )
            )
    for tag_index, tag in enumerate(q["steps"]):
        if tag not in steps:
            problems.append(
                Problem(
                    file,
                    f"unknown model step '{tag}'; see quizzes/models.yml for the step ids",
                    loaded.line_of(at + ("steps", tag_index)),
                    where(at + ("steps",)),
                )
            )
    return Question(
        id=q["id"],
        type=q["type"],
        prompt=q["prompt"],
        points=float(q.get("points", 1)),
        steps=tuple(q["steps"]),
        lesson=q.get("lesson", lesson),
        options=_choices(q.get("options")),
        items=_choices(q.get("items")),
        pairs=_choices(q.get("pairs")),
        choices=_choices(q.get("choices")),
        scenario=q.get("scenario"),
    )


def _quiz(loaded: Loaded, raw_bytes: bytes, steps: dict, problems: list[Problem]) -> Quiz:
    data, file = loaded.data, loaded.file
    expected = Path(file).stem
    if data["id"] != expected:
        problems.append(
            Problem(
                file,
                f"quiz id '{data['id']}' differs from the file name; rename one so both read '{expected}'",
                loaded.line_of(("id",)),
                "id",
            )
        )
    questions = [
        question_from(q, ("questions", index), loaded, steps, problems, data["lesson"])
        for index, q in enumerate(data["questions"])
    ]
    for dup_index, dup in repeated(q.id for q in questions):
        problems.append(Problem(file, f"question id '{dup}' is used twice", loaded.line_of(("questions", dup_index, "id"))))
    return Quiz(data["id"], data["title"], data["lesson"], data.get("intro", ""), tuple(questions), file, version_of(raw_bytes))
