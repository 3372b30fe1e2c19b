"""The example class, run as README's "Try it on the example class" runs it: every output shows who is missing, who was late or held, and every override; a re-run lists what changed."""

from __future__ import annotations

import csv
import importlib.util
import json
import sys

import pytest

from grader.analytics.results_file import read
from tests import hostile
from tests.outputs import ROOT, output_set, run_grader
from tests.test_hostile_escaping import canvas_reads, moodle_reads

EXAMPLES = ROOT / "examples"
CLASS_ARGS = [
    "--roster",
    EXAMPLES / "roster.csv",
    "--deadline",
    "2026-11-23T21:00+01:00",
    "--late-penalty",
    "10",
    "--late-cap",
    "50",
    "--extensions",
    EXAMPLES / "extensions.csv",
    "--overrides",
    EXAMPLES / "overrides.yml",
]
NEVER = "s2026023"
"""Björn Lindqvist: on the roster, handed nothing in."""


def test_the_committed_zips_are_what_the_script_builds():
    spec = importlib.util.spec_from_file_location("make_zips", EXAMPLES / "lms" / "make_zips.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules["make_zips"] = module
    spec.loader.exec_module(module)
    built = module.build()
    assert set(built) == {"canvas.zip", "moodle.zip"}
    for name, data in built.items():
        assert (EXAMPLES / "lms" / name).read_bytes() == data, (
            f"examples/lms/{name} is stale: run python3 examples/lms/make_zips.py"
        )


@pytest.fixture(scope="module")
def graded(tmp_path_factory):
    out = tmp_path_factory.mktemp("example") / "grades"
    zips = [EXAMPLES / "lms" / "canvas.zip", EXAMPLES / "lms" / "moodle.zip"]
    done = run_grader("grade", *zips, *CLASS_ARGS, "--out", out, cwd=ROOT)
    assert done.code == 0, done.err
    return out, done


def test_the_summary_names_the_missing_the_late_the_held_and_the_corrected(graded):
    _, done = graded
    assert "Roster examples/roster.csv: 23 learner(s)" in done.out.replace(str(EXAMPLES.parent) + "/", "")
    assert f"  {NEVER} (Björn Lindqvist): five-step-process, person-then-problem" in done.out
    assert "Late (2):" in done.out and "1 day late (-10%, -2 points)" in done.out
    assert "Identity mismatch (held at 0 until an override releases it; never credited silently) (1):" in done.out
    assert "mensahkwame_10416_904499_five-step-process-s2026020.yml: handed in from Canvas account 10416" in done.out
    assert "five-step-process q4: drop, applied to 19 hand-in(s)" in done.out
    assert "s2026021 person-then-problem (nothing handed in): score set (0 -> 15 points)" in done.out
    assert "canvas.zip/mehtaarjun_10418_904512_my-notes.pdf: not an answer file (.pdf)" in done.out


def test_the_gradebook_has_every_learner_and_says_why(graded):
    out, _ = graded
    found = output_set(out)
    rows = {(r["learner_id"], r["quiz"]): r for r in found["gradebook"]}
    assert len(rows) == 23 * 2
    assert (
        rows[(NEVER, "five-step-process")]["status"] == "missing" and rows[(NEVER, "five-step-process")]["section"] == "Thursday"
    )
    late = rows[("s2026014", "person-then-problem")]
    assert (late["days_late"], late["late_penalty"], late["time_from"]) == ("1", "2", "submitted")
    assert rows[("s2026020", "person-then-problem")]["days_late"] == ""  # the extension
    assert (
        rows[("s2026020", "five-step-process")]["score"] == "0"
        and "identity mismatch" in rows[("s2026020", "five-step-process")]["status"]
    )
    assert rows[("s2026016", "five-step-process")]["status"] == "missing"  # the account that handed in Dmitri's file
    assert rows[("s2026012", "five-step-process")]["score"] == "14"
    assert rows[("s2026021", "person-then-problem")]["score"] == "15"


def test_results_json_passes_its_schema_and_holds_the_class(graded):
    out, _ = graded
    doc = read(out / "results.json")
    assert len(doc["roster"]) == 23 and doc["summary"]["roster"] == 23
    assert {(m["learner"], m["quiz"]) for m in doc["missing"]} >= {(NEVER, "five-step-process"), (NEVER, "person-then-problem")}
    by = {(r["learner"]["id"], r["quiz"]): r for r in doc["results"]}
    assert by[("s2026019", "person-then-problem")]["late"]["days"] == 1
    assert by[("s2026020", "five-step-process")]["identity"]["matches"] is False
    assert by[("s2026018", "five-step-process")]["overrides"][-1]["kind"] == "accept"
    assert doc["deadlines"]["extensions"] == [{"learner": "s2026020", "activity": None, "deadline": "2026-11-24T11:00:00Z"}]
    assert doc["overrides"]["file"].endswith("examples/overrides.yml")


def test_feedback_tells_each_learner_what_happened_to_their_score(graded):
    out, _ = graded
    late = (out / "feedback" / "s2026014" / "person-then-problem.md").read_text(encoding="utf-8")
    assert (
        "- **Late:** 1 day(s) after the deadline, 2026-11-23 20:00 UTC (handed in 2026-11-23 22:38 UTC, by the time in your file): "
        "10% of the points taken off (2 points)"
    ) in late
    held = (out / "feedback" / "s2026020" / "five-step-process.md").read_text(encoding="utf-8")
    assert "- **Held:** this file was handed in from another learner's LMS account" in held
    corrected = (out / "feedback" / "s2026018" / "five-step-process.md").read_text(encoding="utf-8")
    assert "Why: “Follow up” names the same step as a checkback" in corrected
    for page in (late, held, corrected):
        rendered = hostile.course_markdown().convert(page)
        assert hostile.markup_problems(hostile.elements(rendered), hostile.FEEDBACK_TAGS, link=hostile.feedback_link) == []


def test_the_html_pages_say_the_same_about_each_score(graded):
    out, _ = graded
    late = (out / "feedback" / "s2026014" / "person-then-problem.html").read_text(encoding="utf-8")
    assert "<dt>Late</dt><dd>1 day(s) after the deadline, 2026-11-23 20:00 UTC" in late
    held = (out / "feedback" / "s2026020" / "five-step-process.html").read_text(encoding="utf-8")
    assert "<dt>Held</dt><dd>this file was handed in from another learner&#x27;s LMS account" in held


def test_the_mail_merge_takes_each_learners_email_from_the_roster(graded):
    out, done = graded
    roster = {r["ID"]: r for r in csv.DictReader(open(EXAMPLES / "roster.csv", encoding="utf-8-sig"))}
    rows = list(csv.DictReader(open(out / "mail-merge.csv", encoding="utf-8")))
    assert len(rows) == 20 and all(r["email"] == roster[r["learner_id"]]["Email"] and r["email"] for r in rows)
    assert NEVER not in {r["learner_id"] for r in rows}  # nothing handed in: no page to send
    assert "The mail merge (mail-merge.csv) lists 20 learner(s), each with an email from the roster." in done.out


def test_stats_and_the_report_know_everyone(graded):
    out, _ = graded
    text = run_grader("stats", out, cwd=ROOT)
    assert text.code == 0, text.err
    assert "Roster: 23 learner(s); 9 with nothing handed in for an activity here." in text.out
    assert (
        "Missing (on the roster, nothing handed in; not in these figures): 4: s2026016, s2026021, s2026022, s2026023" in text.out
    )
    assert "Held for an identity mismatch: s2026020 five-step-process." in text.out
    stats = json.loads(run_grader("stats", out, "--json", cwd=ROOT).out)
    assert stats["cohort"]["roster"] == 23 and {m["learner"] for m in stats["cohort"]["missing"]} >= {NEVER}
    report = run_grader("report", out, cwd=ROOT)
    assert report.code == 0, report.err
    page = (out / "report.html").read_text(encoding="utf-8")
    assert "Learners on the roster with nothing handed in" in page and "Björn Lindqvist" in page
    assert "Overrides applied (the audit trail)" in page and "Handed in on paper in class" in page
    assert "Held at 0 for an identity mismatch" in page and "Late hand-ins" in page


@pytest.mark.parametrize("missing, cell", [("blank", ""), ("zero", "0")])
def test_every_export_has_the_learner_who_never_handed_in(graded, missing, cell):
    out, _ = graded
    canvas = run_grader("export", "--to", "canvas", out, "--missing", missing, "--output", "-", cwd=ROOT)
    assert canvas.code == 0, canvas.err
    students = {s["sis_user_id"]: s for s in canvas_reads(canvas.out)["students"]}
    assert students["2026023"]["name"] == "Björn Lindqvist" and students["2026023"]["grades"] == [cell, cell]
    assert students["2026021"]["grades"] == sorted([cell, "15"])  # set by an override
    moodle = run_grader("export", "--to", "moodle", out, "--missing", missing, "--feedback", "--output", "-", cwd=ROOT)
    assert moodle.code == 0, moodle.err
    stored = moodle_reads(moodle.out, "Email address")
    grades = [v for k, v in stored["bjorn.lindqvist@example.edu"].items() if not k.endswith("feedback")]
    assert grades == [cell, cell]


def test_a_rerun_lists_what_changed(graded, tmp_path):
    out, _ = graded
    again = [a if a != "10" else "5" for a in CLASS_ARGS]  # a kinder late penalty
    done = run_grader("grade", EXAMPLES / "lms" / "canvas.zip", EXAMPLES / "lms" / "moodle.zip", *again, "--out", out, cwd=ROOT)
    assert done.code == 0, done.err
    assert "  s2026014 person-then-problem: 8 -> 9 (deadline)" in done.out
    assert (out / "changes.csv").read_text(encoding="utf-8").splitlines() == [
        "learner,activity,old score,new score,why",
        "s2026014,person-then-problem,8,9,deadline",
        "s2026019,person-then-problem,17,18,deadline",
    ]


NEW_TOP = ("roster", "deadlines", "overrides", "missing", "not_applied", "changes")
NEW_RESULT = ("earned", "time", "late", "identity", "overrides", "flags", "digest")


def test_a_results_json_written_before_rosters_still_reads(graded, tmp_path):
    out, _ = graded
    doc = json.loads((out / "results.json").read_text(encoding="utf-8"))
    for key in NEW_TOP:
        doc.pop(key)
    for key in ("roster", "missing", "late", "identity_mismatch", "not_on_roster", "overrides"):
        doc["summary"].pop(key)
    for result in doc["results"]:
        for key in NEW_RESULT:
            result.pop(key)
    for entry in doc["set_aside"]:
        entry.pop("flags")
    (tmp_path / "old").mkdir()
    (tmp_path / "old" / "results.json").write_text(json.dumps(doc), encoding="utf-8")
    for args in (
        ["stats", tmp_path / "old"],
        ["report", tmp_path / "old"],
        ["export", "--to", "moodle", tmp_path / "old", "--output", "-"],
    ):
        done = run_grader(*args, cwd=ROOT)
        assert done.code == 0, done.err
    # With the roster given now, the export knows everyone again.
    done = run_grader(
        "export", "--to", "canvas", tmp_path / "old", "--roster", EXAMPLES / "roster.csv", "--output", "-", cwd=ROOT
    )
    assert done.code == 0, done.err
    assert "2026023" in {s["sis_user_id"] for s in canvas_reads(done.out)["students"]}
