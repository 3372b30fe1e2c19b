"""How a class played each dialogue: replies taken at each turn, endings, the most common path, replies that lost the customer. Pure."""

from __future__ import annotations

from collections import Counter

from grader.dialogue.model import Replay
from grader.dialogue.variants import replay_answer


def plays(doc: dict) -> dict[str, list[dict]]:
    """Scenario id -> every dialogue item handed in (in a quiz or alone): learner, quiz and path."""
    found: dict[str, list[dict]] = {}
    for result in doc["results"]:
        meta = doc["quizzes"].get(result["quiz"], {})
        scenario_of = {q["id"]: q.get("scenario") for q in meta.get("questions", ())}
        for item in result["items"]:
            if item.get("type") != "dialogue" or not item.get("answered"):
                continue
            scenario = scenario_of.get(item["question"]) or (result["quiz"] if meta.get("kind") == "dialogue" else None)
            if not scenario:
                continue
            evidence = item.get("evidence") or {}
            path = evidence.get("path") or (item["answer"] if isinstance(item["answer"], list) else [])
            found.setdefault(scenario, []).append(
                {
                    "learner": result["learner"]["id"],
                    "quiz": result["quiz"],
                    "question": item["question"],
                    "path": [str(p) for p in path],
                    "seed": evidence.get("seed"),
                }
            )
    return found


def replayed(scenario, play: dict) -> Replay:
    """One play replayed as it was dealt: with its seed's variant when it had one."""
    seed = play.get("seed")
    return replay_answer(scenario, play["path"] if seed is None else {"replies": play["path"], "seed": seed}).replay


def dialogue_section(scenario, played: list[dict]) -> dict:
    """Replies taken at each node, endings reached, the commonest paths and the replies that most often lose the customer."""
    chosen: Counter = Counter()
    visits: Counter = Counter()
    edges: Counter = Counter()
    endings: Counter = Counter()
    path_counts: Counter = Counter()
    path_ending: dict[tuple, str] = {}
    in_lost: Counter = Counter()
    in_play: Counter = Counter()
    invalid = []
    valid = 0
    for play in played:
        rep = replayed(scenario, play)
        if not rep.ok:
            invalid.append({"learner": play["learner"], "quiz": play["quiz"], "reason": rep.reason})
            continue
        valid += 1
        ending = rep.valid_ending
        lost = ending.outcome == "lost"
        for step, (nid, reply) in enumerate(rep.taken):
            visits[nid] += 1
            chosen[(nid, reply.id)] += 1
            target = rep.taken[step + 1][0] if step + 1 < len(rep.taken) else ending.id
            edges[(nid, reply.id, target)] += 1
        for rid in {reply.id for _, reply in rep.taken}:
            in_play[rid] += 1
            in_lost[rid] += lost
        endings[ending.id] += 1
        key = tuple(play["path"])
        path_counts[key] += 1
        path_ending[key] = ending.id

    def share(count: int, total: int) -> float | None:
        return count / total if total else None

    nodes = []
    reply_info = {}
    for node in scenario.nodes.values():
        replies = []
        for reply in node.replies:
            reply_info[reply.id] = (node.id, reply)
            count = chosen[(node.id, reply.id)]
            replies.append(
                {
                    "id": reply.id,
                    "text": reply.text,
                    "next": reply.next,
                    "score": reply.score,
                    "steps": list(reply.steps),
                    "mistakes": list(reply.mistakes),
                    "count": count,
                    "share": share(count, visits[node.id]),
                    "lost": in_lost[reply.id],
                    "lost_share": share(in_lost[reply.id], in_play[reply.id]),
                }
            )
        nodes.append({"id": node.id, "say": node.say, "visits": visits[node.id], "replies": replies})
    ordered_paths = sorted(path_counts.items(), key=lambda kv: (-kv[1], len(kv[0]), kv[0]))
    path_rows = [
        {
            "path": list(p),
            "count": c,
            "share": share(c, valid),
            "ending": path_ending[p],
            "outcome": scenario.endings[path_ending[p]].outcome,
        }
        for p, c in ordered_paths
    ]
    losing = [
        {
            "id": rid,
            "node": reply_info[rid][0],
            "text": reply_info[rid][1].text,
            "mistakes": list(reply_info[rid][1].mistakes),
            "taken": in_play[rid],
            "lost": in_lost[rid],
            "lost_share": share(in_lost[rid], in_play[rid]),
        }
        for rid in in_lost
        if in_lost[rid] and rid in reply_info
    ]
    losing.sort(key=lambda r: (-r["lost"], -(r["lost_share"] or 0), r["id"]))
    return {
        "id": scenario.id,
        "title": scenario.title,
        "plays": valid,
        "invalid": invalid,
        "start": scenario.start,
        "nodes": nodes,
        "endings": [
            {"id": e.id, "title": e.title, "outcome": e.outcome, "count": endings[e.id], "share": share(endings[e.id], valid)}
            for e in scenario.endings.values()
        ],
        "edges": [{"from": f, "reply": r, "to": t, "count": c} for (f, r, t), c in sorted(edges.items())],
        "paths": path_rows,
        "most_common_path": path_rows[0] if path_rows else None,
        "losing_replies": losing,
        "lost": sum(endings[e.id] for e in scenario.endings.values() if e.outcome == "lost"),
    }
