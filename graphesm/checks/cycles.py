"""cycle: strongly connected components of the import graph.

Stage contract
--------------
``find_cycles(graph, paths, *, top_level_await=..., all_cycles=...)`` is a pure
function of the module graph (``graphesm.graph``): it never reads the disk and
never prints, and the same graph always gives the same findings.

What is a cycle
    *Eager* edges (``static``, ``side-effect``, ``export-from``, ``require``)
    are followed while Node links and evaluates a graph; their strongly
    connected components are import cycles (rule severity, ``warning``). A
    component that exists only once ``import()`` edges (``dynamic``) are added
    is a *lazy cycle*, reported at ``info``. A module importing itself is a
    cycle of one module.

One finding per component and one per self-import (eager ones first, then
by smallest URL, a component before a self-import of the same module), with
``data``:
    ``modules``
        an example cycle in import order (each module imports the next, the
        last imports the first): the shortest cycle found in the component.
        For a lazy cycle it is the shortest cycle through an ``import()``-only
        edge that leaves an eager component (so the path is not one of the
        eager cycles), rotated so that that edge closes it. The finding's
        location is the import site of the closing edge.
    ``members``
        every module of the component, sorted.
    ``lazy``
        ``True`` for a lazy cycle.
    ``breakers``
        ``[[importer, imported], …]``: a set of edges whose removal leaves the
        component without any cycle (see *Cycle breakers*), sorted.
    ``top_level_await``
        the members with top-level ``await`` (sorted; empty when none). When
        it is not empty the message says so and a lazy cycle is raised to the
        rule's severity: measured with Node v20.20.2, a cycle whose awaited
        value depends on a module of the same cycle (an ``await import()`` of a
        member, eager or lazy) never settles: Node prints nothing, throws no
        error code, and exits with code 13 (an ``await import(entry)`` around
        it never settles either). Node v22 prints ``Warning: Detected
        unsettled top-level await at URL:LINE`` before exiting with 13.
    ``cycles`` / ``cycles_truncated`` (only with ``all_cycles=True``)
        the elementary cycles of the component, each in import order and
        rotated to start at its smallest URL, sorted by (length, URLs); at most
        ``max_cycles`` of them and, if ``max_cycle_length`` is set, none longer
        than that. Enumeration uses ``networkx.simple_cycles`` (Johnson, or
        Gupta-Suzumura with a length bound) and stops after ``max_cycles + 1``
        cycles; ``cycles_truncated`` tells whether more exist.

Cost
    One pass over the edges splits them by kind. Components: Tarjan
    (``strongly_connected``, iterative), O(V + E); the lazy pass starts only
    at the targets of ``import()``-only edges. Example path: breadth-first
    searches inside the component, one per start, stopping once
    ``_SEARCH_BUDGET`` edge visits are spent (at least one search always
    runs), so the cost stays linear in the graph.
    Breakers: O(E log V) plus a bounded refinement pass.

Cycle breakers
    The Eades-Lin-Smyth greedy heuristic for the feedback arc set (1993):
    repeatedly peel sinks (to the end of an ordering) and sources (to its
    start); when neither exists, move the module with the largest
    out-degree - in-degree (ties: smallest URL) to the start. The edges that
    point backwards in the final ordering break every cycle. A refinement
    pass then puts back, in sorted order, each of those edges that closes no
    cycle with the edges kept so far, so the result is inclusion-minimal
    whenever the pass fits in ``_SEARCH_BUDGET``. Self-imports are always
    breakers. Deterministic; not guaranteed minimum (that problem is NP-hard).
    For a lazy cycle the breakers are ``import()``-only edges (``lazy_breakers``):
    the eager components inside it are contracted (their cycles are their own
    findings), and the minimality pass starts from all ``import()`` edges.
"""

from __future__ import annotations

import heapq
import itertools
from collections.abc import Collection, Container, Iterable, Mapping
from dataclasses import dataclass, field

import networkx as nx

from graphesm.model import Finding, ImportKind, Location, Resolution, Severity
from graphesm.rules import rule

__all__ = [
    "DEFAULT_MAX_CYCLES",
    "feedback_edges",
    "find_cycles",
    "lazy_breakers",
    "strongly_connected",
]

EAGER_KINDS = frozenset(
    {ImportKind.STATIC, ImportKind.SIDE_EFFECT, ImportKind.EXPORT_FROM, ImportKind.REQUIRE}
)
LAZY_KINDS = frozenset({ImportKind.DYNAMIC})
DEFAULT_MAX_CYCLES = 1000
_SEARCH_BUDGET = 200_000

