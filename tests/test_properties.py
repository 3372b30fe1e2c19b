"""Whatever bytes or YAML a learner hands in, the grader answers with a grade or a clean rejection."""

from __future__ import annotations

import json

import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from grader import answers
from grader.grading import Graded, Rejection, grade_file, grade_submission, versions
from grader.safe_yaml import LoadError, load_bytes

SETTINGS = settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])

scalars = st.one_of(
    st.none(), st.booleans(), st.integers(), st.floats(allow_nan=False), st.text(max_size=30),
    st.sampled_from(["a", "b", "c", "r1", "r2", "r3", "r4", "listen", "fix", "check", "x", "y", "mini-quiz", "tiny", "q1", "path"]),
)
structures = st.recursive(
    scalars, lambda inner: st.lists(inner, max_size=5) | st.dictionaries(st.text(max_size=8) | st.sampled_from(["q1", "q2", "q4", "q5", "q7"]), inner, max_size=5),
    max_leaves=25,
)
answer_values = st.fixed_dictionaries(
    {},
    optional={f"q{n}": structures for n in range(1, 11)} | {"path": structures},
)
answer_files = st.fixed_dictionaries(
    {"format": st.sampled_from([1, 1, 1, 2, "1", None]), "quiz": st.sampled_from(["mini-quiz", "tiny", "nope", 7]),
     "learner": st.one_of(st.fixed_dictionaries({"id": st.one_of(st.from_regex(r"[A-Za-z0-9][A-Za-z0-9._@-]{0,70}", fullmatch=True), scalars)},
                                                optional={"name": scalars}), scalars),
     "answers": st.one_of(answer_values, structures)},
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
    result = grade_file(path, "a.yml", mini, versions(mini), strict_version=False)
    assert isinstance(result, (Graded, Rejection))
