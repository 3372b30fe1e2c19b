"""Hostile answer files, made for real in a class folder of good ones and graded by the real `grader` command.

Each case: the good files in the same batch are graded, the bad one is rejected (or skipped) with its
reason, and the outputs agree with one another. Every run has a timeout, so a case that hangs fails.
"""

from __future__ import annotations

import json
import os
import shutil
import socket
from datetime import datetime
from pathlib import Path

import pytest

from tests.conftest import CASES, MINI
from tests.outputs import output_set, run_grader

GOOD = ("ada.yml", "bob.yml", "cara.json")
GRADED_GOOD = {("s001", "mini-quiz"), ("s002", "mini-quiz"), ("s003", "mini-quiz")}
VERSION = '"745d3209"'


def answer_yaml(*, id="s900", name="Mallory", version=VERSION, submitted="2026-11-21T10:00:00Z", q6="fix") -> str:
    """A mini-quiz answer file; each field on its own line (version 3, id 5, name 6, submitted 7, q6 10)."""
    return (
        f"format: 1\nquiz: mini-quiz\nversion: {version}\nlearner:\n  id: {id}\n  name: {name}\n"
        f"submitted: {submitted}\nanswers:\n  q1: b\n  q6: {q6}\n"
    )


def answer_json(*, name='"Mallory"', q6='"fix"', key='"q6"') -> str:
    """The same as JSON, one field a line (name 3, q6 4), with the values written as raw JSON text."""
    return (
        '{"format": 1, "quiz": "mini-quiz", "version": "745d3209",\n "learner": {"id": "s900",\n'
        f' "name": {name}}},\n "answers": {{"q1": "b", {key}: {q6}}}}}\n'
    )


def a_class(tmp_path: Path) -> Path:
    """tmp_path/class holding three good answer files."""
    folder = tmp_path / "class"
    folder.mkdir()
    for name in GOOD:
        shutil.copy(CASES / "grade" / "class" / name, folder / name)
    return folder


def grade(tmp_path: Path, *extra: str, code: int = 1):
    """Grade tmp_path/class with the real command; check the exit code and that the outputs agree."""
    done = run_grader("--course", MINI, "grade", "class", "--out", "out", *extra, cwd=tmp_path, timeout=60)
    assert done.code == code, done.out + done.err
    outputs = output_set(tmp_path / "out")
    graded = {(row["learner_id"], row["quiz"]) for row in outputs["gradebook"]}
    assert GRADED_GOOD <= graded, "the good files in the batch were not all graded"
    return done, outputs


def rejections(outputs) -> dict[str, str]:
    return {row["file"]: row["reason"] for row in outputs["rejected"]}


# ---------------------------------------------------------------- one file never stops the class

CONTENT = {
    "yaml-decimal-5000-digits": ("huge.yml", answer_yaml(q6="7" * 5000), "line 10: a number 5000 characters long"),
    "json-decimal-5000-digits": ("huge.json", answer_json(q6="7" * 5000), "line 4: a number 5000 characters long"),
    "hex-learner-name": ("hex-name.yml", answer_yaml(name="0x" + "f" * 5000), "line 6: a number 5002 characters long"),
    "hex-version": ("hex-version.yml", answer_yaml(version="0x" + "f" * 5000), "line 3: a number 5002 characters long"),
    "hex-answer": ("hex-answer.yml", answer_yaml(q6="0x" + "f" * 5000), "line 10: a number 5002 characters long"),
    "lone-surrogate-name": ("surrogate.json", answer_json(name='"Mal\\ud800lory"'), "line 3: \\ud800 is half of a character"),
    "lone-surrogate-answer": ("surrogate-answer.json", answer_json(q6='["\\udfff"]'), "line 4: \\udfff is half of a character"),
    "lone-surrogate-key": ("surrogate-key.json", answer_json(key='"q\\udbff"'), "line 4: \\udbff is half of a character"),
    "json-nan": ("nan.json", answer_json(q6="NaN"), "line 4: NaN is not a finite number"),
    "json-infinity": ("inf.json", answer_json(q6="Infinity"), "line 4: Infinity is not a finite number"),
    "json-minus-infinity": ("minus-inf.json", answer_json(name="-Infinity"), "line 3: -Infinity is not a finite number"),
    "yaml-inf": ("inf.yml", answer_yaml(q6=".inf"), "line 10: .inf is not a finite number"),
    "yaml-nan": ("nan.yml", answer_yaml(name=".nan"), "line 6: .nan is not a finite number"),
}


