"""Load and validate the course files (models, quizzes, keys, dialogues) into dataclasses."""

from __future__ import annotations

import functools
import hashlib
import json
import math
import os
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import jsonschema

from grader import dialogue as dialogues
from grader.problems import CourseError, Problem
from grader.safe_yaml import LoadError, Loaded, load_file

SCHEMAS = Path(__file__).resolve().parent.parent / "schemas"
TYPES = ("single", "multiple", "true_false", "ordering", "matching", "short_text", "dialogue")
POLICIES = {
    "multiple": ("all_or_nothing", "right_minus_wrong", "weights"),
    "ordering": ("all_or_nothing", "subsequence"),
    "matching": ("per_pair", "all_or_nothing"),
}
DEFAULT_POLICY = {"multiple": "all_or_nothing", "ordering": "all_or_nothing", "matching": "per_pair"}
ID = re.compile(r"^[a-z0-9][a-z0-9-]*$")


@dataclass(frozen=True)
class Step:
    """One step of a model, referenced everywhere as `model.step`."""

    id: str
    """Full id, `five-step.checkback`."""
    model: str
    """Id of the model it belongs to."""
    title: str
    summary: str
    lesson: str
    """Docs page and section that teach it."""


@dataclass(frozen=True)
class Source:
    """The article a model is taught from."""

    title: str
    author: str
    file: str


@dataclass(frozen=True)
class Model:
    """A de-escalation model and its steps, in order."""

    id: str
    title: str
    summary: str
    lesson: str
    source: Source
    steps: tuple[Step, ...]


@dataclass(frozen=True)
class AntiPattern:
    """A named mistake that a dialogue reply can show."""

    id: str
    title: str
    summary: str
    lesson: str


@dataclass(frozen=True)
class Choice:
    """An option, ordering item, matching pair or matching choice."""

    id: str
    text: str


@dataclass(frozen=True)
class Question:
    """One question as learners see it; no answer in here."""

    id: str
    type: str
    prompt: str
    points: float
    steps: tuple[str, ...]
    lesson: str
    """Where to look after missing it: `lessons/x.md#section`."""
    options: tuple[Choice, ...] = ()
    """single and multiple."""
    items: tuple[Choice, ...] = ()
    """ordering, in the order shown."""
    pairs: tuple[Choice, ...] = ()
    """matching: the left-hand prompts."""
    choices: tuple[Choice, ...] = ()
    """matching: choices offered for every pair."""
    scenario: str | None = None
    """dialogue: the scenario id."""


@dataclass(frozen=True)
class Quiz:
    """A quiz (or a dialogue handed in on its own) with its questions."""

    id: str
    title: str
    lesson: str
    intro: str
    questions: tuple[Question, ...]
    file: str
    version: str
    """First 8 hex digits of the SHA-256 of the file's bytes."""
    kind: str = "quiz"
    """`quiz`, or `dialogue` for a scenario handed in on its own."""

    @property
    def max_points(self) -> float:
        """Total points on offer."""
        return sum(q.points for q in self.questions)


@dataclass(frozen=True)
class ItemKey:
    """The answer and feedback for one question."""

    correct: Any = None
    policy: str | None = None
    weights: dict = field(default_factory=dict)
    feedback: dict = field(default_factory=dict)
    accept: tuple[str, ...] = ()
    pattern: str | None = None


@dataclass(frozen=True)
class Key:
    """The answer key for one quiz."""

    quiz: str
    items: dict
    """Question id -> ItemKey."""
    negative_marking: float = 0.0
    file: str = ""