Edge = tuple[str, str]
# module -> successors (no self-loops), in the graph's order
Adjacency = dict[str, list[str]]


@dataclass(frozen=True)
class _Split:
    """The graph's edges split by kind, self-loops kept apart.

    ``eager`` holds the eager edges, ``lazy`` the eager and ``import()`` ones:
    every module of the graph in its order, each with its successors in edge
    order. ``eager_loops``/``lazy_loops`` are the self-importers (sorted) whose
    self-import has one of those kinds; ``dynamic`` holds the ``import()``-only
    edges (no eager kind).
    """

    eager: Adjacency
    lazy: Adjacency
    eager_loops: list[str]
    lazy_loops: list[str]
    dynamic: set[Edge]


def _split(graph: nx.DiGraph) -> _Split:
    """One pass over the edges; see :class:`_Split`."""
    eager: Adjacency = {}
    lazy: Adjacency = {}
    eager_loops: list[str] = []
    lazy_loops: list[str] = []
    dynamic: set[Edge] = set()
    # edge kinds -> (eager?, import()?); edges share a few distinct kind sets
    classes: dict[frozenset[ImportKind], tuple[bool, bool]] = {}
    for source, targets in graph.adjacency():
        eager_kept = eager[source] = []
        lazy_kept = lazy[source] = []
        for target, data in targets.items():
            kinds = data["kinds"]
            found = classes.get(kinds)
            if found is None:
                found = classes[kinds] = (bool(kinds & EAGER_KINDS), bool(kinds & LAZY_KINDS))
            is_eager, is_dynamic = found
            if not (is_eager or is_dynamic):
                continue
            if target == source:
                lazy_loops.append(source)
                if is_eager:
                    eager_loops.append(source)
                continue
            lazy_kept.append(target)
            if is_eager:
                eager_kept.append(target)
            else:
                dynamic.add((source, target))
    return _Split(eager, lazy, sorted(eager_loops), sorted(lazy_loops), dynamic)


def strongly_connected(
    adjacency: Mapping[str, list[str]], roots: Iterable[str] | None = None
) -> list[set[str]]:
    """Components of more than one module, sorted by their smallest URL.

    Tarjan's algorithm, iterative (import chains can be deeper than Python's
    recursion limit); linear in modules + imports. Every successor must be a
    key of ``adjacency``. With ``roots``, only the components of the modules
    reachable from them are found.
    """
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    # A module whose component is complete gets index ``done``, above every
    # low-link, so ``index`` alone tells whether a successor is on the stack.
    done = len(adjacency)
    stack: list[str] = []
    found: list[set[str]] = []
    for root in adjacency if roots is None else roots:
        if root in index:
            continue
        index[root] = low[root] = len(index)
        stack.append(root)
        work = [(root, iter(adjacency[root]))]
        while work:
            node, successors = work[-1]
            node_low = low[node]
            for succ in successors:
                succ_index = index.get(succ)
                if succ_index is None:
                    low[node] = node_low
                    index[succ] = low[succ] = len(index)
                    stack.append(succ)
                    work.append((succ, iter(adjacency[succ])))
                    break
                if succ_index < node_low:
                    node_low = succ_index
            else:
                work.pop()
                if work:
                    parent = work[-1][0]
                    if node_low < low[parent]:
                        low[parent] = node_low
                if node_low == index[node]:
                    member = stack.pop()
                    index[member] = done
                    if member == node:  # a component of one module
                        continue
                    component = {member}
                    while member != node:
                        member = stack.pop()
                        index[member] = done
                        component.add(member)
                    found.append(component)
    return sorted(found, key=min)


def _lazy_roots(split: _Split) -> list[str]:
    """Where the search for lazy cycles starts: the targets of ``import()``-only
    edges, in graph order. A lazy cycle that does not lie inside one eager
    component runs through such an edge (else it would be an eager cycle)."""
    targets = {target for _, target in split.dynamic}
    return [node for node in split.lazy if node in targets]


def _inside_one(component: set[str], group: Mapping[str, str]) -> bool:
    """Whether ``component`` lies inside one eager component (``group`` labels)."""
    labels = {group.get(node) for node in component}
    return len(labels) == 1 and None not in labels


def _bfs_parents(
    successors: Mapping[str, list[str]],
    members: Collection[str],
    start: str,
    budget: list[int],
    max_depth: int | None = None,
) -> dict[str, str]:
    """Breadth-first parents from ``start`` inside ``members``, at most
    ``max_depth`` steps out (unbounded when None); spends ``budget[0]``.

    ``successors`` maps each member to its sorted successors.
    """
    parents: dict[str, str] = {start: start}
    layer = [start]
    depth = 0
    while layer and (max_depth is None or depth < max_depth):
        reached: list[str] = []
        for node in layer:
            looked_at = successors[node]
            budget[0] -= len(looked_at)  # one unit per edge looked at
            for succ in looked_at:
                if succ in members and succ not in parents:
                    parents[succ] = node
                    reached.append(succ)
        layer = reached
        depth += 1
    return parents


