"""The dialogue engine: parsing, graph checks, path analysis and replay, on real scenario files."""

from __future__ import annotations

import json

import jsonschema
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from grader.course.load import scenario_from
from grader.dialogue import analysis
from grader.dialogue import check as checks
from grader.dialogue.analysis import analyse_paths as analyse
from grader.dialogue.analysis import item_score
from grader.dialogue.check import check, structure
from grader.dialogue.engine import replay
from grader.dialogue.model import Meter, Rule
from grader.dialogue.parse import build, scored_by
from grader.formats.loader import load_file
from grader.formats.schemas import problems as schema_problems
from tests.conftest import CASES, ROOT

DIALOGUES = CASES / "dialogues"
SCHEMA = json.loads((ROOT / "grader" / "schemas" / "dialogue.schema.json").read_text())
MODELS = load_file(ROOT / "quizzes" / "models.yml").data
STEPS = {f"{m['id']}.{s['id']}" for m in MODELS["models"] for s in m["steps"]}
ANTI = {a["id"] for a in MODELS["anti_patterns"]}
REAL = sorted((ROOT / "quizzes" / "dialogues").glob("*.yml"))


def display(name: str) -> str:
    return f"tests/cases/dialogues/{name}.yml"


def load(name: str):
    """(Dialogue or None, every problem, Loaded) for a fixture, as course loading reads a scenario."""
    loaded = load_file(DIALOGUES / f"{name}.yml", display=display(name))
    d, problems = scenario_from(loaded, "0badc0de", STEPS, ANTI)
    return d, problems, loaded


def problems_of(name: str) -> list:
    """Every problem the schema and the checks report for a fixture, as course loading would."""
    return load(name)[1]


def parse(data, file: str, line_of, version: str):
    """(Dialogue or None, schema and reference problems) for scenario data, as course loading reads it before the graph checks."""
    found = schema_problems(data, file, "dialogue", line_of)
    if found:
        return None, found
    d = build(data, file, version)
    found = structure(d, line_of)
    return (None, found) if found else (d, [])


TOP_KEYS = ("id", "title", "summary", "lessons", "points", "setting", "customer", "meters", "rules", "start", "nodes", "endings")
REPLY_KEYS = ("id", "text", "next", "score", "steps", "mistakes", "effect", "feedback", "lesson")
METER_KEYS = ("label", "min", "max", "start")


def line_with(name: str, marker: str) -> int:
    """1-based line of the first line holding `marker` in a fixture."""
    for n, text in enumerate((DIALOGUES / f"{name}.yml").read_text().splitlines(), 1):
        if marker in text:
            return n
    raise AssertionError(f"{marker!r} not in {name}")


def small():
    d, found, _ = load("valid-small")
    assert found == []
    return d


# ---------------------------------------------------------------- every error names the file, the line and the place

ERRORS = [
    ("unreachable-node", "  n3:", ["node 'n3'", "cannot be reached", "start 'n1'"]),
    ("dead-end", "  n2:", ["node 'n2'", "no replies", "without an ending"]),
    ("missing-next", "next: n9", ["reply 'r2'", "node 'n1'", "'n9'", "neither a node nor an ending", "n2"]),
    ("unreached-ending", "  escalated:", ["ending 'escalated'", "no reply and no rule leads to it"]),
    ("unreached-rule-ending", "  delighted:", ["ending 'delighted'", "never reached", "rules' limits"]),
    ("endless-loop", "  n2:", ["n2 -> n3 -> n2", "for ever", "path into the loop: r2", "reply that leads to an ending"]),
    (
        "meter-out-of-range",
        "          calm: 1",
        ["meter 'calm'", "reaches 6", "above its max 5", "reply 'r3'", "node 'n2'", "path: r1, r3"],
    ),
    ("positive-loop", "  n1:", ["n1 -> n2 -> n1", "gains points every time", "no limit"]),
    ("never-reached-node", "  n2:", ["node 'n2'", "never reached", "a rule ends the dialogue"]),
    ("best-not-positive", "endings:", ["best raw score is 0", "path: r1", "above 0"]),
    ("duplicate-reply-id", 'id: r1, text: "Again?"', ["reply id 'r1'", "node 'n2'", "already used at node 'n1'"]),
    ("id-clash", "  done: {outcome", ["'done'", "both a node and an ending"]),
]