@dataclass
class Course:
    """Everything the course files define, validated."""

    root: Path
    models: tuple[Model, ...]
    steps: dict
    """Step id -> Step."""
    anti_patterns: dict
    """Anti-pattern id -> AntiPattern."""
    quizzes: dict
    """Quiz id -> Quiz."""
    dialogues: dict
    """Scenario id -> Dialogue."""
    keys: dict = field(default_factory=dict)
    """Quiz id -> Key (empty unless keys were loaded)."""
    _alone: dict = field(default_factory=dict, repr=False, compare=False)
    """Built once and kept: scenario id -> its one-question quiz; "sections" -> lesson reference names."""

    def activity(self, activity_id: str) -> Quiz | None:
        """The quiz, or the scenario as a one-question quiz, with this id."""
        if activity_id in self.quizzes:
            return self.quizzes[activity_id]
        if activity_id not in self._alone and activity_id in self.dialogues:
            self._alone[activity_id] = dialogue_activity(self.dialogues[activity_id])
        return self._alone.get(activity_id)

    def section_name(self, target: str) -> str:
        """A readable name for a lesson reference: the step it teaches, or the model's page."""
        if "sections" not in self._alone:
            names = {}
            for model in reversed(self.models):
                names[model.lesson] = model.title
                names.update((step.lesson, f"{step.title} ({model.title})") for step in model.steps)
            self._alone["sections"] = names
        names = self._alone["sections"]
        if target in names:
            return names[target]
        page, _, anchor = target.partition("#")
        return names[page] + f", section {anchor}" if page in names else target

    def key_for(self, activity_id: str) -> Key | None:
        """The key for a quiz; a scenario handed in alone needs none."""
        if activity_id in self.keys:
            return self.keys[activity_id]
        if activity_id in self.dialogues:
            return Key(activity_id, {"path": ItemKey()})
        return None


def dialogue_activity(scenario) -> Quiz:
    """A scenario handed in on its own is graded as a quiz with one `path` question."""
    question = Question(
        id="path",
        type="dialogue",
        prompt=scenario.title,
        points=float(scenario.points),
        steps=(),
        lesson=scenario.lessons[0] if scenario.lessons else "",
        scenario=scenario.id,
    )
    lesson = scenario.lessons[0] if scenario.lessons else ""
    return Quiz(scenario.id, scenario.title, lesson, scenario.summary, (question,), scenario.file, scenario.version, "dialogue")


def version_of(raw: bytes) -> str:
    """Content version of a file: the first 8 hex digits of its SHA-256."""
    return hashlib.sha256(raw).hexdigest()[:8]


def find_root(start: str | os.PathLike | None = None) -> Path:
    """The course folder: `start`, or the working directory, or the nearest parent holding quizzes/models.yml."""
    here = Path(start or os.environ.get("COURSE_DIR") or os.getcwd()).resolve()
    for folder in (here, *here.parents):
        if (folder / "quizzes" / "models.yml").is_file():
            return folder
    raise CourseError([Problem(str(here), "no quizzes/models.yml here or in any parent folder; run from the course folder or pass it")])


def _finite_number(checker, value) -> bool:
    """JSON Schema's "number", less NaN and the infinities."""
    number = jsonschema.Draft202012Validator.TYPE_CHECKER.is_type(value, "number")
    return number and (not isinstance(value, float) or math.isfinite(value))


# YAML's .inf and .nan and JSON's 1e999 and NaN are numbers to Python, but no score or count can be one.
_Validator = jsonschema.validators.extend(
    jsonschema.Draft202012Validator, type_checker=jsonschema.Draft202012Validator.TYPE_CHECKER.redefine("number", _finite_number)
)


def _inline(node, defs: dict):
    """`node` with each local `$ref` to `#/$defs/...` replaced by what it names (the schemas here are not recursive)."""
    if isinstance(node, list):
        return [_inline(item, defs) for item in node]
    if not isinstance(node, dict):
        return node
    ref = node.get("$ref", "")
    if ref.startswith("#/$defs/"):
        target = _inline(defs[ref.removeprefix("#/$defs/")], defs)
        rest = {key: _inline(value, defs) for key, value in node.items() if key != "$ref"}
        # Beside a $ref only notes are written; where anything else is, both must hold.
        return {**rest, **target} if set(rest) <= {"description", "title"} else {**rest, "allOf": [target]}
    return {key: _inline(value, defs) for key, value in node.items() if key != "$defs"}


@functools.lru_cache(maxsize=None)
def _schema(name: str, root: Path | None = None) -> jsonschema.Draft202012Validator:
    """The validator for schemas/<name>.schema.json, where "number" means a finite number."""
    # Beside the package in a checkout or editable install; in the course folder `root` when installed elsewhere.
    for folder in (SCHEMAS, *([root / "schemas"] if root is not None else [])):
        if (folder / f"{name}.schema.json").is_file():
            with open(folder / f"{name}.schema.json", encoding="utf-8") as handle:
                schema = json.load(handle)
            # Resolving a $ref costs more than the check it leads to; results.json has one per value.
            return _Validator(_inline(schema, schema.get("$defs", {})))
    raise CourseError([Problem(f"schemas/{name}.schema.json", "the schema is missing; the course folder needs its schemas/ folder")])


