"""The module graph: modules and resolutions -> ``networkx.DiGraph``.

Stage contract
--------------
``build_graph(modules, resolutions)`` is a pure function: it reads the records,
never the disk, and returns a fresh graph every call.

* **Nodes** are module URLs (exactly as Node's resolver produced them, so
  ``file:///a.js`` and ``file:///a.js?v=2`` are two nodes, as they are two
  module instances in Node). Every node carries the attributes ``kind``
  (:class:`~graphesm.model.ModuleKind` or ``None``), ``format``, ``path``,
  ``package`` (:class:`~graphesm.model.PackageInfo` or ``None``) and
  ``module`` (the :class:`~graphesm.model.Module` record or ``None``).
  A URL that an import resolved to, or an importing file, that is missing
  from ``modules`` still becomes a node, with ``kind``/``path``/``package``/
  ``module`` set to ``None`` and ``format`` taken from the resolution.
* **Edges** are resolved imports. The graph is a plain ``DiGraph``: one edge per
  (importer, imported) pair, however many import statements join them. The
  edge attribute ``sites`` is the tuple of every :class:`~graphesm.model.Resolution`
  that joins the pair, sorted by (line, column, kind, specifier); ``kinds`` is
  the frozenset of their :class:`~graphesm.model.ImportKind`. A DiGraph (not a
  MultiDiGraph) keeps the networkx algorithms the checks use (cycles,
  strongly connected components, reachability) free of duplicate edges.
* **Unresolved imports** (``url is None``: a Node error code, or a
  ``dynamic-expr`` import with no literal specifier) are not edges and create
  no nodes. They are kept, in input order, as the graph attribute
  ``graph.graph["unresolved"]`` (a tuple of Resolutions).
"""

from __future__ import annotations

from collections.abc import Container, Iterable, Iterator
from typing import TypedDict

import networkx as nx

from graphesm.model import ImportKind, Module, Resolution

__all__ = ["build_graph", "edge_sites", "unresolved"]


class _EdgeData(TypedDict):
    sites: tuple[Resolution, ...]
    kinds: frozenset[ImportKind]


# importer -> imported -> (sites, kinds)
_Joined = dict[str, dict[str, tuple[tuple[Resolution, ...], frozenset[ImportKind]]]]

# One shared frozenset per kind: most edges join a pair through a single import.
_SINGLE_KIND = {kind: frozenset({kind}) for kind in ImportKind}


def _site_key(resolution: Resolution) -> tuple[int, int, str, str]:
    site = resolution.site
    return (site.line, site.column, str(site.kind), site.specifier or "")


def _node_attributes(module: Module | None, format_: str | None) -> dict[str, object]:
    if module is None:
        return {"kind": None, "format": format_, "path": None, "package": None, "module": None}
    return {
        "kind": module.kind,
        "format": module.format,
        "path": module.path,
        "package": module.package,
        "module": module,
    }


def _join(resolutions: Iterable[Resolution]) -> tuple[_Joined, list[Resolution]]:
    """The resolved imports grouped by (importer, imported), sites in input
    order, and the unresolved imports, in input order."""
    joined: _Joined = {}
    unresolved_list: list[Resolution] = []
    for resolution in resolutions:
        target = resolution.url
        if target is None:
            unresolved_list.append(resolution)
            continue
        site = resolution.site
        targets = joined.get(site.file_url)
        if targets is None:
            targets = joined[site.file_url] = {}
        joins = targets.get(target)
        if joins is None:
            targets[target] = ((resolution,), _SINGLE_KIND[site.kind])
        else:  # kinds are recomputed once the sites are sorted
            targets[target] = (joins[0] + (resolution,), joins[1])
    return joined, unresolved_list


def _edges(
    joined: _Joined, known: Container[str], missing: dict[str, dict[str, object]]
) -> Iterator[tuple[str, str, _EdgeData]]:
    """The edges in (importer, imported) order, each multi-site one sorted.

    Records in ``missing`` the attributes of each URL not in ``known``, at its
    first appearance (importer before imported), which is where
    ``add_edges_from`` adds it as a node.
    """
    for source in sorted(joined):
        if source not in known and source not in missing:
            missing[source] = _node_attributes(None, None)
        targets = joined[source]
        for target in sorted(targets):
            sites, kinds = targets[target]
            if target not in known and target not in missing:
                missing[target] = _node_attributes(None, sites[0].format)
            if len(sites) > 1:
                sites = tuple(sorted(sites, key=_site_key))
                kinds = frozenset(r.site.kind for r in sites)
            yield source, target, {"sites": sites, "kinds": kinds}


def build_graph(modules: Iterable[Module], resolutions: Iterable[Resolution]) -> nx.DiGraph:
    """Build the module graph; see the module docstring for the node/edge contract."""
    graph = nx.DiGraph()
    by_url = {m.url: m for m in sorted(modules, key=lambda m: m.url)}
    # Plain nodes, then their attributes: add_nodes_from takes a slow path
    # for (node, attributes) pairs.
    graph.add_nodes_from(by_url)
    for (_, live), module in zip(graph.nodes(data=True), by_url.values(), strict=True):
        live.update(_node_attributes(module, None))
    joined, unresolved_list = _join(resolutions)
    missing: dict[str, dict[str, object]] = {}
    graph.add_edges_from(_edges(joined, by_url, missing))
    for url, attributes in missing.items():
        graph.nodes[url].update(attributes)
    graph.graph["unresolved"] = tuple(unresolved_list)
    return graph


def edge_sites(graph: nx.DiGraph, source: str, target: str) -> tuple[Resolution, ...]:
    """The resolutions joining ``source`` to ``target`` (empty when there is no edge)."""
    if not graph.has_edge(source, target):
        return ()
    sites: tuple[Resolution, ...] = graph.edges[source, target]["sites"]
    return sites


def unresolved(graph: nx.DiGraph) -> tuple[Resolution, ...]:
    """The imports that did not resolve to a module (kept as data, not edges)."""
    result: tuple[Resolution, ...] = graph.graph.get("unresolved", ())
    return result