def fifo(folder: Path) -> str:
    os.mkfifo(folder / "pipe.yml")
    return "pipe.yml"


def unix_socket(folder: Path) -> str:
    server = socket.socket(socket.AF_UNIX)
    here = os.getcwd()
    os.chdir(folder)  # a socket's path is limited to about 100 bytes, so bind by its short name
    try:
        server.bind("socket.yml")
    finally:
        os.chdir(here)
    server.close()  # the socket file stays; nothing listens on it
    return "socket.yml"


def device(folder: Path) -> str:
    (folder / "device.yml").symlink_to("/dev/zero")  # reading it would never end
    return "device.yml"


def dangling_link(folder: Path) -> str:
    (folder / "gone.yml").symlink_to(folder / "deleted.yml")
    return "gone.yml"


def link_loop(folder: Path) -> str:
    (folder / "loop.yml").symlink_to(folder / "loop.yml")
    return "loop.yml"


ON_DISK = {
    "fifo": (fifo, "is a named pipe (FIFO), not a file"),
    "socket": (unix_socket, "is a socket, not a file"),
    "device": (device, "is a device, not a file"),
    "dangling-link": (dangling_link, "a link to a file that does not exist"),
    "link-loop": (link_loop, "a link that leads back to itself"),
}


@pytest.fixture(scope="module")
def hostile_class(tmp_path_factory):
    """The good files with every case above beside them, graded in one run: (rejections, outputs, names made)."""
    root = tmp_path_factory.mktemp("hostile")
    folder = a_class(root)
    for name, text, _reason in CONTENT.values():
        (folder / name).write_text(text, encoding="utf-8")
    made = {case: make(folder) for case, (make, _reason) in ON_DISK.items()}
    _done, outputs = grade(root)
    return rejections(outputs), outputs, made


def test_the_good_files_beside_them_are_graded(hostile_class):
    found, outputs, _made = hostile_class
    assert outputs["results"]["summary"]["graded"] == len(GOOD)
    assert len(found) == len(CONTENT) + len(ON_DISK)


@pytest.mark.parametrize("case", sorted(CONTENT))
def test_a_file_no_output_could_hold_is_rejected_with_its_line(hostile_class, case):
    name, _text, reason = CONTENT[case]
    assert hostile_class[0][f"class/{name}"].startswith(reason)


@pytest.mark.parametrize("case", sorted(ON_DISK))
def test_a_file_that_is_not_a_regular_file_is_rejected_without_waiting(hostile_class, case):
    found, _outputs, made = hostile_class
    assert found[f"class/{made[case]}"].startswith(ON_DISK[case][1])


def test_a_file_name_that_is_not_utf8_is_rejected_and_shown_readably(tmp_path):
    folder = a_class(tmp_path)
    with open(os.fsencode(folder) + b"/caf\xe9.yml", "wb") as handle:  # as a zip made on Windows leaves it
        handle.write(answer_yaml().encode())
    with open(os.fsencode(folder) + b"/\x1b[2Jclear.yml", "wb") as handle:  # a control character is shown, not sent
        handle.write(answer_yaml(id="s901").encode())
    done, outputs = grade(tmp_path)
    shown = "class/caf\\xe9.yml"
    assert rejections(outputs)[shown].startswith("the file name is not UTF-8 text (shown here with \\xNN escapes); rename")
    assert {r["file"] for r in outputs["results"]["rejected"]} == {shown}
    assert f"  {shown}: the file name is not UTF-8" in done.out
    graded = {row["file"] for row in outputs["gradebook"]}
    assert "class/\\x1b[2Jclear.yml" in graded and "\x1b" not in done.out


