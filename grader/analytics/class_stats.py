"""Class statistics from graded results: Moodle-style quiz and item analysis, dialogue paths, step mastery. No I/O.

Every function reads the `results.json` document that `grader grade` writes (or the
same document built in memory) and returns plain dicts that print as JSON.
Shares (facility, discrimination, ...) are numbers from 0 to 1; the tables and the
report show them as percentages, as Moodle does."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from typing import Any

from grader.analytics.cohort_stats import cohort_section, missing_by_quiz
from grader.analytics.dialogue_stats import dialogue_section, plays
from grader.analytics.distractors import distractors
from grader.analytics.mastery import step_mastery
from grader.analytics.statistics import (
    DISCRIMINATION_LOW,
    EFFICIENCY_LOW,
    FACILITY_HIGH,
    FACILITY_LOW,
    MASTERED,
    WEAK,
    distribution,
    flags,
    item_analysis,
)
from grader.grading.scoring import normalise_text


def _label(choices: dict, cid: Any) -> str:
    text = choices.get(str(cid))
    return f"{cid}: {text}" if text else str(cid)


def responses(question, items: list[dict], key=None) -> list[dict]:
    """How often each answer was given: options for single/multiple/true-false, choices per pair for matching, every short text, the commonest orders."""
    n = len(items)
    rows: list[dict] = []

    def row(answer: str, count: int, correct: bool | None, group: str = "", *, author: bool = False) -> None:
        # author: the answer (and group) are the course's own texts, in author Markdown; otherwise what learners wrote.
        rows.append(
            {
                "group": group,
                "answer": answer,
                "count": count,
                "share": count / n if n else None,
                "correct": correct,
                "author": author,
            }
        )

    answered = [i for i in items if i.get("answered")]
    kind = question.type
    if kind in ("single", "multiple"):
        texts = {o.id: o.text for o in question.options}
        picked: Counter = Counter()
        for item in answered:
            value = item["answer"]
            for choice in value if isinstance(value, list) else [value]:
                picked[str(choice)] += 1
        right: set[str] = set()
        if key is not None:
            right = {key.correct} if kind == "single" else set(key.correct or ())
        for option in question.options:
            row(
                _label(texts, option.id), picked.pop(option.id, 0), (option.id in right) if key is not None else None, author=True
            )
        for other, count in sorted(picked.items()):
            row(f"{other} (not an option)", count, False)
    elif kind == "true_false":
        said = Counter(i["answer"] for i in answered if isinstance(i["answer"], bool))
        for value in (True, False):
            row("true" if value else "false", said[value], (value == key.correct) if key is not None else None)
        if len(answered) > said[True] + said[False]:
            row("(neither true nor false)", len(answered) - said[True] - said[False], False)
    elif kind == "matching":
        pairs = {p.id: p.text for p in question.pairs}
        choices = {c.id: c.text for c in question.choices}
        for pair in question.pairs:
            counts = Counter(
                str(i["answer"].get(pair.id))
                for i in answered
                if isinstance(i["answer"], dict) and i["answer"].get(pair.id) is not None
            )
            expected = key.correct.get(pair.id) if key is not None and isinstance(key.correct, dict) else None
            for choice in question.choices:
                row(
                    _label(choices, choice.id),
                    counts[choice.id],
                    (choice.id == expected) if key is not None else None,
                    _label(pairs, pair.id),
                    author=True,
                )
    elif kind == "dialogue":
        counts = Counter((i.get("evidence") or {}).get("ending") or "(path not valid)" for i in answered)
        for ending, count in counts.most_common():
            row(ending, count, None)
    elif kind == "short_text":
        # Every distinct answer as scoring compares it, wrong ones first: each is a candidate for an override.
        given: Counter = Counter()
        right_text: dict[str, bool] = {}
        for item in answered:
            shown = normalise_text(item["answer"]) if isinstance(item["answer"], str) else str(item["answer"])
            given[shown] += 1
            right_text[shown] = right_text.get(shown, False) or bool(item.get("correct"))
        for shown, count in sorted(given.items(), key=lambda kv: (right_text[kv[0]], -kv[1], kv[0])):
            row(shown, count, right_text[shown])
    else:
        # ordering: the five commonest orders as given
        counts = Counter()
        ever_right: dict[str, bool] = {}
        for item in answered:
            value = item["answer"]
            shown = " → ".join(map(str, value)) if isinstance(value, list) else str(value)
            counts[shown] += 1
            ever_right[shown] = ever_right.get(shown, False) or bool(item.get("correct"))
        for shown, count in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))[:5]:
            row(shown, count, ever_right[shown])
        others = sum(counts.values()) - sum(r["count"] for r in rows)
        if others:
            row("(other orders)", others, None)
    row("(not answered)", n - len(answered), None)
    return rows


class _Meta:
    """A question as results.json describes it, with the course's texts when the course still has it."""

    def __init__(self, raw: dict, question=None):
        self.id, self.type, self.points = raw["id"], raw["type"], float(raw["points"])
        self.steps = tuple(raw.get("steps") or ())
        self.scenario = raw.get("scenario")
        self.prompt = question.prompt if question else ""
        self.options = question.options if question else ()
        self.pairs = question.pairs if question else ()
        self.choices = question.choices if question else ()


