"""The structure of one learner's feedback, which the Markdown and the HTML page both write: facts, questions, lessons.

grading/feedback.py builds a FeedbackPage; grading/feedback_markdown.py and grading/feedback_html.py write it.
Text in the page is of two kinds: `Author` text comes from the course files and is Markdown, written as
the author wrote it; every other text (the learner's name, file name and answers, the grader's own words)
is plain text, which each page escapes for where it lands. `Code` is a learner's answer shown as written.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING
from urllib.parse import quote

from grader.common.text import signed

if TYPE_CHECKING:
    from grader.course import Course
    from grader.course.lessons import LessonSection

REVEAL = ("mistakes", "all", "none")
"""--reveal: right answers for what the learner got wrong (the default), for every question, or for none."""


class Author(str):
    """Text from the course files: Markdown, trusted, written as the author wrote it."""


class Code(str):
    """A learner's answer as written, shown as code."""


Line = tuple[str, ...]
"""Pieces of text on one line: Author, Code, or plain text (escaped wherever it lands)."""


REVEALED = {
    "mistakes": "Where you did not get a question fully right, the right answer is shown beside yours.",
    "all": "The right answer is shown beside yours for every question.",
    "none": "Right answers are not shown, because this quiz will be used again. Each question says how you did "
    "and which lesson section to read again.",
}
"""What the page says about the right answers it shows, by --reveal."""


@dataclass(frozen=True)
class Options:
    """How feedback is written for one run."""

    site_url: str | None = None
    """The published course, for lesson links; None: lessons are named, not linked."""
    reveal: str = "mistakes"
    """Which right answers the feedback shows (REVEAL)."""


@dataclass(frozen=True)
class Fact:
    """One line at the top of the page: `Score: 5 of 18 points`."""

    label: str
    value: Line


@dataclass(frozen=True)
class Revisit:
    """A lesson section to read again, named as the lesson shows it."""

    section: LessonSection
    url: str | None
    """On the published site; None when its address is not known."""
    where: str
    """The reference as the course writes it, `lessons/x.md#section`."""


@dataclass(frozen=True)
class ChoiceRow:
    """One option of a choice question."""

    option: Line
    chosen: bool
    right: bool | None
    """Whether it is a right answer; None when the right answers are not shown."""
    feedback: str = ""
    """The key's feedback on it (author Markdown), only where it applies: chosen, or right and missed."""

    @property
    def status(self) -> str:
        """What its feedback is about, in words: `Your choice, wrong`, or `Right, not chosen`."""
        if not self.chosen:
            return "Right, not chosen"
        return "Your choice" if self.right is None else f"Your choice, {'right' if self.right else 'wrong'}"


@dataclass(frozen=True)
class Choices:
    """Single, multiple and true/false questions: every option, chosen or not, right or wrong."""

    rows: tuple[ChoiceRow, ...]


@dataclass(frozen=True)
class PairRow:
    """One pair of a matching question."""

    prompt: Line
    given: Line
    """The learner's choice; () when they made none."""
    right: Line | None
    """The right choice; None when not shown."""
    ok: bool


@dataclass(frozen=True)
class Pairs:
    """Matching questions, pair by pair."""

    rows: tuple[PairRow, ...]


@dataclass(frozen=True)
class Order:
    """Ordering questions: the learner's order beside the right one."""

    yours: tuple[Line, ...]
    right: tuple[Line, ...] | None


@dataclass(frozen=True)
class Typed:
    """Short-text questions: what the learner wrote and what was accepted."""

    given: Line
    accepted: tuple[Line, ...] | None
    """The answers the key accepts; None when not shown."""
    patterned: bool = False
    """The key also accepts other wordings of the same answer."""


@dataclass(frozen=True)
class Turn:
    """One exchange of a dialogue: what the customer said and the reply the learner chose."""

    customer: Line
    reply: Line
    points: int | None = None
    """The reply's score; None when not shown."""
    best: int | None = None
    """The best reply's score at that point; None when not shown."""


def points_cell(turn: Turn) -> str:
    """A reply's points beside the best on offer at that point: `0 (best there: +2)`; "" when not shown."""
    if turn.points is None or turn.best is None:
        return ""
    return f"{signed(turn.points)} (best there: {signed(turn.best)})"


@dataclass(frozen=True)
class Costly:
    """A reply that cost points against the best one on offer there."""

    reply: Line
    cost: int
    feedback: str
    revisit: Revisit | None


@dataclass(frozen=True)
class Conversation:
    """Dialogue questions: the path in the replies' own words, the ending, and what cost the most."""

    customer: str
    turns: tuple[Turn, ...]
    ending: Line = ()
    debrief: str = ""
    steps: Line | None = None
    """The model steps the replies showed; None when not shown."""
    mistakes: Line | None = None
    """The named mistakes the replies showed; None when not shown."""
    costly: tuple[Costly, ...] = ()
    better: tuple[Line, ...] | None = None
    """The replies of a path to the best ending; None when not shown."""


Answer = Choices | Pairs | Order | Typed | Conversation


@dataclass(frozen=True)
class QuestionFeedback:
    """Everything the page says about one question."""

    number: int
    score: float
    max: float
    verdict: str
    """right, partly right, wrong, not answered, or not scored."""
    prompt: str
    answer: Answer
    written: Line = ()
    """The answer as written, when it could not be used as given."""
    note: str = ""
    """Why it could not be used as given."""
    feedback: tuple[str, ...] = ()
    """The key's feedback on the whole answer (author Markdown)."""
    revisit: Revisit | None = None


@dataclass
class FeedbackPage:
    """One learner's feedback on one activity, as both pages show it."""

    title: str
    """The activity's title (author Markdown)."""
    facts: list[Fact]
    reveal: str
    questions: list[QuestionFeedback] = field(default_factory=list)
    revisit: list[Revisit] = field(default_factory=list)


def lesson_link(target: str, site_url: str | None) -> str | None:
    """A lesson reference as an address on the published site; None when the site's address is not known."""
    if not target or not site_url:
        return None
    page, _, anchor = target.partition("#")
    path = page[:-3] if page.endswith(".md") else page
    path = "" if path == "index" else (path[:-6] if path.endswith("/index") else path) + "/"
    # Spaces, quotes and angle brackets are percent-encoded, so the address stays one token in either page.
    return quote(site_url.rstrip("/") + "/" + path + (f"#{anchor}" if anchor else ""), safe=":/?#@!$&'*+,;=%~")


def revisit_for(course: Course, target: str, options: Options) -> Revisit | None:
    """The lesson section `target` names, with its link, or None when there is none."""
    if not target:
        return None
    return Revisit(course.lesson_section(target), lesson_link(target, options.site_url), target)
