"""The cycle check (graphesm/checks/cycles.py): unit tests and a cross-check
against networkx on seeded random graphs.

For every random graph the check's answer is compared with a brute-force one
computed from ``networkx.simple_cycles``: the modules reported in eager
components are exactly the modules on some eager cycle; every example path is
a real cycle as short as the shortest elementary cycle of the component (for a
lazy one: the shortest through an ``import()``-only edge); the breakers leave
no cycle behind and are inclusion-minimal; ``all_cycles`` lists exactly the
elementary cycles, honouring its bounds.
"""

from __future__ import annotations

import random
import time
from collections.abc import Iterable

import networkx as nx
import pytest

from graphesm.checks.cycles import (
    EAGER_KINDS,
    feedback_edges,
    find_cycles,
    lazy_breakers,
    strongly_connected,
)
from graphesm.graph import build_graph
from graphesm.model import Finding, ImportKind, ImportSite, Resolution, Severity

K = ImportKind
EdgeSpec = tuple[str, str, ImportKind]


def url(name: str) -> str:
    return name if name.startswith("file:") else f"file:///p/{name}.js"


def graph_of(edges: Iterable[EdgeSpec]) -> nx.DiGraph:
    resolutions = [
        Resolution(ImportSite(url(a), f"./{b}.js", kind, n + 1, 8), url(b), "module", None, None)
        for n, (a, b, kind) in enumerate(edges)
    ]
    return build_graph([], resolutions)


def cycles(edges: Iterable[EdgeSpec], **options: object) -> list[Finding]:
    graph = graph_of(edges)
    paths = {node: node.removeprefix("file:///p/") for node in graph.nodes}
    return find_cycles(graph, paths, **options)  # type: ignore[arg-type]


def short(urls: Iterable[object]) -> list[str]:
    return [str(u).removeprefix("file:///p/").removesuffix(".js") for u in urls]


# -- behaviour ----------------------------------------------------------------


def test_two_module_cycle_has_members_example_and_location() -> None:
    [finding] = cycles([("a", "b", K.STATIC), ("b", "a", K.STATIC)])
    assert finding.rule == "cycle" and finding.severity is Severity.WARNING
    assert short(finding.data["modules"]) == ["a", "b"]  # type: ignore[arg-type]
    assert short(finding.data["members"]) == ["a", "b"]  # type: ignore[arg-type]
    assert finding.data["lazy"] is False
    assert finding.message == "import cycle of 2 modules: a.js -> b.js -> a.js"
    # located at the import that closes the example path: b.js imports a.js
    assert (finding.location.path, finding.location.line) == ("b.js", 2)
    assert finding.data["breakers"] in ([[url("a"), url("b")]], [[url("b"), url("a")]])


def test_example_is_the_shortest_cycle_of_the_component_in_import_order() -> None:
    # a -> b -> c -> d -> a, plus the shortcut c -> b: shortest cycle b -> c -> b
    edges = [("a", "b", K.STATIC), ("b", "c", K.STATIC), ("c", "d", K.STATIC)]
    edges += [("d", "a", K.EXPORT_FROM), ("c", "b", K.SIDE_EFFECT)]
    [finding] = cycles(edges)
    assert short(finding.data["modules"]) == ["b", "c"]  # type: ignore[arg-type]
    assert short(finding.data["members"]) == ["a", "b", "c", "d"]  # type: ignore[arg-type]


def test_self_import_is_its_own_finding() -> None:
    findings = cycles([("a", "a", K.STATIC), ("a", "b", K.STATIC), ("b", "a", K.REQUIRE)])
    assert [f.message for f in findings] == [
        "import cycle of 2 modules: a.js -> b.js -> a.js",
        "self-import: a.js -> a.js",
    ]
    assert findings[1].data["breakers"] == [[url("a"), url("a")]]


def test_lazy_cycle_is_info_closed_by_the_import_call() -> None:
    [finding] = cycles([("a", "b", K.STATIC), ("b", "c", K.STATIC), ("c", "a", K.DYNAMIC)])
    assert finding.severity is Severity.INFO and finding.data["lazy"] is True
    assert short(finding.data["modules"]) == ["a", "b", "c"]  # type: ignore[arg-type]
    assert (finding.location.path, finding.location.line) == ("c.js", 3)  # the import()
    assert finding.data["breakers"] == [[url("c"), url("a")]]


