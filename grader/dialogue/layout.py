"""Where each turn of a scenario sits when drawn: its column, shared by the scenario map and the report's flow chart."""

from __future__ import annotations

from grader.dialogue.model import Dialogue


def depths(d: Dialogue) -> dict[str, int]:
    """Node id -> drawing column: its longest way from the start (its shortest where a loop makes that endless); unreached nodes last."""
    succ = {nid: [r.next for r in node.replies if r.next in d.nodes] for nid, node in d.nodes.items()}
    depth = {d.start: 0} if d.start in d.nodes else {}
    order = list(depth)
    queue = list(order)
    while queue:
        nid = queue.pop(0)
        for nxt in succ[nid]:
            if nxt not in depth:
                depth[nxt] = depth[nid] + 1
                order.append(nxt)
                queue.append(nxt)
    longest = dict(depth)
    # Relax at most once per node: a loop would otherwise push columns forever.
    for _ in range(len(depth) + 1):
        changed = False
        for nid in order:
            for nxt in succ[nid]:
                if longest[nxt] < longest[nid] + 1:
                    longest[nxt], changed = longest[nid] + 1, True
        if not changed:
            depth = longest
            break
    last = max(depth.values(), default=-1) + 1
    rank = {nid: i for i, nid in enumerate(order)}
    for nid in d.nodes:
        depth.setdefault(nid, last)
    return {nid: depth[nid] for nid in sorted(d.nodes, key=lambda n: (depth[n], rank.get(n, len(rank))))}
