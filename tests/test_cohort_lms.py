"""Canvas and Moodle downloads: their file naming read into an LMS identity, checked against the learner id in each file through the roster."""

from __future__ import annotations

import json

import pytest

from grader.cohort.lms import LAYOUTS, identify
from tests.cohort_files import CLASS, COURSE, ROSTER, excel_csv, member, unzip_keeping_times, write_zip
from tests.outputs import output_set, run_grader

NAMES = [
    (
        "lovelaceada_5001_700_mini-quiz-s001.yml",
        {
            "layout": "canvas",
            "name": "lovelaceada",
            "account": "5001",
            "late": False,
            "seq": 700,
            "original": "mini-quiz-s001.yml",
        },
    ),
    ("lovelaceada_LATE_5001_701_mini-quiz-s001-1.yml", {"late": True, "seq": 701, "original": "mini-quiz-s001-1.yml"}),
    ("lovelaceada_late_5001_701_quiz.yml", {"late": True}),  # older Canvas wrote the marker in lower case
    ("anon_x7Kq2_702_quiz.yml", {"name": "", "account": "anon_x7Kq2", "late": False}),
    ("LATE_anon_x7Kq2_702_quiz.yml", {"name": "", "late": True}),
    ("obrien2sean_5009_703_my_answers_v2.yml", {"name": "obrien2sean", "original": "my_answers_v2.yml"}),
    (
        "Ada Lovelace_3100413_assignsubmission_file_mini-quiz.yml",
        {"layout": "moodle", "name": "Ada Lovelace", "account": "3100413", "late": None, "seq": None},
    ),
    ("Participant_3100413_assignsubmission_file_mini-quiz.yml", {"layout": "moodle", "name": ""}),
    ("Ada Lovelace_3100413_assignsubmission_file/mini-quiz.yml", {"layout": "moodle-folders", "original": "mini-quiz.yml"}),
    (
        "Ada Lovelace_3100413_assignsubmission_file/sub/mini-quiz.yml",
        {"layout": "moodle-folders", "original": "sub/mini-quiz.yml"},
    ),
]


@pytest.mark.parametrize("path, expected", NAMES, ids=[n for n, _ in NAMES])
def test_lms_file_names_are_read_into_an_identity(path, expected):
    found = identify(tuple(path.split("/")))
    assert found is not None
    assert {k: getattr(found, k) for k in expected} == expected


@pytest.mark.parametrize(
    "path", ["ada.yml", "mini-quiz-s001.yml", "s001_12_quiz.yml", "Ada_Lovelace_1_assignsubmission_file_x.yml"]
)
def test_other_names_have_no_lms_identity(path):
    assert identify((path,)) is None


def test_every_layout_is_data_with_its_meaning_written_down():
    for layout in LAYOUTS:
        assert set(layout.pattern.groupindex) == set(layout.meaning), layout.id
        assert layout.account in ("user", "participant") and layout.member_times in ("zip", "file", "lms")


def roster(tmp_path):
    (tmp_path / "roster.csv").write_bytes(excel_csv(ROSTER))
    return tmp_path / "roster.csv"


def canvas(name: str, learner: str, file: str, n: int, late: str = "") -> tuple:
    return member(f"{name}{late}_500{learner[-1]}_{700 + n}_mini-quiz-{learner}.yml", (CLASS / file).read_bytes())


def graded(tmp_path, *args):
    done = run_grader("--course", COURSE, "grade", *args, "--out", tmp_path / "out", cwd=tmp_path)
    assert done.code == 0, done.err
    return done, json.loads((tmp_path / "out" / "results.json").read_text(encoding="utf-8"))


def test_a_canvas_download_is_matched_through_the_roster(tmp_path):
    write_zip(
        tmp_path / "canvas.zip",
        [
            canvas("lovelaceada", "s001", "ada.yml", 0),
            canvas("okaforbob", "s002", "bob.yml", 1),
            canvas("jiménezcara", "s003", "cara.json", 2),
        ],
    )
    _, doc = graded(tmp_path, "canvas.zip", "--roster", roster(tmp_path))
    identities = {r["learner"]["id"]: r["identity"] for r in doc["results"]}
    assert {k: v["matches"] for k, v in identities.items()} == {"s001": True, "s002": True, "s003": True}
    assert identities["s001"] | {} == {
        **identities["s001"],
        "lms": "canvas",
        "name": "lovelaceada",
        "id": "5001",
        "kind": "user",
        "learner": "s001",
        "late_marker": False,
    }
    assert all("identity mismatch" not in r["flags"] for r in doc["results"])


def test_a_file_that_names_another_learner_is_held_at_0_and_flagged_everywhere(tmp_path):
    # Dan's Canvas account hands in Bob's file; Bob handed in nothing himself.
    write_zip(tmp_path / "canvas.zip", [canvas("lovelaceada", "s001", "ada.yml", 0), canvas("ngdan", "s004", "bob.yml", 1)])
    done, doc = graded(tmp_path, "canvas.zip", "--roster", roster(tmp_path))
    bob = next(r for r in doc["results"] if r["learner"]["id"] == "s002")
    assert bob["score"] == 0 and bob["earned"] == 5.2 and bob["identity"]["matches"] is False
    assert bob["identity"]["learner"] == "s004" and "identity mismatch" in bob["flags"]
    assert "held at 0 until an override releases it" in bob["status"]
    found = output_set(tmp_path / "out")
    row = next(r for r in found["gradebook"] if r["learner_id"] == "s002" and r["quiz"] == "mini-quiz")
    assert row["score"] == "0" and "identity mismatch" in row["status"]
    dan = next(r for r in found["gradebook"] if r["learner_id"] == "s004" and r["quiz"] == "mini-quiz")
    assert dan["status"] == "missing"  # nothing is credited to the account either
    assert (
        "counts 0 points until your instructor has checked it"
        in (tmp_path / "out" / "feedback" / "s002" / "mini-quiz.md").read_text()
    )
    assert "Identity mismatch (held at 0 until an override releases it; never credited silently) (1):" in done.out
    assert doc["summary"]["identity_mismatch"] == 1


