"""A dialogue answer for the feedback page: the path in the replies' own words, the ending, and the replies that cost the most."""

from __future__ import annotations

import dataclasses
import functools
from dataclasses import dataclass

from grader.common.text import OUTCOME_SHORT
from grader.course import Course, Question
from grader.dialogue.analysis import analyse_paths
from grader.dialogue.model import Dialogue
from grader.grading.feedback_model import Author, Conversation, Costly, Line, Options, Turn, revisit_for
from grader.grading.scoring import ItemResult

MOST_COSTLY = 3
"""How many of the replies that cost the most the page names."""


@dataclass(frozen=True)
class ReplyFacts:
    """What the feedback says about one reply of a scenario."""

    said: str
    """What the customer said just before it is on offer."""
    text: str
    score: int
    best: int
    """The best score among the replies on offer beside it."""
    feedback: str
    lesson: str


@functools.lru_cache(maxsize=64)
def _replies(scenario: Dialogue) -> dict[str, ReplyFacts]:
    found = {}
    for node in scenario.nodes.values():
        best = max((r.score for r in node.replies), default=0)
        for reply in node.replies:
            found[reply.id] = ReplyFacts(node.say, reply.text, reply.score, best, reply.feedback, reply.lesson or "")
    return found


def scenario_replies(course: Course, question: Question) -> tuple[Dialogue, dict[str, ReplyFacts]]:
    """The scenario a dialogue question plays and every reply in it by id: the one place feedback looks replies up."""
    scenario = course.scenario_of(question)
    return scenario, _replies(scenario)


def _one_line(text: str) -> Author:
    return Author(" ".join(text.split()))


def conversation(question: Question, item: ItemResult, course: Course, options: Options, shown: bool) -> Conversation:
    """The learner's path through the scenario as a conversation, with what the key says about it when that is shown."""
    scenario, replies = scenario_replies(course, question)
    evidence = item.evidence or {}
    path = [str(p) for p in evidence.get("path") or ()]
    turns: list[Turn] = []
    for reply_id in path:
        facts = replies.get(reply_id)
        if facts is None:
            turns.append(Turn((), (reply_id,)))  # not in the scenario: the id as the learner wrote it
            continue
        points = (facts.score, facts.best) if shown else (None, None)
        turns.append(Turn((_one_line(facts.said),), (_one_line(facts.text),), *points))
    ending = scenario.endings.get(evidence.get("ending") or "")
    found = Conversation(
        customer=scenario.customer,
        turns=tuple(turns),
        ending=(Author(ending.title), f" ({OUTCOME_SHORT.get(ending.outcome, ending.outcome)})") if ending else (),
    )
    if not shown:
        return found
    taken = [(i, replies[r]) for i, r in enumerate(path) if r in replies and not item.note]
    # The replies that lost the most against the best one on offer at that point, earliest first among equals.
    costly = sorted(
        ((facts.best - facts.score, i, facts) for i, facts in taken if facts.best > facts.score), key=lambda r: (-r[0], r[1])
    )
    analysis = analyse_paths(scenario)
    better = None
    if not item.correct and analysis.best_path:
        better = tuple((_one_line(replies[r].text),) for r in analysis.best_path if r in replies)
    return dataclasses.replace(
        found,
        debrief=ending.debrief if ending and not item.note else "",
        steps=_titles([course.steps[s].title for s in evidence.get("steps_shown") or () if s in course.steps]),
        mistakes=_titles([course.anti_patterns[m].title for m in evidence.get("mistakes") or () if m in course.anti_patterns]),
        costly=tuple(
            Costly((_one_line(facts.text),), cost, facts.feedback, revisit_for(course, facts.lesson, options))
            for cost, _, facts in costly[:MOST_COSTLY]
        ),
        better=better,
    )


def _titles(titles: list[str]) -> Line:
    """Titles from the course, separated by commas."""
    line: list[str] = []
    for title in titles:
        line += [", "] if line else []
        line.append(Author(title))
    return tuple(line)
