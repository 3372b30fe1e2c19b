"""Practice sets (quizzes/practice/): the real course's sets, and every mistake `grader check` reports in one, with file,
line and fix: the schema, the keys, the steps each section teaches, and the fences that place each set in its section."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from grader.course import TYPES, inspect_course, load_course
from grader.course.lessons import sections
from grader.course.patterns import page_problem
from tests.conftest import ROOT

SITE_COURSE = ROOT / "tests" / "cases" / "site" / "course"
PRACTICE = Path("quizzes") / "practice" / "basics.yml"
LESSON = Path("docs") / "lessons" / "basics.md"


@pytest.fixture(scope="module")
def course():
    return load_course(ROOT)


# ---------------------------------------------------------------- the real course


def test_the_course_has_its_forty_sets(course):
    assert len(course.practice) == 40
    assert sum(len(p.questions) for p in course.practice.values()) == 86


def test_every_lesson_section_but_the_dialogue_ends_with_its_set(course):
    for page in sorted((ROOT / "docs" / "lessons").glob("*.md")):
        lesson = f"lessons/{page.name}"
        wanted = [
            anchor for _, level, anchor in sections(page.read_text(encoding="utf-8")) if level == 2 and anchor != "practise"
        ]
        found = [p.section for p in course.practice.values() if p.lesson == lesson]
        assert found == wanted, lesson


def test_every_question_type_but_dialogue_is_practised(course):
    used = {q.type for p in course.practice.values() for q in p.questions}
    assert used == set(TYPES) - {"dialogue"}


def test_practice_keys_are_loaded_without_the_graded_keys(course):
    assert course.keys == {}
    practice = course.practice["five-step-process#goal"]
    assert practice.keys["goal-2"].pattern and practice.keys["goal-1"].correct == "b"
    assert practice.questions[0].lesson == "lessons/five-step-process.md#goal"


def test_the_schema_is_the_quiz_question_and_key_entry_less_dialogues():
    # One structure, said twice: a practice question is a quiz question with a key entry, and no dialogue.
    schemas = ROOT / "grader" / "schemas"
    quiz = json.loads((schemas / "quiz.schema.json").read_text())["properties"]["questions"]["items"]
    key = json.loads((schemas / "key.schema.json").read_text())["properties"]["answers"]["additionalProperties"]
    practice = json.loads((schemas / "practice.schema.json").read_text())
    question = practice["$defs"]["question"]
    assert set(question["properties"]) == (set(quiz["properties"]) - {"scenario", "lesson"}) | {"key"}
    assert question["properties"]["type"]["enum"] == [t for t in quiz["properties"]["type"]["enum"] if t != "dialogue"]
    assert {k: v for k, v in practice["$defs"]["key"].items() if k != "description"} == {
        k: v for k, v in key.items() if k != "description"
    }
    assert practice["$defs"]["choice"] == quiz["properties"]["options"]["items"]


def test_every_practice_file_names_its_schema():
    for path in sorted((ROOT / "quizzes" / "practice").glob("*.yml")):
        first = path.read_text(encoding="utf-8").splitlines()[0]
        assert first == "# yaml-language-server: $schema=../../grader/schemas/practice.schema.json", path.name


# ---------------------------------------------------------------- mistakes, each with its file, line and fix


@pytest.fixture
def copy(tmp_path) -> Path:
    target = tmp_path / "course"
    shutil.copytree(SITE_COURSE, target)
    return target


def change(course: Path, name: Path, old: str, new: str) -> None:
    path = course / name
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} is not in {name}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def problems_of(course: Path) -> list[str]:
    return [str(p) for p in inspect_course(course, keys=True)[1]]


def test_the_fixture_checks_clean(copy):
    assert problems_of(copy) == []
    assert list(load_course(copy).practice) == ["basics#listen", "basics#sorry", "basics#fix"]


CASES = [
    (
        "set-on-no-page",
        LESSON,
        "```practice\nbasics#sorry\n```\n",
        "",
        "quizzes/practice/basics.yml:30: practice set 'basics#sorry' is on no page; end section #sorry of docs/lessons/basics.md "
        "with a fence: ```practice basics#sorry ```",
    ),
    (
        "fence-names-no-set",
        LESSON,
        "basics#sorry\n",
        "basics#sory\n",
        "docs/lessons/basics.md:15: the practice fence names 'basics#sory', which no file in quizzes/practice/ has "
        "(sets: basics#listen, basics#sorry, basics#fix)",
    ),
    (
        "set-placed-twice",
        LESSON,
        "Do not argue.\n",
        "Do not argue.\n\n```practice\nbasics#fix\n```\n",
        "docs/lessons/basics.md:31: practice set 'basics#fix' is placed twice (first at docs/lessons/basics.md:23); keep one",
    ),
    (
        "fence-in-another-section",
        LESSON,
        "Apologise.\n\n```practice\nbasics#sorry\n```\n",
        "Apologise.\n\n```practice\nbasics#fix\n```\n",
        "docs/lessons/basics.md:15: practice set 'basics#fix' is placed in section #sorry; move the fence to the end of section #fix",
    ),
    (
        "fence-on-another-page",
        Path("docs") / "index.md",
        "# ",
        "```practice\nbasics#pitfalls-none\n```\n\n# ",
        "docs/index.md:1: the practice fence names 'basics#pitfalls-none', which no file in quizzes/practice/ has",
    ),
    (
        "section-not-in-the-lesson",
        PRACTICE,
        "section: fix",
        "section: fixing",
        "quizzes/practice/basics.yml:62 (sets[2].section): section '#fixing' is not in docs/lessons/basics.md; give the heading {#fixing}",
    ),
    (
        "unknown-step",
        PRACTICE,
        "steps: [calm.listen]\n        prompt: |",
        "steps: [calm.lisen]\n        prompt: |",
        "quizzes/practice/basics.yml:10 (sets[0].questions[0].steps): unknown model step 'calm.lisen'; see quizzes/models.yml",
    ),
    (
        "key-names-no-option",
        PRACTICE,
        "correct: a\n",
        "correct: z\n",
        "quizzes/practice/basics.yml:17 (sets[0].questions[0].key.correct): correct must be one of the option ids (a, b)",
    ),
    (
        "key-without-feedback-for-an-option",
        PRACTICE,
        '            b: "PRACTICE-FEEDBACK-sorry-b: an order, not an apology."\n',
        "",
        "quizzes/practice/basics.yml:43 (sets[1].questions[0].key.feedback): no feedback for 'b'; every option needs feedback",
    ),
    (
        "question-without-key",
        PRACTICE,
        "        key:\n          correct: true\n",
        "        answer:\n          correct: true\n",
        "quizzes/practice/basics.yml:21 (sets[0].questions[1]): lacks the key 'key'; add it",
    ),
    (
        "a-dialogue-question",
        PRACTICE,
        "type: true_false",
        "type: dialogue",
        'quizzes/practice/basics.yml:22 (sets[0].questions[1].type): must be one of "single", "multiple", "true_false", '
        '"ordering", "matching", "short_text", not "dialogue"',
    ),
    (
        "pattern-the-page-reads-otherwise",
        PRACTICE,
        "pattern: '^(a )?remedy$'",
        "pattern: '^(a )?remedy\\b'",
        "quizzes/practice/basics.yml:84 (sets[2].questions[1].key.pattern): pattern: \\b means something else on the page than "
        "in the grader; write ( |$) or (^| ) around the word",
    ),
    (
        "question-id-twice",
        PRACTICE,
        "id: fix-2",
        "id: listen-1",
        "quizzes/practice/basics.yml:78 (sets[2].questions[1].id): question id 'listen-1' is used twice in this file",
    ),
    (
        "section-twice",
        PRACTICE,
        "section: fix",
        "section: sorry",
        "quizzes/practice/basics.yml:62 (sets[2]): section 'sorry' has two sets; merge them",
    ),
    (
        "file-named-for-another-lesson",
        PRACTICE,
        "lesson: lessons/basics.md",
        "lesson: index.md",
        "quizzes/practice/basics.yml:3 (lesson): the file is named after lesson 'basics' but its lesson is index.md; name it index.yml",
    ),
    (
        "lesson-with-a-section",
        PRACTICE,
        "lesson: lessons/basics.md",
        "lesson: lessons/basics.md#listen",
        'quizzes/practice/basics.yml:3 (lesson): "lessons/basics.md#listen" is not a valid lesson page: use a page '
        "path under docs/ without a section, such as lessons/five-step-process.md",
    ),
    (
        "section-with-its-hash",
        PRACTICE,
        "section: fix",
        "section: '#fix'",
        'quizzes/practice/basics.yml:62 (sets[2].section): "#fix" is not a valid section anchor: use the '
        "section's anchor without the #, such as clarify for {#clarify}",
    ),
]


@pytest.mark.parametrize(("name", "file", "old", "new", "expected"), CASES, ids=[c[0] for c in CASES])
def test_a_mistake_is_reported_with_its_file_line_and_fix(copy, name, file, old, new, expected):
    change(copy, file, old, new)
    found = problems_of(copy)
    assert any(p.startswith(expected) for p in found), "\n".join(found)


def test_a_section_whose_step_no_question_practises_is_named(copy):
    change(copy, PRACTICE, "steps: [calm.listen, calm.sorry, calm.fix]", "steps: [calm.listen, calm.sorry]")
    change(copy, PRACTICE, "        steps: [calm.fix]\n", "        steps: []\n")
    assert problems_of(copy) == [
        "quizzes/practice/basics.yml:62: no question of set 'basics#fix' practises step 'calm.fix' (Fix it), which its section "
        "teaches; tag one with it"
    ]


def test_a_section_that_teaches_a_step_needs_a_set(copy):
    text = (copy / PRACTICE).read_text(encoding="utf-8")
    (copy / PRACTICE).write_text(text[: text.index("  - section: fix")], encoding="utf-8")
    change(copy, LESSON, "```practice\nbasics#fix\n```\n", "")
    assert problems_of(copy) == [
        "quizzes/practice/basics.yml: section #fix teaches step 'calm.fix' (Fix it) but has no practice set; add one with a question on it"
    ]


def test_a_file_the_schema_refuses_is_reported_once_not_again_at_its_fences(copy):
    change(copy, PRACTICE, "type: true_false", "type: dialogue")
    found = problems_of(copy)
    assert len(found) == 1 and "must be one of" in found[0], found


def test_a_fence_shown_in_fenced_code_is_an_example_not_a_placement(copy):
    change(copy, Path("docs") / "index.md", "# ", "````markdown\n```practice\nbasics#listen\n```\n````\n\n# ")
    assert problems_of(copy) == []


def test_a_fence_that_holds_nothing_is_named(copy):
    change(copy, LESSON, "Do not argue.\n", "Do not argue.\n\n```practice\n```\n")
    assert problems_of(copy) == [
        "docs/lessons/basics.md:31: the practice fence is empty; write the id of its set, `<lesson>#<section>`"
    ]


def test_a_lesson_without_practice_asks_nothing_of_its_sections(copy):
    (copy / PRACTICE).unlink()
    for section in ("listen", "sorry", "fix"):
        change(copy, LESSON, f"```practice\nbasics#{section}\n```\n", "")
    assert problems_of(copy) == []


# ---------------------------------------------------------------- patterns the page runs as the grader does


@pytest.mark.parametrize(
    "pattern",
    [
        r"^(a )?win[- /]?win[.!]?$",
        r"^check ?-?backs?$",
        r"[a-z]{2,}",
        r"(a|b)\1",
        r"\.\*\(\)",
        r"caf\u00e9|\x41",
        r"(?:a)(?=b)(?!c)",
    ],
)
def test_a_pattern_both_read_alike_is_accepted(pattern):
    assert page_problem(pattern) is None


@pytest.mark.parametrize(
    ("pattern", "reason"),
    [
        (r"\d+", r"\d means something else on the page than in the grader; write [0-9]"),
        (r"\bfix\b", r"\b means something else"),
        (r"(?P<word>fix)", "the group (?P<... is Python's own syntax"),
        (r"(?i)fix", "the group (?i)... is Python's own syntax"),
        (r"fix{,2}", "a { that is not a count"),
        (r"fix]", "a lone ]"),
        (r"fix++", "a possessive quantifier"),
        (r"[]x]", "a character class that opens with ]"),
        (r"[fix", "a character class that is never closed"),
        (r"fix\-it", r"the escape \- is not read the same way"),
    ],
)
def test_a_pattern_the_page_would_read_otherwise_is_named(pattern, reason):
    assert page_problem(pattern).startswith(reason)