def test_lazy_cycle_breakers_are_import_calls_and_leave_eager_cycles_alone() -> None:
    # eager cycle a <-> b, and c joins it only through import()
    edges = [("a", "b", K.STATIC), ("b", "a", K.STATIC), ("b", "c", K.STATIC)]
    edges += [("c", "a", K.DYNAMIC), ("c", "b", K.DYNAMIC)]
    eager, lazy = cycles(edges)
    assert short(eager.data["members"]) == ["a", "b"]  # type: ignore[arg-type]
    assert short(lazy.data["members"]) == ["a", "b", "c"]  # type: ignore[arg-type]
    assert lazy.data["breakers"] == [[url("c"), url("a")], [url("c"), url("b")]]
    assert short(lazy.data["modules"]) == ["b", "c"]  # type: ignore[arg-type]


def test_lazy_cycle_inside_an_eager_one_is_not_repeated() -> None:
    findings = cycles([("a", "b", K.STATIC), ("b", "a", K.STATIC), ("b", "a", K.DYNAMIC)])
    assert [f.data["lazy"] for f in findings] == [False]


def test_import_meta_resolve_makes_no_cycle() -> None:
    assert cycles([("a", "b", K.STATIC), ("b", "a", K.IMPORT_META_RESOLVE)]) == []


def test_top_level_await_in_a_cycle_is_flagged() -> None:
    edges = [("a", "b", K.STATIC), ("b", "a", K.STATIC)]
    [finding] = cycles(edges, top_level_await={url("b"), url("elsewhere")})
    assert finding.data["top_level_await"] == [url("b")]
    assert "b.js uses top-level await: Node can fail to settle this cycle" in finding.message
    assert "exits with code 13" in finding.message
    [plain] = cycles(edges)
    assert plain.data["top_level_await"] == []
    assert "await" not in plain.message


def test_top_level_await_raises_a_lazy_cycle_to_warning() -> None:
    # b does `await import('./a.js')` while a is still waiting for b: Node exits 13
    edges = [("a", "b", K.STATIC), ("b", "a", K.DYNAMIC)]
    [finding] = cycles(edges, top_level_await={url("b")})
    assert finding.data["lazy"] is True and finding.severity is Severity.WARNING
    [self_await] = cycles([("a", "a", K.DYNAMIC)], top_level_await={url("a")})
    assert self_await.severity is Severity.WARNING
    assert self_await.message.startswith("self-import through import(): a.js -> a.js")


def test_all_cycles_lists_elementary_cycles_with_bounds() -> None:
    # complete graph on 4 modules: 20 elementary cycles (6 of 2, 8 of 3, 6 of 4)
    names = "abcd"
    edges = [(x, y, K.STATIC) for x in names for y in names if x != y]
    [finding] = cycles(edges, all_cycles=True)
    listed = finding.data["cycles"]
    assert isinstance(listed, list) and len(listed) == 20
    assert finding.data["cycles_truncated"] is False
    assert [len(c) for c in listed] == sorted(len(c) for c in listed)
    assert all(c[0] == min(c) for c in listed)
    [bounded] = cycles(edges, all_cycles=True, max_cycle_length=2)
    assert len(bounded.data["cycles"]) == 6  # type: ignore[arg-type]
    [few] = cycles(edges, all_cycles=True, max_cycles=5)
    assert len(few.data["cycles"]) == 5 and few.data["cycles_truncated"] is True  # type: ignore[arg-type]
    [off] = cycles(edges)
    assert "cycles" not in off.data


def test_bad_bounds_are_rejected() -> None:
    with pytest.raises(ValueError):
        cycles([], all_cycles=True, max_cycle_length=0)


