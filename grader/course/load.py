"""Load every course file through its schema into one Course, and list every problem with its file and line."""

from __future__ import annotations

import os
from pathlib import Path

from grader.common.problems import CourseError, Problem
from grader.course import exam_keys
from grader.course.coverage import coverage
from grader.course.keys import _key
from grader.course.lessons import _lesson_checks
from grader.course.model import Course, PracticeSet, version_of
from grader.course.placement import offers, placement_problems
from grader.course.practice import fence_problems, practice_sets, step_problems
from grader.course.quizzes import _models, _quiz
from grader.dialogue.check import check as check_dialogue
from grader.dialogue.check import structure
from grader.dialogue.model import Dialogue
from grader.dialogue.parse import build as build_dialogue
from grader.formats.loader import Loaded, LoadError, load_file
from grader.formats.schemas import problems as schema_problems
from grader.formats.schemas import where


def find_root(start: str | os.PathLike | None = None) -> Path:
    """The course folder: `start`, or the working directory, or the nearest parent holding quizzes/models.yml."""
    here = Path(start or os.environ.get("COURSE_DIR") or os.getcwd()).resolve()
    for folder in (here, *here.parents):
        if (folder / "quizzes" / "models.yml").is_file():
            return folder
    raise CourseError(
        [Problem(str(here), "no quizzes/models.yml here or in any parent folder; run from the course folder or pass it")]
    )


def _load(root: Path, path: Path, problems: list[Problem], schema: str | None) -> Loaded | None:
    """Load one course file; on any problem, record it and return None."""
    try:
        display = str(path.relative_to(root))
    except ValueError:
        display = str(path)
    try:
        loaded = load_file(path, display=display)
    except LoadError as error:
        problems.append(error.problem)
        return None
    if loaded.data is None:
        problems.append(Problem(display, "the file is empty"))
        return None
    found = schema_problems(loaded.data, loaded.file, schema, loaded.line_of) if schema else []
    problems += found
    return None if found else loaded


def scenario_from(loaded: Loaded, version: str, step_ids: set[str], anti_ids: set[str]) -> tuple[Dialogue | None, list[Problem]]:
    """One scenario file's Dialogue and every problem in it: its schema first, then its references, then its graph.

    The Dialogue is None when the file cannot be played at all (a schema or reference problem).
    """
    found = schema_problems(loaded.data, loaded.file, "dialogue", loaded.line_of)
    scenario = build_dialogue(loaded.data, loaded.file, version)
    # References between parts are checked even when the schema found faults, so one run says everything
    # wrong; a reference problem at a place the schema already blamed would only repeat it.
    blamed = {p.where for p in found}
    found += [p for p in structure(scenario, loaded.line_of) if p.where not in blamed]
    if found:
        return None, sorted(found, key=lambda p: p.line or 0)
    return scenario, check_dialogue(scenario, step_ids, anti_ids, loaded.line_of)


def load_course(root: str | os.PathLike | None = None, *, keys: bool | str | os.PathLike = False) -> Course:
    """Load and check every course file; raise CourseError listing every problem.

    `keys`: False for the public course (the site), True for quizzes/keys/, or a folder of keys.
    """
    course, problems = inspect_course(root, keys=keys)
    if problems:
        raise CourseError(problems)
    return course


