"""Write N realistic answer files for the course's quizzes and dialogues, deterministically from a seed.

Each learner hands in most activities; answers are right, wrong or partly right
according to the learner's ability, a few questions are left blank, dialogue
paths are walked through the real scenario graph, and a few per cent of files
are resubmissions, answered against an older version, or broken on purpose.
"""

from __future__ import annotations

import json
import random
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

import yaml

from grader.course import Course, ItemKey, Question
from grader.dialogue.engine import replay
from grader.dialogue.model import Dialogue

SHARE_RESUBMITTED = 0.03
SHARE_INVALID = 0.03
SHARE_OLD_VERSION = 0.02
SHARE_NO_VERSION = 0.01
SHARE_JSON = 0.05
SHARE_UNANSWERED = 0.04
SHARE_BAD_PATH = 0.02
MAX_PATH = 60
START = datetime(2026, 11, 16, 8, 0, tzinfo=UTC)

FIRST = [
    "Ada",
    "Bea",
    "Chidi",
    "Dara",
    "Elif",
    "Femi",
    "Gosia",
    "Hana",
    "Ivo",
    "Jun",
    "Kofi",
    "Lena",
    "Mateo",
    "Noor",
    "Oskar",
    "Priya",
    "Quinn",
    "Rosa",
    "Sven",
    "Tariq",
    "Uma",
    "Vera",
    "Wen",
    "Xóchitl",
    "Yusuf",
    "Zoë",
]
LAST = [
    "Abara",
    "Berg",
    "Castillo",
    "Dąbrowska",
    "Eze",
    "Fontaine",
    "García",
    "Holm",
    "Ito",
    "Jovanović",
    "Kaur",
    "Lindqvist",
    "Moreau",
    "Nakamura",
    "O'Neill",
    "Petrov",
    "Quispe",
    "Rahman",
    "Søndergaard",
    "Tanaka",
]
BROKEN = ("bad-yaml", "bad-learner-id", "unknown-quiz", "missing-learner", "duplicate-key", "not-utf8")


class _Quoted(str):
    """Text written in double quotes, as the site writes versions."""


yaml.add_representer(
    _Quoted,
    lambda dumper, value: dumper.represent_scalar("tag:yaml.org,2002:str", str(value), style='"'),
    Dumper=yaml.CSafeDumper,
)


@dataclass(frozen=True)
class Made:
    """What was written, for the report."""

    files: int
    learners: int
    resubmitted: int
    invalid: int
    old_version: int
    json_files: int
    bytes: int


def walk(scenario: Dialogue, rng: random.Random, skill: float) -> list[str]:
    """A path of reply ids from the start to an ending; a skilled learner picks the best-scoring reply more often."""
    path: list[str] = []
    node_id = scenario.start
    while len(path) < MAX_PATH:
        node = scenario.nodes.get(node_id)
        if node is None or not node.replies:
            break
        replies = list(node.replies)
        best = max(replies, key=lambda r: r.score)
        reply = best if rng.random() < skill else rng.choice(replies)
        path.append(reply.id)
        if replay(scenario, path).ending is not None:
            break
        node_id = reply.next
    return path


def _near_miss(path: list[str], rng: random.Random) -> list[str]:
    """A path that does not replay: cut short before its ending, or a reply id mistyped."""
    if len(path) > 1 and rng.random() < 0.5:
        return path[:-1]
    at = rng.randrange(len(path)) if path else 0
    return path[:at] + ["r999"] + path[at + 1 :]


def _correct_ids(key: ItemKey, question: Question) -> list[str]:
    if isinstance(key.correct, list):
        return [str(c) for c in key.correct]
    return [o.id for o in question.options if key.weights.get(o.id, 0) > 0]


def answer(question: Question, key: ItemKey, course: Course, rng: random.Random, skill: float):
    """One answer as a learner would give it: right with probability `skill`, otherwise wrong or partly right."""
    right = rng.random() < skill
    kind = question.type
    if kind == "single":
        ids = [o.id for o in question.options]
        return key.correct if right else rng.choice([i for i in ids if i != key.correct] or ids)
    if kind == "true_false":
        return key.correct if right else not key.correct
    if kind == "multiple":
        correct = _correct_ids(key, question)
        if right:
            return correct
        ids = [o.id for o in question.options]
        picked = [i for i in ids if (i in correct) == (rng.random() < 0.7)]
        return picked or [rng.choice(ids)]
    if kind == "ordering":
        order = [str(c) for c in key.correct]
        if not right:
            if rng.random() < 0.6 and len(order) > 1:
                at = rng.randrange(len(order) - 1)
                order[at], order[at + 1] = order[at + 1], order[at]
            else:
                rng.shuffle(order)
        return order
    if kind == "matching":
        choices = [c.id for c in question.choices]
        return {
            pair: (str(correct) if rng.random() < (skill if not right else 1.0) else rng.choice(choices))
            for pair, correct in key.correct.items()
        }
    if kind == "short_text":
        accepted = list(key.accept) or ["?"]
        if right:
            word = rng.choice(accepted)
            return rng.choice([word, word.title(), word.upper(), f" {word}  "])
        return rng.choice(["listen", "say sorry", "escalate", "refund", "I don't know", "calm down"])
    if kind == "dialogue":
        path = walk(course.dialogues[question.scenario], rng, skill)
        return _near_miss(path, rng) if rng.random() < SHARE_BAD_PATH else path
    raise ValueError(f"no generator for question type {kind}")