@pytest.mark.parametrize("name, marker, words", ERRORS, ids=[e[0] for e in ERRORS])
def test_each_faulty_scenario_reports_one_problem_with_file_line_and_place(name, marker, words):
    found = problems_of(name)
    assert len(found) == 1, [str(p) for p in found]
    problem = found[0]
    assert problem.file == display(name)
    assert problem.line == line_with(name, marker)
    assert str(problem).startswith(f"{display(name)}:{problem.line} (")
    for word in words:
        assert word in problem.message, (word, problem.message)


def test_unknown_step_and_anti_pattern_are_named_with_a_suggestion():
    found = problems_of("unknown-step")
    assert [p.line for p in found] == [line_with("unknown-step", "acknowlege"), line_with("unknown-step", "interupts")]
    assert [p.where for p in found] == ["nodes.n1.replies[0].steps[1]", "nodes.n1.replies[0].mistakes[0]"]
    assert "reply 'r1' at node 'n1' tags step 'five-step.acknowlege'" in found[0].message
    assert "did you mean 'five-step.acknowledge'?" in found[0].message
    assert "anti-pattern 'interupts'" in found[1].message and "did you mean 'interrupts'?" in found[1].message


def test_structural_problems_are_all_reported_at_once_and_no_dialogue_is_built():
    d, found, _ = load("wrong-types")
    assert d is None
    by_where = {p.where: p for p in found}
    expect = {
        "id": "\"Wrong_Types\" is not a valid scenario id: use lower case letters, digits and '-'",
        "title": "must be non-empty text",
        "points": "must be above 0, not -3",
        "meters.calm.max": "max 2 must be above min 5",
        "rules[0]": "needs exactly one of `at_most` and `at_least`",
        "rules[0].ending": "'n1', which is a node; a rule must lead to an ending",
        "rules[1].meter": "did you mean 'calm'?",
        "start": "'done' is an ending",
        "nodes.n1.replies[0].next": "must be text, not a number",
        "nodes.n1.replies[0].score": "must be a whole number, not text",
        "nodes.n1.replies[0].steps": "must be a list",
        "nodes.n1.replies[0].effect.calm": "must be a whole number, not text",
        "nodes.n1.replies[0].effect.trust": "meter 'trust', which `meters` does not define",
        "nodes.n1.replies[1]": "must be a mapping, not text",
        "nodes.n1.replies[2]": "lacks the key 'next'; add it",
        "nodes.n1.replies[2].nxt": "is not a key this format has here; did you mean 'next'?",
        "endings.done.outcome": 'must be one of "resolved_retained", "resolved", "escalated", "lost", not "happy"',
    }
    for where, words in expect.items():
        assert where in by_where, (where, sorted(by_where))
        assert words in by_where[where].message, by_where[where].message
        assert by_where[where].line is not None
    assert [p.line for p in found] == sorted(p.line for p in found)


@pytest.mark.parametrize("data", [None, [], "text", 3, {}, {"id": "x"}, {"nodes": [], "endings": "none"}])
def test_parse_of_garbage_returns_problems_and_never_raises(data):
    d, found = parse(data, "x.yml", None, "00000000")
    assert d is None and found
    assert all(p.file == "x.yml" for p in found)


JSONISH = st.recursive(
    st.none()
    | st.booleans()
    | st.integers(-5, 5)
    | st.floats(allow_nan=True)
    | st.sampled_from(["n1", "r1", "done", "calm", "", "X"]),
    lambda inner: (
        st.lists(inner, max_size=4)
        | st.dictionaries(st.sampled_from(list(TOP_KEYS + REPLY_KEYS + METER_KEYS + ("n1", "done", "calm"))), inner, max_size=6)
    ),
    max_leaves=30,
)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(JSONISH)
def test_parse_never_raises_on_any_shape(data):
    d, found = parse(data, "x.yml", lambda path: None, "00000000")
    assert (d is None) == bool(found)


