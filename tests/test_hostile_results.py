"""A damaged, hand-edited or hostile results.json: `stats`, `report` and `export` answer with a sensible output, or one clear line and nothing written."""

from __future__ import annotations

import copy
import csv
import io
import json
from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, given, settings

from grader.analytics import results_file
from grader.analytics.gradebooks import CANVAS_IDENTITY
from grader.common.escape import json_text
from grader.grading.batch import grade_in_memory
from tests.conftest import CASES, MINI, ROOT
from tests.outputs import run_grader, snapshot, strict_json
from tests.test_properties import answer_files

GOLDEN = CASES / "grade" / "golden" / "results.json"
# Raw JSON text that json.dumps never writes for a number but Python's json.loads reads.
RAW = {"@1e999@": "1e999", "@NaN@": "NaN", "@-Infinity@": "-Infinity", "@huge-int@": "1" + "0" * 400, "@1e300@": "1e300"}
WRONG = {"null": None, "true": True, "number": 7, "text": "x", "list": [], "object": {}}


def _shapes(doc, path=()) -> dict[tuple, set]:
    """Every key and list-element path in `doc`, lists as "*", with the kinds of value found there."""
    found: dict[tuple, set] = {}

    def walk(value, at):
        children = value.items() if isinstance(value, dict) else ((("*"), v) for v in value) if isinstance(value, list) else ()
        for key, child in children:
            found.setdefault(at + (key,), set()).add(_kind(child))
            walk(child, at + (key,))

    walk(doc, path)
    return found


def _kind(value) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true"
    if isinstance(value, (int, float)):
        return "number"
    return {str: "text", list: "list", dict: "object"}[type(value)]


def _edit(doc, shape: tuple, change, first_only: bool = False) -> dict:
    """A copy of `doc` with `change(container, key)` applied at every place `shape` matches (or the first)."""
    doc = copy.deepcopy(doc)
    done = False

    def walk(value, rest):
        nonlocal done
        if done and first_only:
            return
        head, tail = rest[0], rest[1:]
        if head == "*":
            keys = list(range(len(value))) if isinstance(value, list) else []
        else:
            keys = [head] if isinstance(value, dict) and head in value else []
        for key in keys:
            if tail:
                walk(value[key], tail)
            elif not (done and first_only):
                change(value, key)
                done = True

    walk(doc, shape)
    return doc


def _dump(doc) -> bytes:
    text = json.dumps(doc, indent=2, ensure_ascii=False)
    for token, raw in RAW.items():
        text = text.replace(json.dumps(token), raw)
    return text.encode("utf-8")


def _name(shape: tuple) -> str:
    return ".".join(str(part) for part in shape)


