"""The class around the statistics: who on the roster handed nothing in, who was late or held, and every override applied. Pure."""

from __future__ import annotations


def cohort_section(doc: dict) -> dict:
    """Everyone the results know: the roster's size, the missing learners per activity, late and held hand-ins, overrides.

    Read from the roster results.json carries (a file written before rosters existed has none: then only
    what the results themselves say is known).
    """
    roster = doc.get("roster") or []
    results = doc["results"]
    names = {lr["id"]: lr.get("name") or "" for lr in roster}
    activities = sorted({r["quiz"] for r in results} | {m["quiz"] for m in doc.get("missing") or ()})
    counted = {(r["quiz"], r["learner"]["id"]) for r in results}
    set_by_hand = {(m["quiz"], m["learner"]): m for m in doc.get("missing") or () if m.get("score") is not None}
    missing = [
        {"learner": lr["id"], "name": lr.get("name") or "", "quiz": quiz}
        for quiz in activities
        for lr in roster
        if (quiz, lr["id"]) not in counted and (quiz, lr["id"]) not in set_by_hand
    ]
    overrides = [
        {"learner": r["learner"]["id"], "quiz": r["quiz"], **o}
        for r in results
        for o in r.get("overrides") or ()
        if isinstance(o, dict)
    ]
    overrides += [
        {"learner": m["learner"], "quiz": m["quiz"], **o} for m in set_by_hand.values() for o in m.get("overrides") or ()
    ]
    late = [
        {"learner": r["learner"]["id"], "quiz": r["quiz"], "days": r["late"].get("days"), "penalty": r["late"].get("penalty")}
        for r in results
        if isinstance(r.get("late"), dict)
    ]
    held = [
        {"learner": r["learner"]["id"], "quiz": r["quiz"], "note": (r.get("identity") or {}).get("note", "")}
        for r in results
        if "identity mismatch" in (r.get("flags") or ())
    ]
    strangers = sorted({r["learner"]["id"] for r in results if "not on roster" in (r.get("flags") or ())})
    return {
        "roster": len(roster) if roster else None,
        "names": names,
        "missing": missing,
        "late": late,
        "identity_mismatch": held,
        "not_on_roster": strangers,
        "overrides": overrides,
        "not_applied": list(doc.get("not_applied") or ()),
    }


def missing_by_quiz(section: dict) -> dict[str, list[str]]:
    """Activity id -> the roster learners with nothing counted for it."""
    found: dict[str, list[str]] = {}
    for entry in section["missing"]:
        found.setdefault(entry["quiz"], []).append(entry["learner"])
    return found