def test_a_broken_line_lookup_does_not_hide_the_problem():
    def broken(path):
        raise KeyError(path)

    d, found = parse({"id": "x"}, "x.yml", broken, "00000000")
    assert d is None and found and all(p.line is None for p in found)


# ---------------------------------------------------------------- valid scenarios and their analysis


def test_valid_small_has_no_problems_and_its_exact_figures():
    d = small()
    assert check(d, STEPS, ANTI, None) == []
    a = analyse(d)
    assert (a.paths, a.best, a.worst, a.longest) == (7, 7, -4, 3)
    assert a.complete and not a.best_unbounded and not a.worst_unbounded
    assert a.endings_reached == ("sorted", "escalated", "hangs-up")
    assert dict(a.paths_by_ending) == {"sorted": 3, "escalated": 3, "hangs-up": 1}
    assert a.best_path == ("r1", "r4") and a.worst_path == ("r3", "r7")


def test_parsed_fields_follow_the_file():
    d = small()
    assert (d.id, d.points, d.start, d.customer, d.version, d.file) == (
        "valid-small",
        10,
        "n1",
        "Sam",
        "0badc0de",
        display("valid-small"),
    )
    assert list(d.nodes) == ["n1", "n2", "n3"] and list(d.endings) == ["sorted", "escalated", "hangs-up"]
    r1 = d.nodes["n1"].replies[0]
    assert (r1.id, r1.next, r1.score, r1.steps, dict(r1.effect), r1.lesson) == (
        "r1",
        "n2",
        2,
        ("five-step.acknowledge",),
        {"calm": 1},
        "lessons/five-step-process.md#acknowledge",
    )
    r2 = d.nodes["n1"].replies[1]
    assert (r2.score, r2.steps, r2.mistakes, dict(r2.effect), r2.lesson) == (0, (), (), {}, None)
    assert d.rules[0] == Rule("calm", 0, None, "hangs-up")
    assert d.meters["calm"] == Meter("calm", "Calm", 0, 6, 2)
    assert d.endings["escalated"].score == 0
    assert hash(d) == hash(small()) and d == small()  # course.py caches on scenarios


def test_a_loop_with_an_exit_is_valid_but_its_paths_are_unbounded():
    d, found, loaded = load("loop-with-exit")
    assert found == [] and check(d, STEPS, ANTI, loaded.line_of) == []
    a = analyse(d)
    assert (a.paths, a.longest, a.best, a.worst) == (None, None, 3, 3)
    assert dict(a.paths_by_ending) == {"done": None}
    assert a.best_path == ("r1", "r3")
    long_way = ["r1", "r2"] * 50 + ["r1", "r3"]
    rep = replay(d, long_way)
    assert rep.ok and rep.raw == 3 and item_score(d, rep, 4) == 4.0


def test_a_positive_loop_leaves_the_best_unbounded():
    d, _, _ = load("positive-loop")
    a = analyse(d)
    assert a.best_unbounded and a.best is None and a.best_path == ()
    assert a.worst == 3 and not a.worst_unbounded
    assert item_score(d, replay(d, ["r1", "r3"]), 10) == 0.0


def test_the_state_limit_is_reported_not_hung(monkeypatch):
    d = small()
    analysis.study.cache_clear()
    monkeypatch.setattr(analysis, "STATE_LIMIT", 2)
    monkeypatch.setattr(checks, "STATE_LIMIT", 2)
    try:
        a = analyse(d)
        assert not a.complete and a.paths is None and a.best is None
        found = check(d, STEPS, ANTI, None)
        assert len(found) == 1 and "more than 2 (node, meter) states" in found[0].message
    finally:
        analysis.study.cache_clear()


