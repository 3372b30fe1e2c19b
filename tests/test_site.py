"""The quiz, dialogue and dialogue-map fences, through a real `mkdocs build --strict` of a small course.

Golden files live in tests/cases/site/golden/; rewrite them with UPDATE_GOLDEN=1 and read the diff.
"""

from __future__ import annotations

import html
import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from pymdownx.superfences import SuperFencesException

from grader import site
from grader.common.ids import LEARNER_ID_PATTERN, LEARNER_ID_RULE
from grader.course import inspect_course, load_course
from grader.dialogue.analysis import analyse_paths
from grader.site import scenario_map as dialogue_map

HERE = Path(__file__).resolve().parent
COURSE = HERE / "cases" / "site" / "course"
GOLDEN = HERE / "cases" / "site" / "golden"
PROJECT = HERE.parent
UPDATE = os.environ.get("UPDATE_GOLDEN") == "1"
KEY_ONLY = ("KEY-ONLY-FEEDBACK-7f3a", "keyonlyanswerword")
"""Strings that appear only in the fixture's answer key."""


def _copy(tmp: Path) -> Path:
    """The fixture course, with the project's page script and styles, in a scratch folder."""
    folder = tmp / "course"
    shutil.copytree(COURSE, folder)
    for part in ("javascripts", "stylesheets"):
        shutil.copytree(PROJECT / "docs" / part, folder / "docs" / part)
    return folder


def _build(folder: Path) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if k != "COURSE_DIR"}
    env["NO_MKDOCS_2_WARNING"] = "1"
    return subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "--site-dir", str(folder / "site")],
        cwd=folder,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> Path:
    folder = _copy(tmp_path_factory.mktemp("site"))
    result = _build(folder)
    assert result.returncode == 0, result.stdout + result.stderr
    return folder / "site"


def _element(page: str, start: str) -> str:
    """The whole element that opens with `start` (a <div> or a <section>), nested ones of its kind included."""
    begin = page.index(start)
    name = re.match(r"<(\w+)", start).group(1)
    depth = 0
    for tag in re.finditer(rf"<(/?){name}\b", page[begin:]):
        depth += -1 if tag.group(1) else 1
        if depth == 0:
            end = page.index(">", begin + tag.end()) + 1
            return page[begin:end]
    raise AssertionError(f"no end for {start}")


def _readable(fragment: str) -> str:
    """One block element per line, so a golden diff points at the change."""
    return (
        re.sub(
            r"(?=<(?:fieldset|legend|div|form|p|ul|ol|li|label|select|option|script|button|section|h3)\b)", "\n", fragment
        ).strip()
        + "\n"
    )


def _island(fragment: str) -> dict:
    """The data the page script reads: the widget root's data-course attribute."""
    return json.loads(html.unescape(re.search(r'data-course="([^"]*)"', fragment).group(1)))


@pytest.mark.parametrize(
    ("page", "start", "golden"),
    [
        ("quiz/index.html", '<div class="course-quiz"', "quiz.html"),
        ("practice/index.html", '<div class="course-dialogue"', "dialogue.html"),
        ("lessons/basics/index.html", '<section class="course-practice"', "practice.html"),
    ],
)
def test_fence_html_matches_golden(built, page, start, golden):
    found = _readable(_element((built / page).read_text(encoding="utf-8"), start))
    path = GOLDEN / golden
    if UPDATE:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(found, encoding="utf-8")
    assert found == path.read_text(encoding="utf-8")


def test_map_fence_draws_the_scenario_map_and_table(built):
    page = (built / "map" / "index.html").read_text(encoding="utf-8")
    scenario = load_course(COURSE).dialogues["small-talk"]
    analysis = analyse_paths(scenario)
    assert dialogue_map.map_svg(scenario, analysis) + dialogue_map.paths_table(scenario, analysis) in page


def test_built_site_holds_no_answer_key_data(built):
    for path in built.rglob("*"):
        if path.is_file():
            text = path.read_bytes().decode("utf-8", "replace").lower()
            for secret in KEY_ONLY:
                assert secret.lower() not in text, f"{path.relative_to(built)} contains key data {secret!r}"


