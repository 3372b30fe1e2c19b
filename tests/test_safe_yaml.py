"""The one loader: every refusal names the file and line, and YAML reads as YAML 1.2."""

from __future__ import annotations

import pytest

from grader.formats import loader as safe_yaml
from grader.formats.loader import LoadError, load_bytes, load_file


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
        ("[" * 100_000, "nested more than 32 levels deep"),
        ("{a: " * 50 + "1" + "}" * 50, "nested more than 32 levels deep"),
        ("[" * 2_000, "nested more than 32 levels deep"),
        ("- " * 200_000 + "x", "nested more than 32 levels deep"),
    ],
    ids=["flow-sequences", "flow-mappings", "flow-short", "block-sequences"],
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


# ---------------------------------------------------------------- numbers keep the text they were written as


def test_numbers_keep_the_text_they_were_written_as():
    data = load_bytes(b"id: 0012345\nhex: 0x1F\nplus: +7\nv: 12345e78\nf: 2.50\n01: key\n", "a.yml", answer=True).data
    assert data == {"id": 12345, "hex": 31, "plus": 7, "v": 12345e78, "f": 2.5, "01": "key"}
    assert [str(data[k]) for k in ("id", "hex", "plus", "v", "f")] == ["0012345", "0x1F", "+7", "12345e78", "2.50"]
    doc = load_bytes(b'{"id": 20261234, "f": 1.50}', "a.json", answer=True, as_json=True).data
    assert doc == {"id": 20261234, "f": 1.5} and (str(doc["id"]), str(doc["f"])) == ("20261234", "1.50")


def test_numbers_survive_a_trip_to_a_worker_and_into_json():
    import json
    import pickle

    data = load_bytes(b"a: [007, 1.50]\n", "a.yml").data
    back = pickle.loads(pickle.dumps(data))
    assert [str(n) for n in back["a"]] == ["007", "1.50"]
    assert json.dumps(back) == '{"a": [7, 1.5]}'


@pytest.mark.parametrize(
    "text, as_json, line",
    [
        ("a: 1\nb: " + "7" * 5000 + "\n", False, 2),
        ("a: 1\nb:\n  c: 0x" + "f" * 5000 + "\n", False, 3),
        ('{"a": 1,\n "b": ' + "7" * 5000 + "}", True, 2),
        ('{"a": 1,\n "b": -' + "7" * 600 + "}", True, 2),
    ],
    ids=["yaml-decimal", "yaml-hex", "json-decimal", "json-negative"],
)
def test_numbers_too_long_to_turn_into_text_are_refused_with_the_line(text, as_json, line):
    message = refused(text, answer=True, as_json=as_json)
    assert message.startswith(f"answers/s1.yml:{line}: a number ")
    assert "characters long" in message


@pytest.mark.parametrize(
    "text, as_json, shown",
    [
        ('{"a": 1,\n "b": NaN}', True, "NaN"),
        ('{"a": 1,\n "b": [1, Infinity]}', True, "Infinity"),
        ('{"a": 1,\n "b": -Infinity}', True, "-Infinity"),
        ("a: 1\nb: .inf\n", False, ".inf"),
        ("a: 1\nb: -.Inf\n", False, "-.Inf"),
        ("a: 1\nb: .nan\n", False, ".nan"),
    ],
)
def test_non_finite_numbers_are_refused_with_the_line(text, as_json, shown):
    assert refused(text, answer=True, as_json=as_json) == (
        f"answers/s1.yml:2: {shown} is not a finite number, and results.json could not hold it; write a number, or quote text"
    )


@pytest.mark.parametrize("where", ['"name": "\\ud800"', '"\\udfff": 1', '"name": "a\\ud83d"', '"name": "\\ude00b"'])
def test_a_lone_surrogate_in_json_is_refused_with_the_line(where):
    message = refused('{"format": 1,\n ' + where + "}", answer=True, as_json=True)
    assert message.startswith("answers/s1.yml:2: ") and "lone surrogate" in message


def test_surrogate_pairs_and_escaped_backslashes_are_text():
    data = load_bytes(b'{"a": "\\ud83d\\ude00", "b": "\\\\ud800"}', "a.json", as_json=True).data
    assert data == {"a": "\U0001f600", "b": "\\ud800"}


@pytest.mark.parametrize(
    "text",
    [
        "a: !!set {x}",
        "a: !!pairs [{a: 1}]",
        "a: !!bool maybe",
        "a: !!int abc",
        "a: !!int 0o17",
        "a: !!float abc",
        "a: !!map x",
        "a: !!seq x",
        "a: !!omap [a: 1]",
        "a: !!str [1]",
        "a: !!null [1]",
        "a: !!python/tuple [1]",
    ],
)
def test_explicit_tags_give_plain_data_or_a_clean_refusal(text):
    assert refused("format: 1\n" + text + "\n", answer=True).startswith("answers/s1.yml:2: ")


@pytest.mark.parametrize("tag", ["int", "float", "bool", "null", "str", "timestamp", "binary"])
@pytest.mark.parametrize("value", ["[1]", "{b: 1}"], ids=["list", "mapping"])
def test_a_value_tag_on_a_list_or_mapping_is_refused_in_the_tags_words(tag, value):
    assert refused(f"format: 1\na: !!{tag} {value}\n", answer=True) == (
        f"answers/s1.yml:2: the tag !!{tag} needs a single value here, not a list or mapping"
    )


# ---------------------------------------------------------------- nesting: structure, not characters