def document(course: Course, activity: str, learner: tuple[str, str], when: datetime, rng: random.Random) -> dict:
    """One answer-file document (before any deliberate breakage)."""
    quiz = course.activity(activity)
    key = course.key_for(activity)
    skill = rng.uniform(0.35, 0.95)
    answers = {}
    for question in quiz.questions:
        if rng.random() < SHARE_UNANSWERED:
            continue
        answers[question.id] = answer(question, key.items[question.id], course, rng, skill)
    doc = {"format": 1, "quiz": activity, "version": _Quoted(quiz.version)}
    draw = rng.random()
    if draw < SHARE_OLD_VERSION:
        doc["version"] = _Quoted(f"{rng.getrandbits(32):08x}")
    elif draw < SHARE_OLD_VERSION + SHARE_NO_VERSION:
        del doc["version"]
    doc["learner"] = {"id": learner[0], "name": learner[1]}
    doc["submitted"] = when.strftime("%Y-%m-%dT%H:%M:%SZ")
    doc["answers"] = answers
    return doc


def render(doc: dict, as_json: bool) -> bytes:
    """The file's bytes, as the site or a hand editor would write them."""
    if as_json:
        return (json.dumps(doc, indent=2, ensure_ascii=False) + "\n").encode("utf-8")
    text = yaml.dump(doc, Dumper=yaml.CSafeDumper, sort_keys=False, default_flow_style=None, allow_unicode=True, width=120)
    return text.encode("utf-8")


def broken(doc: dict, kind: str, rng: random.Random) -> bytes:
    """A file the grader must reject, of the given kind."""
    if kind == "bad-learner-id":
        doc["learner"]["id"] = rng.choice(["../../etc", "has space", "", ".hidden", "a" * 70])
    elif kind == "unknown-quiz":
        doc["quiz"] = doc["quiz"] + "-old"
    elif kind == "missing-learner":
        del doc["learner"]
    text = render(doc, False)
    if kind == "bad-yaml":
        text = text.replace(b"answers:\n", b"answers:\n  q1: [a, b\n", 1)
    elif kind == "duplicate-key":
        text = text.replace(b"format: 1\n", b"format: 1\nformat: 1\n", 1)
    elif kind == "not-utf8":
        text = text.replace(b"learner:", b"# r\xe9sum\xe9\nlearner:", 1)
    return text


def _learner(index: int, rng: random.Random) -> tuple[str, str]:
    first, last = rng.choice(FIRST), rng.choice(LAST)
    if rng.random() < 0.1:  # some classes use e-mail addresses as ids
        return f"{first.lower()}.{index}@example.org".encode("ascii", "ignore").decode(), f"{first} {last}"
    return f"s2026{index:05d}", f"{first} {last}"


def make(course: Course, out: Path, files: int, seed: int = 2026) -> Made:
    """Write `files` answer files under `out` (folders per activity, broken ones in inbox/)."""
    rng = random.Random(seed)
    activities = sorted(course.quizzes) + sorted(course.dialogues)
    activities = [a for a in activities if course.key_for(a) is not None]
    n_resub = round(files * SHARE_RESUBMITTED)
    n_invalid = round(files * SHARE_INVALID)
    n_first = files - n_resub - n_invalid
    handed: list[tuple[str, tuple[str, str], datetime]] = []
    index = 0
    while len(handed) < n_first:
        index += 1
        learner = _learner(index, rng)
        chosen = rng.sample(activities, k=max(1, len(activities) - rng.randrange(4)))
        for activity in chosen[: n_first - len(handed)]:
            handed.append((activity, learner, START + timedelta(minutes=rng.randrange(14400))))
    total = json_files = old = 0
    plans = [(a, lrn, when, "") for a, lrn, when in handed]
    plans += [(a, lrn, when + timedelta(hours=rng.randint(1, 48)), "-attempt-2") for a, lrn, when in rng.sample(handed, n_resub)]
    plans += [(a, lrn, when, "broken") for a, lrn, when in rng.sample(handed, n_invalid)]
    for number, (activity, learner, when, suffix) in enumerate(plans):
        doc = document(course, activity, learner, when, rng)
        if suffix == "broken":
            kind = BROKEN[number % len(BROKEN)]
            path = out / "inbox" / f"broken-{number:05d}-{kind}.yml"
            data = broken(doc, kind, rng)
        else:
            as_json = rng.random() < SHARE_JSON
            json_files += as_json
            old += doc.get("version") != course.activity(activity).version
            path = out / activity / f"{learner[0]}{suffix}.{'json' if as_json else 'yml'}"
            data = render(doc, as_json)
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
        total += len(data)
    return Made(len(plans), index, n_resub, n_invalid, old, json_files, total)