@pytest.mark.parametrize("claimed", ["9999-12-31T23:00:00-05:00", "0001-01-01T00:00:00+05:00"])
def test_a_time_out_of_range_is_a_warning_not_a_crash(tmp_path, claimed):
    (a_class(tmp_path) / "late.yml").write_text(answer_yaml(submitted=claimed))
    _done, outputs = grade(tmp_path, code=0)
    (row,) = [r for r in outputs["gradebook"] if r["file"] == "class/late.yml"]
    assert row["status"] == f"graded; warning: submitted time '{claimed}' is out of range; ordered by the file's time instead"
    (result,) = [r for r in outputs["results"]["results"] if r["file"] == "class/late.yml"]
    assert result["submitted"] is None


# ---------------------------------------------------------------- good files are never turned away


def test_good_files_are_graded_as_written(tmp_path):
    folder = a_class(tmp_path)
    (folder / "student-number.yml").write_text(answer_yaml(id="20261234"))
    (folder / "leading-zeros.yml").write_text(answer_yaml(id="0012345", version="745d3209"))
    (folder / "student-number.json").write_text(answer_json().replace('"s900"', "20261299"))
    (folder / "brackets.yml").write_text(answer_yaml(id="s904", name="'" + "[" * 40 + "{" * 40 + "- " * 40 + "'"))
    (folder / "block.yml").write_text(answer_yaml(id="s905", q6="|\n    " + "[" * 40 + "\n    " + "- " * 40))
    (folder / "full-width.yml").write_text(answer_yaml(id="s906", q6="ＦＩＸ"), encoding="utf-8")
    (folder / "dash.yml").write_text(answer_yaml(id="s907", q6="Fix\u00a0it"), encoding="utf-8")
    _done, outputs = grade(tmp_path, code=0)
    rows = {row["learner_id"]: row for row in outputs["gradebook"]}
    assert {"20261234", "0012345", "20261299", "s904", "s905", "s906", "s907"} <= set(rows)
    assert rows["0012345"]["status"] == "graded"  # the unquoted version is read as typed
    assert (tmp_path / "out" / "feedback" / "0012345" / "mini-quiz.md").is_file()
    items = {r["learner"]["id"]: {i["question"]: i for i in r["items"]} for r in outputs["results"]["results"]}
    assert items["s906"]["q6"]["correct"] and items["s907"]["q6"]["correct"]


# ---------------------------------------------------------------- nothing skipped in silence


def too_long_to_list(folder: Path) -> Path:
    """A folder whose path is longer than the system takes: listing it fails for every user, root too."""
    folder.mkdir()
    fd = os.open(folder, os.O_RDONLY | os.O_DIRECTORY)
    for _ in range(20):
        os.mkdir("d" * 250, dir_fd=fd)
        inner = os.open("d" * 250, os.O_RDONLY | os.O_DIRECTORY, dir_fd=fd)
        os.close(fd)
        fd = inner
    os.close(fd)
    return folder