def test_quiz_data_carries_id_version_questions_and_learner_rule(built):
    fragment = _element((built / "quiz" / "index.html").read_text(encoding="utf-8"), '<div class="course-quiz"')
    quiz = load_course(COURSE).quizzes["sample"]
    data = _island(fragment)
    assert (data["quiz"], data["version"]) == ("sample", quiz.version)
    assert [(q["id"], q["type"]) for q in data["questions"]] == [(q.id, q.type) for q in quiz.questions]
    assert data["learner"] == {"pattern": LEARNER_ID_PATTERN, "rule": LEARNER_ID_RULE}


def test_practice_dialogue_data_is_the_whole_scenario_with_each_steps_model(built):
    fragment = _element((built / "practice" / "index.html").read_text(encoding="utf-8"), '<div class="course-dialogue"')
    scenario = load_course(COURSE).dialogues["small-talk"]
    data = _island(fragment)
    assert "best" not in data  # the page script works it out from the scenario, as the grader does
    assert list(data["nodes"]) == list(scenario.nodes)
    assert [r["id"] for n in data["nodes"].values() for r in n["replies"]] == ["r1", "r2", "r3", "r4"]
    assert data["nodes"]["n1"]["replies"][0]["score"] == 2 and data["nodes"]["n1"]["replies"][0]["feedback"]
    model = {"model": "The calm model", "met": True}
    assert data["steps"] == {
        "calm.listen": {"title": "Listen first", **model},
        "calm.sorry": {"title": "Say sorry", **model},
        "calm.fix": {"title": "Fix it", **model},
    }
    assert data["mistakes"] == {"argues": {"title": "Argues with the customer", "group": "The calm model"}}
    assert data["nodes"]["n1"]["replies"][0]["lesson"] == "../lessons/basics/#listen"
    assert data["variants"] == [] and data["details"] == []
    assert data["endings"]["sorted"] == {
        "outcome": "resolved_retained",
        "title": "Sam is happy",
        "debrief": "A new parcel is on its way.",
        "score": 3,
    }


REPLY_FIELDS = {"id", "text", "next", "effect"}
EXAM_FIELDS = {"id", "title", "version", "customer", "meters", "rules", "start", "nodes", "endings", "learner", "exam"}


def test_an_exam_dialogue_in_a_quiz_carries_only_what_plays_it(built):
    page = (built / "quiz" / "index.html").read_text(encoding="utf-8")
    fragment = _element(page, '<div class="course-dialogue"')
    data = _island(fragment)
    assert set(data) == EXAM_FIELDS and data["exam"] is True
    assert all(set(r) == REPLY_FIELDS for n in data["nodes"].values() for r in n["replies"])
    assert all(set(n) == {"say", "note", "replies"} for n in data["nodes"].values())
    assert data["endings"] == {
        "sorted": {"title": "Sam is happy"},
        "escalated": {"title": "Passed to a manager"},
        "hangs-up": {"title": "Sam hangs up"},
    }
    # No meters, no undo, no restart on screen; the text version tells where replies lead, not what they do to the meters.
    for absent in ("data-meter", 'data-action="undo"', 'data-action="restart"', "Calm starts at", "Calm +1", "Resolved"):
        assert absent not in fragment, absent
    assert "there are no meters, no feedback and no undo" in fragment


@pytest.mark.parametrize("fence", ["dialogue", "dialogue-map"])
def test_a_page_that_offers_or_maps_an_exam_scenario_fails_the_build(tmp_path, fence):
    def add_page(folder: Path) -> None:
        (folder / "docs" / "practice.md").write_text(f"# Practice\n\n```{fence}\nsmall-talk-exam\n```\n", encoding="utf-8")

    _, output = _broken_build(tmp_path, add_page)
    assert "scenario 'small-talk-exam'" in output and "practice or exam, never both" in output, output