def test_a_wide_meter_walk_explores_to_the_limit_and_stops():
    # Two meters from 0 to 999 nudged up and down in a loop: about a million states.
    data = {
        "id": "wide",
        "title": "Wide",
        "summary": "Many states.",
        "meters": {m: {"label": m, "min": 0, "max": 999, "start": 500} for m in ("a", "b")},
        "start": "n1",
        "nodes": {
            "n1": {
                "say": "?",
                "replies": [
                    {"id": f"r{i}", "text": "t", "next": "n1", "effect": eff, "feedback": "f"}
                    for i, eff in enumerate([{"a": 1}, {"a": -1}, {"b": 1}, {"b": -1}])
                ]
                + [{"id": "out", "text": "bye", "next": "done", "score": 1, "feedback": "f"}],
            }
        },
        "endings": {"done": {"outcome": "resolved", "title": "t", "debrief": "d"}},
    }
    d, found = parse(data, "wide.yml", None, "00000000")
    assert found == []
    found = check(d, STEPS, ANTI, None)
    assert [p.where for p in found] == ["nodes"] and "200,000" in found[0].message


# ---------------------------------------------------------------- the same figures as brute force, on random scenarios


def brute_force(data: dict) -> list[tuple[list[str], int, str]]:
    """Every complete path as (reply ids, raw score, ending), following the written rules literally."""
    meters = data.get("meters", {})
    out = []

    def go(nid, values, path, raw):
        for rep in data["nodes"][nid].get("replies", []):
            now = dict(values)
            for m, delta in rep.get("effect", {}).items():
                now[m] += delta
            if any(not meters[m]["min"] <= now[m] <= meters[m]["max"] for m in now):
                continue
            score, taken, end = raw + rep.get("score", 0), path + [rep["id"]], None
            for rule in data.get("rules", []):
                v = now[rule["meter"]]
                if ("at_most" in rule and v <= rule["at_most"]) or ("at_least" in rule and v >= rule["at_least"]):
                    end = rule["ending"]
                    break
            if end is None and rep["next"] in data["endings"]:
                end = rep["next"]
            if end:
                out.append((taken, score + data["endings"][end].get("score", 0), end))
            else:
                go(rep["next"], now, taken, score)

    go(data["start"], {m: spec["start"] for m, spec in meters.items()}, [], 0)
    return out


@st.composite
def random_scenario(draw):
    n = draw(st.integers(1, 6))
    endings = {
        f"e{i}": {"outcome": "resolved", "title": "t", "debrief": "d", "score": draw(st.integers(-3, 4))} for i in range(3)
    }
    nodes, count = {}, 0
    for i in range(n):
        replies = []
        for _ in range(draw(st.integers(1, 3))):
            targets = [f"n{j}" for j in range(i + 1, n)] + list(endings)
            replies.append(
                {
                    "id": f"r{count}",
                    "text": "t",
                    "feedback": "f",
                    "next": draw(st.sampled_from(targets)),
                    "score": draw(st.integers(-2, 3)),
                    "effect": {"calm": draw(st.integers(-3, 3))},
                }
            )
            count += 1
        nodes[f"n{i}"] = {"say": "s", "replies": replies}
    rules = draw(
        st.sampled_from(
            [
                [],
                [{"meter": "calm", "at_most": 2, "ending": "e1"}],
                [{"meter": "calm", "at_least": 8, "ending": "e2"}, {"meter": "calm", "at_most": 1, "ending": "e1"}],
            ]
        )
    )
    return {
        "id": "random",
        "title": "Random",
        "summary": "s",
        "start": "n0",
        "meters": {"calm": {"label": "Calm", "min": 0, "max": 10, "start": draw(st.integers(2, 8))}},
        "rules": rules,
        "nodes": nodes,
        "endings": endings,
    }


@settings(max_examples=200, deadline=None)
@given(random_scenario())
def test_analysis_matches_brute_force_on_random_scenarios(data):
    d, found = parse(data, "random.yml", None, "00000000")
    assert found == []
    paths = brute_force(data)
    a = analyse(d)
    assert a.complete and a.paths == len(paths)
    assert dict(a.paths_by_ending) == {e: sum(1 for p in paths if p[2] == e) for e in data["endings"]}
    assert set(a.endings_reached) == {p[2] for p in paths}
    if paths:
        assert a.best == max(p[1] for p in paths) and a.worst == min(p[1] for p in paths)
        assert a.longest == max(len(p[0]) for p in paths)
        assert replay(d, list(a.best_path)).raw == a.best and replay(d, list(a.worst_path)).raw == a.worst
    for taken, raw, end in paths:
        rep = replay(d, taken)
        assert rep.ok and rep.raw == raw and rep.ending.id == end, rep.reason


