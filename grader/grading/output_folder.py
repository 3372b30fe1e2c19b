"""The grade output folder: marked as the grader's, locked for a run, and switched to a new run whole, with one rename.

    grades/
      gradebook.csv -> .grader/current/gradebook.csv     (one link per output, made once)
      results.json  -> .grader/current/results.json
      rejected.csv  -> .grader/current/rejected.csv
      feedback      -> .grader/current/feedback
      .grader/
        output.json      the mark: this folder's outputs are the grader's
        lock             held for the whole run, so two runs never write here at once
        current -> runs/<run id>      the one rename that switches every output at once
        runs/<run id>/   each run writes here first; the previous run is removed last

Anything else in the folder (an instructor's notes, a report, an export) is never touched.
"""

from __future__ import annotations

import json
import os
import secrets
import shutil
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from grader.common import interrupts
from grader.common.problems import UsageError

try:
    import fcntl
except ImportError:  # pragma: no cover - not on POSIX; the run then goes unlocked
    fcntl = None  # type: ignore[assignment]

INTERNAL = ".grader"
MARK = "output.json"
MARK_TEXT = {
    "written_by": "grader grade",
    "format": 1,
    "note": "The links beside .grader/ lead to the latest run's outputs; `grader grade --out` replaces only them.",
}


def _mark(by: str) -> dict:
    """The mark a command writes in its output folder."""
    note = str(MARK_TEXT["note"]).replace("`grader grade --out`", f"`{by} --out`")
    return {**MARK_TEXT, "written_by": by, "note": note}


class OutputError(UsageError):
    """The output folder cannot be used; the message names it as the user gave it and says what to do."""


def _inside(path: Path, folder: Path) -> bool:
    return path == folder or folder in path.parents


def check_out(out: str, inputs: list[str]) -> None:
    """Refuse, before any work, an --out that is empty, a file, or not kept apart from the inputs."""
    if not out or not out.strip():
        raise OutputError("--out is empty; give a folder, such as --out grades")
    if os.path.exists(out) and not os.path.isdir(out):
        raise OutputError(f"--out {out} is a file; give a folder")
    shown = out
    where = Path(os.path.realpath(out))
    for given in inputs:
        source = Path(os.path.realpath(given))
        if os.path.isdir(source) and _inside(where, source):
            raise OutputError(
                f"--out {shown} is inside the input {given}: the next run would grade the outputs as hand-ins; "
                f"choose a folder outside {given}"
            )
        if _inside(source, where):
            raise OutputError(f"the input {given} is inside --out {shown}; keep hand-ins and outputs in separate folders")


def _run_id() -> str:
    return time.strftime("%Y%m%dT%H%M%SZ", time.gmtime()) + f"-{os.getpid()}-{secrets.token_hex(3)}"


def _is_ours(entry: Path) -> bool:
    """True for a link this module made: `name -> .grader/current/name`."""
    return entry.is_symlink() and os.readlink(entry) == f"{INTERNAL}/current/{entry.name}"