def test_steps_from_models_later_in_the_nav_are_marked_not_met_yet():
    from grader.course import load_public
    from grader.site.dialogue_widget import dialogue_html

    course = load_public(PROJECT)
    scenario = course.dialogues["wrong-information"]
    fragment = dialogue_html(course, scenario, lambda target: None, "d", page="lessons/person-then-problem.md")
    steps = _island(fragment)["steps"]
    met = {s: v["met"] for s, v in steps.items()}
    # Lesson 1 is the person-then-problem model: every other model comes later in the nav.
    assert {s for s, m in met.items() if m} == {s for s in steps if s.startswith("person-first.")}
    assert any(not m for m in met.values())
    later = dialogue_html(course, scenario, lambda target: None, "d", page="practice/index.md")
    assert all(v["met"] for v in _island(later)["steps"].values())


def test_a_dealt_scenario_carries_its_variants_and_details_and_shows_as_written_without_javascript():
    from grader.course import load_public
    from grader.site.dialogue_widget import dialogue_html

    course = load_public(PROJECT)
    late = _island(dialogue_html(course, course.dialogues["late-delivery"], lambda target: None, "d"))
    assert [v["id"] for v in late["variants"]] == ["shouting", "quiet"] and late["variants"][1]["start"] == {"trust": 2}
    poor = dialogue_html(course, course.dialogues["poor-quality"], lambda target: None, "d")
    assert _island(poor)["details"][1] == ["colour", ["blue", "green", "plum"]]
    assert (
        "Order HX-20418 is on your screen: Larchmont jacket, blue, size 10" in poor
        and "{colour}" not in poor.split("data-course=")[0]
    )


def test_author_text_is_escaped(built):
    quiz_page = (built / "quiz" / "index.html").read_text(encoding="utf-8")
    practice = (built / "practice" / "index.html").read_text(encoding="utf-8")
    assert "Ask for the order &lt;number&gt; &amp; date" in quiz_page
    assert "<number>" not in quiz_page and "<every type>" not in quiz_page
    assert "&quot;late&quot; &lt;again&gt; &amp; Sam" in practice


def _broken_build(tmp_path: Path, change) -> tuple[Path, str]:
    folder = _copy(tmp_path)
    change(folder)
    result = _build(folder)
    assert result.returncode != 0, "the build should have failed"
    assert "Traceback" not in result.stdout + result.stderr
    return folder, result.stdout + result.stderr


def test_unknown_fence_id_fails_the_build_naming_it(tmp_path):
    def add_page(folder: Path) -> None:
        (folder / "docs" / "bad.md").write_text("# Bad\n\n```quiz\nno-such-quiz\n```\n", encoding="utf-8")

    _, output = _broken_build(tmp_path, add_page)
    assert "Error reading page 'bad.md'" in output
    assert "quizzes/no-such-quiz.yml: there is no quiz 'no-such-quiz' in this course (quizzes: sample)" in output


def test_course_problem_fails_the_build_with_the_grader_check_message(tmp_path):
    def tag_unknown_step(folder: Path) -> None:
        quiz = folder / "quizzes" / "sample.yml"
        quiz.write_text(
            quiz.read_text(encoding="utf-8").replace(
                "steps: [calm.fix]\n    prompt: A fix", "steps: [calm.nope]\n    prompt: A fix"
            ),
            encoding="utf-8",
        )

    folder, output = _broken_build(tmp_path, tag_unknown_step)
    _, problems = inspect_course(folder, keys=True)  # what `grader check` prints, one line each
    assert any("calm.nope" in str(p) for p in problems)
    for problem in problems:
        assert str(problem) in output


def test_fence_outside_a_course_folder_says_where_it_looked(tmp_path, monkeypatch):
    monkeypatch.setenv("COURSE_DIR", str(tmp_path))
    with pytest.raises(SuperFencesException, match=r"no quizzes/models\.yml"):
        site.quiz_fence("sample\n", "quiz", "quiz", {}, None)


@pytest.mark.parametrize("source", ["", "sample other", "Sample", "sample\nother"])
def test_fence_holding_anything_but_one_id_is_refused(source, monkeypatch):
    monkeypatch.setenv("COURSE_DIR", str(COURSE))
    with pytest.raises(SuperFencesException, match="must hold one id"):
        site.dialogue_fence(source, "dialogue", "dialogue", {}, None)


