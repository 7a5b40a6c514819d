"""Differential tests: graphesm.resolve against Node's own ES-module resolver.

Node runs once per session (tests/differential/resolve_cases.mjs, a
module.register() resolve hook that calls Node's default resolver for every
case) plus once more under --preserve-symlinks; every case is then compared
with graphesm: same url and format, or the same error code.

- test_fixture_case: one test per hand-written case over tests/fixtures/resolve
  and a runtime tree (symlinks, empty and unreadable folders) built in tmp.
- test_npm_package: one test per real npm package (tests/npm), every exports
  key under every condition set; prints each mismatch.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from differential.fixture_cases import (
    ALL,
    FIXTURES,
    PRESERVE_SYMLINK_IDS,
    build_runtime_tree,
    raw_cases,
    restore_modes,
)
from differential.harness import CONDITION_SETS, graphesm_answer, run_node, same, short
from differential.npm_cases import PACKAGES, package_specifiers

pytestmark = pytest.mark.node


def _expand(raw: list[tuple[str, str, str, Any]]) -> list[tuple[str, str, str, list[str] | None]]:
    out = []
    for cid, spec, parent, conds in raw:
        if conds == ALL:
            for name, cset in CONDITION_SETS.items():
                out.append((f"{cid}@{name}", spec, parent, cset))
        else:
            out.append((cid, spec, parent, conds))
    return out


FIXTURE_CASES = _expand(raw_cases())
FIXTURE_IDS = [c[0] for c in FIXTURE_CASES]
assert len(set(FIXTURE_IDS)) == len(FIXTURE_IDS), "duplicate fixture case ids"


def _url(path: Path) -> str:
    return path.as_uri()


def _materialise(spec: str, parent: str, troot: Path) -> tuple[str, str]:
    subs = {
        "{FURL}": _url(FIXTURES),
        "{TURL}": _url(troot),
        "{F}": str(FIXTURES),
        "{T}": str(troot),
    }
    for key, value in subs.items():
        spec = spec.replace(key, value)
        if not parent.startswith(("F:", "T:")):
            parent = parent.replace(key, value)
    if parent.startswith("F:"):
        rest, sep, tail = parent[2:].partition("?")
        parent = _url(FIXTURES / rest) + (("/" if rest.endswith("/") else "") + sep + tail)
    elif parent.startswith("T:"):
        parent = _url(troot / parent[2:])
    return spec, parent


class Oracle:
    def __init__(self) -> None:
        self.fixture: dict[str, dict[str, Any]] = {}
        self.preserve: dict[str, dict[str, Any]] = {}
        self.npm: dict[str, list[dict[str, Any]]] = {}
        self.default_conditions: list[str] = []


@pytest.fixture(scope="session")
def oracle(node_bin: str, npm_modules: Path, tmp_path_factory: pytest.TempPathFactory) -> Any:
    troot = tmp_path_factory.mktemp("resolve-runtime")
    build_runtime_tree(troot)
    try:
        cases: list[dict[str, Any]] = []
        for cid, spec, parent, conds in FIXTURE_CASES:
            s, p = _materialise(spec, parent, troot)
            cases.append(
                {"id": cid, "kind": "fixture", "specifier": s, "parent": p, "conditions": conds}
            )
        npm_parent = _url(npm_modules.parent / "app.mjs")
        for pkg in PACKAGES:
            for spec in package_specifiers(npm_modules, pkg):
                for cname, cset in CONDITION_SETS.items():
                    cases.append(
                        {
                            "id": f"{spec}@{cname}",
                            "kind": "npm",
                            "pkg": pkg,
                            "specifier": spec,
                            "parent": npm_parent,
                            "conditions": cset,
                        }
                    )
        answer = run_node(node_bin, cases)
        o = Oracle()
        o.default_conditions = answer["defaultConditions"]
        for c, result in zip(cases, answer["results"], strict=True):
            c["node"] = result
            if c["kind"] == "fixture":
                o.fixture[c["id"]] = c
            else:
                o.npm.setdefault(c["pkg"], []).append(c)
        pres = [dict(o.fixture[cid]) for cid in PRESERVE_SYMLINK_IDS]
        answer = run_node(node_bin, pres, node_args=["--preserve-symlinks"])
        for c, result in zip(pres, answer["results"], strict=True):
            c["node"] = result
            o.preserve[c["id"]] = c
        yield o
    finally:
        restore_modes(troot)


def _report(c: dict[str, Any], ours: dict[str, Any]) -> str:
    return (
        f"{c['id']}\n  specifier:  {c['specifier'][:200]!r}\n  parent:     {c['parent'][:200]}\n"
        f"  conditions: {c['conditions']}\n  node:       {short(c['node'])}\n"
        f"  graphesm:   {short(ours)}"
    )


def test_harness_sees_node_default_conditions(oracle: Oracle) -> None:
    # Node 20.20: the default conditions of an ESM import (verified with a hook).
    assert oracle.default_conditions == ["node", "import", "module-sync", "node-addons"]


def test_case_count(oracle: Oracle) -> None:
    total = len(oracle.fixture) + sum(len(v) for v in oracle.npm.values()) + len(oracle.preserve)
    assert total >= 500


@pytest.mark.parametrize("cid", FIXTURE_IDS)
def test_fixture_case(cid: str, oracle: Oracle) -> None:
    c = oracle.fixture[cid]
    ours = graphesm_answer(c["specifier"], c["parent"], c["conditions"])
    assert same(c["node"], ours), _report(c, ours)


@pytest.mark.parametrize("cid", PRESERVE_SYMLINK_IDS)
def test_preserve_symlinks_case(cid: str, oracle: Oracle) -> None:
    from graphesm.resolve import Resolver

    c = oracle.preserve[cid]
    ours = graphesm_answer(
        c["specifier"], c["parent"], c["conditions"], resolver=Resolver(preserve_symlinks=True)
    )
    assert same(c["node"], ours), _report(c, ours)


@pytest.mark.parametrize(
    "cid", ["rel-file", "bare-dep-a", "imports-dep", "rel-missing", "legacy-main-dir"]
)
def test_parent_as_file_path(cid: str, oracle: Oracle) -> None:
    """The contract accepts a file path as parent as well as a URL."""
    c = oracle.fixture[cid]
    parent_path = c["parent"].removeprefix("file://")
    ours = graphesm_answer(c["specifier"], parent_path, c["conditions"])
    assert same(c["node"], ours), _report(c, ours)


@pytest.mark.parametrize("pkg", PACKAGES)
def test_npm_package(pkg: str, oracle: Oracle) -> None:
    from graphesm.resolve import Resolver

    resolver = Resolver()
    mismatches = []
    for c in oracle.npm[pkg]:
        ours = graphesm_answer(c["specifier"], c["parent"], c["conditions"], resolver=resolver)
        if not same(c["node"], ours):
            mismatches.append(_report(c, ours))
    if mismatches:
        print("\n\n".join(mismatches))
    assert not mismatches, (
        f"{len(mismatches)} of {len(oracle.npm[pkg])} cases differ:\n"
        + "\n\n".join(mismatches[:20])
    )
