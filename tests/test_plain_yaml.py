"""The quick reader of the answer-file shape gives exactly what the full YAML reader gives, or leaves the file to it."""

from __future__ import annotations

import json

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from grader.formats.limits import LoadError
from grader.formats.loader import load_bytes
from grader.formats.plain_yaml import read_plain
from grader.formats.yaml_reader import read_yaml
from tests.conftest import ROOT


def same(a, b) -> bool:
    """Equal data of the same types, numbers written the same way."""
    if type(a) is not type(b):
        return False
    if isinstance(a, dict):
        return list(a) == list(b) and all(same(a[k], b[k]) for k in a)
    if isinstance(a, list):
        return len(a) == len(b) and all(same(x, y) for x, y in zip(a, b, strict=True))
    return a == b and str(a) == str(b)


def table(data, lines) -> list:
    """Each container's key path and line table, in document order."""
    out = []

    def walk(node, path):
        if isinstance(node, (dict, list)):
            out.append((path, lines.get(id(node))))
            for key, value in node.items() if isinstance(node, dict) else enumerate(node):
                walk(value, (*path, key))

    walk(data, ())
    return out


def agree(text: str) -> bool:
    """True when the quick reader accepted `text`; fails when it accepted it and differs from the full reader."""
    quick = read_plain(text)
    if quick is None:
        return False
    try:
        full = read_yaml(text, "f.yml", answer=True)
    except LoadError as error:
        raise AssertionError(f"the quick reader accepted what the full one refuses: {error}\n{text}") from None
    assert same(quick[0], full[0]), (quick[0], full[0], text)
    assert table(*quick) == table(*full), text
    return True


SAMPLES = sorted(
    p
    for folder in ("examples", "tests/cases")
    for p in (ROOT / folder).rglob("*")
    if p.suffix in (".yml", ".yaml") and "golden" not in p.parts
)


@pytest.mark.parametrize("path", SAMPLES, ids=lambda p: str(p.relative_to(ROOT)))
def test_every_answer_file_in_the_project_reads_the_same(path):
    text = path.read_bytes().decode("utf-8", "replace")
    agree(text)


def test_what_the_site_writes_takes_the_quick_path():
    # docs/javascripts/answer-file.js: every string double-quoted as JSON, lists and mappings in flow style.
    text = (
        'format: 1\nquiz: "five-step-process"\nversion: "3f2a9c1e"\nlearner:\n  id: "s1234567"\n  name: "Zoë O\\u2019Neil \\"Z\\""\n'
        'submitted: "2026-11-23T21:00:00Z"\nanswers:\n  "q1": "b"\n  "q2": ["a", "c"]\n  "q3": true\n  "q5": {"i-see": "acknowledge"}\n'
    )
    assert agree(text)


@pytest.mark.parametrize(
    "text",
    [
        "format: 1\nquiz: &a x\nref: *a\n",  # anchors and aliases
        "format: 1\nanswers:\n  q1: !!str 5\n",  # tags
        "format: 1\nanswers:\n  q1:\n    - a\n    - b\n",  # block lists
        "format: 1\nanswers:\n  q1: a\n  q1: b\n",  # a duplicate key: the full reader names both lines
        'format: 1\nname: "a\\x41"\n',  # a YAML-only escape
        "format: 1\nname: 'two\n  lines'\n",  # a string over two lines
        "format: 1\nanswers:\n\tq1: a\n",  # a tab
        "format: 1\r\nquiz: x\r\n",  # carriage returns
        "format: 1\nanswers:\n  q1: [a, [b]]\n",  # nesting inside a flow list
        "format: 1\nq: a: b\n",  # `: ` inside a plain scalar
        "format: 1\nq: .inf\n",  # not a finite number: the full reader refuses it
        "format: 1\nq: " + "9" * 600 + "\n",  # a number longer than any file needs
        "format: 1\nanswers:\n  a:\n    b:\n      c: 1\n",  # three levels deep
        "format: 1\n---\nquiz: x\n",  # documents
        "format: 1\nname: x \u2028 y\n",  # a line separator
        "- a\n- b\n",  # not a mapping at all
    ],
)
def test_anything_outside_the_shape_goes_to_the_full_reader(text):
    assert read_plain(text) is None


