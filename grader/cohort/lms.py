"""How each LMS names the files of a "download all submissions" zip, as data: one entry per layout; a new layout is one more entry. Pure.

docs/instructor/lms.md says where each pattern comes from (the LMS's own code and examples).
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

ZIP_TIME = "zip"
"""Member times say when the LMS built the zip (the moment you downloaded it), not when anyone handed in."""
FILE_TIME = "file"
"""Member times are the files' own modification times."""
LMS_TIME = "lms"
"""Member times are when the LMS received each file (no layout here writes them so; the data allows one that does)."""


@dataclass(frozen=True)
class Layout:
    """One LMS's naming of the files in its submissions download."""

    id: str
    lms: str
    """The LMS, as people call it."""
    pattern: re.Pattern
    """Matched against the last `depth` parts of a member's path, joined with `/`."""
    depth: int
    """How many trailing parts of the path it reads; 0: from any folder down (a folder per learner)."""
    meaning: dict[str, str]
    """What each named group holds."""
    account: str
    """The group naming the learner's account: `user` (the LMS's user number, stable) or `participant` (one per activity)."""
    member_times: str
    """ZIP_TIME or FILE_TIME: what the zip's member times mean."""
    late_marker: bool = False
    """Whether the names say when the LMS counted a hand-in late."""
    anonymous_names: tuple[str, ...] = ()
    """Names the LMS writes instead of the learner's when marking is anonymous."""


MOODLE_MEANING = {
    "name": "full name as Moodle shows it",
    "user": "participant id: Moodle's number for the learner in this assignment only",
    "plugin": "the submission plugin (file, onlinetext)",
    "original": "the file name the learner uploaded",
}

LAYOUTS: tuple[Layout, ...] = (
    # Canvas, Assignments > Download Submissions: `<sortable name>[_LATE]_<user id>_<attachment id>_<file name>`.
    # The name is Canvas's sortable name ("Lovelace, Ada") lower-cased with every non-word character removed;
    # anonymous grading writes `anon_<id>` instead of the name and the user id. A file uploaded again under the
    # same name is renamed `name-1.ext`, `name-2.ext`; the zip holds only each learner's latest attempt.
    Layout(
        id="canvas",
        lms="Canvas",
        pattern=re.compile(
            r"(?:(?P<name>[^/]*?)_)??(?:(?P<late>LATE|late)_)?(?P<user>[0-9]+|anon_[A-Za-z0-9]+)_(?P<seq>[0-9]+)_(?P<original>[^/]+)"
        ),
        depth=1,
        meaning={
            "name": "sortable name, lower case, without spaces or punctuation",
            "late": "Canvas counted the submission late",
            "user": "Canvas user id (anon_... when grading is anonymous)",
            "seq": "attachment id: Canvas numbers every upload, later ones higher",
            "original": "the file name the learner uploaded (-1, -2 before the extension for a file uploaded again)",
        },
        account="user",
        member_times=ZIP_TIME,
        late_marker=True,
    ),
    # Moodle assignment, Download all submissions: `<full name>_<participant id>_assignsubmission_file_<file name>`,
    # with "_" in names written as spaces; blind marking writes "Participant" for the name.
    Layout(
        id="moodle",
        lms="Moodle",
        pattern=re.compile(r"(?P<name>[^_/]+)_(?P<user>[0-9]+)_assignsubmission_(?P<plugin>[a-z]+)_(?P<original>[^/]+)"),
        depth=1,
        meaning=MOODLE_MEANING,
        account="participant",
        member_times=ZIP_TIME,
        anonymous_names=("Participant",),
    ),
    # Moodle with "Download submissions in folders": one folder per learner, `<full name>_<participant id>_assignsubmission_file/`,
    # holding the files as uploaded (their own subfolders kept).
    Layout(
        id="moodle-folders",
        lms="Moodle",
        pattern=re.compile(r"(?P<name>[^_/]+)_(?P<user>[0-9]+)_assignsubmission_(?P<plugin>[a-z]+)/(?P<original>.+)"),
        depth=0,
        meaning=MOODLE_MEANING,
        account="participant",
        member_times=ZIP_TIME,
        anonymous_names=("Participant",),
    ),
)


@dataclass(frozen=True)
class LmsIdentity:
    """Who the LMS says handed a file in, read from the file's name."""

    layout: str
    lms: str
    name: str
    """The name as the file name writes it ("" when marking is anonymous)."""
    account: str
    """The account number (a Canvas user id, a Moodle participant id)."""
    account_kind: str
    original: str
    """The file name as the learner uploaded it."""
    late: bool | None = None
    """What the LMS said about lateness, for layouts that say (None: it does not say)."""
    seq: int | None = None
    """The LMS's upload number, where it has one: a later upload has a higher one."""
    member_times: str = ZIP_TIME


def identify(parts: tuple[str, ...]) -> LmsIdentity | None:
    """The LMS identity in a file's path (its parts, outermost first), by the first layout whose pattern fits; None if none does."""
    for layout in LAYOUTS:
        tails = [parts[-layout.depth :]] if layout.depth else [parts[i:] for i in range(len(parts) - 1)]
        found = next((m for tail in tails if (m := layout.pattern.fullmatch("/".join(tail)))), None)
        if found is None or len(parts) < layout.depth:
            continue
        groups = found.groupdict()
        name = groups.get("name") or ""
        anonymous = name in layout.anonymous_names or groups["user"].startswith("anon_")
        return LmsIdentity(
            layout=layout.id,
            lms=layout.lms,
            name="" if anonymous else name,
            account=groups["user"],
            account_kind=layout.account,
            original=groups["original"],
            late=bool(groups.get("late")) if layout.late_marker else None,
            seq=int(groups["seq"]) if groups.get("seq") else None,
            member_times=layout.member_times,
        )
    return None


def squashed(text: str) -> str:
    """A name as Canvas writes it in file names: lower case, letters and digits only ("Lovelace, Ada" -> "lovelaceada")."""
    return "".join(ch for ch in unicodedata.normalize("NFKC", text).casefold() if ch.isalnum() or ch == "_")


# What Moodle's clean_filename (PARAM_FILE) removes from names in file names, and the curly apostrophe.
_UNFILED = re.compile(r"[\x00-\x1f\x7f&<>\"`|':\\/\u2019]")


def name_words(text: str) -> list[str]:
    """A name as sorted words, to compare names written in either order and with Moodle's file-name cleaning ("Liam O'Connor", "OConnor Liam")."""
    plain = _UNFILED.sub("", unicodedata.normalize("NFKC", text).casefold()).replace("_", " ").replace(",", " ")
    return sorted(plain.split())


def same_name(lms: LmsIdentity, written: str) -> bool:
    """Whether `written` (a roster name) is the name the LMS wrote into the file name, in either order."""
    if not lms.name or not written.strip():
        return False
    if lms.layout == "canvas":
        words = written.replace(",", " ").split()
        # Canvas's sortable name is "Last, First"; the roster may have either order.
        return any(squashed("".join(words[i:] + words[:i])) == squashed(lms.name) for i in range(len(words)))
    return name_words(written) == name_words(lms.name)