# ---------------------------------------------------------------- replaying learners' paths


def test_replay_of_the_best_path_scores_full_points():
    d = small()
    rep = replay(d, ["r1", "r4"])
    assert rep.ok and rep.reason == "" and rep.raw == 7 and rep.ending.id == "sorted"
    assert rep.steps_shown == ("five-step.acknowledge", "five-step.resolve") and rep.mistakes == ()
    assert [(nid, r.id) for nid, r in rep.taken] == [("n1", "r1"), ("n2", "r4")]
    assert rep.meters == [{"calm": 2}, {"calm": 3}, {"calm": 4}]
    assert item_score(d, rep, 10) == 10.0


def test_replay_of_the_worst_path_ends_by_the_rule_and_scores_zero():
    d = small()
    rep = replay(d, ["r3", "r7"])
    assert rep.ok and rep.raw == -4 and rep.ending.id == "hangs-up" and rep.ending.outcome == "lost"
    assert rep.mistakes == ("deflects-blame", "blames-policy")
    assert rep.meters[-1] == {"calm": 0}
    assert item_score(d, rep, 10) == 0.0


def test_replay_of_a_middle_path_scores_in_proportion():
    d = small()
    rep = replay(d, ["r3", "r6", "r4"])
    assert rep.ok and rep.raw == 5
    assert rep.meters == [{"calm": 2}, {"calm": 1}, {"calm": 2}, {"calm": 3}]
    assert item_score(d, rep, 10) == round(10 * 5 / 7, 4) == 7.1429
    assert item_score(d, replay(d, ["r1", "r5"]), 3) == round(3 * 2 / 7, 4)


FAILURES = [
    (["r1", "r6"], "choice 2, 'r6', is not on offer at node n2 (offered: r4, r5)"),
    (["r9"], "choice 1, 'r9', is not on offer at node n1 (offered: r1, r2, r3)"),
    (["r1"], "the path stops at node n2 before an ending"),
    ([], "the path stops at node n1 before an ending"),
    (["r1", "r4", "r5", "r6"], "the dialogue ended at 'sorted' after choice 2; 2 more choices follow"),
    (["r3", "r7", "r4"], "the dialogue ended at 'hangs-up' after choice 2; 1 more choice follows"),
    (["r1", 5], "choice 2 is the number 5, not a reply id"),
    ([None], "choice 1 is empty (null), not a reply id"),
    ([True], "choice 1 is true, not a reply id"),
    ([["r1"]], "choice 1 is a list of 1, not a reply id"),
    ([{"r1": 1}], "choice 1 is a mapping, not a reply id"),
    ("r1", "the path must be a list of reply ids, not 'r1'"),
    (None, "the path must be a list of reply ids, not empty (null)"),
    ({"path": ["r1"]}, "the path must be a list of reply ids, not a mapping"),
    (["x" * 500], "choice 1, '" + "x" * 37 + "...', is not on offer at node n1"),
    (["r1\n\x00"], "choice 1, 'r1\\n\\x00', is not on offer"),
]


@pytest.mark.parametrize("path, reason", FAILURES, ids=[f[1][:40] for f in FAILURES])
def test_each_bad_path_is_refused_with_a_reason_and_scores_zero(path, reason):
    d = small()
    rep = replay(d, path)
    assert not rep.ok
    assert rep.reason.startswith(reason), rep.reason
    assert item_score(d, rep, 10) == 0.0


def test_only_a_valid_path_has_an_ending_to_score():
    d = small()
    assert replay(d, ["r1", "r4"]).valid_ending == d.endings["sorted"]
    overrun = replay(d, ["r1", "r4", "r5"])
    assert overrun.ending == d.endings["sorted"] and not overrun.ok
    with pytest.raises(ValueError, match="not valid has no ending to score: the dialogue ended at 'sorted'"):
        _ = overrun.valid_ending


