"""duplicate-instance and dual-package against real Node.

Each entry of tests/fixtures/instances runs under `node --import ./_count.mjs`;
the fixture modules count their own evaluations. For every entry graphesm's
findings must say the same: a `warning` duplicate-instance finding with
`evaluations == n` for each file Node evaluated n > 1 times, only `info`
findings (one evaluation, several facades) for CommonJS files, and a
dual-package finding naming exactly the package files Node evaluated.
"""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest

from graphesm.checks.duplicate_instances import find_duplicate_instances
from graphesm.model import Finding, ImportKind, ImportSite, Resolution, Severity
from graphesm.pipeline import scan
from graphesm.resolve.urls import path_to_file_url

FIXTURE = Path(__file__).parent / "fixtures" / "instances"
ENTRIES = sorted(p.name for p in FIXTURE.glob("*.mjs") if not p.name.startswith("_"))


def _node_counts(node_bin: str, entry: str) -> dict[str, int]:
    run = subprocess.run(
        [node_bin, "--no-warnings", "--import", "./_count.mjs", entry],
        cwd=FIXTURE,
        capture_output=True,
        text=True,
        check=True,
    )
    counts: dict[str, int] = json.loads(run.stdout.strip().splitlines()[-1])
    return {path_to_file_url(path): n for path, n in counts.items()}


def _findings(entry: str, rule: str) -> list[Finding]:
    result = scan([str(FIXTURE)], entries=[str(FIXTURE / entry)])
    return [f for f in result.findings if f.rule == rule]


@pytest.mark.node
@pytest.mark.parametrize("entry", ENTRIES)
def test_duplicate_instances_match_node(node_bin: str, entry: str) -> None:
    counts = _node_counts(node_bin, entry)
    findings = {str(f.data["file"]): f for f in _findings(entry, "duplicate-instance")}
    for url, evaluations in counts.items():
        finding = findings.get(url)
        if evaluations > 1:
            assert finding is not None, f"{entry}: Node evaluated {url} {evaluations} times"
            assert finding.severity is Severity.WARNING
            assert finding.data["evaluations"] == evaluations
        elif finding is not None:
            # Several URLs, one evaluation: only CommonJS, only informational.
            assert finding.severity is Severity.INFO, finding.message
            assert finding.data["format"] == "commonjs"
            assert finding.data["evaluations"] == 1
    for url in findings:
        assert url in counts, f"{entry}: finding for a file Node never evaluated: {url}"


@pytest.mark.node
def test_bare_question_mark_and_hash_make_no_instance(node_bin: str) -> None:
    assert max(_node_counts(node_bin, "esm-bare.mjs").values()) == 1
    assert _findings("esm-bare.mjs", "duplicate-instance") == []


@pytest.mark.node
def test_commonjs_query_is_one_execution(node_bin: str) -> None:
    counts = _node_counts(node_bin, "cjs-query.mjs")
    assert list(counts.values()) == [1]
    (finding,) = _findings("cjs-query.mjs", "duplicate-instance")
    assert finding.severity is Severity.INFO
    assert finding.data["instances"] == 3


@pytest.mark.node
@pytest.mark.parametrize("entry", ENTRIES)
def test_dual_package_matches_node(node_bin: str, entry: str) -> None:
    counts = _node_counts(node_bin, entry)
    package_files = {url for url in counts if "/node_modules/dual/" in url}
    findings = _findings(entry, "dual-package")
    if len(package_files) > 1:
        (finding,) = findings
        files = finding.data["files"]
        assert isinstance(files, dict)
        assert set(files) == package_files
        assert sorted(kind for kinds in files.values() for kind in kinds) == [
            "import",
            "require",
        ]
    else:
        assert findings == []


def test_dual_package_in_sample_project() -> None:
    root = Path(__file__).parent.parent / "sample_projects" / "cjs-interop"
    result = scan([str(root)])
    (finding,) = [f for f in result.findings if f.rule == "dual-package"]
    assert finding.data["package"] == "dual-pkg"
    assert "dist/index.mjs (import" in finding.message
    assert "dist/index.cjs (require" in finding.message


def test_an_entry_url_with_a_query_is_a_second_instance() -> None:
    a, main = "file:///p/a.js", "file:///p/main.js"
    site = ImportSite(main, "./a.js", ImportKind.STATIC, 1, 1)
    imports = [Resolution(site, a, "module", None, None)]
    (finding,) = find_duplicate_instances(imports, {a: "a.js"}, entries=[a + "?v=1"])
    assert finding.data["urls"] == [a, a + "?v=1"]
    assert find_duplicate_instances(imports, {a: "a.js"}, entries=[main]) == []