def damaged() -> list[tuple[str, bytes]]:
    """Hundreds of damaged copies of the golden results.json, each with a name saying what was done."""
    raw = GOLDEN.read_bytes()
    doc = json.loads(raw)
    shapes = _shapes(doc)
    cases: list[tuple[str, bytes]] = []

    def drop(container, key):
        del container[key]

    for number, (shape, kinds) in enumerate(shapes.items()):
        if shape[-1] != "*":
            cases.append((f"drop {_name(shape)}", _dump(_edit(doc, shape, drop))))
            if "*" in shape:
                cases.append((f"drop the first {_name(shape)}", _dump(_edit(doc, shape, drop, first_only=True))))
        # Two wrong kinds of value per place, taking turns through the kinds so that each is tried everywhere in turn.
        wrong_kinds = [kind for kind in WRONG if kind not in kinds]
        for kind in dict.fromkeys((wrong_kinds[number % len(wrong_kinds)], wrong_kinds[(number + 1) % len(wrong_kinds)])):
            cases.append(
                (
                    f"{_name(shape)} = {kind}",
                    _dump(_edit(doc, shape, lambda c, k, w=WRONG[kind]: c.__setitem__(k, copy.deepcopy(w)))),
                )
            )
        if kinds == {"number"}:
            for value in (-1, 10**12, *RAW):
                cases.append((f"{_name(shape)} = {value}", _dump(_edit(doc, shape, lambda c, k, v=value: c.__setitem__(k, v)))))
    for cut in sorted({0, 1, 2, len(raw) - 1, len(raw) - 2, *range(7, len(raw), max(1, len(raw) // 40))}):
        cases.append((f"cut at byte {cut}", raw[:cut]))
    for at in (0, 40, len(raw) // 2, len(raw) - 3):
        cases.append((f"a non-UTF-8 byte at {at}", raw[:at] + b"\xff" + raw[at:]))
    cases.append(("Latin-1 in a name", raw.replace(b"Ada Lovelace", "Ad\xe1 Lovelace".encode("latin-1"))))
    cases.append(("UTF-16", raw.decode("utf-8").encode("utf-16")))
    cases.append(("a UTF-8 byte-order mark", b"\xef\xbb\xbf" + raw))
    for depth in (10, 40, 100, 1000, 100_000):
        nested = "[" * depth + "]" * depth
        cases.append((f"an answer nested {depth} deep", raw.replace(b'"answer": "b"', f'"answer": {nested}'.encode(), 1)))
        cases.append((f"a document nested {depth} deep", nested.encode()))
    for name, value in [
        ("an array", []),
        ("a number", 1),
        ("text", "results"),
        ("null", None),
        ("an empty object", {}),
        ("another JSON file", {"name": "package", "version": "1.0.0"}),
        ("format 2", {**doc, "format": 2}),
        ("an answer file", {"format": 1, "quiz": "mini-quiz", "learner": {"id": "s1"}, "answers": {"q1": "b"}}),
    ]:
        cases.append((f"the document is {name}", json.dumps(value).encode()))
    first = doc["results"][0]
    hostile = [
        ("a result for a quiz not in quizzes", {**first, "quiz": "not-there"}),
        ("an item for a question the quiz lacks", {**first, "items": [{**first["items"][0], "question": "q99"}]}),
        ("a second result for the same learner and quiz", copy.deepcopy(first)),
        ("a name with terminal escapes", {**first, "learner": {"id": "s900", "name": "\x1b[2J\x1b]0;owned\x07Eve"}}),
        ("a one-megabyte name", {**first, "learner": {"id": "s901", "name": "N" * (1 << 20)}}),
        ("a name over four megabytes", {**first, "learner": {"id": "s902", "name": "N" * ((4 << 20) + 1)}}),
        ("a learner id that escapes", {**first, "learner": {"id": "../../etc/passwd", "name": "x"}}),
        ("a formula as a name", {**first, "learner": {"id": "s903", "name": '=HYPERLINK("http://x")'}}),
        ("score above max", {**first, "learner": {"id": "s904"}, "score": 999.0, "percent": 5550.0}),
        ("max of 0", {**first, "learner": {"id": "s905"}, "max": 0.0, "percent": 0.0}),
        # A learner may answer .inf or .nan in YAML; the answer is kept as written, and no output may carry it on.
        (
            "answers that are not finite numbers",
            {
                **first,
                "learner": {"id": "s906"},
                "items": [
                    {**item, "answer": "@NaN@" if number % 2 else "@1e999@", "answered": True}
                    for number, item in enumerate(first["items"])
                ],
            },
        ),
    ]
    for name, extra in hostile:
        cases.append((name, _dump({**doc, "results": doc["results"] + [extra]})))
    cases.append(
        (
            "every question worth 0 points",
            _dump(_edit(doc, ("quizzes", "mini-quiz", "questions", "*", "points"), lambda c, k: c.__setitem__(k, 0.0))),
        )
    )
    cases.append(("an unknown top-level section", _dump({**doc, "run": {"by": "a later grader"}, "skipped": ["notes.txt"]})))
    cases.append(
        (
            "an unknown key in an item",
            _dump(_edit(doc, ("results", "*", "items", "*"), lambda c, k: c[k].__setitem__("bonus", 1), first_only=True)),
        )
    )
    return cases


CASES_DAMAGED = damaged()
COMMANDS = {
    "stats": lambda folder: ["stats", folder, "--json", "--out", folder / "stats.json"],
    "report": lambda folder: ["report", folder],
    "canvas": lambda folder: ["export", "--to", "canvas", folder],
    "moodle": lambda folder: ["export", "--to", "moodle", "--feedback", "--results", folder],
}
WRITES = {"stats": "stats.json", "report": "report.html", "canvas": "canvas-grades.csv", "moodle": "moodle-grades.csv"}


def check_outcome(command: str, folder: Path, code: int, out: str, err: str, before: dict) -> str:
    """Exit 0 with a sensible output, or exit 2 with one clear line naming the file and nothing written; returns "ok" or "refused"."""
    assert "Traceback" not in err and "unexpected error" not in err, err
    written = folder / WRITES[command]
    if code == 2:
        assert err.count("\n") == 1 and err.startswith("grader: ") and "results.json" in err, err
        assert len(err) < 600, err
        assert snapshot(folder) == before, "a refused run wrote something"
        return "refused"
    assert code == 0, err
    if command == "stats":
        result = strict_json(out)
        assert strict_json(written.read_text(encoding="utf-8")) == result
        assert isinstance(result["quizzes"], list) and result["generated_by"] == "grader stats"
    elif command == "report":
        html = written.read_text(encoding="utf-8")
        assert html.startswith("<!DOCTYPE html>") and html.endswith("</body></html>\n") and "<h1>Class report</h1>" in html
    else:
        limit = csv.field_size_limit(1 << 23)  # a learner's name may be as long as an answer file allows
        try:
            rows = list(csv.reader(io.StringIO(written.read_text(encoding="utf-8"))))
        finally:
            csv.field_size_limit(limit)
        if command == "canvas":
            assert rows[0][:5] == CANVAS_IDENTITY and rows[1][0] == "Points Possible"
        else:
            assert rows[0][:2] == ["ID number", "Full name"]
        assert all(len(row) == len(rows[0]) for row in rows)
        assert not any(cell.startswith(("=", "+", "-", "@")) for row in rows[1:] for cell in row[:2])
    written.unlink()
    return "ok"


def test_at_least_208_kinds_of_damage():
    names = [name for name, _ in CASES_DAMAGED]
    assert len(names) == len(set(names)) and len(names) >= 208


def test_every_damaged_file_gets_an_output_or_one_clear_line(cli, tmp_path):
    folder = tmp_path / "grades"
    folder.mkdir()
    tally = {"ok": 0, "refused": 0}
    for name, raw in CASES_DAMAGED:
        (folder / "results.json").write_bytes(raw)
        before = snapshot(folder)
        for command, args in COMMANDS.items():
            try:
                run = cli("--course", MINI, *args(folder))
                tally[check_outcome(command, folder, run.code, run.out, run.err, before)] += 1
            except AssertionError as error:
                raise AssertionError(f"{command} on {name}: {error}") from None
    # Most damage is refused; what the schema allows (unread keys dropped, extra sections) still gives output.
    assert tally["refused"] > tally["ok"] > 0, tally


# (damage, command) pairs run as real processes: every command twice, on damage of every kind.
SAMPLE = [
    ("drop results.*.items.*.score", "stats"),
    ("results.*.score = @NaN@", "report"),
    ("cut at byte 7", "canvas"),
    ("a non-UTF-8 byte at 40", "moodle"),
    ("an answer nested 100000 deep", "stats"),
    ("the document is another JSON file", "report"),
    ("a name with terminal escapes", "canvas"),
    ("drop summary", "moodle"),
]


@pytest.mark.parametrize("name, command", SAMPLE)
def test_damage_as_a_real_command(tmp_path, name, command):
    folder = tmp_path / "grades"
    folder.mkdir()
    (folder / "results.json").write_bytes(dict(CASES_DAMAGED)[name])
    before = snapshot(folder)
    done = run_grader("--course", MINI, *COMMANDS[command](folder), cwd=tmp_path)
    check_outcome(command, folder, done.code, done.out, done.err, before)


# ---------------------------------------------------------------- the schema accepts whatever `grader grade` writes


@pytest.mark.parametrize(
    "course, answers",
    [
        (MINI, CASES / "grade" / "class"),
        (CASES / "stats" / "course", CASES / "stats" / "answers"),
        (ROOT, ROOT / "examples" / "submissions"),
    ],
    ids=["grade-class", "stats-class", "examples"],
)
def test_what_grade_writes_passes_the_schema(cli, tmp_path, course, answers):
    assert cli("--course", course, "grade", answers, "--out", tmp_path / "out", "--json").code in (0, 1)
    assert results_file.read(tmp_path / "out" / "results.json")["results"]
    assert results_file.read(GOLDEN)["results"]


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(doc=answer_files)
def test_any_graded_answer_file_passes_the_schema(mini, tmp_path_factory, doc):
    path = tmp_path_factory.mktemp("a") / "a.yml"
    path.write_text(yaml.safe_dump(doc, allow_unicode=True), encoding="utf-8")
    document, _ = grade_in_memory([(str(path), "a.yml")], mini)
    # As `grader grade` writes it, read back as the commands read it.
    written = json.loads(json_text(document))
    assert results_file.first_problem(written, "results.json") is None