def inspect_course(
    root: str | os.PathLike | None = None, *, keys: bool | str | os.PathLike = False
) -> tuple[Course, list[Problem]]:
    """Load what can be loaded and list every problem, for `grader check`; raise only when models.yml is unusable."""
    root = find_root(root)
    problems: list[Problem] = []
    lesson_refs: list[tuple] = []
    quiz_dir = root / "quizzes"
    loaded = _load(root, quiz_dir / "models.yml", problems, "models")
    if loaded is None:
        raise CourseError(problems)
    models, steps, anti = _models(loaded, problems)
    for mi, model in enumerate(models):
        lesson_refs.append((loaded.file, loaded.line_of(("models", mi, "lesson")), f"models[{mi}].lesson", model.lesson))
        for si, step in enumerate(model.steps):
            lesson_refs.append(
                (loaded.file, loaded.line_of(("models", mi, "steps", si, "lesson")), f"{step.id}.lesson", step.lesson)
            )
    for ai, pattern in enumerate(anti.values()):
        lesson_refs.append(
            (loaded.file, loaded.line_of(("anti_patterns", ai, "lesson")), f"anti_patterns[{ai}].lesson", pattern.lesson)
        )

    scenarios = {}
    files: dict[str, Loaded] = {}  # for the lines of placement problems
    for path in sorted((quiz_dir / "dialogues").glob("*.yml")):
        loaded_d = _load(root, path, problems, None)
        if loaded_d is None:
            continue
        files[loaded_d.file] = loaded_d
        scenario, found = scenario_from(loaded_d, version_of(path.read_bytes()), set(steps), set(anti))
        problems += found
        if scenario is None:
            continue
        if scenario.id != path.stem:
            problems.append(
                Problem(
                    loaded_d.file,
                    f"scenario id '{scenario.id}' differs from the file name; rename one so both read '{path.stem}'",
                    loaded_d.line_of(("id",)),
                    "id",
                )
            )
        for li, lesson in enumerate(scenario.lessons):
            lesson_refs.append((loaded_d.file, loaded_d.line_of(("lessons", li)), f"lessons[{li}]", lesson))
        for node in scenario.nodes.values():
            for ri, reply in enumerate(node.replies):
                if reply.lesson:
                    lesson_refs.append(
                        (
                            loaded_d.file,
                            loaded_d.line_of(("nodes", node.id, "replies", ri, "lesson")),
                            f"nodes.{node.id}.replies[{ri}].lesson",
                            reply.lesson,
                        )
                    )
        scenarios[scenario.id] = scenario

    quizzes = {}
    # A quiz that could not be read is reported once; its key and coverage are not blamed for it.
    unreadable: set[str] = set()
    for path in sorted(quiz_dir.glob("*.yml")):
        if path.name == "models.yml":
            continue
        loaded_q = _load(root, path, problems, "quiz")
        if loaded_q is None:
            unreadable.add(path.stem)
            continue
        quiz = _quiz(loaded_q, path.read_bytes(), steps, problems)
        files[loaded_q.file] = loaded_q
        if quiz.id in scenarios:
            problems.append(
                Problem(
                    loaded_q.file,
                    f"quiz id '{quiz.id}' is also a scenario id; answer files could not tell them apart",
                    loaded_q.line_of(("id",)),
                    "id",
                )
            )
        lesson_refs.append((loaded_q.file, loaded_q.line_of(("lesson",)), "lesson", quiz.lesson))
        for index, question in enumerate(quiz.questions):
            at = ("questions", index)
            if question.lesson != quiz.lesson:
                lesson_refs.append((loaded_q.file, loaded_q.line_of(at + ("lesson",)), where(at + ("lesson",)), question.lesson))
            if question.type == "dialogue" and question.scenario not in scenarios:
                problems.append(
                    Problem(
                        loaded_q.file,
                        f"scenario '{question.scenario}' does not exist in quizzes/dialogues/",
                        loaded_q.line_of(at + ("scenario",)),
                        where(at + ("scenario",)),
                    )
                )
        quizzes[quiz.id] = quiz

    problems += placement_problems(
        quizzes,
        scenarios,
        offers(root),
        lambda file, at: files[file].line_of(at) if file in files else None,
        every_quiz_read=not unreadable,
    )
    practice: dict[str, PracticeSet] = {}
    unreadable_practice: set[str] = set()
    for path in sorted((quiz_dir / "practice").glob("*.yml")):
        loaded_p = _load(root, path, problems, "practice")
        if loaded_p is None:
            unreadable_practice.add(path.stem)
            continue
        in_file, refs = practice_sets(loaded_p, steps, problems)
        lesson_refs += refs
        practice.update((s.id, s) for s in in_file)

    course = Course(root, models, steps, anti, quizzes, scenarios, practice=practice)
    if keys:
        key_dir = quiz_dir / "keys" if keys is True else Path(keys)
        if not key_dir.is_dir():
            shown_dir = key_dir.relative_to(root) if key_dir.is_relative_to(root) else key_dir
            problems.append(Problem(str(shown_dir), "the keys folder does not exist"))
        else:
            for quiz in quizzes.values():
                key_path = key_dir / f"{quiz.id}.yml"
                if not key_path.is_file():
                    shown = key_path.relative_to(root) if key_path.is_relative_to(root) else key_path
                    problems.append(Problem(str(shown), f"no answer key for quiz '{quiz.id}'; write {shown}"))
                    continue
                loaded_k = _load(root, key_path, problems, "key")
                if loaded_k is not None:
                    course.keys[quiz.id] = _key(loaded_k, quiz, problems)
            for path in sorted(key_dir.glob("*.yml")):
                if path.stem not in quizzes and path.stem not in unreadable:
                    shown = path.relative_to(root) if path.is_relative_to(root) else path
                    problems.append(
                        Problem(str(shown), f"an answer key for '{path.stem}', but there is no quiz quizzes/{path.stem}.yml")
                    )
            _exam_keys(root, key_dir, course, problems, lesson_refs)
    _lesson_checks(root, lesson_refs, problems)
    problems += fence_problems(root, practice, unreadable_practice) + step_problems(steps, practice)
    if not quizzes and not problems:
        problems.append(Problem("quizzes", "the course has no quiz"))
    for row in coverage(course) if not unreadable else ():
        if not row.questions:
            step = steps[row.step]
            problems.append(
                Problem(
                    loaded.file,
                    f"step '{row.step}' ({step.title}) is assessed by no quiz question; tag one with it",
                    None,
                    "coverage",
                )
            )
    return course, problems


def _exam_keys(root: Path, key_dir: Path, course: Course, problems: list[Problem], lesson_refs: list[tuple]) -> None:
    """Check each exam scenario's key and put the scenario, scored, in the course in place of its public file."""
    step_ids, anti_ids = set(course.steps), set(course.anti_patterns)
    for scenario in [s for s in course.dialogues.values() if s.exam]:
        key_path = key_dir / exam_keys.FOLDER / f"{scenario.id}.yml"
        shown = key_path.relative_to(root) if key_path.is_relative_to(root) else key_path
        if not key_path.is_file():
            problems.append(
                Problem(
                    str(shown),
                    f"no key for exam scenario '{scenario.id}'; write {shown} with every reply's score and feedback and every ending's outcome and debrief",
                )
            )
            continue
        loaded = _load(root, key_path, problems, "dialogue-key")
        if loaded is None:
            continue
        found = exam_keys.key_problems(loaded, scenario, step_ids, anti_ids)
        problems += found
        lesson_refs += exam_keys.lesson_refs(loaded)
        if not found:
            course.dialogues[scenario.id], found = exam_keys.merged(loaded, scenario)
            problems += found
    problems += exam_keys.stray_keys(key_dir, course, root)