def test_output_does_not_depend_on_edge_order() -> None:
    rng = random.Random(7)
    edges = _random_edges(rng, 12, 30)

    def answer(edges: list[EdgeSpec]) -> list[tuple[object, ...]]:
        # lines follow the input order here, so compare everything but them
        found = cycles(edges, all_cycles=True)
        return [(f.severity, f.message, f.location.url, f.related, f.data) for f in found]

    first = answer(edges)
    for _ in range(5):
        rng.shuffle(edges)
        assert answer(edges) == first


def test_large_graph_stays_fast() -> None:
    # one ring of 20,000 modules with 20,000 chords: one component, one finding
    n = 20_000
    rng = random.Random(1)
    edges = [(f"m{i}", f"m{(i + 1) % n}", K.STATIC) for i in range(n)]
    edges += [(f"m{rng.randrange(n)}", f"m{rng.randrange(n)}", K.STATIC) for _ in range(n)]
    graph = graph_of(edges)
    started = time.perf_counter()
    findings = find_cycles(graph, {})
    elapsed = time.perf_counter() - started
    eager = [f for f in findings if len(f.data["members"]) > 1]  # type: ignore[arg-type]
    assert len(eager) == 1 and len(eager[0].data["members"]) == n  # type: ignore[arg-type]
    _assert_breaks(graph, eager[0], lazy=False)
    assert elapsed < 30, elapsed


def test_strongly_connected_from_roots_finds_only_what_they_reach() -> None:
    adjacency = {"a": ["b"], "b": ["a"], "c": ["d"], "d": ["c", "a"], "e": []}
    assert strongly_connected(adjacency) == [{"a", "b"}, {"c", "d"}]
    assert strongly_connected(adjacency, ["b"]) == [{"a", "b"}]
    assert strongly_connected(adjacency, ["e", "d"]) == [{"a", "b"}, {"c", "d"}]
    assert strongly_connected(adjacency, []) == []


def test_breaker_helpers_take_unsorted_edges_with_repeats() -> None:
    # a <-> b, a -> b -> c -> a, and a self-import of a
    edges = [("b", "a"), ("a", "b"), ("a", "a"), ("a", "b"), ("b", "c"), ("c", "a")]
    assert feedback_edges(["c", "b", "a", "a"], edges) == [("a", "a"), ("a", "b")]
    # eager cycle a <-> b; c joins it only through import() edges c -> a, c -> b
    edges = [("c", "a"), ("a", "b"), ("b", "a"), ("b", "c"), ("c", "b"), ("c", "a")]
    eager = {("a", "b"), ("b", "a"), ("b", "c")}
    assert lazy_breakers(edges, eager, {"a": "a", "b": "a"}) == [("c", "a"), ("c", "b")]


def test_feedback_edges_on_a_dense_graph_breaks_every_cycle() -> None:
    nodes = [str(i) for i in range(60)]
    rng = random.Random(3)
    edges = [(a, b) for a in nodes for b in nodes if a != b and rng.random() < 0.3]
    removed = set(feedback_edges(nodes, edges))
    assert nx.is_directed_acyclic_graph(nx.DiGraph([e for e in edges if e not in removed]))


# -- cross-check against networkx on random graphs ----------------------------


def _random_edges(rng: random.Random, n: int, m: int) -> list[EdgeSpec]:
    kinds = [K.STATIC, K.STATIC, K.EXPORT_FROM, K.REQUIRE, K.DYNAMIC, K.DYNAMIC]
    return [(f"n{rng.randrange(n)}", f"n{rng.randrange(n)}", rng.choice(kinds)) for _ in range(m)]


def _sub(graph: nx.DiGraph, eager_only: bool) -> nx.DiGraph:
    kinds = EAGER_KINDS if eager_only else EAGER_KINDS | {ImportKind.DYNAMIC}
    sub = nx.DiGraph()
    sub.add_edges_from((a, b) for a, b, k in graph.edges(data="kinds") if k & kinds)
    return sub


def _is_cycle(graph: nx.DiGraph, path: list[str]) -> bool:
    return len(set(path)) == len(path) and all(
        graph.has_edge(a, path[(i + 1) % len(path)]) for i, a in enumerate(path)
    )


