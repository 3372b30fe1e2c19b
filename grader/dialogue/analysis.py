"""Every path through a scenario: the (node, meter values) state space, its loops, and the best, worst and longest paths."""

from __future__ import annotations

import functools
from dataclasses import dataclass

from grader.dialogue.engine import ENDING, NODE, OUT, advance, plan_for
from grader.dialogue.model import RELAX_LIMIT, STATE_LIMIT, Analysis, Dialogue, FrozenMap, Replay


@dataclass
class _Space:
    """Every (node, meter values) state reachable from the start, found breadth first."""

    states: list
    """index -> (node id, values)."""
    parent: list
    """index -> (parent index, Reply) on a shortest path, None for the start."""
    edges: list
    """index -> [(Reply, kind, target, rule index)]; for NODE the target is a state index."""
    complete: bool
    out_of_range: list
    """First time each (reply, meter, side) leaves its range: (state index, node id, Reply, meter, value)."""


def _explore(d: Dialogue) -> _Space:
    plan = plan_for(d)
    if d.start not in d.nodes:
        return _Space([], [], [], True, [])
    states = [(d.start, plan.start)]
    index = {states[0]: 0}
    parent: list = [None]
    edges: list = []
    out_seen: set = set()
    out_of_range: list = []
    complete = True
    i = 0
    while i < len(states):
        nid, values = states[i]
        row = []
        for reply in d.nodes[nid].replies:
            kind, target, new, rule = advance(d, plan, values, reply)
            if kind == NODE:
                key = (target, new)
                j = index.get(key)
                if j is None:
                    if len(states) >= STATE_LIMIT:
                        complete = False
                        continue
                    j = len(states)
                    states.append(key)
                    index[key] = j
                    parent.append((i, reply))
                target = j
            elif kind == OUT:
                mid, v = target
                side = (reply.id, mid, v < d.meters[mid].min)
                if side not in out_seen:
                    out_seen.add(side)
                    out_of_range.append((i, nid, reply, mid, v))
            row.append((reply, kind, target, rule))
        edges.append(row)
        i += 1
        if not complete:
            break
    edges += [[] for _ in range(len(states) - len(edges))]
    return _Space(states, parent, edges, complete, out_of_range)


def path_to(space: _Space, state: int) -> list[str]:
    """Reply ids of a shortest path from the start to `state`."""
    out = []
    while space.parent[state] is not None:
        state, reply = space.parent[state]
        out.append(reply.id)
    return out[::-1]


def _sccs(succ: list[list[int]]) -> list[list[int]]:
    """Strongly connected components, each after every component it leads to (Tarjan, without recursion)."""
    n = len(succ)
    index = [-1] * n
    low = [0] * n
    on_stack = [False] * n
    stack: list[int] = []
    out: list[list[int]] = []
    counter = 0
    for root in range(n):
        if index[root] != -1:
            continue
        work = [(root, 0)]
        index[root] = low[root] = counter
        counter += 1
        stack.append(root)
        on_stack[root] = True
        while work:
            v, k = work[-1]
            if k < len(succ[v]):
                work[-1] = (v, k + 1)
                w = succ[v][k]
                if index[w] == -1:
                    index[w] = low[w] = counter
                    counter += 1
                    stack.append(w)
                    on_stack[w] = True
                    work.append((w, 0))
                elif on_stack[w]:
                    low[v] = min(low[v], index[w])
                continue
            work.pop()
            if work:
                u = work[-1][0]
                low[u] = min(low[u], low[v])
            if low[v] == index[v]:
                comp = []
                while True:
                    w = stack.pop()
                    on_stack[w] = False
                    comp.append(w)
                    if w == v:
                        break
                out.append(sorted(comp))
    return out


INF = float("inf")


@dataclass
class _Study:
    """The explored space plus what its paths add up to."""

    space: _Space
    analysis: Analysis
    traps: list
    """(first state, node ids in the loop) for loops that never reach an ending."""
    farms: list
    """(first state, node ids in the loop) for loops that gain points every time round."""
    best: list
    """state index -> (best raw score from there on, -decisions), None where no ending can be reached; [] when unknown."""


def _add(a, b):
    """Path counts where None stands for unbounded."""
    return None if a is None or b is None else a + b


