"""The DOT reporter, rendered by the real Graphviz ``dot`` binary.

Golden file: tests/golden/reports/sample.dot. Regenerate with
``GRAPHESM_UPDATE_GOLDENS=1 python -m pytest tests/test_report_dot.py`` and
review the diff. The rendering tests install Graphviz with apt-get when ``dot``
is missing and skip only if that is impossible.
"""

from __future__ import annotations

import dataclasses
import os
import shutil
import subprocess
from functools import cache

import pytest
import report_fixture as fx
from golden_util import check_golden

from graphesm.model import (
    Finding,
    ImportKind,
    ImportSite,
    Location,
    Module,
    ModuleKind,
    Resolution,
    ScanResult,
    Severity,
)
from graphesm.report import dot


@cache
def _dot_binary() -> str | None:
    found = shutil.which("dot")
    if found is None and shutil.which("apt-get") and os.geteuid() == 0:
        subprocess.run(
            ["apt-get", "install", "-y", "--no-install-recommends", "graphviz"],
            capture_output=True,
            check=False,
            timeout=900,
        )
        found = shutil.which("dot")
    return found


@pytest.fixture
def dot_bin() -> str:
    found = _dot_binary()
    if found is None:
        pytest.skip("Graphviz `dot` is not installed and could not be installed")
    return found


def _svg(dot_bin: str, source: str) -> str:
    proc = subprocess.run(
        [dot_bin, "-Tsvg"], input=source.encode(), capture_output=True, check=False, timeout=60
    )
    assert proc.returncode == 0, proc.stderr.decode()
    assert b"Warning" not in proc.stderr and b"Error" not in proc.stderr, proc.stderr.decode()
    return proc.stdout.decode()


def _edge_lines(source: str) -> list[str]:
    return [line.strip() for line in source.splitlines() if " -> " in line]


def _ids(source: str) -> dict[str, str]:
    """module URL -> node id, read back from the tooltips."""
    out = {}
    for line in source.splitlines():
        line = line.strip()
        if line.startswith("m") and " [label=" in line and 'tooltip="' in line:
            out[line.split('tooltip="')[1].rstrip('"]')] = line.split()[0]
    return out


def test_golden() -> None:
    check_golden("reports/sample.dot", dot.render(fx.sample_result()))


def test_deterministic() -> None:
    shuffled = fx.shuffled_result()
    assert dot.render(shuffled) == dot.render(fx.sample_result())


def test_clusters_labels_and_styles() -> None:
    source = dot.render(fx.sample_result())
    for folder in ("label=src ", 'label="src/lib"', 'label="src/config"', 'label="src/ui"'):
        assert folder in source
    assert 'label="pkg@1.2.0"' in source
    assert 'label="dist/index.mjs"' in source  # package subpath
    assert 'label="src/lib/a.js?v=2"' in source  # query kept: a distinct instance
    assert "shape=component" in source  # builtin
    assert "shape=note" in source  # data:
    ids = _ids(source)
    edges = _edge_lines(source)

    def edge(a: str, b: str) -> list[str]:
        return [e for e in edges if e.startswith(f"{ids[a]} -> {ids[b]} ")]

    assert "style=dashed" in edge(fx.MAIN, fx.C)[0]
    assert "arrowhead=dot color=forestgreen" in edge(fx.LEGACY, fx.UTIL)[0]
    assert "arrowhead=diamond color=royalblue3" in edge(fx.A, fx.C)[0]
    assert len(edge(fx.MAIN, fx.PKG_ESM)) == 2  # static + import.meta.resolve
    assert any("style=dotted" in e for e in edge(fx.MAIN, fx.PKG_ESM))
    # the cycle a -> b -> a is bold orange, other edges are not
    assert "color=darkorange penwidth=2.5 style=bold" in edge(fx.A, fx.B)[0]
    assert "color=darkorange penwidth=2.5 style=bold" in edge(fx.B, fx.A)[0]
    assert "darkorange" not in edge(fx.MAIN, fx.A)[0]
    # duplicate instances: double border
    assert "peripheries=2" in next(
        line for line in source.splitlines() if line.strip().startswith(ids[fx.A_V2] + " ")
    )


def test_unresolved_imports_point_to_error_nodes() -> None:
    source = dot.render(fx.sample_result())
    assert 'label="ERR_MODULE_NOT_FOUND\\n./missing.js"' in source
    assert 'label="ERR_MODULE_NOT_FOUND\\nnope"' in source
    red = [e for e in _edge_lines(source) if " -> e" in e]
    assert len(red) == 2 and all("color=red" in e for e in red)
    # require side keeps its arrowhead, coloured red
    legacy = _ids(source)[fx.LEGACY]
    assert any(e.startswith(legacy + " -> e") and "arrowhead=dot" in e for e in red)


def test_dynamic_expr_is_not_drawn() -> None:
    only = dataclasses.replace(
        fx.sample_result(),
        imports=tuple(r for r in fx.IMPORTS if r.site.kind is ImportKind.DYNAMIC_EXPR),
    )
    assert _edge_lines(dot.render(only)) == []


def test_renders_with_dot(dot_bin: str) -> None:
    svg = _svg(dot_bin, dot.render(fx.sample_result()))
    assert "<svg" in svg
    assert "naïve &quot;w&quot;.js" in svg
    assert "ERR_MODULE_NOT_FOUND" in svg
    assert "dist/index.mjs" in svg


NASTY = [
    'q"uote.js',
    "back\\slash.js",
    "trailing\\",
    "<b>html</b>.js",
    "new\nline.js",
    "graph",
    "ünï código 名前.js",
    "{brace}|pipe;semi.js",
    "\\N\\G\\l\\n.js",
]


@pytest.mark.parametrize("name", NASTY)
def test_escaping_survives_dot(dot_bin: str, name: str) -> None:
    url = fx.ROOT + "weird/" + name.replace("\n", "%0A")
    mod = Module(url, "weird/" + name, ModuleKind.LOCAL, "module")
    other = Module(fx.ROOT + "x/" + name, None, ModuleKind.PACKAGE, "module", None)
    site = ImportSite(url, name, ImportKind.STATIC, 1, 1)
    result = ScanResult(
        schema="graphesm/1",
        root=fx.ROOT,
        options=fx.sample_result().options,
        modules=(mod, other),
        imports=(
            Resolution(site, other.url, "module", None, None),
            Resolution(site, None, None, "ERR_INVALID_MODULE_SPECIFIER", name),
        ),
        findings=(
            Finding("cycle", Severity.WARNING, name, Location(url, None), data={"modules": [url]}),
            Finding("duplicate-instance", Severity.WARNING, name, Location(url, None)),
        ),
    )
    svg = _svg(dot_bin, dot.render(result))
    visible = name.replace("\n", " ").replace("&", "&amp;").replace("<", "&lt;")
    visible = visible.replace(">", "&gt;").replace('"', "&quot;")
    assert visible in svg
