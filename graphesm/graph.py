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

from collections.abc import Iterable

import networkx as nx

from graphesm.model import ImportKind, Module, Resolution

__all__ = ["build_graph", "edge_sites", "unresolved"]


def _site_key(resolution: Resolution) -> tuple[int, int, str, str]:
    site = resolution.site
    return (site.line, site.column, str(site.kind), site.specifier or "")


def _ensure_node(graph: nx.DiGraph, url: str, format_: str | None) -> None:
    if url not in graph:
        graph.add_node(url, kind=None, format=format_, path=None, package=None, module=None)


def build_graph(modules: Iterable[Module], resolutions: Iterable[Resolution]) -> nx.DiGraph:
    """Build the module graph; see the module docstring for the node/edge contract."""
    graph = nx.DiGraph()
    graph.add_nodes_from(
        (
            module.url,
            {
                "kind": module.kind,
                "format": module.format,
                "path": module.path,
                "package": module.package,
                "module": module,
            },
        )
        for module in sorted(modules, key=lambda m: m.url)
    )

    unresolved_list: list[Resolution] = []
    joined: dict[tuple[str, str], list[Resolution]] = {}
    for resolution in resolutions:
        if resolution.url is None:
            unresolved_list.append(resolution)
            continue
        key = (resolution.site.file_url, resolution.url)
        sites = joined.get(key)
        if sites is None:
            joined[key] = [resolution]
        else:
            sites.append(resolution)

    edges = []
    for (source, target), sites in sorted(joined.items()):
        _ensure_node(graph, source, None)
        _ensure_node(graph, target, sites[0].format)
        ordered = tuple(sites) if len(sites) == 1 else tuple(sorted(sites, key=_site_key))
        kinds: frozenset[ImportKind] = frozenset(r.site.kind for r in ordered)
        edges.append((source, target, {"sites": ordered, "kinds": kinds}))
    graph.add_edges_from(edges)

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