def test_every_entry_not_graded_is_listed_with_its_reason(tmp_path):
    folder = a_class(tmp_path)
    (folder / ".hidden.yml").write_text(answer_yaml(id="s910"))
    (folder / ".git").mkdir()
    (folder / ".git" / "a.yml").write_text(answer_yaml(id="s911"))
    (tmp_path / "elsewhere").mkdir()
    (tmp_path / "elsewhere" / "b.yml").write_text(answer_yaml(id="s912"))
    (folder / "linked").symlink_to(tmp_path / "elsewhere")
    (folder / "essay.pdf").write_bytes(b"%PDF-1.4\n")
    too_long_to_list(folder / "deep")
    done, outputs = grade(tmp_path, code=0)
    skipped = {entry["file"]: entry["reason"] for entry in outputs["results"]["skipped"]}
    unreadable = [name for name, reason in skipped.items() if reason == "folder cannot be read (File name too long)"]
    assert len(unreadable) == 1 and unreadable[0].startswith("class/deep/ddd")
    assert {name: reason for name, reason in skipped.items() if name not in unreadable} == {
        "class/.hidden.yml": "hidden file",
        "class/.git": "hidden folder",
        "class/linked": "link to a folder, not followed: name the folder itself to grade it",
        "class/essay.pdf": "not an answer file (.pdf); only .yml, .yaml and .json are graded",
    }
    assert outputs["results"]["summary"]["skipped"] == 5
    assert "Skipped (5; looked at, not graded):" in done.out
    for name, reason in skipped.items():
        assert f"  {name}: {reason}\n" in done.out


def test_stats_on_answer_files_still_work_with_skipped_entries(tmp_path):
    folder = a_class(tmp_path)
    (folder / ".hidden.yml").write_text(answer_yaml(id="s910"))
    (folder / "notes.txt").write_text("not an answer\n")
    done = run_grader("--course", MINI, "stats", "class", "--json", cwd=tmp_path, timeout=60)
    assert done.code == 0, done.err
    assert json.loads(done.out)


# ---------------------------------------------------------------- times a learner's file claims

CLAIMS = "2026-11-20T10:00:00Z"  # what ada.yml claims


def stamp(path: Path, when: str) -> None:
    moment = datetime.fromisoformat(when.replace("Z", "+00:00")).timestamp()
    os.utime(path, (moment, moment))


@pytest.mark.parametrize(
    "keep, claimed, file_time",
    [
        ("first", "1970-01-01T00:00:00Z", "2026-11-25T00:00:00Z"),  # claims to be first; its file is later
        ("latest", "9999-01-01T00:00:00Z", "2026-11-19T00:00:00Z"),  # claims to be latest; its file is earlier
        ("latest", "9999-12-31T23:00:00-05:00", "2026-11-19T00:00:00Z"),  # a time that overflows
    ],
)
def test_an_implausible_time_never_decides_which_file_counts(tmp_path, keep, claimed, file_time):
    folder = a_class(tmp_path)
    stamp(folder / "ada.yml", "2026-11-20T10:00:00Z")
    (folder / "ada-again.yml").write_text(answer_yaml(id="s001", submitted=claimed, q6="listen"))
    stamp(folder / "ada-again.yml", file_time)
    done, outputs = grade(tmp_path, "--keep", keep, code=0)
    (row,) = [r for r in outputs["gradebook"] if r["learner_id"] == "s001" and r["quiz"] == "mini-quiz"]
    assert row["file"] == "class/ada.yml"
    assert "class/ada-again.yml (kept class/ada.yml)" in done.out
    (aside,) = outputs["results"]["set_aside"]
    assert aside["file"] == "class/ada-again.yml"


def test_a_folder_with_nothing_to_grade_says_what_it_skipped(tmp_path):
    (tmp_path / "class").mkdir()
    (tmp_path / "elsewhere").mkdir()
    (tmp_path / "elsewhere" / "b.yml").write_text(answer_yaml())
    (tmp_path / "class" / "linked").symlink_to(tmp_path / "elsewhere")
    (tmp_path / "class" / "essay.pdf").write_bytes(b"%PDF-1.4\n")
    done = run_grader("--course", MINI, "grade", "class", "--out", "out", cwd=tmp_path, timeout=60)
    assert done.code == 2 and not (tmp_path / "out").exists()
    assert done.err == (
        "grader: no answer files (.yml, .yaml, .json) in class; skipped 2: "
        "class/linked (link to a folder, not followed: name the folder itself to grade it), "
        "class/essay.pdf (not an answer file (.pdf); only .yml, .yaml and .json are graded)\n"
    )
