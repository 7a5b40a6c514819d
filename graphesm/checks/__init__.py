"""Checks: pure functions from the scanned graph to `Finding`s.

Stage contract: `run_checks(...)` calls every check in a fixed order and
returns their findings; each check module analyzes and never prints.
`all_cycles` is the CLI's `--all-cycles` (`find_cycles(all_cycles=...)`). Rule
codes and default severities come from `graphesm.rules`.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence

from graphesm.checks.boundaries import find_boundaries
from graphesm.checks.cycles import find_cycles
from graphesm.checks.dual_package import find_dual_packages
from graphesm.checks.duplicate_instances import find_duplicate_instances
from graphesm.checks.load_errors import find_load_errors
from graphesm.checks.network import find_network_imports
from graphesm.checks.parse_errors import find_parse_errors
from graphesm.checks.unanalyzable import find_unanalyzable
from graphesm.graph import build_graph
from graphesm.model import FileScan, Finding, Module, Resolution

__all__ = ["run_checks"]


def run_checks(
    root_url: str,
    modules: Sequence[Module],
    imports: Sequence[Resolution],
    scans: Iterable[FileScan],
    walk_problems: Iterable[tuple[str, str]] = (),
    *,
    all_cycles: bool = False,
    entries: Sequence[str] = (),
    cjs_exports: Mapping[str, frozenset[str]] | None = None,
) -> list[Finding]:
    scans = tuple(scans)
    paths = {module.url: module.path for module in modules}
    waiting = frozenset(scan.url for scan in scans if scan.has_top_level_await)
    graph = build_graph(modules, imports)
    findings: list[Finding] = []
    findings += find_parse_errors(scans, walk_problems, root_url)
    findings += find_load_errors(imports, paths)
    findings += find_unanalyzable(imports, paths)
    findings += find_cycles(graph, paths, top_level_await=waiting, all_cycles=all_cycles)
    findings += find_duplicate_instances(imports, paths, entries)
    findings += find_dual_packages(imports, modules, paths)
    formats = {module.url: module.format for module in modules}
    formats.update({scan.url: scan.format for scan in scans})
    awaits = {scan.url: scan.has_top_level_await for scan in scans}
    findings += find_boundaries(imports, formats, awaits, cjs_exports or {}, paths)
    findings += find_network_imports(imports, paths)
    return findings