def _where(path) -> str:
    """Key path as authors write it: `questions[2].options`."""
    out = ""
    for part in path:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out


def _schema_problems(loaded: Loaded, name: str, root: Path | None = None) -> list[Problem]:
    problems = []
    for error in sorted(_schema(name, root).iter_errors(loaded.data), key=lambda e: list(map(str, e.absolute_path))):
        path = tuple(error.absolute_path)
        message = error.message
        if error.instance is None and error.validator == "type":
            message = "has no value; write one after the colon, or remove the key"
        elif error.validator == "additionalProperties":
            message = f"{message}; check the spelling against the format reference"
        elif error.validator in ("if", "not"):
            message = "has fields that do not fit its type; see the format reference for this question type"
        problems.append(Problem(loaded.file, message, loaded.line_of(path), _where(path)))
    return problems


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
    found = _schema_problems(loaded, schema, root) if schema else []
    problems += found
    return None if found else loaded


def _choices(items) -> tuple[Choice, ...]:
    return tuple(Choice(str(c["id"]), str(c["text"])) for c in items or ())


def _models(loaded: Loaded, problems: list[Problem]):
    models, steps, anti = [], {}, {}
    for mi, raw in enumerate(loaded.data["models"]):
        model_steps = []
        for si, s in enumerate(raw["steps"]):
            step = Step(f"{raw['id']}.{s['id']}", raw["id"], s["title"], s["summary"], s["lesson"])
            if step.id in steps:
                problems.append(Problem(loaded.file, f"step '{step.id}' is defined twice", loaded.line_of(("models", mi, "steps", si, "id"))))
            steps[step.id] = step
            model_steps.append(step)
        if any(m.id == raw["id"] for m in models):
            problems.append(Problem(loaded.file, f"model '{raw['id']}' is defined twice", loaded.line_of(("models", mi, "id"))))
        models.append(Model(raw["id"], raw["title"], raw["summary"], raw["lesson"], Source(**raw["source"]), tuple(model_steps)))
    for ai, raw in enumerate(loaded.data["anti_patterns"]):
        if raw["id"] in anti:
            problems.append(Problem(loaded.file, f"anti-pattern '{raw['id']}' is defined twice", loaded.line_of(("anti_patterns", ai, "id"))))
        anti[raw["id"]] = AntiPattern(raw["id"], raw["title"], raw["summary"], raw["lesson"])
    return tuple(models), steps, anti


def _duplicates(ids) -> list[tuple[int, str]]:
    seen: set = set()
    out = []
    for index, value in enumerate(ids):
        if value in seen:
            out.append((index, value))
        seen.add(value)
    return out


def _quiz(loaded: Loaded, raw_bytes: bytes, steps: dict, problems: list[Problem]) -> Quiz:
    data, file = loaded.data, loaded.file
    expected = Path(file).stem
    if data["id"] != expected:
        problems.append(Problem(file, f"quiz id '{data['id']}' differs from the file name; rename one so both read '{expected}'", loaded.line_of(("id",)), "id"))
    questions = []
    for index, q in enumerate(data["questions"]):
        at = ("questions", index)
        for field_name in ("options", "items", "pairs", "choices"):
            for dup_index, dup in _duplicates(c["id"] for c in q.get(field_name, ())):
                problems.append(Problem(file, f"{field_name[:-1]} id '{dup}' is used twice in question '{q['id']}'", loaded.line_of(at + (field_name, dup_index)), _where(at + (field_name,))))
        for tag_index, tag in enumerate(q["steps"]):
            if tag not in steps:
                problems.append(Problem(file, f"unknown model step '{tag}'; see quizzes/models.yml for the step ids", loaded.line_of(at + ("steps", tag_index)), _where(at + ("steps",))))
        questions.append(
            Question(
                id=q["id"],
                type=q["type"],
                prompt=q["prompt"],
                points=float(q.get("points", 1)),
                steps=tuple(q["steps"]),
                lesson=q.get("lesson", data["lesson"]),
                options=_choices(q.get("options")),
                items=_choices(q.get("items")),
                pairs=_choices(q.get("pairs")),
                choices=_choices(q.get("choices")),
                scenario=q.get("scenario"),
            )
        )
    for dup_index, dup in _duplicates(q.id for q in questions):
        problems.append(Problem(file, f"question id '{dup}' is used twice", loaded.line_of(("questions", dup_index, "id"))))
    return Quiz(data["id"], data["title"], data["lesson"], data.get("intro", ""), tuple(questions), file, version_of(raw_bytes))