@pytest.mark.parametrize(
    "path", [["r1"] * 10_000, ["r1", "r4"] + ["r5"] * 9_998, list(range(10_000)), [None] * 10_000, [[[]]] * 10_000]
)
def test_ten_thousand_entries_are_refused_quickly(path):
    rep = replay(small(), path)
    assert not rep.ok and len(rep.taken) <= 2


def test_ten_thousand_entries_after_an_ending_are_counted():
    rep = replay(small(), ["r1", "r4"] + ["r5"] * 9_998)
    assert rep.reason == "the dialogue ended at 'sorted' after choice 2; 9998 more choices follow"


@settings(max_examples=300, deadline=None)  # tests never assert on time
@given(
    st.lists(
        st.sampled_from(["r1", "r2", "r3", "r4", "r5", "r6", "r7", "", "n1"]) | st.integers() | st.none() | st.text(max_size=5),
        max_size=8,
    )
)
def test_replay_never_raises_and_is_ok_only_for_complete_paths(path):
    d = small()
    rep = replay(d, path)
    complete = {tuple(p[0]) for p in brute_force(load("valid-small")[2].data)}
    assert rep.ok == (tuple(path) in complete)
    assert 0.0 <= item_score(d, rep, 10) <= 10.0


# ---------------------------------------------------------------- the JSON Schema agrees with the parser


def test_schema_is_valid_and_describes_every_property():
    jsonschema.Draft202012Validator.check_schema(SCHEMA)

    def walk(node, where):
        if isinstance(node, dict):
            for key, sub in node.get("properties", {}).items():
                assert "description" in sub, f"{where}.{key} has no description"
            for key, sub in node.items():
                walk(sub, f"{where}.{key}")
        elif isinstance(node, list):
            for i, sub in enumerate(node):
                walk(sub, f"{where}[{i}]")

    walk(SCHEMA, "$")


@pytest.mark.parametrize("path", sorted(DIALOGUES.glob("*.yml")) + REAL, ids=lambda p: p.name)
def test_schema_accepts_exactly_what_parses_apart_from_graph_problems(path):
    data = load_file(path).data
    errors = list(jsonschema.Draft202012Validator(SCHEMA).iter_errors(data))
    _, found = parse(data, str(path), None, "00000000")
    # The schema cannot see across keys.
    graph_only = {"missing-next.yml", "duplicate-reply-id.yml", "id-clash.yml", "variants-bad.yml"}
    if path.name == "wrong-types.yml":
        assert errors and found
    else:
        assert errors == [], [e.message for e in errors]
        assert bool(found) == (path.name in graph_only)


# ---------------------------------------------------------------- the course's own scenarios


@pytest.mark.parametrize("path", REAL, ids=lambda p: p.stem)
def test_real_scenarios_parse_and_pass_every_check(path):
    loaded = load_file(path, display=str(path.relative_to(ROOT)))
    d, found = parse(loaded.data, loaded.file, loaded.line_of, "00000000")
    assert found == [], [str(p) for p in found]
    assert check(d, STEPS, ANTI, loaded.line_of) == []
    if d.exam:  # its scores are in its key
        d = scored_by(d, load_file(ROOT / "quizzes" / "keys" / "dialogues" / path.name).data, "key")
    a = analyse(d)
    assert a.complete and a.best and a.best > 0
    rep = replay(d, list(a.best_path))
    assert rep.ok and item_score(d, rep, d.points) == d.points


def test_the_same_endless_loop_at_other_meter_values_is_reported_once():
    d, _, loaded = load("endless-loop")
    data = dict(loaded.data)
    data["meters"] = {"calm": {"label": "Calm", "min": 0, "max": 5, "start": 2}}
    n1 = dict(data["nodes"]["n1"])
    n1["replies"] = n1["replies"] + [
        {"id": "r5", "text": "Tell me, calmly.", "next": "n2", "effect": {"calm": 1}, "feedback": "Same loop."}
    ]
    data["nodes"] = {**data["nodes"], "n1": n1}
    d, found = parse(data, "x.yml", None, "00000000")
    assert found == []
    loops = [p for p in check(d, STEPS, ANTI, None) if "for ever" in p.message]
    assert len(loops) == 1 and "path into the loop: r2" in loops[0].message
