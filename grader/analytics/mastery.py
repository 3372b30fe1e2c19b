"""Each learner's mastery of each model step, from the questions and dialogue replies tagged with it. Pure."""

from __future__ import annotations

from collections import Counter
from typing import Any

from grader.analytics.dialogue_stats import plays, replayed
from grader.analytics.statistics import MASTERED, WEAK, mean


def _status(value: float | None) -> str:
    if value is None:
        return "no evidence"
    return "mastered" if value >= MASTERED else "weak" if value < WEAK else "developing"


def step_mastery(doc: dict, course) -> dict:
    """Each learner's and the class's evidence per model step, from tagged questions and dialogue paths.

    Evidence for a step: points earned on questions tagged with it, out of their points; plus,
    for each dialogue played whose scenario offers a reply tagged with the step, 1 point out of 1
    when the learner's path took such a reply. Mastered: share >= 80%; weak: below 50%.
    """
    scenarios = course.dialogues if course is not None else {}
    offered = {sid: {s for node in d.nodes.values() for r in node.replies for s in r.steps} for sid, d in scenarios.items()}
    per: dict[str, dict[str, dict]] = {}
    names: dict[str, str] = {}

    def cell(learner: str, step: str) -> dict:
        return per.setdefault(learner, {}).setdefault(step, {"earned": 0.0, "possible": 0.0, "shown": 0, "played": 0})

    for result in doc["results"]:
        learner = result["learner"]["id"]
        names[learner] = result["learner"].get("name") or names.get(learner, "")
        per.setdefault(learner, {})
        for item in result["items"]:
            for step in item.get("steps") or ():
                c = cell(learner, step)
                c["earned"] += max(float(item["score"]), 0.0)
                c["possible"] += float(item["max"])
    for sid, played in plays(doc).items():
        scenario = scenarios.get(sid)
        if scenario is None:
            continue
        for play in played:
            rep = replayed(scenario, play)
            if not rep.ok:
                continue
            shown = {s for _, reply in rep.taken for s in reply.steps}
            for step in offered[sid]:
                c = cell(play["learner"], step)
                c["played"] += 1
                c["shown"] += step in shown

    known = list(course.steps) if course is not None else []
    used = {s for cells in per.values() for s in cells}
    order = [s for s in known if s in used] + sorted(used - set(known))
    learners: list[dict[str, Any]] = []
    for learner in sorted(per):
        cells = {}
        for step in order:
            tally = per[learner].get(step)
            if tally is None:
                continue
            total = tally["possible"] + tally["played"]
            value = (tally["earned"] + tally["shown"]) / total if total else None
            cells[step] = {**tally, "share": value, "status": _status(value)}
        learners.append(
            {
                "id": learner,
                "name": names.get(learner, ""),
                "steps": cells,
                "weak": [s for s in order if cells.get(s, {}).get("status") == "weak"],
                "mastered": [s for s in order if cells.get(s, {}).get("status") == "mastered"],
            }
        )
    rows = []
    for step in order:
        values = [lr["steps"][step]["share"] for lr in learners if step in lr["steps"] and lr["steps"][step]["share"] is not None]
        statuses = Counter(lr["steps"][step]["status"] for lr in learners if step in lr["steps"])
        info = course.steps.get(step) if course is not None else None
        model = next((m for m in course.models if m.id == info.model), None) if info else None
        rows.append(
            {
                "step": step,
                "title": info.title if info else step,
                "model": model.title if model else step.partition(".")[0],
                "lesson": info.lesson if info else "",
                "learners": len(values),
                "mean": mean(values),
                "status": _status(mean(values)),
                "mastered": statuses["mastered"],
                "developing": statuses["developing"],
                "weak": statuses["weak"],
                "weak_learners": [lr["id"] for lr in learners if lr["steps"].get(step, {}).get("status") == "weak"],
            }
        )
    return {"mastered_at": MASTERED, "weak_below": WEAK, "steps": rows, "learners": learners}