def _key_problems(question: Question, entry: dict, at: tuple, loaded: Loaded) -> list[Problem]:
    """Problems with one key entry measured against its question."""
    file, out = loaded.file, []

    def say(message: str, *more) -> None:
        out.append(Problem(file, message, loaded.line_of(at + more), _where(at + more)))

    kind, correct = question.type, entry.get("correct")
    option_ids = [c.id for c in question.options]
    policy = entry.get("policy")
    if policy is not None and policy not in POLICIES.get(kind, ()):
        allowed = ", ".join(POLICIES.get(kind, ())) or "none"
        say(f"policy '{policy}' does not apply to a {kind} question (allowed: {allowed})", "policy")
    if "weights" in entry and policy != "weights":
        say("weights are only used with policy: weights", "weights")
    if kind in ("single", "multiple", "true_false", "ordering", "matching") and "correct" not in entry:
        say(f"a {kind} question needs `correct`")
        return out
    if kind == "single":
        if not isinstance(correct, str) or correct not in option_ids:
            say(f"correct must be one of the option ids ({', '.join(option_ids)})", "correct")
    elif kind == "multiple":
        if not isinstance(correct, list) or not correct or any(c not in option_ids for c in correct) or len(set(correct)) != len(correct):
            say(f"correct must be a list of distinct option ids from: {', '.join(option_ids)}", "correct")
        if policy == "weights":
            weights = entry.get("weights") or {}
            if not weights:
                say("policy weights needs `weights`: option id -> share of the points", "policy")
            for option in weights:
                if option not in option_ids:
                    say(f"weights name option '{option}', which the question does not have", "weights", option)
    elif kind == "true_false":
        if not isinstance(correct, bool):
            say("correct must be true or false", "correct")
    elif kind == "ordering":
        item_ids = [c.id for c in question.items]
        if not isinstance(correct, list) or sorted(map(str, correct)) != sorted(item_ids):
            say(f"correct must list every item id once, in the right order ({', '.join(item_ids)})", "correct")
    elif kind == "matching":
        pair_ids, choice_ids = [c.id for c in question.pairs], [c.id for c in question.choices]
        if not isinstance(correct, dict) or sorted(correct) != sorted(pair_ids):
            say(f"correct must map every pair id ({', '.join(pair_ids)}) to a choice id", "correct")
        else:
            for pair, choice in correct.items():
                if choice not in choice_ids:
                    say(f"pair '{pair}' is matched to '{choice}', which is not a choice ({', '.join(choice_ids)})", "correct", pair)
    elif kind == "short_text":
        if "correct" in entry:
            say("a short_text question uses `accept` and/or `pattern`, not `correct`", "correct")
        if not entry.get("accept") and not entry.get("pattern"):
            say("a short_text question needs `accept` (a list of answers) or `pattern`")
        if entry.get("pattern"):
            try:
                re.compile(entry["pattern"])
            except re.error as error:
                say(f"pattern is not a valid regular expression ({error})", "pattern")
    elif kind == "dialogue" and "correct" in entry:
        say("a dialogue question is scored by its scenario; remove `correct`", "correct")
    if kind != "short_text" and ("accept" in entry or "pattern" in entry):
        say("accept and pattern are only for short_text questions")
    feedback = entry.get("feedback") or {}
    if kind in ("single", "multiple"):
        wanted = option_ids
    elif kind == "true_false":
        wanted = ["true", "false"]
    else:
        wanted = ["correct", "incorrect"]
    for name in feedback:
        if name not in wanted:
            say(f"feedback for '{name}', which this question does not have (expected: {', '.join(wanted)})", "feedback", name)
    missing = [name for name in wanted if name not in feedback]
    if missing and kind != "dialogue":
        say(f"no feedback for {', '.join(repr(m) for m in missing)}; every option needs feedback that says why", "feedback")
    return out