def test_fence_renders_outside_mkdocs_without_links(monkeypatch):
    monkeypatch.setenv("COURSE_DIR", str(COURSE))
    first = site.dialogue_fence("small-talk\n", "dialogue", "dialogue", {}, None)
    assert first == site.dialogue_fence("small-talk", "dialogue", "dialogue", {}, None)
    assert "&quot;lesson&quot;:null" in first and "How to hand in work" not in first


class _AnyTag(yaml.SafeLoader):
    """Reads mkdocs.yml, keeping !!python/name and !ENV values as plain text."""


_AnyTag.add_multi_constructor(
    "", lambda loader, tag, node: f"{tag} {loader.construct_scalar(node)}" if isinstance(node, yaml.ScalarNode) else None
)


def test_fixture_uses_the_project_markdown_extensions():
    def extensions(path: Path):
        return yaml.load(path.read_text(encoding="utf-8"), Loader=_AnyTag)["markdown_extensions"]

    assert extensions(COURSE / "mkdocs.yml") == extensions(PROJECT / "mkdocs.yml")


# ---------------------------------------------------------------- practice sets


def test_practice_data_carries_each_questions_key_answer_and_section(built):
    page = (built / "lessons" / "basics" / "index.html").read_text(encoding="utf-8")
    practice = load_course(COURSE).practice
    for set_id in ("basics#listen", "basics#sorry", "basics#fix"):
        data = _island(_element(page, f'<section class="course-practice" id="p_{set_id.replace("#", "_")}"'))
        assert data["id"] == set_id and data["lesson"] == "lessons/basics.md"
        questions = practice[set_id].questions
        assert [(q["id"], q["type"], q["number"]) for q in data["questions"]] == [
            (q.id, q.type, n) for n, q in enumerate(questions, 1)
        ]
        for published, question in zip(data["questions"], questions, strict=True):
            key = practice[set_id].keys[question.id]
            assert published["key"]["correct"] == key.correct and published["key"]["policy"] == key.policy
            assert set(published["key"]["feedback"]) == set(key.feedback)
    fix = _island(_element(page, '<section class="course-practice" id="p_basics_fix"'))["questions"]
    assert fix[0]["answer"] == "<ol><li>Listen first</li><li>Say sorry</li><li>Fix it</li></ol>"
    assert fix[1]["answer"] == "fix" and fix[1]["key"]["pattern"] == "^(a )?remedy$"


def test_practice_feedback_is_author_markdown_with_any_html_kept_as_text(built):
    page = (built / "lessons" / "basics" / "index.html").read_text(encoding="utf-8")
    data = _island(_element(page, '<section class="course-practice" id="p_basics_listen"'))
    assert (
        data["questions"][0]["key"]["feedback"]["b"]
        == "PRACTICE-FEEDBACK-listen-b: cutting in &lt;b&gt;is&lt;/b&gt; interrupting."
    )
    assert "Say &quot;&lt;b&gt;stop&lt;/b&gt;&quot;" in page or 'Say "&lt;b&gt;stop&lt;/b&gt;"' in page


@pytest.mark.parametrize(
    ("source", "message"),
    [
        ("basics", "must hold one set id, `<lesson>#<section>`"),
        ("basics#listen basics#fix", "must hold one set id"),
        (
            "basics#nowhere",
            "there is no practice set 'basics#nowhere' in quizzes/practice/ (sets for that lesson: basics#listen, basics#sorry, basics#fix)",
        ),
    ],
)
def test_a_practice_fence_naming_no_set_is_refused(source, message, monkeypatch):
    monkeypatch.setenv("COURSE_DIR", str(COURSE))
    with pytest.raises(SuperFencesException, match=re.escape(message)):
        site.practice_fence(source, "practice", "practice", {}, None)


def test_a_practice_fence_renders_outside_mkdocs(monkeypatch):
    monkeypatch.setenv("COURSE_DIR", str(COURSE))
    found = site.practice_fence("basics#sorry\n", "practice", "practice", {}, None)
    assert 'data-course-practice="basics#sorry"' in found and "&quot;lesson&quot;:null" in found
