"""Zips of hand-ins: read safely (nothing lands outside a temporary folder that is removed, hostile members refused, bombs stopped), names decoded, other archives sent back."""

from __future__ import annotations

import json
import os
import struct
import zipfile
import zlib

import pytest

from grader.cohort import zips
from tests.cohort_files import CLASS, COURSE, declare_size, member, patch, set_flag, set_method, write_zip, zip_bytes
from tests.outputs import output_set, run_grader

ADA = (CLASS / "ada.yml").read_bytes()
BOB = (CLASS / "bob.yml").read_bytes()


def grade(tmp_path, *inputs, env_tmp=None, extra=()):
    """Run `grader grade` on `inputs` with its own temporary folder, so what it leaves there can be seen."""
    scratch = env_tmp or tmp_path / "tmp"
    scratch.mkdir(exist_ok=True)
    done = run_grader(
        "--course", COURSE, "grade", *inputs, "--out", tmp_path / "out", "--json", *extra, cwd=tmp_path, TMPDIR=str(scratch)
    )
    assert list(scratch.iterdir()) == [], "the scratch folder outlived the run"
    return done, (json.loads(done.out) if done.out.strip() else None)


def test_a_plain_zip_grades_like_its_files(tmp_path):
    write_zip(tmp_path / "class.zip", [member("ada.yml", ADA), member("more/bob.yml", BOB)])
    done, summary = grade(tmp_path, "class.zip")
    assert done.code == 0, done.err
    found = output_set(tmp_path / "out")
    assert {r["file"] for r in found["gradebook"]} == {"class.zip/ada.yml", "class.zip/more/bob.yml"}
    assert summary["graded"] == 2


def test_hostile_member_names_are_refused_and_nothing_lands_outside(tmp_path):
    inside = tmp_path / "work"
    inside.mkdir()
    target = tmp_path / "escaped.yml"
    absolute = str(tmp_path / "absolute.yml")
    members = [
        member("../escaped.yml", ADA),
        member("a/../../escaped.yml", ADA),
        member(absolute, ADA),
        member("C:/Windows/evil.yml", ADA),
        member("..\\escaped.yml", ADA),
        member("ok/bob.yml", BOB),
    ]
    write_zip(inside / "hostile.zip", members)
    done, summary = grade(inside, "hostile.zip")
    assert done.code == 1, done.err
    assert not target.exists() and not os.path.exists(absolute) and not (inside / "escaped.yml").exists()
    reasons = {r["file"]: r["reason"] for r in summary["rejected_files"]}
    assert reasons["hostile.zip/../escaped.yml"].startswith("its name climbs out of the zip with '..'")
    assert reasons["hostile.zip/a/../../escaped.yml"].startswith("its name climbs out")
    assert reasons["hostile.zip/..\\escaped.yml"].startswith("its name climbs out")
    assert reasons[f"hostile.zip/{absolute}"].startswith("its name is an absolute path")
    assert reasons["hostile.zip/C:/Windows/evil.yml"].startswith("its name is an absolute path")
    assert summary["graded"] == 1  # the one good member is graded
    assert json.loads((inside / "out" / "results.json").read_text())["results"][0]["file"] == "hostile.zip/ok/bob.yml"


def test_a_name_with_a_nul_is_refused(tmp_path):
    data = patch(zip_bytes([member("evilXyml.yml", ADA)]), b"evilXyml", b"evil\x00yml")
    (tmp_path / "nul.zip").write_bytes(data)
    _done, summary = grade(tmp_path, "nul.zip")
    assert [r["reason"] for r in summary["rejected_files"]] == ["its name holds a NUL character; refused"]


def test_links_folders_metadata_and_other_files_are_passed_over_with_reasons(tmp_path):
    members = [
        member("link.yml", b"/etc/passwd", mode=0o120777),
        member("fifo.yml", b"", mode=0o010644),
        member("__MACOSX/._ada.yml", b"\x00\x05\x16\x07"),
        member(".hidden.yml", ADA),
        member("essay.pdf", b"%PDF-1.4\n"),
        member("files.tar.gz", b"\x1f\x8b"),
        member("ada.yml", ADA),
    ]
    write_zip(tmp_path / "mixed.zip", members)
    done, summary = grade(tmp_path, "mixed.zip")
    assert done.code == 0, done.err
    skipped = {s["file"]: s["reason"] for s in summary["skipped_files"]}
    assert skipped == {
        "mixed.zip/link.yml": "a link inside the zip; links are ignored",
        "mixed.zip/fifo.yml": "not a plain file (a device or a pipe); ignored",
        "mixed.zip/__MACOSX/._ada.yml": "macOS metadata, not a hand-in",
        "mixed.zip/.hidden.yml": "hidden file",
        "mixed.zip/essay.pdf": "not an answer file (.pdf); only .yml, .yaml and .json are graded",
        "mixed.zip/files.tar.gz": "an archive the grader does not open (it opens .zip); unpack it first and grade the folder",
    }
    assert summary["graded"] == 1


