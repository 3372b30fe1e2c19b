"""How long a lesson, its practice, a dialogue and a quiz take: the words a learner reads at 200 a minute, plus answering.

Pure: the site's wayfinding shows the figures.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass

from grader.course.lessons import outside_fences
from grader.course.model import Course, PracticeSet, Question, Quiz
from grader.dialogue.analysis import analyse_paths
from grader.dialogue.engine import replay
from grader.dialogue.model import Dialogue

WORDS_PER_MINUTE = 200
"""A steady reading speed for instructional text."""
SECONDS_TO_ANSWER_PRACTICE = 15
"""Choosing or typing an answer, on top of reading the question and then its feedback."""
SECONDS_TO_ANSWER_QUIZ = 30
"""A graded answer is weighed longer; its feedback comes later, from the instructor."""
SECONDS_PER_CHOICE = 10
"""Choosing one reply in a dialogue, on top of reading the replies on offer."""

_WORD = re.compile(r"[^\W_]+(?:['\u2019][^\W_]+)*")
# Markdown that is not read as words: link targets, attribute lists, HTML tags, admonition and tab markers.
_NOT_READ = [
    re.compile(r"\]\([^)]*\)"),
    re.compile(r"\{[^}\n]*\}"),
    re.compile(r"<[^>\n]+>"),
    re.compile(r"^[ \t]*(?:!!!|\?\?\?\+?|===)[ \t]*[\w-]*", re.M),
]


def words(text: str) -> int:
    """Words in `text`: runs of letters and digits, with an apostrophe inside one ("don't") counting once."""
    return len(_WORD.findall(text))


def reading_words(markdown: str) -> int:
    """Words of a page's prose: its Markdown without fenced code, link targets, attribute lists and HTML tags."""
    text = outside_fences(markdown)
    for pattern in _NOT_READ:
        text = pattern.sub(" ", text)
    return words(text)


def _minutes(seconds: float) -> int:
    return math.ceil(seconds / 60)


def _reading_seconds(count: int) -> float:
    return 60 * count / WORDS_PER_MINUTE


def _question_words(q: Question) -> int:
    return words(q.prompt) + sum(words(c.text) for c in (*q.options, *q.items, *q.pairs, *q.choices))


def practice_minutes(sets: list[PracticeSet]) -> int:
    """Each question read, answered, and its longest feedback read."""
    seconds = 0.0
    for practice in sets:
        for q in practice.questions:
            feedback = max((words(text) for text in practice.keys[q.id].feedback.values()), default=0)
            seconds += _reading_seconds(_question_words(q) + feedback) + SECONDS_TO_ANSWER_PRACTICE
    return _minutes(seconds)


def dialogue_minutes(d: Dialogue) -> int:
    """One play along the best path: each customer line, every reply on offer, the feedback on the one taken, the debrief."""
    played = replay(d, list(analyse_paths(d).best_path))
    count = sum(
        words(d.nodes[node].say) + sum(words(r.text) for r in d.nodes[node].replies) + words(reply.feedback)
        for node, reply in played.taken
    )
    count += words(played.ending.debrief) if played.ending else 0
    return _minutes(_reading_seconds(count) + SECONDS_PER_CHOICE * len(played.taken))


def quiz_minutes(quiz: Quiz, course: Course) -> int:
    """Each question read and answered; a dialogue question played once along its best path."""
    seconds = 0.0
    for q in quiz.questions:
        if q.type == "dialogue" and q.scenario in course.dialogues:
            seconds += 60 * dialogue_minutes(course.dialogues[q.scenario])
        else:
            seconds += _reading_seconds(_question_words(q)) + SECONDS_TO_ANSWER_QUIZ
    return _minutes(seconds)


@dataclass(frozen=True)
class LessonTime:
    """A lesson's estimate in whole minutes, each part rounded up."""

    reading: int
    practice: int
    dialogue: int

    @property
    def total(self) -> int:
        """All three parts."""
        return self.reading + self.practice + self.dialogue


def lesson_time(markdown: str, sets: list[PracticeSet], dialogues: list[Dialogue]) -> LessonTime:
    """Reading the page's prose, its practice sets, and one play of each of its dialogues."""
    reading = _minutes(_reading_seconds(reading_words(markdown)))
    return LessonTime(reading, practice_minutes(sets), sum(dialogue_minutes(d) for d in dialogues))
