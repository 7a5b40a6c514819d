"""Resolver throughput on a real node_modules tree: specifiers resolved per second.

Usage: python bench/resolve_throughput.py [NODE_MODULES_DIR]
(default: tests/.npm-fixtures/node_modules, installed by the test suite's
`npm ci` of tests/npm/package.json).

Workload: every import/require in every .js/.mjs/.cjs file of the tree,
extracted once with graphesm's scanner (not timed), then resolved from its
own file — plus, for each installed package, its name and every literal
subpath key of its "exports" map resolved from the tree root, under the
import and require conditions. Cold: a fresh Resolver (empty caches, OS page
cache warm). Warm: the same Resolver again. Prints a Markdown table.
"""

from __future__ import annotations

import json
import os
import platform
import sys
import time
from pathlib import Path

from graphesm.model import ImportKind
from graphesm.resolve import Resolver
from graphesm.resolve.errors import ResolveError
from graphesm.resolve.urls import path_to_file_url
from graphesm.scan import package_format
from graphesm.scan.extract import extract

REPO = Path(__file__).resolve().parent.parent


def workload(tree: Path) -> list[tuple[str, str, bool]]:
    probe = Resolver()
    cases: list[tuple[str, str, bool]] = []
    for folder, dirs, files in os.walk(tree):
        dirs.sort()
        for name in sorted(files):
            if not name.endswith((".js", ".mjs", ".cjs")):
                continue
            path = os.path.join(folder, name)
            url = path_to_file_url(path)
            fmt = package_format(url, package_type=probe.package_type)
            try:
                found = extract(Path(path).read_bytes(), url, commonjs=fmt != "module")
            except ValueError:
                continue
            for site in found.sites:
                if site.specifier is not None:
                    cases.append((site.specifier, url, site.kind is ImportKind.REQUIRE))
    parent = path_to_file_url(str(tree.parent / "index.mjs"))
    for pjson in sorted(tree.glob("*/package.json")) + sorted(tree.glob("@*/*/package.json")):
        try:
            meta = json.loads(pjson.read_text())
        except ValueError:
            continue
        name = meta.get("name")
        if not isinstance(name, str):
            continue
        keys = ["."]
        exports = meta.get("exports")
        if isinstance(exports, dict):
            keys += [k for k in exports if k.startswith("./") and "*" not in k]
        for key in keys:
            spec = name + key[1:]
            cases += [(spec, parent, False), (spec, parent, True)]
    return cases


def run(cases: list[tuple[str, str, bool]], resolver: Resolver) -> tuple[float, int]:
    failures = 0
    start = time.perf_counter()
    for specifier, parent, is_require in cases:
        try:
            if is_require:
                resolver.resolve_require(specifier, parent)
            else:
                resolver.resolve(specifier, parent)
        except ResolveError:
            failures += 1
    return time.perf_counter() - start, failures


def main() -> int:
    tree = Path(sys.argv[1]) if len(sys.argv) > 1 else REPO / "tests/.npm-fixtures/node_modules"
    if not tree.is_dir():
        print(f"{tree}: not a folder (run the tests once, or pass a node_modules folder)")
        return 2
    cases = workload(tree)
    resolver = Resolver(hints=False)
    cold, failures = run(cases, resolver)
    warm, _ = run(cases, resolver)
    n = len(cases)
    print(
        f"Resolver throughput, {time.strftime('%Y-%m-%d')}, "
        f"{platform.processor() or platform.machine()}, "
        f"Python {platform.python_version()}, {os.cpu_count()} cores"
    )
    print(f"Tree: {tree} ({n} specifiers, {failures} resolve to a Node error)\n")
    print("| cache | seconds | specifiers/s |")
    print("|---|---:|---:|")
    print(f"| cold | {cold:.3f} | {n / cold:,.0f} |")
    print(f"| warm | {warm:.3f} | {n / warm:,.0f} |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