def _assert_breaks(graph: nx.DiGraph, finding: Finding, lazy: bool) -> None:
    """Removing the breakers leaves no cycle of the kind the finding reports."""
    members = set(finding.data["members"])  # type: ignore[call-overload]
    breakers = {(a, b) for a, b in finding.data["breakers"]}  # type: ignore[attr-defined]
    if len(members) == 1:
        assert breakers == {(min(members), min(members))}
        return
    sub = _sub(graph, eager_only=not lazy).subgraph(members).copy()
    sub.remove_edges_from(list(nx.selfloop_edges(sub)))

    def residual_cycles(removed: set[tuple[str, str]]) -> list[list[str]]:
        rest = sub.copy()
        rest.remove_edges_from(removed)
        if not lazy:
            return list(nx.simple_cycles(rest))
        group = _eager_groups(graph)
        return [c for c in nx.simple_cycles(rest) if len({group[x] for x in c}) > 1]

    assert residual_cycles(breakers) == []
    if len(sub) <= 40:
        for edge in breakers:  # inclusion-minimal: every breaker is needed
            assert residual_cycles(breakers - {edge}), edge


@pytest.mark.parametrize("seed", range(300))
def test_random_graph_matches_networkx(seed: int) -> None:
    rng = random.Random(seed)
    n = rng.randrange(2, 10)
    edges = _random_edges(rng, n, rng.randrange(1, 3 * n))
    graph = graph_of(edges)
    findings = cycles(edges, all_cycles=True)
    eager_graph, full_graph = _sub(graph, True), _sub(graph, False)
    eager_cycles = list(nx.simple_cycles(eager_graph))

    # membership: the eager findings cover exactly the modules on an eager cycle
    on_cycle = {node for c in eager_cycles for node in c}
    reported = {m for f in findings if not f.data["lazy"] for m in f.data["members"]}  # type: ignore[attr-defined]
    assert reported == on_cycle
    # lazy findings cover the modules on a cycle that needs an import() edge
    group = _eager_groups(graph)
    lazy_cycles = [c for c in nx.simple_cycles(full_graph) if len({group[x] for x in c}) > 1]
    lazy_reported = {m for f in findings if f.data["lazy"] for m in f.data["members"]}  # type: ignore[attr-defined]
    lazy_loops = {a for a, _ in nx.selfloop_edges(full_graph) if not eager_graph.has_edge(a, a)}
    assert {node for c in lazy_cycles for node in c} | lazy_loops <= lazy_reported
    # ... and are the components of the whole graph that no eager component holds
    spanning = [
        c for c in nx.strongly_connected_components(full_graph) if len({group[x] for x in c}) > 1
    ]
    assert {node for c in spanning for node in c} | lazy_loops == lazy_reported

    for finding in findings:
        lazy = bool(finding.data["lazy"])
        members = set(finding.data["members"])  # type: ignore[call-overload]
        example: list[str] = finding.data["modules"]  # type: ignore[assignment]
        sub = full_graph if lazy else eager_graph
        assert _is_cycle(sub, example)
        assert set(example) <= members
        inside = [c for c in finding.data["cycles"] if set(c) <= members]  # type: ignore[attr-defined]
        expected = [c for c in nx.simple_cycles(sub.subgraph(members))]
        if len(members) > 1:
            expected = [c for c in expected if len(c) > 1]
        else:
            expected = [[next(iter(members))]]
        assert sorted(map(tuple, inside)) == sorted(
            tuple(c[c.index(min(c)) :] + c[: c.index(min(c))]) for c in expected
        )
        if lazy and len(members) > 1:
            through_lazy = [c for c in expected if len({group[x] for x in c}) > 1]
            assert len(example) == min(len(c) for c in through_lazy)
            assert not (graph.edges[example[-1], example[0]]["kinds"] & EAGER_KINDS)
        else:
            assert len(example) == min(len(c) for c in expected)
        _assert_breaks(graph, finding, lazy)


def _eager_groups(graph: nx.DiGraph) -> dict[str, int]:
    """Module -> index of its strongly connected component in the eager graph."""
    eager = _sub(graph, eager_only=True)
    eager.add_nodes_from(graph.nodes)
    return {
        node: index
        for index, component in enumerate(nx.strongly_connected_components(eager))
        for node in component
    }
