"""Whatever bytes, YAML or whole class a learner hands in, the grader answers with a grade or a clean rejection."""

from __future__ import annotations

import json
import os

import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from grader.common import files as file_names
from grader.formats.loader import LoadError, load_bytes
from grader.grading import answers
from grader.grading.collect import Handin
from grader.grading.one_file import Graded, Rejection, grade_file, grade_submission, versions
from tests.conftest import MINI
from tests.outputs import output_set, run_grader

SETTINGS = settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])

scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(),
    st.floats(allow_nan=False),
    st.text(max_size=30),
    st.sampled_from(
        ["a", "b", "c", "r1", "r2", "r3", "r4", "listen", "fix", "check", "x", "y", "mini-quiz", "tiny", "q1", "path"]
    ),
)
structures = st.recursive(
    scalars,
    lambda inner: (
        st.lists(inner, max_size=5)
        | st.dictionaries(st.text(max_size=8) | st.sampled_from(["q1", "q2", "q4", "q5", "q7"]), inner, max_size=5)
    ),
    max_leaves=25,
)
answer_values = st.fixed_dictionaries(
    {},
    optional={f"q{n}": structures for n in range(1, 11)} | {"path": structures},
)
answer_files = st.fixed_dictionaries(
    {
        "format": st.sampled_from([1, 1, 1, 2, "1", None]),
        "quiz": st.sampled_from(["mini-quiz", "tiny", "nope", 7]),
        "learner": st.one_of(
            st.fixed_dictionaries(
                {"id": st.one_of(st.from_regex(r"[A-Za-z0-9][A-Za-z0-9._@-]{0,70}", fullmatch=True), scalars)},
                optional={"name": scalars},
            ),
            scalars,
        ),
        "answers": st.one_of(answer_values, structures),
    },
    optional={"version": scalars, "submitted": scalars, "score": scalars},
)


def outcome(raw: bytes, mini, as_json=False):
    """Grade raw bytes as an answer file; only a grade or a rejection may come back."""
    try:
        loaded = load_bytes(raw, "f.yml", answer=True, as_json=as_json)
    except LoadError as error:
        assert error.problem.file == "f.yml" and error.problem.message
        return "load-error"
    try:
        sub = answers.parse(loaded, versions(mini))
    except answers.Rejected as error:
        assert error.problem.message
        return "rejected"
    graded = grade_submission(sub, mini)
    assert 0 <= graded.result.score <= graded.result.max
    json.dumps([i.answer for i in graded.result.items])  # results.json can hold every answer
    return "graded"


@SETTINGS
@given(raw=st.binary(max_size=400))
def test_arbitrary_bytes(mini, raw):
    outcome(raw, mini)
    outcome(raw, mini, as_json=True)


@SETTINGS
@given(text=st.text(alphabet=st.sampled_from(list("[]{}-:?&*!|>'\"#%@`,\n\t abc1") + ["\u2028", "\x85", "\ufeff"]), max_size=200))
def test_arbitrary_yaml_punctuation(mini, text):
    outcome(text.encode("utf-8"), mini)


@SETTINGS
@given(doc=answer_files)
def test_arbitrary_structures_as_yaml_and_json(mini, doc):
    as_yaml = outcome(yaml.safe_dump(doc, allow_unicode=True).encode("utf-8"), mini)
    as_json = outcome(json.dumps(doc).encode("utf-8"), mini, as_json=True)
    assert as_yaml == as_json  # JSON is YAML too: the same document grades the same way


@SETTINGS
@given(doc=answer_files)
def test_whole_pipeline_never_raises(mini, tmp_path_factory, doc):
    path = tmp_path_factory.mktemp("p") / "a.yml"
    path.write_text(yaml.safe_dump(doc, allow_unicode=True), encoding="utf-8")
    result = grade_file(Handin(str(path), "a.yml"), mini, versions(mini), strict_version=False)
    assert isinstance(result, (Graded, Rejection))


# ---------------------------------------------------------------- whole files through the real command

