"""The answer keys never reach the site: the build never opens quizzes/keys/, builds the same without it, and no
built file carries a key's feedback, patterns or answers, nor any piece of an exam scenario's key (its feedback,
debriefs, outcomes, scores, steps and mistakes, and so its best and worst paths). Practice keys are public by design:
each is published in its own set's data on its lesson page, and nowhere else carries key fields."""

from __future__ import annotations

import gzip
import html
import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from grader.common.text import OUTCOMES
from grader.course import load_course
from grader.dialogue.analysis import analyse_paths
from tests.conftest import ROOT

KEYS = ROOT / "quizzes" / "keys"
SITE_URL = "https://example.org/course/"
KEY_FIELDS = {"correct", "accept", "pattern", "weights", "policy", "feedback", "negative_marking"}
# Runs a command with every file and folder access under the keys folder logged (Python audit events).
AUDITED = r"""
import atexit, json, os, sys
keys, log, mode, *rest = sys.argv[1:]
keys = os.path.realpath(keys)
seen = []

def hook(event, args):
    if event in ("open", "os.listdir", "os.scandir", "glob.glob", "os.walk") and args and isinstance(args[0], (str, bytes, os.PathLike)):
        path = os.path.realpath(os.fsdecode(args[0]))
        if path == keys or path.startswith(keys + os.sep):
            seen.append(event + " " + path)

sys.addaudithook(hook)
atexit.register(lambda: open(log, "w").write(json.dumps(seen)))
if mode == "build":
    from mkdocs.__main__ import cli
    sys.argv = ["mkdocs", "build", "--strict", "--site-dir", rest[0]]
    cli()
else:
    from grader.course import load_course
    load_course(os.getcwd(), keys=True)
"""


def _env() -> dict:
    env = {k: v for k, v in os.environ.items() if k != "COURSE_DIR"}
    env.update(SITE_URL=SITE_URL, NO_MKDOCS_2_WARNING="1")
    return env