def _path_to(parents: Mapping[str, str], start: str, end: str) -> list[str]:
    path = [end]
    while path[-1] != start:
        path.append(parents[path[-1]])
    return list(reversed(path))


def _shortest_cycle(
    successors: Mapping[str, list[str]], members: set[str], closing: Iterable[Edge]
) -> list[str]:
    """Shortest cycle closed by one of ``closing`` (importer, imported) edges.

    The cycle is ``imported -> … -> importer`` (then back to ``imported``),
    so the closing edge is the one from the last module to the first. Starts
    are tried in the given order until the search budget is spent.
    ``successors`` maps each member to its sorted successors.
    """
    budget = [_SEARCH_BUDGET]
    best: list[str] | None = None
    searched: dict[str, dict[str, str]] = {}
    for importer, imported in closing:
        if best is not None and (len(best) == 2 or budget[0] <= 0):
            break
        if imported not in searched:
            if budget[0] <= 0 and searched:
                continue
            # Only a strictly shorter cycle can replace ``best``, so the search
            # stops where it could no longer find one (the limit only tightens,
            # so an earlier, deeper search stays good for later edges).
            limit = len(best) - 2 if best is not None else None
            searched[imported] = _bfs_parents(successors, members, imported, budget, limit)
        parents = searched[imported]
        if importer in parents:
            path = _path_to(parents, imported, importer)
            if best is None or len(path) < len(best):
                best = path
    return best if best is not None else [min(members)]


def _rotate_to_min(cycle: list[str]) -> list[str]:
    start = cycle.index(min(cycle))
    return cycle[start:] + cycle[:start]


def _ordering(nodes: Iterable[str], edges: Iterable[Edge]) -> list[str]:
    """Eades-Lin-Smyth vertex ordering (see the module docstring)."""
    succs: dict[str, set[str]] = {}
    preds: dict[str, set[str]] = {}
    for node in nodes:
        succs[node] = set()
        preds[node] = set()
    for source, target in edges:
        succs[source].add(target)
        preds[target].add(source)
    head: list[str] = []
    tail: list[str] = []
    heap = [(len(preds[n]) - len(succs[n]), n) for n in succs]
    heapq.heapify(heap)
    sinks = sorted(n for n in succs if not succs[n])
    sources = sorted(n for n in succs if not preds[n] and succs[n])
    removed: set[str] = set()

    # ``heap`` holds (in-degree - out-degree, module) entries, some stale. It
    # is read only when no sink or source is queued, so a queued module needs
    # no entry. A key is pushed when it falls (a predecessor went), not when
    # it rises: the older, lower entry comes out first and goes back in with
    # the current key.
    def remove(node: str) -> None:
        # The neighbours left in ``succs``/``preds`` are never removed ones.
        removed.add(node)
        for succ in succs.pop(node):
            preds[succ].discard(node)
            if not preds[succ]:
                sources.append(succ)
            elif succs[succ]:
                heapq.heappush(heap, (len(preds[succ]) - len(succs[succ]), succ))
        for pred in preds.pop(node):
            succs[pred].discard(node)
            if not succs[pred]:
                sinks.append(pred)

    while succs:
        if sinks:
            node = sinks.pop()
            if node in removed:
                continue
            tail.append(node)
            remove(node)
            continue
        if sources:
            node = sources.pop()
            if node in removed or preds[node]:
                continue
            head.append(node)
            remove(node)
            continue
        key, node = heapq.heappop(heap)
        if node in removed:
            continue
        current = len(preds[node]) - len(succs[node])
        if key < current:
            heapq.heappush(heap, (current, node))
            continue
        head.append(node)
        remove(node)
    return head + list(reversed(tail))


def _reaches(adjacency: Mapping[str, set[str]], start: str, goal: str, budget: list[int]) -> bool:
    seen = {start}
    queue = [start]
    for node in queue:  # breadth-first: the list grows while it is read
        if node == goal:
            return True
        successors = adjacency.get(node, ())
        budget[0] -= len(successors)  # one unit per edge looked at
        for succ in successors:
            if succ not in seen:
                seen.add(succ)
                queue.append(succ)
    return False


