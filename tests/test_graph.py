"""graphesm.graph.build_graph on the hand-built fixture of tests/report_fixture.py."""

from __future__ import annotations

import networkx as nx
import report_fixture as fx

from graphesm.graph import build_graph, edge_sites, unresolved
from graphesm.model import ImportKind, ImportSite, ModuleKind, Resolution


def test_nodes_are_module_urls_with_attributes() -> None:
    graph = build_graph(fx.MODULES, fx.IMPORTS)
    assert set(graph.nodes) == {m.url for m in fx.MODULES}
    node = graph.nodes[fx.PKG_ESM]
    assert node["kind"] is ModuleKind.PACKAGE
    assert node["format"] == "module"
    assert node["path"] == "node_modules/pkg/dist/index.mjs"
    assert node["package"] == fx.PKG
    assert graph.nodes[fx.FS]["kind"] is ModuleKind.BUILTIN
    assert graph.nodes[fx.FS]["path"] is None
    # a query makes a distinct module instance, hence a distinct node
    assert fx.A in graph and fx.A_V2 in graph


def test_edges_carry_every_site_joining_a_pair() -> None:
    graph = build_graph(fx.MODULES, fx.IMPORTS)
    sites = edge_sites(graph, fx.MAIN, fx.PKG_ESM)
    assert [r.site.kind for r in sites] == [ImportKind.STATIC, ImportKind.IMPORT_META_RESOLVE]
    assert [r.site.line for r in sites] == [6, 13]
    assert graph.edges[fx.MAIN, fx.PKG_ESM]["kinds"] == frozenset(
        {ImportKind.STATIC, ImportKind.IMPORT_META_RESOLVE}
    )
    assert graph.has_edge(fx.LEGACY, fx.PKG_CJS)
    assert edge_sites(graph, fx.PKG_CJS, fx.LEGACY) == ()
    resolved = [r for r in fx.IMPORTS if r.url is not None]
    assert sum(len(d["sites"]) for _, _, d in graph.edges(data=True)) == len(resolved)


def test_unresolved_imports_are_data_not_edges() -> None:
    graph = build_graph(fx.MODULES, fx.IMPORTS)
    missing = unresolved(graph)
    assert [(r.site.specifier, r.error_code) for r in missing] == [
        ("./missing.js", "ERR_MODULE_NOT_FOUND"),
        (None, None),
        ("nope", "ERR_MODULE_NOT_FOUND"),
    ]
    assert graph.number_of_nodes() == len(fx.MODULES)


def test_cycle_is_visible_to_networkx() -> None:
    graph = build_graph(fx.MODULES, fx.IMPORTS)
    cycles = sorted(sorted(c) for c in nx.simple_cycles(graph))
    assert cycles == [sorted([fx.A, fx.B])]


def test_targets_missing_from_modules_still_become_nodes() -> None:
    site = ImportSite(fx.MAIN, "./x.js", ImportKind.STATIC, 1, 1)
    graph = build_graph([], [Resolution(site, fx.ROOT + "src/x.js", "module", None, None)])
    assert graph.nodes[fx.ROOT + "src/x.js"] == {
        "kind": None,
        "format": "module",
        "path": None,
        "package": None,
        "module": None,
    }
    assert graph.nodes[fx.MAIN]["format"] is None


def test_missing_urls_become_nodes_where_their_first_edge_names_them() -> None:
    # modules is empty: a (importer of b) comes first, then b, which also
    # imports c; b's format comes from the import that reaches it
    a, b, c = (fx.ROOT + f"src/{name}.js" for name in "abc")
    resolutions = [
        Resolution(ImportSite(b, "./c.js", ImportKind.STATIC, 1, 1), c, "json", None, None),
        Resolution(ImportSite(a, "./b.js", ImportKind.STATIC, 1, 1), b, "module", None, None),
    ]
    graph = build_graph([], resolutions)
    assert [(url, data["format"]) for url, data in graph.nodes(data=True)] == [
        (a, None),
        (b, "module"),
        (c, "json"),
    ]


def test_a_module_listed_twice_is_one_node() -> None:
    main = next(m for m in fx.MODULES if m.url == fx.MAIN)
    graph = build_graph([main, *fx.MODULES], fx.IMPORTS)
    assert list(graph.nodes(data=True)) == list(
        build_graph(fx.MODULES, fx.IMPORTS).nodes(data=True)
    )


def test_pure_and_order_independent() -> None:
    one = build_graph(fx.MODULES, fx.IMPORTS)
    two = build_graph(reversed(fx.MODULES), reversed(fx.IMPORTS))
    assert list(one.nodes(data=True)) == list(two.nodes(data=True))
    assert list(one.edges(data=True)) == list(two.edges(data=True))
    assert one is not two