def _questions(quiz_id: str, meta: dict, course) -> list[_Meta]:
    live = course.activity(quiz_id) if course is not None else None
    by_id = {q.id: q for q in live.questions} if live else {}
    return [_Meta(raw, by_id.get(raw["id"])) for raw in meta["questions"]]


def quiz_section(quiz_id: str, meta: dict, results: list[dict], course=None) -> dict:
    """Scores, reliability and item analysis for one quiz."""
    questions = _questions(quiz_id, meta, course)
    rows = sorted((r for r in results if r["quiz"] == quiz_id), key=lambda r: r["learner"]["id"])
    items_of = [{i["question"]: i for i in r["items"]} for r in rows]
    matrix = [[float(by.get(q.id, {}).get("score", 0.0)) for q in questions] for by in items_of]
    maxima = [q.points for q in questions]
    item_stats, quiz = item_analysis(matrix, maxima)
    totals = [sum(row) for row in matrix]
    top = float(meta["max"])
    keys = getattr(course, "keys", {}) or {}
    key = keys.get(quiz_id)
    out_questions = []
    for q, stats in zip(questions, item_stats, strict=True):
        given = [by.get(q.id, {"answered": False, "answer": None}) for by in items_of]
        entry = {
            "id": q.id,
            "type": q.type,
            "points": q.points,
            "steps": list(q.steps),
            "scenario": q.scenario,
            "prompt": q.prompt,
            **stats,
        }
        entry["sd_share"] = stats["sd"] / q.points if stats["sd"] is not None and q.points else None
        entry["responses"] = responses(q, given, key.items.get(q.id) if key else None)
        entry["flags"] = flags(stats)
        if q.type in ("single", "multiple"):
            item_key = key.items.get(q.id) if key else None
            right = None if item_key is None else {item_key.correct} if q.type == "single" else set(item_key.correct or ())
            entry["distractors"] = distractors([o.id for o in q.options], right, [by.get(q.id) for by in items_of], totals)
        out_questions.append(entry)
    percents = [100 * r["score"] / r["max"] if r["max"] else 0.0 for r in rows]

    def share(value):
        return value / top if value is not None and top else None

    return {
        "id": quiz_id,
        "title": meta.get("title", quiz_id),
        "kind": meta.get("kind", "quiz"),
        "max": top,
        "learners": len(rows),
        **{
            k: quiz[k]
            for k in ("mean", "median", "sd", "skewness", "kurtosis", "cic", "cic_method", "error_ratio", "standard_error")
        },
        "mean_share": share(quiz["mean"]),
        "median_share": share(quiz["median"]),
        "sd_share": share(quiz["sd"]),
        "standard_error_share": share(quiz["standard_error"]),
        "distribution": distribution(percents),
        "scores": [
            {
                "learner": r["learner"]["id"],
                "name": r["learner"].get("name") or "",
                "score": r["score"],
                "max": r["max"],
                "percent": r["percent"],
            }
            for r in rows
        ],
        "questions": out_questions,
    }


def class_statistics(doc: dict, course=None, *, source: dict | None = None) -> dict:
    """Every statistic for a results document: quizzes, dialogues and model steps."""
    results = doc["results"]
    ordered = sorted(doc["quizzes"].items(), key=lambda kv: (kv[1].get("kind") == "dialogue", kv[0]))
    quizzes = [quiz_section(qid, meta, results, course) for qid, meta in ordered if any(r["quiz"] == qid for r in results)]
    scenario_plays = plays(doc)
    scenarios = course.dialogues if course is not None else {}
    dialogue_rows = [dialogue_section(scenarios[sid], scenario_plays[sid]) for sid in sorted(scenario_plays) if sid in scenarios]
    cohort = cohort_section(doc)
    absent = missing_by_quiz(cohort)
    for quiz in quizzes:
        quiz["missing"] = absent.get(quiz["id"], [])
    return {
        "format": 1,
        "source": source or {},
        "generated": doc.get("generated"),
        "learners": len({r["learner"]["id"] for r in results}),
        "results": len(results),
        "thresholds": {
            "facility_high": FACILITY_HIGH,
            "facility_low": FACILITY_LOW,
            "discrimination_low": DISCRIMINATION_LOW,
            "efficiency_low": EFFICIENCY_LOW,
            "mastered_at": MASTERED,
            "weak_below": WEAK,
        },
        "quizzes": quizzes,
        "dialogues": dialogue_rows,
        "missing_scenarios": sorted(set(scenario_plays) - set(scenarios)),
        "steps": step_mastery(doc, course),
        "cohort": cohort,
    }


def iter_flags(stats: dict) -> Iterable[tuple[dict, dict, dict]]:
    """(quiz, question, flag) for every flagged question, in quiz order."""
    for quiz in stats["quizzes"]:
        for question in quiz["questions"]:
            for flag in question["flags"]:
                yield quiz, question, flag