def feedback_edges(nodes: Iterable[str], edges: Iterable[Edge]) -> list[Edge]:
    """A small set of edges whose removal makes the graph acyclic, sorted.

    Eades-Lin-Smyth greedy ordering, then a bounded minimality pass; see the
    module docstring. Self-loops are always included.
    """
    edge_list = sorted(set(edges))
    loops = [e for e in edge_list if e[0] == e[1]]
    plain = [e for e in edge_list if e[0] != e[1]]
    return sorted(loops + _feedback_edges(sorted(set(nodes)), plain))


def _feedback_edges(node_list: list[str], edge_list: list[Edge]) -> list[Edge]:
    """:func:`feedback_edges` of sorted, duplicate-free nodes and edges, no
    self-loops among them; the result is not sorted."""
    position = {node: index for index, node in enumerate(_ordering(node_list, edge_list))}
    kept: dict[str, set[str]] = {node: set() for node in node_list}
    backward: list[Edge] = []
    for edge in edge_list:
        source, target = edge
        if position[source] < position[target]:
            kept[source].add(target)
        else:
            backward.append(edge)
    return _put_back(kept, backward)


def _put_back(kept: dict[str, set[str]], candidates: Iterable[Edge]) -> list[Edge]:
    """Add to the acyclic ``kept`` each candidate that closes no cycle; return the rest."""
    budget = [_SEARCH_BUDGET]
    needed: list[Edge] = []
    for source, target in candidates:
        if budget[0] > 0 and not _reaches(kept, target, source, budget):
            kept.setdefault(source, set()).add(target)
        else:
            needed.append((source, target))
    return needed


def lazy_breakers(
    edges: Iterable[Edge], eager: Collection[Edge], group: Mapping[str, str]
) -> list[Edge]:
    """``import()``-only edges whose removal leaves no lazy cycle, sorted.

    ``edges`` are the component's edges, ``eager`` those among them with an
    eager import, ``group`` maps a module to its eager component (itself when
    it has none). Cycles inside an eager component are its own finding's
    business, so the eager components are contracted; the eager edges between
    them form a DAG, and the minimality pass puts back every contracted
    ``import()`` edge that closes no cycle.
    """
    edge_list = sorted(set(edges))
    return _lazy_breakers(edge_list, {e for e in edge_list if e not in eager}, group)


def _lazy_breakers(
    edges: list[Edge], dynamic: Container[Edge], group: Mapping[str, str]
) -> list[Edge]:
    """:func:`lazy_breakers` of sorted, duplicate-free edges, ``dynamic``
    holding those that are ``import()``-only."""
    kept: dict[str, set[str]] = {}
    lazy: dict[Edge, list[Edge]] = {}
    for edge in edges:
        source, target = edge
        a, b = group.get(source, source), group.get(target, target)
        if a == b:
            continue
        if edge in dynamic:
            lazy.setdefault((a, b), []).append(edge)
        else:
            kept.setdefault(a, set()).add(b)
    needed = _put_back(kept, sorted(lazy))
    return sorted(edge for pair in needed for edge in lazy[pair])


def _enumerate(
    adjacency: Adjacency, members: set[str], max_cycles: int, max_length: int | None
) -> tuple[list[list[str]], bool]:
    sub = nx.DiGraph()
    sub.add_nodes_from(node for node in adjacency if node in members)
    sub.add_edges_from((node, succ) for node in sub for succ in adjacency[node] if succ in members)
    found = itertools.islice(nx.simple_cycles(sub, length_bound=max_length), max_cycles + 1)
    cycles = [_rotate_to_min(list(c)) for c in found]
    truncated = len(cycles) > max_cycles
    cycles = sorted(cycles[:max_cycles], key=lambda c: (len(c), c))
    return cycles, truncated


def _first_site(graph: nx.DiGraph, source: str, target: str) -> Resolution | None:
    if not graph.has_edge(source, target):
        return None
    sites: tuple[Resolution, ...] = graph.edges[source, target]["sites"]
    return sites[0]


def _show(urls: Iterable[str], paths: Mapping[str, str | None]) -> str:
    return " -> ".join(paths.get(url) or url for url in urls)


@dataclass
class _Context:
    """What every finding of one ``find_cycles`` call needs."""

    graph: nx.DiGraph
    split: _Split
    paths: Mapping[str, str | None]
    top_level_await: Collection[str]
    enumerate_cycles: tuple[int, int | None] | None
    # module -> label of its eager component (set once the eager pass is done)
    group: dict[str, str] = field(default_factory=dict)
    # module -> its Location, shared by the findings (members repeat across passes)
    places: dict[str, Location] = field(default_factory=dict)

    def place(self, url: str) -> Location:
        found = self.places.get(url)
        if found is None:
            found = self.places[url] = Location(url, self.paths.get(url))
        return found