def _audited(tmp: Path, mode: str, *rest: str) -> list[str]:
    """Run the build (or the key loader) from the project and return every access it made under quizzes/keys/."""
    log = tmp / f"{mode}-accesses.json"
    done = subprocess.run(
        [sys.executable, "-c", AUDITED, str(KEYS), str(log), mode, *rest],
        cwd=ROOT,
        env=_env(),
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    return json.loads(log.read_text())


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> Path:
    """The real site, built strictly from the project while every access under quizzes/keys/ is logged."""
    tmp = tmp_path_factory.mktemp("keys")
    site = tmp / "site"
    accesses = _audited(tmp, "build", str(site))
    assert accesses == [], "the site build touched the answer keys:\n" + "\n".join(accesses)
    return site


# ---------------------------------------------------------------- the build never reads the keys


def test_the_build_opens_nothing_under_the_keys_folder(built):
    assert (built / "index.html").is_file()  # the fixture has already checked the accesses


def test_the_audit_does_see_a_read_of_the_keys(tmp_path):
    # The same audit around the grader's key loader: proof that a build reading the keys would be caught.
    accesses = _audited(tmp_path, "load-keys")
    assert any(a.startswith("open ") and a.endswith(".yml") for a in accesses), accesses


def test_the_build_is_the_same_with_the_keys_folder_gone(built, tmp_path):
    copy = tmp_path / "course"
    shutil.copytree(ROOT / "docs", copy / "docs")
    shutil.copytree(ROOT / "quizzes", copy / "quizzes", ignore=shutil.ignore_patterns("keys"))
    for part in ("grader",):
        shutil.copytree(ROOT / part, copy / part, ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copy2(ROOT / "mkdocs.yml", copy / "mkdocs.yml")
    assert not (copy / "quizzes" / "keys").exists()
    done = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "--site-dir", str(copy / "site")],
        cwd=copy,
        env=_env(),
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    pages = sorted(p.relative_to(built) for p in built.rglob("*.html"))
    assert pages == sorted(p.relative_to(copy / "site") for p in (copy / "site").rglob("*.html"))
    for page in pages:
        assert (copy / "site" / page).read_bytes() == (built / page).read_bytes(), f"{page} differs without the keys"


# ---------------------------------------------------------------- no key data in any built file


def _plain(text: str) -> str:
    """Text reduced to its words, whatever HTML, JSON or Markdown escaping and markup it went through."""
    text = re.sub(r"\\u([0-9a-fA-F]{4})", lambda m: chr(int(m.group(1), 16)), text)
    text = html.unescape(html.unescape(text))
    text = re.sub(r"<[^>]*>", " ", text)
    return " " + " ".join(re.sub(r"[\W_]+", " ", text.casefold()).split()) + " "


def _outputs(site: Path) -> dict[str, str]:
    """Every built file as text (gzip files unpacked), by its path."""
    out = {}
    for path in sorted(p for p in site.rglob("*") if p.is_file()):
        raw = path.read_bytes()
        if path.suffix == ".gz":
            raw = gzip.decompress(raw)
        out[str(path.relative_to(site))] = raw.decode("utf-8", errors="replace")
    return out


def _feedback_texts(key) -> list[tuple[str, str]]:
    return [(qid, text) for qid, item in key.items.items() for text in item.feedback.values() if isinstance(text, str)]


@pytest.fixture(scope="module")
def course():
    return load_course(ROOT, keys=True)


@pytest.fixture(scope="module")
def outputs(built) -> dict[str, tuple[str, str]]:
    return {name: (text, _plain(text)) for name, text in _outputs(built).items()}


def test_the_search_sees_through_escaping():
    sample = "Right: “I hear you” *first*, then the customer's fix. See <the lesson>."
    needle = _plain(sample)
    for form in (html.escape(sample), json.dumps(sample), json.dumps(html.escape(sample)), f"<p>{html.escape(sample)}</p>"):
        assert needle in _plain(form), form


def _nowhere(outputs, what: str, text: str) -> None:
    """No built file holds `text`, however it was escaped; it must be long enough to search for."""
    needle = _plain(text)
    assert len(needle.split()) >= 3, f"{what}: too short to search for: {text!r}"
    leaks = [name for name, (_, plain) in outputs.items() if needle in plain]
    assert not leaks, f"{what} {text[:60]!r}... is in {leaks}"


def test_no_built_file_holds_any_key_feedback(course, outputs):
    searched = 0
    for quiz_id, key in course.keys.items():
        for qid, text in _feedback_texts(key):
            _nowhere(outputs, f"{quiz_id} {qid} feedback", text)
            searched += 1
    assert searched >= 100


def test_the_search_finds_what_the_site_does_show(course, outputs):
    # Control: the same search finds every question's prompt, so a leaked feedback text would be found too.
    for quiz in course.quizzes.values():
        for q in quiz.questions:
            assert any(_plain(q.prompt) in plain for _, plain in outputs.values()), f"{quiz.id} {q.id}"


def test_no_built_file_holds_a_short_answer_pattern(course, outputs):
    for quiz_id, key in course.keys.items():
        for qid, item in key.items.items():
            if item.pattern:
                forms = {item.pattern, html.escape(item.pattern), json.dumps(item.pattern)[1:-1]}
                leaks = [name for name, (raw, _) in outputs.items() if any(f in raw for f in forms)]
                assert not leaks, f"{quiz_id} {qid} pattern is in {leaks}"


def _islands(text: str) -> list[dict]:
    """The data each widget hands the page script: its data-course attribute (grader/site.py)."""
    return [json.loads(html.unescape(m)) for m in re.findall(r'\sdata-course="([^"]*)"', text)]


def _fields(value) -> set[str]:
    if isinstance(value, dict):
        return set(value) | {f for v in value.values() for f in _fields(v)}
    if isinstance(value, list):
        return {f for v in value for f in _fields(v)}
    return set()


def _quiz_markup(text: str, quiz_id: str) -> str:
    start = text.index(f'data-course-quiz="{quiz_id}"')
    return text[start : text.index("</form>", start)]


def _question_markup(quiz_markup: str, question_id: str) -> str:
    start = quiz_markup.index(f'data-question="{question_id}"')
    return quiz_markup[start : quiz_markup.index("</fieldset>", start)]


def test_quiz_pages_carry_no_answers_in_their_data_or_controls(course, outputs):
    for quiz_id, quiz in course.quizzes.items():
        pages = [name for name, (raw, _) in outputs.items() if name.endswith(".html") and f'data-course-quiz="{quiz_id}"' in raw]
        assert pages, f"no page shows {quiz_id}"
        key = course.keys[quiz_id]
        for name in pages:
            raw = outputs[name][0]
            islands = [island for island in _islands(raw) if island.get("quiz") == quiz_id]
            assert islands, f"{name}: no data-course for {quiz_id}"
            for island in islands:
                found = _fields({k: v for k, v in island.items() if k != "learner"}) & KEY_FIELDS  # learner: the id rule
                assert not found, f"{name}: the {quiz_id} data has {found}"
            markup = _quiz_markup(raw, quiz_id)
            # Nothing is chosen before the learner chooses it.
            assert not re.search(r"<input[^>]*\bchecked\b|<option[^>]*\bselected\b|<input type=\"text\"[^>]*\bvalue=", markup), (
                name
            )
            for q in quiz.questions:
                item = key.items[q.id]
                if q.type == "ordering":
                    assert [i.id for i in q.items] != list(item.correct), f"{quiz_id} {q.id} is shown in its right order"
                if q.type == "short_text":  # its own prompt must not hold the answer
                    words = _plain(_question_markup(markup, q.id))
                    shown = [a for a in item.accept if _plain(a) in words]
                    assert not shown, f"{name}: {quiz_id} {q.id} shows its accepted answer(s) {shown}"


# ---------------------------------------------------------------- practice keys: published, and only in their sets


def _practice_islands(text: str) -> list[tuple[str, dict]]:
    """(set id, data) of every practice set on a page."""
    found = re.findall(r'data-course-practice="([^"]*)" data-course="([^"]*)"', text)
    return [(html.unescape(set_id), json.loads(html.unescape(data))) for set_id, data in found]


def test_every_practice_key_is_published_in_its_own_set_on_its_lesson_page(course, outputs):
    for set_id, practice in course.practice.items():
        page = practice.lesson.removesuffix(".md") + "/index.html"
        islands = dict(_practice_islands(outputs[page][0]))
        assert set_id in islands, f"{set_id} is not on {page}"
        published = {q["id"]: q["key"] for q in islands[set_id]["questions"]}
        for qid, key in practice.keys.items():
            assert published[qid]["correct"] == key.correct and published[qid]["pattern"] == key.pattern, f"{set_id} {qid}"
            # As the page shows it: the author's Markdown rendered, its words the same.
            shown = {name: _plain(text) for name, text in published[qid]["feedback"].items()}
            assert shown == {name: _plain(text) for name, text in key.feedback.items()}, f"{set_id} {qid}"


def test_practice_sets_are_the_only_widgets_that_carry_key_fields(outputs):
    searched = 0
    for name, (raw, _) in outputs.items():
        if not name.endswith(".html"):
            continue
        practice_data = {json.dumps(data, sort_keys=True) for _, data in _practice_islands(raw)}
        for island in _islands(raw):
            if json.dumps(island, sort_keys=True) in practice_data or "nodes" in island:
                continue  # a practice set, or a dialogue: both public by design
            searched += 1
            found = _fields({k: v for k, v in island.items() if k != "learner"}) & KEY_FIELDS
            assert not found, f"{name}: a widget that is not a practice set carries {found}"
    assert searched >= 6 + 6  # the quizzes, and the progress views


def test_practice_patterns_are_published_and_graded_ones_are_not(course, outputs):
    shown = "".join(raw for name, (raw, _) in outputs.items() if name.startswith("lessons/"))
    patterns = [key.pattern for p in course.practice.values() for key in p.keys.values() if key.pattern]
    assert patterns and all(html.escape(json.dumps(pattern)[1:-1]) in shown for pattern in patterns)
    graded = {key.pattern for quiz_key in course.keys.values() for key in quiz_key.items.values() if key.pattern}
    assert graded and not graded & set(patterns)  # were one shared, the test above it could not tell them apart


# ---------------------------------------------------------------- exam scenarios: their scoring stays in the keys


def _exam_scenarios(course):
    exams = [d for d in course.dialogues.values() if d.exam]
    assert exams and all(d.scored for d in exams), "the course should have an exam scenario, scored from its key"
    return exams


def test_no_built_file_holds_any_piece_of_an_exam_scenarios_key(course, outputs):
    searched = 0
    for d in _exam_scenarios(course):
        texts = [(f"reply {r.id} feedback", r.feedback) for n in d.nodes.values() for r in n.replies]
        texts += [(f"ending {e.id} debrief", e.debrief) for e in d.endings.values()]
        # An ending with its outcome beside it gives the outcome away too.
        texts += [(f"ending {e.id} outcome", f"{e.title} ({OUTCOMES[e.outcome]})") for e in d.endings.values()]
        for what, text in texts:
            _nowhere(outputs, f"{d.id} {what}", text)
            searched += 1
    assert searched >= 50


def test_the_search_finds_the_exam_scenarios_lines_that_the_quiz_page_does_show(course, outputs):
    # Control: its lines and replies are on the quiz page, so a leaked feedback text beside them would be found.
    for d in _exam_scenarios(course):
        for node in d.nodes.values():
            assert any(_plain(node.say) in plain for _, plain in outputs.values()), f"{d.id} {node.id}"
            for reply in node.replies:
                assert any(_plain(reply.text) in plain for _, plain in outputs.values()), f"{d.id} {reply.id}"


def test_an_exam_scenarios_page_data_holds_only_what_plays_it(course, outputs):
    for d in _exam_scenarios(course):
        islands = [island for _, (raw, _) in outputs.items() for island in _islands(raw) if island.get("id") == d.id]
        assert islands, f"no page plays {d.id}"
        for island in islands:
            assert island["exam"] is True and "best" not in island and "points" not in island
            assert set(island) == {
                "id",
                "title",
                "version",
                "customer",
                "meters",
                "rules",
                "start",
                "nodes",
                "endings",
                "learner",
                "exam",
            }
            assert {k for n in island["nodes"].values() for r in n["replies"] for k in r} == {"id", "text", "next", "effect"}
            assert {k for e in island["endings"].values() for k in e} == {"title"}


def test_no_page_names_an_exam_scenarios_best_or_worst_path(course, outputs):
    for d in _exam_scenarios(course):
        a = analyse_paths(d)
        for path in (a.best_path, a.worst_path):
            forms = [", ".join(path), " ".join(path), ",".join(path), json.dumps(list(path), separators=(",", ":"))]
            leaks = [name for name, (raw, _) in outputs.items() if any(f in raw for f in forms)]
            assert not leaks, f"{d.id}'s path {path} is in {leaks}"