@pytest.mark.parametrize("name", ["class.tar", "class.tar.gz", "class.tgz", "class.7z", "class.rar"])
def test_other_archives_are_sent_back_to_be_unpacked(tmp_path, name):
    (tmp_path / name).write_bytes(b"not opened")
    (tmp_path / "ada.yml").write_bytes(ADA)
    done, summary = grade(tmp_path, name, "ada.yml")
    assert done.code == 1
    assert summary["rejected_files"] == [
        {"file": name, "reason": "an archive the grader does not open (it opens .zip); unpack it first and grade the folder"}
    ]


def test_an_archive_in_a_folder_is_skipped_with_the_reason(tmp_path):
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "class.7z").write_bytes(b"7z")
    (tmp_path / "in" / "ada.yml").write_bytes(ADA)
    done, summary = grade(tmp_path, "in")
    assert done.code == 0
    assert summary["skipped_files"] == [
        {
            "file": "in/class.7z",
            "reason": "an archive the grader does not open (it opens .zip); unpack it first and grade the folder",
        }
    ]


def test_a_zip_of_too_many_members_is_refused_whole_and_the_rest_is_graded(tmp_path):
    path = tmp_path / "bomb.zip"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_STORED) as archive:
        for n in range(zips.MAX_MEMBERS + 1):
            archive.writestr(f"f{n}.txt", b"")
    (tmp_path / "ada.yml").write_bytes(ADA)
    done, summary = grade(tmp_path, "bomb.zip", "ada.yml")
    assert done.code == 1
    assert [r["file"] for r in summary["rejected_files"]] == ["bomb.zip"]
    assert "refused as a zip bomb" in summary["rejected_files"][0]["reason"]
    assert summary["graded"] == 1


def test_a_zip_claiming_more_than_a_gigabyte_of_answers_is_refused_before_anything_is_read(tmp_path):
    members = [member(f"a{n:04d}.yml", b"format: 1\n") for n in range(1100)]
    (tmp_path / "big.zip").write_bytes(declare_size(zip_bytes(members), 1_000_000))
    (tmp_path / "ada.yml").write_bytes(ADA)
    _done, summary = grade(tmp_path, "big.zip", "ada.yml")
    assert [r["file"] for r in summary["rejected_files"]] == ["big.zip"]
    assert "more than 1 GiB" in summary["rejected_files"][0]["reason"] and summary["graded"] == 1


def test_a_member_that_unpacks_too_big_is_refused_unread(tmp_path):
    inner = zip_bytes([member("ada.yml", ADA)])
    members = [
        member("huge.yml", b" " * (3 << 20)),  # 3 MiB of spaces: over the answer-file limit
        member("bomb.zip", b"\0" * (20 << 20)),  # a "zip" of zeros packing a thousand to one
        member("learner.zip", inner),
    ]
    write_zip(tmp_path / "class.zip", members)
    _done, summary = grade(tmp_path, "class.zip")
    reasons = {r["file"]: r["reason"] for r in summary["rejected_files"]}
    assert reasons["class.zip/huge.yml"] == "larger than the 1024 KiB limit (3072 KiB); is this the right file?"
    assert "refused as a zip bomb" in reasons["class.zip/bomb.zip"]
    assert summary["graded"] == 1  # learner.zip/ada.yml


def test_zips_inside_zips_are_opened_one_level_deep(tmp_path):
    deepest = zip_bytes([member("ada.yml", ADA)])
    middle = zip_bytes([member("bob.yml", BOB), member("deeper.zip", deepest)])
    write_zip(tmp_path / "outer.zip", [member("learner.zip", middle)])
    _done, summary = grade(tmp_path, "outer.zip")
    assert summary["graded"] == 1
    assert json.loads((tmp_path / "out" / "results.json").read_text())["results"][0]["file"] == "outer.zip/learner.zip/bob.yml"
    assert summary["skipped_files"] == [
        {
            "file": "outer.zip/learner.zip/deeper.zip",
            "reason": "a zip inside a zip inside a zip: not opened (one level at most); unzip it and grade the folder",
        }
    ]


