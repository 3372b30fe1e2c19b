"""Practice sets (quizzes/practice/<lesson>.yml): questions with their keys, and their places in the lessons."""

from __future__ import annotations

from pathlib import Path, PurePosixPath

from grader.common.problems import Problem
from grader.course.keys import item_key, key_problems
from grader.course.lessons import fences, sections
from grader.course.model import PracticeSet, Step
from grader.course.quizzes import question_from, repeated
from grader.formats.loader import Loaded
from grader.formats.schemas import where

FENCE = "practice"
"""The fence that places a set: ```` ```practice ```` holding `<lesson>#<section>`."""


def practice_sets(loaded: Loaded, steps: dict, problems: list[Problem]) -> tuple[list[PracticeSet], list[tuple]]:
    """The sets of one practice file, and the lesson references to check (file, line, key path, `page#section`)."""
    data, file = loaded.data, loaded.file
    lesson, stem = data["lesson"], Path(file).stem
    if PurePosixPath(lesson).stem != stem:
        problems.append(
            Problem(
                file,
                f"the file is named after lesson '{stem}' but its lesson is {lesson}; name it {PurePosixPath(lesson).stem}.yml",
                loaded.line_of(("lesson",)),
                "lesson",
            )
        )
    sets, refs, seen_sections, question_ids = [], [], set(), []
    for si, raw in enumerate(data["sets"]):
        section = raw["section"]
        if section in seen_sections:
            problems.append(
                Problem(
                    file,
                    f"section '{section}' has two sets; merge them",
                    loaded.line_of(("sets", si, "section")),
                    where(("sets", si)),
                )
            )
        seen_sections.add(section)
        refs.append((file, loaded.line_of(("sets", si, "section")), where(("sets", si, "section")), f"{lesson}#{section}"))
        questions, keys = [], {}
        for qi, entry in enumerate(raw["questions"]):
            at = ("sets", si, "questions", qi)
            question = question_from(entry, at, loaded, steps, problems, f"{lesson}#{section}")
            problems.extend(key_problems(question, entry["key"], at + ("key",), loaded))
            questions.append(question)
            keys[question.id] = item_key(question, entry["key"])
            question_ids.append((at, question.id))
        sets.append(PracticeSet(f"{stem}#{section}", lesson, section, tuple(questions), keys, file, loaded.line_of(("sets", si))))
    for index, dup in repeated(qid for _, qid in question_ids):
        at = question_ids[index][0]
        problems.append(
            Problem(
                file,
                f"question id '{dup}' is used twice in this file; the page keeps answers by it",
                loaded.line_of(at + ("id",)),
                where(at + ("id",)),
            )
        )
    return sets, refs


def _placed_problem(practice: PracticeSet, page: str, line: int, text: str) -> str | None:
    """Why a fence for `practice` at `line` of docs/`page` is in the wrong place, or None."""
    if page != practice.lesson:
        return f"practice set '{practice.id}' belongs to docs/{practice.lesson}; move this fence there"
    headings = sections(text)
    start = next((h for h in headings if h[2] == practice.section), None)
    if start is None:
        return None  # the missing section is reported once, as a lesson reference of the practice file
    after = [h for h in headings if h[0] > start[0] and h[1] <= start[1]]
    if line < start[0] or (after and line > after[0][0]):
        inside = [h for h in headings if h[0] < line]
        now = f"section #{inside[-1][2]}" if inside else "the page's opening"
        return f"practice set '{practice.id}' is placed in {now}; move the fence to the end of section #{practice.section}"
    return None


def fence_problems(root: Path, sets: dict[str, PracticeSet], unreadable: set[str]) -> list[Problem]:
    """Every set placed once, in its own lesson section, and every `practice` fence naming a set.

    Fences naming a set of an `unreadable` file (by its name) are not blamed: that file's problems are reported.
    """
    docs, out = root / "docs", list[Problem]()
    if not docs.is_dir():
        return out
    placed: dict[str, tuple[str, int]] = {}
    for path in sorted(docs.rglob("*.md")):
        page = path.relative_to(docs).as_posix()
        text = path.read_text(encoding="utf-8")
        for line, set_id in fences(text, FENCE):
            shown = f"docs/{page}"
            if set_id.partition("#")[0] in unreadable:
                continue
            if not set_id:
                out.append(Problem(shown, "the practice fence is empty; write the id of its set, `<lesson>#<section>`", line))
                continue
            if set_id not in sets:
                known = ", ".join(s for s in sets if sets[s].lesson == page) or "none for this page"
                out.append(
                    Problem(
                        shown,
                        f"the practice fence names '{set_id}', which no file in quizzes/practice/ has (sets: {known})",
                        line,
                    )
                )
                continue
            if set_id in placed:
                first = placed[set_id]
                out.append(
                    Problem(
                        shown, f"practice set '{set_id}' is placed twice (first at docs/{first[0]}:{first[1]}); keep one", line
                    )
                )
                continue
            placed[set_id] = (page, line)
            reason = _placed_problem(sets[set_id], page, line, text)
            if reason:
                out.append(Problem(shown, reason, line))
    for practice in sets.values():
        if practice.id not in placed:
            out.append(
                Problem(
                    practice.file,
                    f"practice set '{practice.id}' is on no page; end section #{practice.section} of docs/{practice.lesson} "
                    f"with a fence: ```{FENCE} {practice.id} ```",
                    practice.line,
                )
            )
    return out


def step_problems(steps: dict[str, Step], sets: dict[str, PracticeSet]) -> list[Problem]:
    """Each step taught in a lesson section with practice has at least one question in that section's set."""
    out: list[Problem] = []
    by_section = {(s.lesson, s.section): s for s in sets.values()}
    practised = {s.lesson for s in sets.values()}
    for step in steps.values():
        page, _, section = step.lesson.partition("#")
        if page not in practised or not section:
            continue
        practice = by_section.get((page, section))
        if practice is None:
            out.append(
                Problem(
                    next(s.file for s in sets.values() if s.lesson == page),
                    f"section #{section} teaches step '{step.id}' ({step.title}) but has no practice set; add one with a question on it",
                )
            )
        elif not any(step.id in q.steps for q in practice.questions):
            out.append(
                Problem(
                    practice.file,
                    f"no question of set '{practice.id}' practises step '{step.id}' ({step.title}), which its section teaches; tag one with it",
                    practice.line,
                )
            )
    return out