def _key(loaded: Loaded, quiz: Quiz, problems: list[Problem]) -> Key:
    data, file = loaded.data, loaded.file
    if data["quiz"] != quiz.id:
        problems.append(Problem(file, f"this key says it is for quiz '{data['quiz']}', but it sits beside quiz '{quiz.id}'", loaded.line_of(("quiz",)), "quiz"))
    answers = data["answers"]
    by_id = {q.id: q for q in quiz.questions}
    for qid in answers:
        if qid not in by_id:
            problems.append(Problem(file, f"an answer for question '{qid}', which quiz '{quiz.id}' does not have", loaded.line_of(("answers", qid)), f"answers.{qid}"))
    items = {}
    for question in quiz.questions:
        entry = answers.get(question.id)
        if entry is None:
            problems.append(Problem(file, f"no answer for question '{question.id}' of quiz '{quiz.id}'; add it under answers", loaded.line_of(("answers",)), "answers"))
            continue
        problems.extend(_key_problems(question, entry, ("answers", question.id), loaded))
        items[question.id] = ItemKey(
            correct=entry.get("correct"),
            policy=entry.get("policy") or DEFAULT_POLICY.get(question.type),
            weights=dict(entry.get("weights") or {}),
            feedback=dict(entry.get("feedback") or {}),
            accept=tuple(entry.get("accept") or ()),
            pattern=entry.get("pattern"),
        )
    return Key(quiz.id, items, float(data.get("negative_marking", 0)), file)


_HEADING = re.compile(r"^#{1,6}[ \t]+(.+?)[ \t]*$", re.M)
_ATTR_ID = re.compile(r"\{[^}\n]*#([A-Za-z0-9_-]+)[^}\n]*\}")


def _slug(text: str) -> str:
    """Heading anchor as MkDocs' toc extension makes it."""
    text = re.sub(r"[^\w\s-]", "", text).strip().lower()
    return re.sub(r"[-\s]+", "-", text)


@functools.lru_cache(maxsize=64)
def _anchors(page: Path, mtime: float) -> frozenset:
    text = page.read_text(encoding="utf-8")
    found = set(_ATTR_ID.findall(text))
    for heading in _HEADING.findall(text):
        found.add(_slug(_ATTR_ID.sub("", heading)))
    found.update(re.findall(r"""\bid=["']([A-Za-z0-9_-]+)["']""", text))
    return frozenset(found)


def lesson_problem(root: Path, target: str) -> str | None:
    """Why a `page.md#section` reference does not resolve under docs/, or None."""
    docs = root / "docs"
    if not docs.is_dir():
        return None
    page, _, anchor = target.partition("#")
    path = docs / page
    if not path.is_file():
        return f"lesson page 'docs/{page}' does not exist"
    if anchor and anchor not in _anchors(path, path.stat().st_mtime):
        return f"section '#{anchor}' is not in docs/{page}; give the heading {{#{anchor}}}"
    return None


def _lesson_checks(root: Path, refs, problems: list[Problem]) -> None:
    for file, line, where, target in refs:
        reason = lesson_problem(root, target)
        if reason:
            problems.append(Problem(file, reason, line, where))


def load_course(root: str | os.PathLike | None = None, *, keys: bool | str | os.PathLike = False) -> Course:
    """Load and check every course file; raise CourseError listing every problem.

    `keys`: False for the public course (the site), True for quizzes/keys/, or a folder of keys.
    """
    course, problems = inspect_course(root, keys=keys)
    if problems:
        raise CourseError(problems)
    return course