# Any code point at all: control characters, and lone surrogates (which only a JSON \uXXXX escape can carry).
any_text = st.text(alphabet=st.characters(exclude_categories=()), max_size=20)
wild_scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(10**600), max_value=10**600),
    st.floats(),
    any_text,
    st.sampled_from(["a", "b", "c", "r1", "r2", "r3", "listen", "fix", "check", "x", "y", "ＦＩＸ", "fix\u2013it"]),
)
wild_values = st.recursive(
    wild_scalars,
    lambda inner: (
        st.lists(inner, max_size=4) | st.dictionaries(any_text | st.sampled_from(["uh-huh", "refund"]), inner, max_size=4)
    ),
    max_leaves=12,
)
wild_files = st.fixed_dictionaries(
    {
        "format": st.sampled_from([1, 1, 1, 2]),
        "quiz": st.sampled_from(["mini-quiz", "mini-quiz", "tiny", "nope"]),
        "learner": st.fixed_dictionaries(
            {
                "id": st.one_of(
                    st.from_regex(r"[A-Za-z0-9][A-Za-z0-9._@-]{0,10}", fullmatch=True), st.integers(0, 10**12), any_text
                )
            },
            optional={"name": wild_values},
        ),
        "answers": st.dictionaries(
            st.sampled_from([f"q{n}" for n in range(1, 11)] + ["path"]) | any_text, wild_values, max_size=8
        ),
    },
    optional={
        "version": wild_scalars,
        "submitted": st.one_of(any_text, st.datetimes().map(str), st.sampled_from(["9999-12-31T23:00:00-05:00"])),
    },
)
# File name stems: valid UTF-8 with any character in it but "/" and NUL, or raw bytes as a zip from elsewhere leaves them.
stems = st.one_of(
    st.text(alphabet=st.characters(exclude_categories=("Cs",), exclude_characters="/\0"), max_size=10).map(
        lambda t: t.encode("utf-8")
    ),
    st.binary(max_size=10).map(lambda b: b.replace(b"/", b"").replace(b"\0", b"")),
)
handed_in = st.tuples(wild_files, stems, st.booleans())


def write_answer_file(folder: bytes, number: int, doc: dict, stem: bytes, as_json: bool) -> bytes:
    """Write one answer file (JSON escapes every character it must; YAML is written as UTF-8); return its name."""
    name = b"%03d-" % number + stem + (b".json" if as_json else b".yml")
    if as_json:
        raw = json.dumps(doc, ensure_ascii=True).encode("ascii")
    else:
        raw = yaml.safe_dump(doc, allow_unicode=True).encode("utf-8", "surrogatepass")
    with open(folder + b"/" + name, "wb") as handle:
        handle.write(raw)
    return name


@settings(
    max_examples=8,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.data_too_large, HealthCheck.too_slow],
)
@given(batch=st.lists(handed_in, min_size=4, max_size=25))
def test_every_file_of_a_wild_class_is_graded_or_rejected_by_the_real_command(tmp_path_factory, batch):
    root = tmp_path_factory.mktemp("wild")
    folder = os.fsencode(root / "class")
    os.mkdir(folder)
    names = [write_answer_file(folder, number, doc, stem, as_json) for number, (doc, stem, as_json) in enumerate(batch)]
    done = run_grader("--course", MINI, "grade", "class", "--out", "out", cwd=root, timeout=120)
    assert done.code in (0, 1), done.err
    outputs = output_set(root / "out")  # results.json is strict JSON, the outputs agree with one another
    summary = outputs["results"]["summary"]
    assert (summary["files"], summary["skipped"]) == (len(batch), 0)
    shown = {"class/" + file_names.shown(os.fsdecode(name)) for name in names}
    graded = [r["file"] for r in outputs["results"]["results"]] + [s["file"] for s in outputs["results"]["set_aside"]]
    rejected = {r["file"]: r["reason"] for r in outputs["rejected"]}
    assert sorted(graded + list(rejected)) == sorted(shown)  # every file once: graded, set aside or rejected
    assert all(reason.strip() for reason in rejected.values())
    assert done.code == (1 if rejected else 0)
