"""esm-cjs-boundary against real Node on tests/fixtures/boundaries.

Each entry runs with `node`; its outcome (exit 0, or the error it dies with:
`SyntaxError` for a missing CommonJS named export, ERR_REQUIRE_ASYNC_MODULE
for require() of an ES module graph with top-level await) must equal what
graphesm's `error` boundary findings for that entry predict; every ESM<->CJS
edge of a loading entry is still listed at `info`.
"""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

import pytest

from graphesm.model import Severity
from graphesm.pipeline import scan

FIXTURE = Path(__file__).parent / "fixtures" / "boundaries"
ENTRIES = sorted(p.name for p in FIXTURE.iterdir() if p.suffix in (".mjs", ".cjs"))


def _node_outcome(node_bin: str, entry: str) -> str:
    run = subprocess.run(
        [node_bin, "--no-warnings", entry], cwd=FIXTURE, capture_output=True, text=True
    )
    if run.returncode == 0:
        return "ok"
    code = re.search(r"code: '(ERR_[A-Z_]+)'", run.stderr)
    if code:
        return code.group(1)
    if "SyntaxError: Named export" in run.stderr:
        return "SyntaxError"
    return f"unexpected: {run.stderr[-300:]}"


def _graphesm_outcome(entry: str) -> tuple[str, int]:
    result = scan([str(FIXTURE)], entries=[str(FIXTURE / entry)])
    boundary = [f for f in result.findings if f.rule == "esm-cjs-boundary"]
    errors = sorted({str(f.data["code"]) for f in boundary if f.severity is Severity.ERROR})
    infos = sum(1 for f in boundary if f.severity is Severity.INFO)
    return (errors[0] if errors else "ok"), infos


@pytest.mark.node
@pytest.mark.parametrize("entry", ENTRIES)
def test_boundary_findings_match_node(node_bin: str, entry: str) -> None:
    outcome, infos = _graphesm_outcome(entry)
    assert outcome == _node_outcome(node_bin, entry)
    if outcome == "ok":
        assert infos >= 1, "a loading entry that crosses ESM/CJS is listed at info"


def test_sample_project_broken_named_import() -> None:
    root = Path(__file__).parent.parent / "sample_projects" / "cjs-interop"
    result = scan([str(root)])
    errors = [
        f for f in result.findings if f.rule == "esm-cjs-boundary" and f.severity is Severity.ERROR
    ]
    assert [(f.location.path, f.data["missing"]) for f in errors] == [
        ("src/broken-named.mjs", ["theme"])
    ]