def inspect_course(root: str | os.PathLike | None = None, *, keys: bool | str | os.PathLike = False) -> tuple[Course, list[Problem]]:
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
            lesson_refs.append((loaded.file, loaded.line_of(("models", mi, "steps", si, "lesson")), f"{step.id}.lesson", step.lesson))
    for ai, pattern in enumerate(anti.values()):
        lesson_refs.append((loaded.file, loaded.line_of(("anti_patterns", ai, "lesson")), f"anti_patterns[{ai}].lesson", pattern.lesson))

    scenarios = {}
    for path in sorted((quiz_dir / "dialogues").glob("*.yml")):
        loaded_d = _load(root, path, problems, "dialogue")
        if loaded_d is None:
            continue
        scenario, found = dialogues.parse(loaded_d.data, loaded_d.file, loaded_d.line_of, version_of(path.read_bytes()))
        problems += found
        if scenario is None:
            continue
        if scenario.id != path.stem:
            problems.append(Problem(loaded_d.file, f"scenario id '{scenario.id}' differs from the file name; rename one so both read '{path.stem}'", loaded_d.line_of(("id",)), "id"))
        problems += dialogues.check(scenario, set(steps), set(anti), loaded_d.line_of)
        for li, lesson in enumerate(scenario.lessons):
            lesson_refs.append((loaded_d.file, loaded_d.line_of(("lessons", li)), f"lessons[{li}]", lesson))
        for node in scenario.nodes.values():
            for ri, reply in enumerate(node.replies):
                if reply.lesson:
                    lesson_refs.append((loaded_d.file, loaded_d.line_of(("nodes", node.id, "replies", ri, "lesson")), f"nodes.{node.id}.replies[{ri}].lesson", reply.lesson))
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
        if quiz.id in scenarios:
            problems.append(Problem(loaded_q.file, f"quiz id '{quiz.id}' is also a scenario id; answer files could not tell them apart", loaded_q.line_of(("id",)), "id"))
        lesson_refs.append((loaded_q.file, loaded_q.line_of(("lesson",)), "lesson", quiz.lesson))
        for index, question in enumerate(quiz.questions):
            at = ("questions", index)
            if question.lesson != quiz.lesson:
                lesson_refs.append((loaded_q.file, loaded_q.line_of(at + ("lesson",)), _where(at + ("lesson",)), question.lesson))
            if question.type == "dialogue" and question.scenario not in scenarios:
                problems.append(Problem(loaded_q.file, f"scenario '{question.scenario}' does not exist in quizzes/dialogues/", loaded_q.line_of(at + ("scenario",)), _where(at + ("scenario",))))
        quizzes[quiz.id] = quiz

    course = Course(root, models, steps, anti, quizzes, scenarios)
    if keys:
        key_dir = quiz_dir / "keys" if keys is True else Path(keys)
        if not key_dir.is_dir():
            problems.append(Problem(str(key_dir), "the keys folder does not exist"))
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
                    problems.append(Problem(str(shown), f"an answer key for '{path.stem}', but there is no quiz quizzes/{path.stem}.yml"))
    _lesson_checks(root, lesson_refs, problems)
    if not quizzes and not problems:
        problems.append(Problem("quizzes", "the course has no quiz"))
    for row in coverage(course) if not unreadable else ():
        if not row.questions:
            step = steps[row.step]
            problems.append(Problem(loaded.file, f"step '{row.step}' ({step.title}) is assessed by no quiz question; tag one with it", None, "coverage"))
    return course, problems


@dataclass(frozen=True)
class CoverageRow:
    """Where one model step is taught and assessed."""

    step: str
    lessons: tuple[str, ...]
    questions: tuple[str, ...]
    """`quiz:question` ids."""
    replies: tuple[str, ...]
    """`scenario:reply` ids."""


def coverage(course: Course) -> list[CoverageRow]:
    """For every model step: the lessons, questions and dialogue replies that teach and assess it."""
    rows = []
    for step_id, step in course.steps.items():
        questions = tuple(f"{quiz.id}:{q.id}" for quiz in course.quizzes.values() for q in quiz.questions if step_id in q.steps)
        replies = tuple(
            f"{d.id}:{r.id}" for d in course.dialogues.values() for node in d.nodes.values() for r in node.replies if step_id in r.steps
        )
        rows.append(CoverageRow(step_id, (step.lesson,), questions, replies))
    return rows


def _mtimes(root: Path) -> tuple:
    """A fingerprint of the public course files, so a rebuild notices edits."""
    quiz_dir = root / "quizzes"
    files = [quiz_dir / "models.yml", *quiz_dir.glob("*.yml"), *(quiz_dir / "dialogues").glob("*.yml"), *(root / "docs").rglob("*.md")]
    return tuple(sorted((str(f), f.stat().st_mtime_ns) for f in files if f.is_file()))


_public_cache: dict = {}


def load_public(root: str | os.PathLike | None = None) -> Course:
    """The course without keys, for the site; reloaded when any course file changes."""
    found = find_root(root)
    stamp = _mtimes(found)
    cached = _public_cache.get(found)
    if cached and cached[0] == stamp:
        if isinstance(cached[1], CourseError):
            raise cached[1]
        return cached[1]
    try:
        course = load_course(found)
    except CourseError as error:
        _public_cache[found] = (stamp, error)
        raise
    _public_cache[found] = (stamp, course)
    return course


__all__ = [
    "AntiPattern", "Choice", "Course", "CoverageRow", "ItemKey", "Key", "Model", "Question", "Quiz", "Source", "Step",
    "TYPES", "coverage", "find_root", "inspect_course", "load_course", "load_public", "version_of",
]