@dataclass
class OutputFolder:
    """One run's hold on a grade output folder."""

    path: Path
    shown: str
    """The folder as the user named it, for messages."""
    run: Path = field(init=False)
    """Where this run writes every output before the switch."""
    previous: bool = False
    """Whether the folder held an earlier run's outputs."""
    published: bool = False
    by: str = "grader grade"
    """The command whose outputs the folder holds: another command's folder is refused, never mixed."""
    _lock: int | None = None

    @property
    def internal(self) -> Path:
        return self.path / INTERNAL

    def open(self, names: tuple[str, ...]) -> None:
        """Check the folder is the grader's (or new), lock it, clear what a killed run left, and make this run's folder.

        `names` are the outputs this run will write; a file of someone else's under one of them is refused now,
        before any work is done.
        """
        marked = (self.internal / MARK).is_file()
        if self.path.is_dir() and not marked:
            # A bare .grader/ can only be a first run of ours, killed before it wrote the mark.
            others = sorted(p.name for p in self.path.iterdir() if p.name != INTERNAL)
            if others:
                listed = ", ".join(others[:3]) + (", ..." if len(others) > 3 else "")
                raise OutputError(
                    f"--out {self.shown} already holds files the grader did not write ({listed}); "
                    "choose a new or empty folder (the grader replaces only outputs it wrote itself)"
                )
        if marked and self._marked_by() != self.by:
            raise OutputError(
                f"--out {self.shown} holds the outputs of `{self._marked_by()}`; give `{self.by}` a folder of its own"
            )
        self.internal.mkdir(parents=True, exist_ok=True)
        if not marked:
            (self.internal / MARK).write_text(json.dumps(_mark(self.by), indent=2) + "\n", encoding="utf-8")
        self._take_lock()
        current = self.internal / "current"
        self._refuse_changed(sorted({*names, *(p.name for p in current.iterdir())} if current.is_dir() else set(names)))
        self.previous = (self.internal / "current").is_symlink()
        self._clear_leftovers()
        (self.internal / "runs").mkdir(exist_ok=True)
        self.run = self.internal / "runs" / _run_id()
        self.run.mkdir()

    def _marked_by(self) -> str:
        """The command the folder's mark names (a mark from before there were two is `grader grade`'s)."""
        try:
            mark = json.loads((self.internal / MARK).read_text(encoding="utf-8"))
        except (OSError, ValueError):
            mark = {}
        by = mark.get("written_by") if isinstance(mark, dict) else None
        return by if isinstance(by, str) else str(MARK_TEXT["written_by"])

    def _take_lock(self) -> None:
        if fcntl is None:
            return
        handle = os.open(self.internal / "lock", os.O_RDWR | os.O_CREAT, 0o666)
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            holder = os.read(handle, 64).decode("ascii", "replace").strip() or "another process"
            os.close(handle)
            raise OutputError(
                f"another `{self.by}` (process {holder}) is writing to {self.shown}; "
                "wait for it to finish, or give this run another --out"
            ) from None
        os.ftruncate(handle, 0)
        os.write(handle, str(os.getpid()).encode("ascii"))
        self._lock = handle

    def _refuse_changed(self, names: list[str]) -> None:
        """An output someone replaced (a spreadsheet saving over gradebook.csv) is theirs now: never overwrite it."""
        for name in names:
            entry = self.path / name
            if (entry.exists() or entry.is_symlink()) and not _is_ours(entry):
                raise OutputError(
                    f"{self.shown}/{name} is not the grader's link to its outputs (it was replaced or put there by hand); "
                    f"move it out of {self.shown} to keep it, then grade again"
                )

    def _clear_leftovers(self) -> None:
        """Remove runs that never became current (a run killed before its switch) and old runs a kill left behind."""
        current = self.internal / "current"
        keep = os.path.realpath(current) if current.is_symlink() else None
        for stray in self.internal.glob("current.*"):
            stray.unlink(missing_ok=True)
        runs = self.internal / "runs"
        for run in runs.iterdir() if runs.is_dir() else ():
            if os.path.realpath(run) != keep:
                shutil.rmtree(run, ignore_errors=True)

    def publish(self) -> None:
        """Switch every output to this run with one rename, link any new output, then remove the old run."""
        current = self.internal / "current"
        old = os.path.realpath(current) if current.is_symlink() else None
        names = sorted(p.name for p in self.run.iterdir())
        self._refuse_changed(names)
        with interrupts.held():
            temp = self.internal / f"current.{self.run.name}"
            os.symlink(f"runs/{self.run.name}", temp)
            os.replace(temp, current)
            self.published = True
            for name in names:
                entry = self.path / name
                if not _is_ours(entry):
                    link = self.path / f".{name}.{self.run.name}.link"
                    os.symlink(f"{INTERNAL}/current/{name}", link)
                    os.replace(link, entry)
            # An output the previous run wrote and this one did not: its link now leads nowhere.
            for entry in self.path.iterdir():
                if _is_ours(entry) and entry.name not in names:
                    entry.unlink()
            # Still held: an interrupted removal would leave the old run behind for the next run to clear.
            if old and old != os.path.realpath(self.run):
                shutil.rmtree(old, ignore_errors=True)

    def close(self) -> None:
        """Remove this run's folder if it never became current, and let the next run in."""
        try:
            if not self.published and getattr(self, "run", None) is not None:
                shutil.rmtree(self.run, ignore_errors=True)
        finally:
            if self._lock is not None:
                os.close(self._lock)
                self._lock = None


@contextmanager
def output_folder(out: str, inputs: list[str], names: tuple[str, ...] = (), by: str = "grader grade") -> Iterator[OutputFolder]:
    """Hold `out` for one run of command `by`: write into `.run`, then call `.publish()`; on any error the folder is left as it was."""
    check_out(out, inputs)
    folder = OutputFolder(Path(out), out, by=by)
    try:
        try:
            folder.open(names)
        except OSError as error:
            raise OutputError(f"cannot use --out {out}: {error.strerror or error}") from None
        try:
            yield folder
        except OSError as error:
            if folder.published:
                raise
            raise OutputError(
                f"cannot write the outputs in {out}: {error.strerror or error}; "
                + ("it still holds the previous run's outputs, whole" if folder.previous else "nothing was written")
            ) from None
    finally:
        folder.close()
