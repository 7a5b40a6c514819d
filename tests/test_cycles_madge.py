"""Cycle results cross-checked against madge (`madge --circular --json`) on real
code bases installed from npm.

tests/npm-madge/package.json (pinned by its lock file) is installed once per
checkout with `npm ci` into tests/.npm-madge/: madge itself and the code bases
it is compared on. madge skips every file under a `node_modules` folder, so
each code base is copied to a temporary folder first, and both tools scan the
same copy.

madge lists elementary cycles; graphesm lists strongly connected components.
The comparison is on the set of modules that are on some cycle: madge's cycles
must each lie inside one graphesm component, and the two sets of modules must
be equal, except where Node's semantics differ from madge's resolver, which
each case states:

- svelte 5.57.3 `src/` (ESM, `.js` specifiers, a package `imports` map):
  madge reports 37 cycles over 30 modules; graphesm 6 components with the same
  30 modules.
- undici 7.2.0 (CommonJS, `require()`): one cycle of 2 modules in both tools.
- preact 10.25.4 `src/` (ESM written for bundlers, extensionless specifiers
  such as `./index`): madge resolves them like a bundler and reports 3 cycles
  over 3 modules; Node throws `ERR_MODULE_NOT_FOUND` for each of those imports,
  so graphesm reports no cycle and a `load-error` on every import madge
  followed along its cycles.
"""

from __future__ import annotations

import json
import posixpath
import shutil
import subprocess
from pathlib import Path

import pytest
from conftest import npm_ci

from graphesm.model import ScanResult
from graphesm.pipeline import scan

TESTS = Path(__file__).parent
MADGE_SPEC = TESTS / "npm-madge"
MADGE_DIR = TESTS / ".npm-madge"

pytestmark = pytest.mark.node


@pytest.fixture(scope="session")
def madge_modules() -> Path:
    """tests/.npm-madge/node_modules, installed with `npm ci` from the pinned lock."""
    return npm_ci(MADGE_SPEC, MADGE_DIR)


def _copy(madge_modules: Path, package: str, parts: tuple[str, ...], dest: Path) -> Path:
    """Copy a package's files outside node_modules (madge ignores node_modules)."""
    source = madge_modules / package
    target = dest / package
    target.mkdir(parents=True)
    for part in parts:
        if (source / part).is_dir():
            shutil.copytree(source / part, target / part)
        else:
            shutil.copyfile(source / part, target / part)
    return target


def _madge(madge_modules: Path, node_bin: str, folder: Path) -> list[list[str]]:
    cli = madge_modules / "madge" / "bin" / "cli.js"
    done = subprocess.run(
        [node_bin, str(cli), "--circular", "--json", "--extensions", "js,mjs,cjs", "."],
        cwd=folder,
        capture_output=True,
        text=True,
        timeout=300,
    )
    cycles: list[list[str]] = json.loads(done.stdout)
    return cycles


def _components(result: ScanResult, folder: Path) -> list[set[str]]:
    """graphesm's eager cycle components, as paths relative to ``folder``."""
    prefix = folder.as_uri() + "/"
    return [
        {str(url).removeprefix(prefix) for url in finding.data["members"]}  # type: ignore[attr-defined]
        for finding in result.findings
        if finding.rule == "cycle" and not finding.data["lazy"]
    ]


def _compare(madge_modules: Path, node_bin: str, folder: Path) -> tuple[int, int, int, int]:
    """(madge cycles, madge modules, graphesm components, graphesm modules), asserted equal."""
    madge_cycles = _madge(madge_modules, node_bin, folder)
    components = _components(scan([str(folder)]), folder)
    on_madge_cycles = {module for cycle in madge_cycles for module in cycle}
    in_components = {module for component in components for module in component}
    for cycle in madge_cycles:
        assert any(set(cycle) <= component for component in components), cycle
    assert on_madge_cycles == in_components
    return len(madge_cycles), len(on_madge_cycles), len(components), len(in_components)


def test_svelte_esm_source_agrees_with_madge(
    madge_modules: Path, node_bin: str, tmp_path: Path
) -> None:
    package = _copy(madge_modules, "svelte", ("package.json", "src"), tmp_path)
    assert _compare(madge_modules, node_bin, package / "src") == (37, 30, 6, 30)


def test_undici_commonjs_agrees_with_madge(
    madge_modules: Path, node_bin: str, tmp_path: Path
) -> None:
    package = _copy(madge_modules, "undici", ("package.json", "index.js", "lib"), tmp_path)
    assert _compare(madge_modules, node_bin, package) == (1, 2, 1, 2)


def test_preact_extensionless_imports_are_cycles_for_madge_but_not_for_node(
    madge_modules: Path, node_bin: str, tmp_path: Path
) -> None:
    package = _copy(madge_modules, "preact", ("package.json", "src"), tmp_path)
    folder = package / "src"
    madge_cycles = _madge(madge_modules, node_bin, folder)
    assert len(madge_cycles) == 3
    assert {m for c in madge_cycles for m in c} == {
        "component.js",
        "diff/index.js",
        "diff/children.js",
    }
    result = scan([str(folder)])
    assert _components(result, folder) == []
    # every import madge followed along its cycles is one Node cannot resolve
    failing = {
        (finding.location.path, str(finding.data["specifier"]))
        for finding in result.findings
        if finding.rule == "load-error" and finding.data["code"] == "ERR_MODULE_NOT_FOUND"
    }
    for cycle in madge_cycles:
        for index, importer in enumerate(cycle):
            imported = cycle[(index + 1) % len(cycle)]
            wanted = imported.removesuffix(".js")
            assert any(
                path == importer
                and posixpath.normpath(posixpath.join(posixpath.dirname(path), spec)) == wanted
                for path, spec in failing
            ), (importer, imported)