@pytest.mark.parametrize(
    "text",
    [
        "name: '" + "[" * 40 + "{" * 40 + "'\n",
        'name: "' + "- " * 40 + '"\n',
        "note: |\n  " + "- " * 40 + "\n  " + "[" * 40 + "\n",
        "note: >\n  " + "? " * 40 + "\n",
        "# " + "[" * 40 + "\nname: x\n",
        "name: x " + "[" * 40 + "\n",
    ],
    ids=["single-quoted", "double-quoted", "literal-block", "folded-block", "comment", "plain"],
)
@pytest.mark.parametrize("padding", [0, 10_000], ids=["short", "long"])
def test_brackets_and_dashes_inside_text_are_not_nesting(text, padding):
    raw = (text + "pad: " + "x" * padding + "\n").encode()
    assert "pad" in load_bytes(raw, "a.yml", answer=True).data


@pytest.mark.parametrize("padding", [0, 10_000], ids=["short", "long"])
def test_brackets_inside_json_strings_are_not_nesting(padding):
    raw = ('{"name": "' + "[" * 40 + "{" * 40 + '", "pad": "' + "x" * padding + '"}').encode()
    assert load_bytes(raw, "a.json", answer=True, as_json=True).data["name"].startswith("[[[")


def nested_by_indentation(levels: int) -> str:
    return "".join("  " * i + f"k{i}:\n" for i in range(levels)) + "  " * levels + "x: 1\n"


@pytest.mark.parametrize("padding", [0, 10_000], ids=["short", "long"])
def test_real_nesting_is_still_counted(padding):
    pad = "pad: " + "x" * padding + "\n"
    assert load_bytes((pad + nested_by_indentation(31)).encode(), "a.yml", answer=True).data
    assert "nested more than 32 levels deep" in refused(pad + nested_by_indentation(32), answer=True)
    assert "nested more than 32 levels deep" in refused(pad + "a: " + "[" * 33 + "]" * 33 + "\n", answer=True)
    assert "nested more than 32 levels deep" in refused(pad + "a:\n" + "  - " * 33 + "x\n", answer=True)
    deep_json = '{"pad": "' + "x" * padding + '", "a": ' + "[" * 33 + "]" * 33 + "}"
    assert "nested more than 32 levels deep" in refused(deep_json, answer=True, as_json=True)


# ---------------------------------------------------------------- only regular files are opened


def test_only_regular_files_are_read(tmp_path):
    import os
    import socket

    (tmp_path / "real.yml").write_text("a: 1\n")
    (tmp_path / "dangling.yml").symlink_to(tmp_path / "gone.yml")
    (tmp_path / "loop.yml").symlink_to(tmp_path / "loop.yml")
    (tmp_path / "link.yml").symlink_to(tmp_path / "real.yml")
    os.mkfifo(tmp_path / "pipe.yml")
    server = socket.socket(socket.AF_UNIX)
    server.bind(str(tmp_path / "sock.yml"))
    try:
        assert load_file(tmp_path / "link.yml").data == {"a": 1}
        assert load_file(tmp_path / "real.yml").mtime == (tmp_path / "real.yml").stat().st_mtime
        for name, why in [
            ("dangling.yml", "a link to a file that does not exist"),
            ("loop.yml", "a link that leads back to itself"),
            ("pipe.yml", "is a named pipe (FIFO), not a file"),
            ("sock.yml", "is a socket, not a file"),
        ]:
            with pytest.raises(LoadError) as caught:
                load_file(tmp_path / name, answer=True, display=name)
            assert str(caught.value).startswith(f"{name}: {why}")
        with pytest.raises(LoadError, match="is a device, not a file"):
            load_file("/dev/null")
    finally:
        server.close()


@pytest.mark.parametrize(
    "text, as_json", [("version: 12e45678\nq6: 1e999\n", False), ('{"version": 12e45678, "q6": 1e999}', True)]
)
def test_digits_too_large_for_a_number_are_kept_as_the_text_written(text, as_json):
    from grader.formats.loader import load_bytes

    data = load_bytes(text.encode(), "answers/s1.yml", answer=True, as_json=as_json).data
    assert data == {"version": "12e45678", "q6": "1e999"}


def test_another_tools_tags_are_kept_only_when_asked_for():
    text = b'site_url: !ENV [SITE_URL, "http://127.0.0.1:8000/"]\nfence: !!python/name:grader.site.quiz_fence\nname: !ENV NAME\n'
    # Course and answer files refuse them, as before.
    assert "could not determine a constructor for the tag '!ENV'" in refused(text)
    data = load_bytes(text, "mkdocs.yml", tags=True).data
    assert data == {
        "site_url": safe_yaml.Tagged("!ENV", ["SITE_URL", "http://127.0.0.1:8000/"]),
        "fence": safe_yaml.Tagged("tag:yaml.org,2002:python/name:grader.site.quiz_fence", ""),
        "name": safe_yaml.Tagged("!ENV", "NAME"),
    }
    # Everything else reads as in any other file: YAML 1.2 scalars, duplicate keys refused.
    assert load_bytes(b"a: no\nb: !ENV [X, 012]\n", "mkdocs.yml", tags=True).data == {
        "a": "no",
        "b": safe_yaml.Tagged("!ENV", ["X", 12]),
    }
    with pytest.raises(LoadError, match="the key 'a' appears twice"):
        load_bytes(b"a: !ENV X\na: 1\n", "mkdocs.yml", tags=True)