def _finding(context: _Context, members: set[str], lazy: bool) -> Finding:
    split, group, paths = context.split, context.group, context.paths
    sub = split.lazy if lazy else split.eager
    ordered = sorted(members)
    if len(members) == 1:  # a self-import (self-loops are kept out of ``sub``)
        inner = [(ordered[0], ordered[0])]
        cycle = [ordered[0]]
    else:
        successors = {node: sorted(sub[node]) for node in ordered}
        inner = [(s, t) for s in ordered for t in successors[s] if t in members]
        if lazy:
            closing = [
                (a, b)
                for a, b in inner
                if (a, b) in split.dynamic and group.get(a, a) != group.get(b, b)
            ]
            cycle = _shortest_cycle(successors, members, closing)
        else:
            cycle = _rotate_to_min(_shortest_cycle(successors, members, inner))
    if len(members) == 1:
        breakers = inner
    elif lazy:
        breakers = _lazy_breakers(inner, split.dynamic, group)
    else:
        breakers = sorted(_feedback_edges(ordered, inner))
    site = _first_site(context.graph, cycle[-1], cycle[0])
    waiting = [url for url in ordered if url in context.top_level_await]
    severity = rule("cycle").severity if (waiting or not lazy) else Severity.INFO
    if len(members) == 1:
        kind = "self-import" if not lazy else "self-import through import()"
    else:
        kind = "lazy import cycle (closed only through import())" if lazy else "import cycle"
        kind += f" of {len(members)} modules"
    message = f"{kind}: {_show([*cycle, cycle[0]], paths)}"
    if waiting:
        message += (
            f"; {_show(waiting, paths).replace(' -> ', ', ')} "
            f"{'uses' if len(waiting) == 1 else 'use'} top-level await: Node can fail to settle "
            "this cycle (if an awaited value depends on a module of the cycle, evaluation never "
            "finishes and node exits with code 13)"
        )
    location = (
        Location(
            site.site.file_url, paths.get(site.site.file_url), site.site.line, site.site.column
        )
        if site is not None
        else context.place(cycle[0])
    )
    data: dict[str, object] = {
        "modules": cycle,
        "members": ordered,
        "lazy": lazy,
        "breakers": [list(e) for e in breakers],
        "top_level_await": waiting,
    }
    if context.enumerate_cycles is not None:
        if len(members) == 1:
            data["cycles"], data["cycles_truncated"] = [cycle], False
        else:
            found = _enumerate(sub, members, *context.enumerate_cycles)
            data["cycles"], data["cycles_truncated"] = found
    return Finding(
        "cycle",
        severity,
        message,
        location,
        related=tuple(context.place(url) for url in ordered),
        data=data,
    )


def find_cycles(
    graph: nx.DiGraph,
    paths: Mapping[str, str | None],
    *,
    top_level_await: Collection[str] = frozenset(),
    all_cycles: bool = False,
    max_cycles: int = DEFAULT_MAX_CYCLES,
    max_cycle_length: int | None = None,
) -> list[Finding]:
    """One ``cycle`` finding per eager component, then one per lazy component.

    ``top_level_await``: URLs of modules with top-level ``await``.
    ``all_cycles``: also list the elementary cycles of each component in
    ``data.cycles`` (at most ``max_cycles``, none longer than
    ``max_cycle_length`` when set); the CLI's ``--all-cycles``.
    """
    if max_cycles < 0 or (max_cycle_length is not None and max_cycle_length < 1):
        raise ValueError("max_cycles must be >= 0 and max_cycle_length >= 1")
    enumerate_cycles = (max_cycles, max_cycle_length) if all_cycles else None
    split = _split(graph)
    context = _Context(graph, split, paths, top_level_await, enumerate_cycles)
    findings: list[Finding] = []
    eager_loops: set[str] = set()
    passes = ((False, split.eager, split.eager_loops), (True, split.lazy, split.lazy_loops))
    for lazy, sub, every_loop in passes:
        loops = [node for node in every_loop if node not in eager_loops]
        roots = _lazy_roots(split) if lazy else None
        components = [
            c for c in strongly_connected(sub, roots) if not _inside_one(c, context.group)
        ]
        found = [{node} for node in loops] + components
        for members in sorted(found, key=lambda c: (min(c), -len(c))):
            findings.append(_finding(context, members, lazy))
        if not lazy:
            eager_loops = set(loops)
            context.group = {node: label for c in components for label in (min(c),) for node in c}
    return findings
