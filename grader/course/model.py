"""What the course files define, as dataclasses: models and their steps, quizzes, questions, keys, and the Course that holds them."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from grader.course.lessons import LessonSection, lesson_page
from grader.dialogue.model import Dialogue

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
    items: dict[str, ItemKey]
    """Question id -> ItemKey."""
    negative_marking: float = 0.0
    file: str = ""


@dataclass(frozen=True)
class PracticeSet:
    """The practice questions at the end of one lesson section, keys included: public by design, scored on the page."""

    id: str
    """`<lesson>#<section>`, as the `practice` fence that places it names it."""
    lesson: str
    """The lesson page under docs/."""
    section: str
    """The section's anchor in that page."""
    questions: tuple[Question, ...]
    keys: dict
    """Question id -> ItemKey."""
    file: str
    line: int | None = None
    """Where the set starts in its file."""

    @property
    def max_points(self) -> float:
        """Total points on offer."""
        return sum(q.points for q in self.questions)


@dataclass
class Course:
    """Everything the course files define, validated."""

    root: Path
    models: tuple[Model, ...]
    steps: dict[str, Step]
    """Step id -> Step."""
    anti_patterns: dict[str, AntiPattern]
    """Anti-pattern id -> AntiPattern."""
    quizzes: dict[str, Quiz]
    """Quiz id -> Quiz."""
    dialogues: dict[str, Dialogue]
    """Scenario id -> Dialogue."""
    keys: dict[str, Key] = field(default_factory=dict)
    """Quiz id -> Key (empty unless keys were loaded)."""
    practice: dict = field(default_factory=dict)
    """Practice set id -> PracticeSet, by file name and then in section order."""
    _cache: dict[str, Any] = field(default_factory=dict, repr=False, compare=False)
    """Built once and kept: scenario id -> its one-question quiz; "sections" -> lesson sections named from models.yml."""

    def activity(self, activity_id: str) -> Quiz | None:
        """The quiz, or the practice scenario as a one-question quiz, with this id (an exam scenario is played only in its quiz)."""
        if activity_id in self.quizzes:
            return self.quizzes[activity_id]
        if activity_id not in self._cache and activity_id in self.dialogues and not self.dialogues[activity_id].exam:
            self._cache[activity_id] = dialogue_activity(self.dialogues[activity_id])
        return self._cache.get(activity_id)

    def known_activity(self, activity_id: str) -> Quiz:
        """The quiz or scenario with an id the course is known to have, such as a graded file's; a KeyError for any other."""
        quiz = self.activity(activity_id)
        if quiz is None:
            raise KeyError(f"the course has no quiz or scenario '{activity_id}'")
        return quiz

    def scenario_of(self, question: Question) -> Dialogue:
        """The scenario a dialogue question plays, which loading the course has checked it names; a KeyError for any other."""
        if question.scenario is None:
            raise KeyError(f"question '{question.id}' plays no scenario")
        return self.dialogues[question.scenario]

    def lesson_section(self, target: str) -> LessonSection:
        """A lesson reference (`lessons/x.md#section`) named as the lesson shows it: its heading and the page's title.

        Where the lesson page cannot be read (a course folder without docs/), the names come from models.yml.
        """
        page, _, anchor = target.partition("#")
        found = lesson_page(self.root, page)
        if found is not None and found.title and (not anchor or anchor in found.headings):
            return LessonSection(found.title, found.headings[anchor] if anchor else "")
        if "sections" not in self._cache:
            names: dict[str, LessonSection] = {}
            for model in reversed(self.models):
                names[model.lesson] = LessonSection(model.title)
                names.update((step.lesson, LessonSection(model.title, step.title)) for step in model.steps)
            self._cache["sections"] = names
        names = self._cache["sections"]
        if target in names:
            return names[target]
        return LessonSection(names[page].page if page in names else page, anchor)

    def key_for(self, activity_id: str) -> Key | None:
        """The key for a quiz; a scenario handed in alone needs none."""
        if activity_id in self.keys:
            return self.keys[activity_id]
        if activity_id in self.dialogues and not self.dialogues[activity_id].exam:
            return Key(activity_id, {"path": ItemKey()})
        return None


def dialogue_activity(scenario: Dialogue) -> Quiz:
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
