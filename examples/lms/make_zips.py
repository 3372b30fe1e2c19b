"""Build the example class's LMS downloads, canvas.zip and moodle.zip, from examples/submissions, named as Canvas and Moodle name them.

    python3 examples/lms/make_zips.py        # rewrites examples/lms/canvas.zip and moodle.zip

canvas.zip is Canvas's "Download Submissions" of five-step-process: `<sortable name>[_LATE]_<user id>_<attachment id>_<file>`,
the sortable name lower-cased with its punctuation and spaces removed, only each learner's latest attempt, and a file
uploaded again under the same name renamed `-1`. moodle.zip is Moodle's "Download all submissions" of
person-then-problem: `<full name>_<participant id>_assignsubmission_file_<file>`. Both LMSs write every member with
the time the zip was made, so every member here has the same time. The names come from examples/roster.csv.

Two things happened in this class that the grader must catch: Kwame Mensah's Canvas account handed in a file that
names Dmitri Volkov (an identity mismatch), and Arjun Mehta uploaded a PDF next to his answer file. The zips are
written stored (not compressed) with fixed times, so the same files always give the same bytes.
"""

from __future__ import annotations

import csv
import io
import re
import sys
import zipfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
EXAMPLES = HERE.parent
SUBMISSIONS = EXAMPLES / "submissions"
MADE = (2026, 11, 24, 9, 0, 0)
"""When the instructor downloaded the zips: the time both LMSs give every member."""


def roster() -> dict[str, dict[str, str]]:
    """learner id -> the roster row, columns named as the grader names them."""
    text = (EXAMPLES / "roster.csv").read_text(encoding="utf-8-sig")
    rows = list(csv.reader(io.StringIO(text)))
    names = [re.sub(r"[\s-]+", "_", h.strip().lower()) for h in rows[0]]
    return {row[0]: dict(zip(names, row, strict=True)) for row in rows[1:] if row}


def canvas_name(sortable: str) -> str:
    """Canvas's sortable name as its zip writes it: lower case, word characters only."""
    return re.sub(r"\W", "", sortable.lower())


def moodle_name(full: str) -> str:
    """Moodle's full name as its zip writes it: `_` as a space, without the characters clean_filename removes."""
    return re.sub(r"[&<>\"`|':\\/]", "", full.replace("_", " "))


def _member(name: str, data: bytes) -> tuple[zipfile.ZipInfo, bytes]:
    info = zipfile.ZipInfo(name, date_time=MADE)
    info.compress_type = zipfile.ZIP_STORED
    info.create_system = 3
    info.external_attr = 0o100644 << 16  # a plain file, rw-r--r--, as both LMSs' zip writers record it
    return info, data


def _zip(members: list[tuple[zipfile.ZipInfo, bytes]]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        for info, data in sorted(members, key=lambda m: m[0].filename):
            archive.writestr(info, data)
    return out.getvalue()


def _claimed(path: Path) -> str:
    found = re.search(r'submitted"?:\s*"?([0-9T:\-Z]+)', path.read_text(encoding="utf-8"))
    return found.group(1) if found else ""


def canvas_zip(people: dict[str, dict[str, str]]) -> bytes:
    """five-step-process as Canvas's Download Submissions gives it."""
    folder = SUBMISSIONS / "five-step-process"
    files = sorted(folder.iterdir(), key=_claimed)  # Canvas numbers attachments in the order they arrive
    members = []
    for n, path in enumerate(files):
        learner = path.stem.split("-")[0]
        if path.stem.endswith("first-attempt"):
            continue  # Canvas's zip holds only the latest attempt; the first stays in Canvas's history
        again = path.stem.endswith("second-attempt")
        uploaded = f"five-step-process-{learner}{'-1' if again else ''}{path.suffix}"
        who = people[learner]
        members.append(_member(f"{canvas_name(who['lms_name'])}_{who['lms_id']}_{904100 + 17 * n}_{uploaded}", path.read_bytes()))
    # From Kwame Mensah's account: a file that names Dmitri Volkov (a copy of another learner's answers).
    copied = (folder / "s2026010.yml").read_text(encoding="utf-8")
    copied = copied.replace("id: s2026010", "id: s2026020").replace("name: Nguyen Thi Lan", "name: Dmitri Volkov")
    kwame, arjun = people["s2026016"], people["s2026018"]
    members.append(
        _member(f"{canvas_name(kwame['lms_name'])}_{kwame['lms_id']}_904499_five-step-process-s2026020.yml", copied.encode("utf-8"))
    )
    # Handed in by mistake beside the answer file.
    members.append(_member(f"{canvas_name(arjun['lms_name'])}_{arjun['lms_id']}_904512_my-notes.pdf", b"%PDF-1.4\n% notes\n%%EOF\n"))
    return _zip(members)


def moodle_zip(people: dict[str, dict[str, str]]) -> bytes:
    """person-then-problem as Moodle's Download all submissions gives it."""
    members = []
    for path in sorted((SUBMISSIONS / "person-then-problem").iterdir()):
        learner = path.stem
        who = people[learner]
        participant = 3100400 + 13 * int(learner[-3:])
        uploaded = f"person-then-problem-{learner}{path.suffix}"
        members.append(_member(f"{moodle_name(who['name'])}_{participant}_assignsubmission_file_{uploaded}", path.read_bytes()))
    # Moodle's online text plugin writes what a learner typed into the page as HTML beside the files.
    sofia = people["s2026003"]
    members.append(
        _member(
            f"{moodle_name(sofia['name'])}_{3100400 + 13 * 3}_assignsubmission_onlinetext_onlinetext.html",
            b"<p>My answer file is attached.</p>\n",
        )
    )
    return _zip(members)


def build() -> dict[str, bytes]:
    """File name -> bytes of every zip this script makes."""
    people = roster()
    return {"canvas.zip": canvas_zip(people), "moodle.zip": moodle_zip(people)}


def main() -> int:
    for name, data in build().items():
        (HERE / name).write_bytes(data)
        print(f"wrote {HERE / name} ({len(data):,} bytes)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