def test_the_loader_uses_the_quick_reader_and_still_reports_problems_with_lines():
    loaded = load_bytes(b"format: 1\nlearner: {id: 0012345}\nanswers:\n  q1: [a, b]\n", "a.yml", answer=True)
    assert str(loaded.data["learner"]["id"]) == "0012345" and loaded.line_of(("answers", "q1")) == 4
    with pytest.raises(LoadError, match="the key 'q1' appears twice \\(first on line 3\\)"):
        load_bytes(b"format: 1\nanswers:\n  q1: a\n  q1: b\n", "a.yml", answer=True)


# Scalars as answer files hold them: ids, words, numbers, booleans, dates, and text from any alphabet.
WORDS = st.sampled_from(
    [
        "a",
        "b",
        "q1",
        "r12",
        "true",
        "False",
        "null",
        "~",
        "0012345",
        "12",
        "-3",
        "2.50",
        "1e3",
        "0x1F",
        "12e45678",
        "checkback",
        "Fix it",
        "Ada Lovelace",
        "ada@x.org",
        "2026-11-23T21:00:00Z",
        "yes",
        "no",
        "O'Neil",
        "a-b",
        ".5",
        "+7",
        "Zoë",
        "naïve café",
        "x:y",
        "50%",
        "Q&A",
        "what?",
        "a,b",
        "#x",
        "x #y",
    ]
)
TEXT = st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=12)


@st.composite
def written_scalar(draw, flow: bool) -> str:
    """A scalar written plain, single-quoted or double-quoted (JSON style), as people and the site write them."""
    kind = draw(st.sampled_from(["plain", "single", "double", "double-any"]))
    word = draw(WORDS)
    if kind == "plain":
        return word
    if kind == "single":
        return "'" + word.replace("'", "''") + "'"
    if kind == "double":
        return json.dumps(word, ensure_ascii=draw(st.booleans()))
    return json.dumps(draw(TEXT), ensure_ascii=draw(st.booleans()))


@st.composite
def value(draw, depth: int) -> str:
    shape = draw(st.sampled_from(["scalar", "list", "map", "empty"] + (["block"] if depth == 0 else [])))
    if shape == "scalar":
        return " " + draw(written_scalar(False))
    if shape == "list":
        return " [" + ", ".join(draw(st.lists(written_scalar(True), max_size=4))) + "]"
    if shape == "map":
        keys = draw(st.lists(st.sampled_from(["p1", "p2", "i-see", '"x y"', "'k'", "true", "01"]), max_size=3, unique=True))
        return " {" + ", ".join(f"{k}: {draw(written_scalar(True))}" for k in keys) + "}"
    if shape == "empty":
        return ""
    return "\n" + "\n".join(
        f"{'  ' * draw(st.sampled_from([1, 1, 1, 2]))}{k}:{draw(value(1))}"
        for k in draw(st.lists(st.sampled_from(["q1", "q2", "id", "name", "q10"]), min_size=1, max_size=4, unique=True))
    )


@st.composite
def document(draw) -> str:
    keys = draw(
        st.lists(
            st.sampled_from(["format", "quiz", "version", "learner", "submitted", "answers", "extra"]), min_size=1, max_size=6
        )
    )
    lines = [f"{k}:{draw(value(0))}" for k in keys]
    if draw(st.booleans()):
        lines.insert(draw(st.integers(0, len(lines))), draw(st.sampled_from(["", "# a comment", "  # indented comment", "   "])))
    ending = draw(st.sampled_from(["\n", "", "  # end\n", " #c\n"]))
    return "\n".join(lines) + ending


@settings(max_examples=1500, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much])
@given(document())
def test_generated_answer_files_read_the_same_by_both_readers(text):
    agree(text)


@pytest.mark.filterwarnings("ignore::hypothesis.errors.NonInteractiveExampleWarning")
def test_the_generated_files_mostly_take_the_quick_path():
    # The differential test above is only worth something if the quick reader accepts most of what it sees.
    accepted = sum(agree(document().example()) for _ in range(300))
    assert accepted > 100, accepted
