"""cycle: strongly connected components of the eager import graph.

Eager edges (static, side-effect, export-from, require) make cycles; a
component that exists only once `import()` edges are added is a lazy cycle,
reported at `info`. One finding per non-trivial component (or self-import),
with `data.modules` the shortest cycle through the component's first module in
import order, and `data.members` every module of the component. Linear in the
graph size (Tarjan through networkx) plus one BFS per component.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Mapping

import networkx as nx

from graphesm.model import Finding, ImportKind, Location, Resolution, Severity
from graphesm.rules import rule

_EAGER = frozenset(
    {ImportKind.STATIC, ImportKind.SIDE_EFFECT, ImportKind.EXPORT_FROM, ImportKind.REQUIRE}
)
_LAZY = frozenset({ImportKind.DYNAMIC})


def _subgraph(graph: nx.DiGraph, kinds: frozenset[ImportKind]) -> nx.DiGraph:
    sub = nx.DiGraph()
    sub.add_nodes_from(graph.nodes)
    for source, target, data in graph.edges(data=True):
        if data["kinds"] & kinds:
            sub.add_edge(source, target)
    return sub


def _shortest_cycle(graph: nx.DiGraph, members: set[str], start: str) -> list[str]:
    parents: dict[str, str] = {}
    queue = deque([start])
    while queue:
        node = queue.popleft()
        for succ in sorted(graph.successors(node)):
            if succ not in members:
                continue
            if succ == start:
                path = [node]
                while path[-1] != start:
                    path.append(parents[path[-1]])
                return list(reversed(path))
            if succ not in parents:
                parents[succ] = node
                queue.append(succ)
    return [start]


def _components(graph: nx.DiGraph) -> list[set[str]]:
    found = []
    for component in nx.strongly_connected_components(graph):
        if len(component) > 1 or any(graph.has_edge(n, n) for n in component):
            found.append(set(component))
    return found


def _first_site(graph: nx.DiGraph, source: str, target: str) -> Resolution:
    sites: tuple[Resolution, ...] = graph.edges[source, target]["sites"]
    return sites[0]


def _finding(
    full: nx.DiGraph,
    sub: nx.DiGraph,
    members: set[str],
    lazy: bool,
    paths: Mapping[str, str | None],
) -> Finding:
    start = min(members)
    cycle = _shortest_cycle(sub, members, start)
    closing = cycle[(cycle.index(start) - 1) % len(cycle)] if len(cycle) > 1 else start
    site = _first_site(full, closing, start).site if full.has_edge(closing, start) else None
    shown = " -> ".join(paths.get(url) or url for url in [*cycle, cycle[0]])
    severity = Severity.INFO if lazy else rule("cycle").severity
    kind = "lazy import cycle (closed only through import())" if lazy else "import cycle"
    location = (
        Location(site.file_url, paths.get(site.file_url), site.line, site.column)
        if site is not None
        else Location(start, paths.get(start))
    )
    return Finding(
        "cycle",
        severity,
        f"{kind} of {len(members)} module(s): {shown}",
        location,
        related=tuple(Location(url, paths.get(url)) for url in sorted(members)),
        data={"modules": cycle, "members": sorted(members), "lazy": lazy},
    )


def find_cycles(graph: nx.DiGraph, paths: Mapping[str, str | None]) -> list[Finding]:
    eager = _subgraph(graph, _EAGER)
    findings = [_finding(graph, eager, c, False, paths) for c in _components(eager)]
    eager_members = [c for c in _components(eager)]
    everything = _subgraph(graph, _EAGER | _LAZY)
    for component in _components(everything):
        if any(component <= members for members in eager_members):
            continue
        findings.append(_finding(graph, everything, component, True, paths))
    return findings