def test_windows_and_unflagged_names_are_decoded_readably(tmp_path):
    # Windows' own zip tool writes names in the OEM code page (cp437: 0x82 is é) without the UTF-8 flag; macOS and
    # Linux tools often write UTF-8 without the flag; Info-ZIP adds a UTF-8 copy of the name in an extra field.
    data = zip_bytes([member("rXsumX.yml", ADA), member("naXXve.yml", BOB)])
    data = patch(data, b"rXsumX", "résumé".encode("cp437"))
    data = patch(data, b"naXXve", "naïve".encode())
    (tmp_path / "names.zip").write_bytes(data)
    info = zipfile.ZipInfo("cafX.yml", date_time=(2026, 11, 24, 9, 0, 0))
    raw = "café".encode("cp437")
    unicode = "Café".encode()
    info.extra = struct.pack("<HHBI", 0x7075, 5 + len(unicode) + 4, 1, zlib.crc32(raw + b".yml")) + unicode + b".yml"
    (tmp_path / "extra.zip").write_bytes(patch(zip_bytes([(info, ADA)]), b"cafX", raw))
    with zipfile.ZipFile(tmp_path / "names.zip") as archive:
        names = sorted(zips.member_name(i) for i in archive.infolist())
    with zipfile.ZipFile(tmp_path / "extra.zip") as archive:
        names += [zips.member_name(i) for i in archive.infolist()]
    assert names == ["naïve.yml", "résumé.yml", "Café.yml"]


def test_encrypted_and_damaged_members_are_refused(tmp_path):
    (tmp_path / "locked.zip").write_bytes(set_flag(zip_bytes([member("ada.yml", ADA)]), 0x1))
    good = zip_bytes([member("ada.yml", ADA)])
    (tmp_path / "cut.zip").write_bytes(good[: len(good) // 2])
    done, summary = grade(tmp_path, "locked.zip", "cut.zip")
    reasons = {r["file"]: r["reason"] for r in summary["rejected_files"]}
    assert reasons["locked.zip/ada.yml"] == "encrypted; unzip it with its password and grade the folder"
    assert reasons["cut.zip"].startswith("not a zip file, or a damaged one")
    assert done.code == 1 and "Traceback" not in done.err


def test_a_member_packed_by_a_method_python_cannot_unpack_is_refused_and_the_rest_graded(tmp_path):
    # Deflate64 (method 9): what Windows' own "Send to compressed folder" writes for large files.
    (tmp_path / "packed.zip").write_bytes(set_method(zip_bytes([member("ada.yml", ADA)]), 9))
    (tmp_path / "plain.zip").write_bytes(zip_bytes([member("bob.yml", BOB)]))
    done, summary = grade(tmp_path, "packed.zip", "plain.zip")
    reasons = {r["file"]: r["reason"] for r in summary["rejected_files"]}
    assert reasons == {
        "packed.zip/ada.yml": "packed in a way the grader cannot unpack (That compression method is not supported); "
        "unzip it yourself and grade the folder"
    }
    assert summary["graded"] == 1 and done.code == 1 and "Traceback" not in done.err


def test_a_zip_orders_attempts_as_its_folder_does(tmp_path):
    # Zips keep times to two seconds; files on disk to the nanosecond. Two attempts written within the same
    # second order by the learner's own times in both, so the zip and the folder keep the same one.
    folder = tmp_path / "class"
    folder.mkdir()
    # Named so that the names sort the other way round: the names must not decide.
    for name, source, offset in (("b-first.yml", "dan-first.yml", 0.2), ("a-second.yml", "late/dan-second.yml", 0.6)):
        (folder / name).write_bytes((CLASS / source).read_bytes())
        os.utime(folder / name, (1795608000 + offset, 1795608000 + offset))
    with zipfile.ZipFile(tmp_path / "class.zip", "w") as archive:
        for path in sorted(folder.iterdir()):
            archive.write(path, path.name)
    kept = []
    for given in ("class", "class.zip"):
        done = run_grader("--course", COURSE, "grade", given, "--out", tmp_path / f"out-{given}", cwd=tmp_path)
        assert done.code == 0, done.err
        doc = json.loads((tmp_path / f"out-{given}" / "results.json").read_text(encoding="utf-8"))
        kept.append((doc["results"][0]["file"].rsplit("/", 1)[-1], doc["results"][0]["score"], doc["results"][0]["time"]))
    assert kept[0] == kept[1] and kept[0][0] == "a-second.yml"
