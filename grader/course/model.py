"""What the course files define, as dataclasses: models and their steps, quizzes, questions, keys, and the Course that holds them."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

TYPES = ("single", "multiple", "true_false", "ordering", "matching", "short_text", "dialogue")


POLICIES = {
    "multiple": ("all_or_nothing", "right_minus_wrong", "weights"),
    "ordering": ("all_or_nothing", "subsequence"),
    "matching": ("per_pair", "all_or_nothing"),
}


DEFAULT_POLICY = {"multiple": "all_or_nothing", "ordering": "all_or_nothing", "matching": "per_pair"}


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
    _cache: dict = field(default_factory=dict, repr=False, compare=False)
    """Built once and kept: scenario id -> its one-question quiz; "sections" -> lesson reference names."""

    def activity(self, activity_id: str) -> Quiz | None:
        """The quiz, or the practice scenario as a one-question quiz, with this id (an exam scenario is played only in its quiz)."""
        if activity_id in self.quizzes:
            return self.quizzes[activity_id]
        if activity_id not in self._cache and activity_id in self.dialogues and not self.dialogues[activity_id].exam:
            self._cache[activity_id] = dialogue_activity(self.dialogues[activity_id])
        return self._cache.get(activity_id)

    def section_name(self, target: str) -> str:
        """A readable name for a lesson reference: the step it teaches, or the model's page."""
        if "sections" not in self._cache:
            names = {}
            for model in reversed(self.models):
                names[model.lesson] = model.title
                names.update((step.lesson, f"{step.title} ({model.title})") for step in model.steps)
            self._cache["sections"] = names
        names = self._cache["sections"]
        if target in names:
            return names[target]
        page, _, anchor = target.partition("#")
        return names[page] + f", section {anchor}" if page in names else target

    def key_for(self, activity_id: str) -> Key | None:
        """The key for a quiz; a scenario handed in alone needs none."""
        if activity_id in self.keys:
            return self.keys[activity_id]
        if activity_id in self.dialogues and not self.dialogues[activity_id].exam:
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