@functools.lru_cache(maxsize=64)
def study(d: Dialogue) -> _Study:
    space = _explore(d)
    n = len(space.states)
    empty = FrozenMap((e, 0) for e in d.endings)
    if not space.complete or n == 0:
        return _Study(
            space,
            Analysis(
                n,
                space.complete,
                None if n else 0,
                None,
                None,
                False,
                False,
                None,
                (),
                empty if n == 0 else FrozenMap((e, None) for e in d.endings),
                (),
                (),
            ),
            [],
            [],
            [],
        )
    succ = [[t for (_, kind, t, _) in row if kind == NODE] for row in space.edges]
    best: list = [None] * n  # (score, -decisions): highest score, then fewest decisions
    worst: list = [None] * n  # (score, decisions): lowest score, then fewest decisions
    counts: list = [None] * n  # ending id -> paths (None: unbounded)
    longest: list = [0] * n  # decisions (None: unbounded)
    traps, farms = [], []
    budget = RELAX_LIMIT
    best_unbounded = worst_unbounded = False
    for comp in _sccs(succ):
        inside = set(comp)
        cyclic = len(comp) > 1 or comp[0] in succ[comp[0]]
        for s in comp:
            b = w = None
            cnt: dict = {}
            lg: int | None = 0
            for reply, kind, t, _ in space.edges[s]:
                if kind == ENDING:
                    value = reply.score + d.endings[t].score
                    b = max(b, (value, -1)) if b else (value, -1)
                    w = min(w, (value, 1)) if w else (value, 1)
                    cnt[t] = _add(cnt.get(t, 0), 1)
                    lg = None if lg is None else max(lg, 1)
                elif kind == NODE and t not in inside and best[t] is not None:
                    cb = (best[t][0] + reply.score, best[t][1] - 1)
                    cw = (worst[t][0] + reply.score, worst[t][1] + 1)
                    b = max(b, cb) if b else cb
                    w = min(w, cw) if w else cw
                    for e, c in counts[t].items():
                        cnt[e] = _add(cnt.get(e, 0), c)
                    lg = None if lg is None or longest[t] is None else max(lg, longest[t] + 1)
            best[s], worst[s], counts[s], longest[s] = b, w, cnt, lg
        if not cyclic:
            continue
        # A loop: scores settle after len(comp) rounds unless going round changes them for ever.
        grows, budget = _relax(space, comp, inside, best, 1, budget)
        sinks, budget = _relax(space, comp, inside, worst, -1, budget)
        if budget < 0:
            return _Study(
                space,
                Analysis(n, False, None, None, None, False, False, None, (), FrozenMap((e, None) for e in d.endings), (), ()),
                [],
                [],
                [],
            )
        nodes_in_loop = tuple(dict.fromkeys(space.states[s][0] for s in comp))
        if best[comp[0]] is None:
            traps.append((comp[0], nodes_in_loop))
            continue
        if grows:
            farms.append((comp[0], nodes_in_loop))
            best_unbounded = True
            for s in comp:
                best[s] = (INF, 0)
        if sinks:
            worst_unbounded = True
            for s in comp:
                worst[s] = (-INF, 0)
        ends = {e for s in comp for e in counts[s]}
        for s in comp:
            counts[s] = dict.fromkeys(ends)
            longest[s] = None
    # Anything that leads to a farm is itself unbounded.
    best_unbounded = best[0] is not None and best[0][0] == INF
    worst_unbounded = worst[0] is not None and worst[0][0] == -INF
    root = counts[0] or {}
    reached = tuple(e for e in d.endings if any(row[1] == ENDING and row[2] == e for edges in space.edges for row in edges))
    total = 0
    for c in root.values():
        total = _add(total, c)
    analysis = Analysis(
        states=n,
        complete=True,
        paths=total,
        best=None if best[0] is None or best_unbounded else best[0][0],
        worst=None if worst[0] is None or worst_unbounded else worst[0][0],
        best_unbounded=best_unbounded,
        worst_unbounded=worst_unbounded,
        longest=longest[0] if best[0] is not None else None,
        endings_reached=reached,
        paths_by_ending=FrozenMap((e, root.get(e, 0)) for e in d.endings),
        best_path=() if best_unbounded else _follow(d, space, best, 1),
        worst_path=() if worst_unbounded else _follow(d, space, worst, -1),
    )
    return _Study(space, analysis, _first_per_loop(traps), _first_per_loop(farms), best)


def _first_per_loop(found: list) -> list:
    """One report per set of nodes (the same loop at other meter values adds nothing), nearest the start first."""
    seen: dict = {}
    for state, loop in sorted(found):
        seen.setdefault(frozenset(loop), (state, loop))
    return list(seen.values())


def _relax(space: _Space, comp: list[int], inside: set, value: list, sign: int, budget: int) -> tuple[bool, int]:
    """Settle best (sign 1) or worst (sign -1) scores inside a loop; True when a cycle improves them for ever."""
    for _ in range(len(comp)):
        changed = False
        for s in comp:
            for reply, kind, t, _ in space.edges[s]:
                if kind != NODE or t not in inside or value[t] is None:
                    continue
                budget -= 1
                cand = (value[t][0] + reply.score, value[t][1] - sign)
                if value[s] is None or (cand > value[s] if sign > 0 else cand < value[s]):
                    value[s] = cand
                    changed = True
        if not changed or budget < 0:
            return False, budget
    return True, budget


def _follow(d: Dialogue, space: _Space, value: list, sign: int) -> tuple[str, ...]:
    """Reply ids of the path that realises value[0], taking the first reply that does at each turn."""
    if value[0] is None:
        return ()
    out, s = [], 0
    for _ in range(len(space.states) + 1):
        for reply, kind, t, _ in space.edges[s]:
            if kind == ENDING:
                cand = (reply.score + d.endings[t].score, -sign)
            elif kind == NODE and value[t] is not None:
                cand = (value[t][0] + reply.score, value[t][1] - sign)
            else:
                continue
            if cand == value[s]:
                out.append(reply.id)
                if kind == ENDING:
                    return tuple(out)
                s = t
                break
        else:
            return ()  # cannot happen once the values have settled
    return ()


def analyse_paths(d: Dialogue) -> Analysis:
    """Path statistics: paths, best and worst raw score, longest path, endings reached and paths per ending."""
    return study(d).analysis


def item_score(d: Dialogue, rep: Replay, points: float) -> float:
    """points x raw / best, kept between 0 and points; 0 for an invalid path or a scenario without a positive best."""
    best = analyse_paths(d).best
    if not rep.ok or not best or best <= 0:
        return 0.0
    return round(min(max(points * rep.raw / best, 0.0), float(points)), 4)
