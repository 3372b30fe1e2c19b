"""The class's part of `grader grade`'s summary: who is missing, late, not on the roster or in doubt, the overrides applied, what changed."""

from __future__ import annotations

from pathlib import Path

from grader.common.text import number
from grader.grading.batch import Entry, Outcome

# Flag -> the heading its files are listed under.
LISTED = (
    ("not on roster", "Not on the roster (graded, and flagged)"),
    ("late", "Late"),
    ("time doubted", "Time doubted (the file's own time is far from the LMS's)"),
    ("identity mismatch", "Identity mismatch (held at 0 until an override releases it; never credited silently)"),
    ("identity unchecked", "Identity not checked (give the roster lms_id, or lms_name as the LMS writes the name)"),
)
SHOWN = 20
COPIED_WITHIN = 120
"""File times this close together, for many files, were set by a copy or a checkout, not by hand-ins."""


def _notes(entry: Entry, flag: str) -> list[str]:
    return [n.split(": ", 1)[1] for n in entry.notes if n.startswith(f"{flag}: ")]


def print_class(outcome: Outcome, out: Path) -> None:
    """Print what the roster, deadlines and overrides made of this run, and what changed since the last."""
    roster = outcome.rules.roster
    absent = [m for m in outcome.missing if m.score is None]
    if roster is not None:
        who = sorted({m.learner for m in absent})
        print(f"Roster {roster.file}: {len(roster)} learner(s); {len(who)} with nothing handed in for an activity of this run.")
    if absent:
        by_learner: dict[str, list[str]] = {}
        for m in sorted(absent, key=lambda m: (m.learner, m.quiz)):
            by_learner.setdefault(m.learner, []).append(m.quiz)
        print(f"Missing ({len(absent)}; status `missing` in gradebook.csv):")
        for learner, quizzes in list(by_learner.items())[:SHOWN]:
            name = next((m.name for m in absent if m.learner == learner and m.name), "")
            print(f"  {learner}{f' ({name})' if name else ''}: {', '.join(quizzes)}")
        if len(by_learner) > SHOWN:
            print(f"  ... and {len(by_learner) - SHOWN} more learner(s)")
    for flag, heading in LISTED:
        entries = outcome.flagged(flag)
        if not entries:
            continue
        print(f"{heading} ({len(entries)}):")
        for entry in entries[:SHOWN]:
            for note in _notes(entry, flag) or [""]:
                print(f"  {entry.file}: {note}" if note else f"  {entry.file}")
        if len(entries) > SHOWN:
            print(f"  ... and {len(entries) - SHOWN} more (see the status column of gradebook.csv)")
    _print_overrides(outcome)
    if outcome.not_applied:
        print(f"Overrides not applied ({len(outcome.not_applied)}):")
        for line in outcome.not_applied:
            print(f"  {line}")
    copied = _copied_times(outcome)
    if copied:
        print(copied)
    if outcome.compared:
        print(f"Note: {outcome.compared}.")
    if outcome.changes:
        print(f"Changed since the previous run in {out} ({len(outcome.changes)}; listed in {out / 'changes.csv'}):")
        for change in outcome.changes[: SHOWN * 5]:
            old, new = ("-" if v is None else number(v) for v in (change.old, change.new))
            print(f"  {change.learner} {change.activity}: {old} -> {new} ({'; '.join(change.why)})")
        if len(outcome.changes) > SHOWN * 5:
            print(f"  ... and {len(outcome.changes) - SHOWN * 5} more")
    elif outcome.changes is not None:
        print(f"No score changed since the previous run in {out}.")


def _print_overrides(outcome: Outcome) -> None:
    """Each question override once, with how many hand-ins it changed; each learner's own override by its file."""
    overrides = outcome.rules.overrides
    if overrides is None:
        return
    graded = [*outcome.kept, *(a for a, _ in outcome.set_aside)]
    lines = []
    for fix in overrides.questions:
        hit = [e for e in graded if e.quiz == fix.activity and any(n.startswith(f"override: {fix.question}: ") for n in e.notes)]
        if hit:
            lines.append(
                f"  {fix.activity} {fix.question}: {fix.kind.replace('_', ' ')}, applied to {len(hit)} hand-in(s): {fix.reason}"
            )
    prefixes = tuple(f"override: {fix.question}: " for fix in overrides.questions)
    for entry in graded:
        lines += [
            f"  {entry.file}: {n.split(': ', 1)[1]}"
            for n in entry.notes
            if n.startswith("override: ") and not n.startswith(prefixes)
        ]
    lines += [
        f"  {m.learner} {m.quiz} (nothing handed in): {m.override.words()}: {m.override.reason}"
        for m in outcome.missing
        if m.override
    ]
    if lines:
        print(f"Overrides applied ({len(lines)}):")
        print("\n".join(lines))


def _copied_times(outcome: Outcome) -> str:
    """A warning when the file times that decide --keep and deadlines all fall within two minutes: a copy or a checkout, likely."""
    times = [e.order[0] for e in (*outcome.kept, *(a for a, _ in outcome.set_aside)) if e.time_used == "file"]
    if len(times) < 3 or max(times) - min(times) > COPIED_WITHIN:
        return ""
    return (
        f"Note: the modification times of {len(times)} files, which decide --keep and any deadline, lie within "
        f"{COPIED_WITHIN // 60} minutes of each other; if the files were copied or checked out then, not handed in, "
        "grade again with --ignore-file-times so the learners' own times are used."
    )


def class_json(outcome: Outcome) -> dict:
    """The same, for `--json`."""
    listed = {
        flag.replace(" ", "_") + "_files": [
            {"file": e.file, "learner": e.learner_id, "quiz": e.quiz, "notes": _notes(e, flag)} for e in outcome.flagged(flag)
        ]
        for flag, _ in (*LISTED, ("override", ""))
    }
    return {
        "missing_learners": [m.as_json() for m in outcome.missing],
        **listed,
        "overrides_not_applied": outcome.not_applied,
        "changes": [c.as_json() for c in outcome.changes] if outcome.changes is not None else None,
    }
