"""Answer keys, checked against their quiz: every question answered, every id known, feedback for every option."""

from __future__ import annotations

import re

from grader.common.problems import Problem
from grader.course.model import DEFAULT_POLICY, POLICIES, ItemKey, Key, Question, Quiz
from grader.course.patterns import page_problem
from grader.formats.loader import Loaded
from grader.formats.schemas import where


def key_problems(question: Question, entry: dict, at: tuple, loaded: Loaded) -> list[Problem]:
    """Problems with one key entry measured against its question."""
    file, out = loaded.file, []

    def say(message: str, *more) -> None:
        out.append(Problem(file, message, loaded.line_of(at + more), where(at + more)))

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
        if (
            not isinstance(correct, list)
            or not correct
            or any(c not in option_ids for c in correct)
            or len(set(correct)) != len(correct)
        ):
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
                    say(
                        f"pair '{pair}' is matched to '{choice}', which is not a choice ({', '.join(choice_ids)})",
                        "correct",
                        pair,
                    )
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
            else:
                # Practice, and graded quizzes in the self-study build, are scored on the page by the same pattern.
                reason = page_problem(entry["pattern"])
                if reason:
                    say(f"pattern: {reason}", "pattern")
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


def item_key(question: Question, entry: dict) -> ItemKey:
    """One key entry (of an answer key or a practice question) as an ItemKey, its policy defaulted by the question's type."""
    return ItemKey(
        correct=entry.get("correct"),
        policy=entry.get("policy") or DEFAULT_POLICY.get(question.type),
        weights=dict(entry.get("weights") or {}),
        feedback=dict(entry.get("feedback") or {}),
        accept=tuple(entry.get("accept") or ()),
        pattern=entry.get("pattern"),
    )


def _key(loaded: Loaded, quiz: Quiz, problems: list[Problem]) -> Key:
    data, file = loaded.data, loaded.file
    if data["quiz"] != quiz.id:
        problems.append(
            Problem(
                file,
                f"this key says it is for quiz '{data['quiz']}', but it sits beside quiz '{quiz.id}'",
                loaded.line_of(("quiz",)),
                "quiz",
            )
        )
    answers = data["answers"]
    by_id = {q.id: q for q in quiz.questions}
    for qid in answers:
        if qid not in by_id:
            problems.append(
                Problem(
                    file,
                    f"an answer for question '{qid}', which quiz '{quiz.id}' does not have",
                    loaded.line_of(("answers", qid)),
                    f"answers.{qid}",
                )
            )
    items = {}
    for question in quiz.questions:
        entry = answers.get(question.id)
        if entry is None:
            problems.append(
                Problem(
                    file,
                    f"no answer for question '{question.id}' of quiz '{quiz.id}'; add it under answers",
                    loaded.line_of(("answers",)),
                    "answers",
                )
            )
            continue
        problems.extend(key_problems(question, entry, ("answers", question.id), loaded))
        items[question.id] = item_key(question, entry)
    return Key(quiz.id, items, float(data.get("negative_marking", 0)), file)
