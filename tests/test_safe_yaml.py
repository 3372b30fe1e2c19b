"""The one loader: every refusal names the file and line, and YAML reads as YAML 1.2."""

from __future__ import annotations

import pytest

from grader import safe_yaml
from grader.safe_yaml import LoadError, load_bytes, load_file


def refused(text: str | bytes, **kw) -> str:
    raw = text.encode() if isinstance(text, str) else text
    with pytest.raises(LoadError) as caught:
        load_bytes(raw, "answers/s1.yml", **kw)
    return str(caught.value)


def test_duplicate_key_names_both_lines():
    message = refused("format: 1\nquiz: a\nanswers:\n  q1: a\n  q1: b\n", answer=True)
    assert message == "answers/s1.yml:5: the key 'q1' appears twice (first on line 4); keep one"


def test_alias_refused_in_answer_files_but_not_course_files():
    text = "a: &x [1, 2]\nb: *x\n"
    assert refused(text, answer=True) == (
        "answers/s1.yml:1: anchors and aliases (&name, *name) are not allowed in answer files; write the value out"
    )
    assert load_bytes(text.encode(), "quizzes/q.yml").data == {"a": [1, 2], "b": [1, 2]}


def test_an_ampersand_in_text_is_not_an_anchor():
    assert load_bytes(b"name: 'Smith & Jones *'\n", "a.yml", answer=True).data == {"name": "Smith & Jones *"}


def test_size_limit(tmp_path):
    big = tmp_path / "big.yml"
    big.write_bytes(b"a: " + b"x" * (safe_yaml.MAX_ANSWER_BYTES + 10))
    with pytest.raises(LoadError, match=r"big.yml: larger than the 1024 KiB limit"):
        load_file(big, answer=True)


@pytest.mark.parametrize(
    "text, why",
    [
        ("[" * 100_000, "brackets nested more than 32 levels deep"),
        ("{a: " * 50 + "1" + "}" * 50, "brackets nested more than 32 levels deep"),
        ("- " * 200_000 + "x", "nested more than 32 levels deep"),
    ],
    ids=["flow-sequences", "flow-mappings", "block-sequences"],
)
def test_deep_nesting_is_refused_before_the_parser_sees_it(text, why):
    # Without the pre-check, libyaml crashes the interpreter on these.
    assert why in refused(text, answer=True)


def test_non_utf8_names_the_line():
    assert refused(b"format: 1\nlearner:\n  name: Jos\xe9\n") == "answers/s1.yml:3: not UTF-8 text; save the file as UTF-8"


def test_utf8_bom_is_accepted():
    assert load_bytes("\ufeffa: é\n".encode(), "a.yml").data == {"a": "é"}


def test_syntax_error_names_line_and_fix():
    message = refused("answers:\n  q1: [a, b\n  q2: c\n")
    assert message.startswith("answers/s1.yml:3: not valid YAML (")
    assert "check the indentation and quotes" in message


def test_python_tags_are_refused():
    assert "not valid YAML" in refused("a: !!python/object/apply:os.system [ls]\n")


def test_yaml_1_2_scalars():
    data = load_bytes(b"a: no\nb: off\nc: 2026-11-23T21:00:00Z\nd: 1e3\ne: true\nf: ~\ng: 0123\nh: yes\n", "a.yml").data
    assert data == {"a": "no", "b": "off", "c": "2026-11-23T21:00:00Z", "d": 1000.0, "e": True, "f": None, "g": 123, "h": "yes"}


def test_keys_become_text_as_in_json():
    assert load_bytes(b"true: 1\n2: b\nnull: c\n", "a.yml").data == {"true": 1, "2": "b", "null": "c"}


def test_json_loads_the_same_as_yaml(tmp_path):
    yaml_file, json_file = tmp_path / "a.yml", tmp_path / "a.json"
    yaml_file.write_text("format: 1\nanswers:\n  q1: [a, c]\n  q2: true\n  q3: {x: y}\n  q4: 1e5\n")
    json_file.write_text('{"format": 1, "answers": {"q1": ["a", "c"], "q2": true, "q3": {"x": "y"}, "q4": 1e5}}')
    assert load_file(yaml_file, answer=True).data == load_file(json_file, answer=True).data


def test_json_duplicate_keys_and_syntax_errors(tmp_path):
    dup = tmp_path / "d.json"
    dup.write_text('{\n "quiz": "a",\n "quiz": "b"\n}')
    with pytest.raises(LoadError, match=r"d.json:2: the key 'quiz' appears twice"):
        load_file(dup, answer=True)
    bad = tmp_path / "b.json"
    bad.write_text('{"a": 1,,}')
    with pytest.raises(LoadError, match=r"b.json:1: not valid JSON \(Expecting"):
        load_file(bad, answer=True)


def test_line_of_finds_keys_and_items():
    loaded = load_bytes(b"a:\n  b:\n    - x\n    - {c: 1}\n", "a.yml")
    assert loaded.line_of(("a",)) == 1
    assert loaded.line_of(("a", "b")) == 2
    assert loaded.line_of(("a", "b", 1)) == 4
    assert loaded.line_of(("a", "b", 1, "c")) == 4
    assert loaded.line_of(("a", "missing")) == 1


def test_missing_file_and_folder(tmp_path):
    with pytest.raises(LoadError, match="no such file"):
        load_file(tmp_path / "nope.yml")
    with pytest.raises(LoadError, match="is a folder"):
        load_file(tmp_path)


def test_empty_document_is_none():
    assert load_bytes(b"# only a comment\n", "a.yml").data is None