def test_a_held_copy_never_displaces_the_learners_own_hand_in(tmp_path):
    # Ada handed in; Bob's account also handed in a copy of Ada's file, later.
    write_zip(tmp_path / "canvas.zip", [canvas("lovelaceada", "s001", "ada.yml", 0), canvas("okaforbob", "s002", "ada.yml", 1)])
    done, doc = graded(tmp_path, "canvas.zip", "--roster", roster(tmp_path))
    ada = next(r for r in doc["results"] if r["learner"]["id"] == "s001")
    assert ada["score"] == 18 and ada["identity"]["matches"] is True
    assert doc["set_aside"][0]["flags"] == ["identity mismatch"] and doc["set_aside"][0]["file"].startswith(
        "canvas.zip/okaforbob"
    )
    assert "canvas.zip/okaforbob_5002_701_mini-quiz-s002.yml: handed in from Canvas account 5002" in done.out


def test_an_override_releases_a_held_score(tmp_path):
    write_zip(tmp_path / "canvas.zip", [canvas("ngdan", "s004", "bob.yml", 1)])
    (tmp_path / "overrides.yml").write_text(
        "format: 1\nlearners:\n  - {learner: s002, activity: mini-quiz, release: true, reason: 'Dan handed it in for Bob, who was ill.'}\n"
    )
    _, doc = graded(tmp_path, "canvas.zip", "--roster", roster(tmp_path), "--overrides", "overrides.yml")
    bob = doc["results"][0]
    assert bob["score"] == 5.2 and bob["overrides"] == [
        {"kind": "release", "question": None, "reason": "Dan handed it in for Bob, who was ill.", "before": 0.0, "after": 5.2}
    ]
    assert "released by an override" in bob["status"]


def test_moodle_downloads_are_matched_by_name_in_either_mode(tmp_path):
    flat = [
        member("Ada Lovelace_3100413_assignsubmission_file_mini-quiz.yml", (CLASS / "ada.yml").read_bytes()),
        member("Okafor Bob_3100426_assignsubmission_file_mini-quiz.yml", (CLASS / "bob.yml").read_bytes()),
    ]
    folders = [member("Cara Jiménez_3100439_assignsubmission_file/answers/mini-quiz.json", (CLASS / "cara.json").read_bytes())]
    write_zip(tmp_path / "moodle.zip", flat)
    write_zip(tmp_path / "moodle-folders.zip", folders)
    _, doc = graded(tmp_path, "moodle.zip", "moodle-folders.zip", "--roster", roster(tmp_path))
    found = {
        r["learner"]["id"]: (r["identity"]["lms"], r["identity"]["learner"], r["identity"]["matches"]) for r in doc["results"]
    }
    assert found == {
        "s001": ("moodle", "s001", True),
        "s002": ("moodle", "s002", True),  # "Okafor Bob": the name in the other order
        "s003": ("moodle-folders", "s003", True),
    }


def test_an_account_the_roster_cannot_place_is_flagged_unchecked(tmp_path):
    write_zip(tmp_path / "canvas.zip", [member("anon_q8Zt1_700_mini-quiz.yml", (CLASS / "ada.yml").read_bytes())])
    _, doc = graded(tmp_path, "canvas.zip", "--roster", roster(tmp_path))
    result = doc["results"][0]
    assert result["identity"]["matches"] is None and "identity unchecked" in result["flags"] and result["score"] == 18
    (tmp_path / "again").mkdir()
    _, doc = graded(tmp_path / "again", tmp_path / "canvas.zip")
    assert doc["results"][0]["identity"]["note"].startswith("not checked: give --roster")


def test_grading_a_zip_gives_the_same_scores_as_its_files_unzipped(tmp_path):
    members = [canvas("lovelaceada", "s001", "ada.yml", 0), canvas("okaforbob", "s002", "bob.yml", 1, "_LATE")]
    members += [member("ngdan_5004_702_tiny.yml", (CLASS / "tiny-alone.yml").read_bytes().replace(b"s001", b"s004"))]
    write_zip(tmp_path / "canvas.zip", members)
    unzip_keeping_times(tmp_path / "canvas.zip", tmp_path / "unzipped")
    args = ["--roster", roster(tmp_path), "--deadline", "2026-11-20T11:30Z", "--late-penalty", "10"]
    zipped = run_grader("--course", COURSE, "grade", "canvas.zip", *args, "--out", tmp_path / "a", cwd=tmp_path)
    folder = run_grader("--course", COURSE, "grade", "unzipped", *args, "--out", tmp_path / "b", cwd=tmp_path)
    assert zipped.code == folder.code == 0, zipped.err + folder.err

    def scores(out):
        doc = json.loads((tmp_path / out / "results.json").read_text(encoding="utf-8"))
        return {
            (r["learner"]["id"], r["quiz"]): (r["score"], r["time"], r["late"], r["identity"]["matches"], r["flags"])
            for r in doc["results"]
        }

    assert scores("a") == scores("b")
    # Canvas's LATE marker counts: Bob's own time is before the deadline, so the time is doubted too.
    bob = scores("a")[("s002", "mini-quiz")]
    assert bob[2]["days"] == 1 and bob[2]["lms_marked"] and "time doubted" in bob[4]
