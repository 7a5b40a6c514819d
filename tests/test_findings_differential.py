"""Findings against real Node: each fixture project's entry is loaded by `node`
and graphesm's findings for that entry must agree with what happened.

tests/fixtures/findings/<case>/main.js is one project per rule and branch.
tests/differential/load_entry.mjs does `await import(entry)` in try/catch and
prints the outcome (`loaded`, or the thrown `error.code ?? error.name`) and how
many times each instrumented file was evaluated; a top-level await that never
settles makes node exit with code 13 and print nothing: outcome `unsettled`.

graphesm (`scan([case], entries=[main.js])`) must then:
- predict no error where Node loads: no finding of severity `error`;
- never stay silent where Node fails: the code Node throws is the `data.code`
  of one of its `error` findings (a `SyntaxError` may also be a `parse-error`);
- for `unsettled`: flag a cycle with top-level await (`data.top_level_await`);
- predict the evaluation count of every instrumented file (`duplicate-instance`
  `data.evaluations`; 1 when it reports none).

Each case also states the outcome Node v20.20.2 gives, so a fixture cannot
silently stop testing its branch; where later Node versions differ, the
variants are listed.
"""

from __future__ import annotations

import json
import os
import subprocess
from dataclasses import dataclass
from pathlib import Path

import pytest

from graphesm.model import ScanResult, Severity
from graphesm.pipeline import scan
from graphesm.rules import RULES

TESTS = Path(__file__).resolve().parent
FIXTURES = TESTS / "fixtures" / "findings"
RUNNER = TESTS / "differential" / "load_entry.mjs"
UNSETTLED = "unsettled"

pytestmark = pytest.mark.node

# case -> Node's outcome (v20.20.2 first; renamed codes of later versions after it)
CASES: dict[str, tuple[str, ...]] = {
    "clean": ("loaded",),
    # load-error: resolution
    "missing-file": ("ERR_MODULE_NOT_FOUND",),
    "missing-extension": ("ERR_MODULE_NOT_FOUND",),
    "package-not-found": ("ERR_MODULE_NOT_FOUND",),
    "directory-import": ("ERR_UNSUPPORTED_DIR_IMPORT",),
    "package-path-not-exported": ("ERR_PACKAGE_PATH_NOT_EXPORTED",),
    "package-import-not-defined": ("ERR_PACKAGE_IMPORT_NOT_DEFINED",),
    "invalid-package-target": ("ERR_INVALID_PACKAGE_TARGET",),
    "invalid-package-config": ("ERR_INVALID_PACKAGE_CONFIG",),
    "invalid-module-specifier": ("ERR_INVALID_MODULE_SPECIFIER",),
    # load-error: load phase (resolution succeeds)
    "unknown-file-extension": (
        "ERR_UNKNOWN_FILE_EXTENSION",
        "loaded",
    ),  # Node >= 22.18 strips types
    "unknown-builtin": ("ERR_UNKNOWN_BUILTIN_MODULE",),
    "https-scheme": ("ERR_UNSUPPORTED_ESM_URL_SCHEME",),
    "http-scheme": ("ERR_UNSUPPORTED_ESM_URL_SCHEME",),
    "data-url-relative-import": ("ERR_UNSUPPORTED_RESOLVE_REQUEST",),
    # import-attribute
    "json-without-attributes": (
        "ERR_IMPORT_ASSERTION_TYPE_MISSING",
        "ERR_IMPORT_ATTRIBUTE_MISSING",
    ),
    "unsupported-attribute-type": (
        "ERR_IMPORT_ASSERTION_TYPE_UNSUPPORTED",
        "ERR_IMPORT_ATTRIBUTE_UNSUPPORTED",
    ),
    "json-attribute-on-javascript": (
        "ERR_IMPORT_ASSERTION_TYPE_FAILED",
        "ERR_IMPORT_ATTRIBUTE_TYPE_INCOMPATIBLE",
    ),
    "json-with-attribute-loads": ("loaded",),
    # parse-error
    "syntax-error": ("SyntaxError",),
    # esm-cjs-boundary
    "cjs-named-export-not-detected": ("SyntaxError",),
    "cjs-named-export-detected-loads": ("loaded",),
    "require-esm-with-top-level-await": ("ERR_REQUIRE_ASYNC_MODULE",),
    "require-esm-loads": ("loaded",),
    # cycle
    "cycle-loads": ("loaded",),
    "lazy-cycle-loads": ("loaded",),
    "cycle-with-top-level-await": (UNSETTLED,),
    "cycle-with-top-level-await-settles": ("loaded",),
    # duplicate-instance / dual-package (evaluation counts compared too)
    "query-duplicate-loads": ("loaded",),
    "cjs-query-single-evaluation": ("loaded",),
    "trailing-question-mark-same-instance": ("loaded",),
    "dual-package-loads": ("loaded",),
    # unanalyzable-import
    "dynamic-expression-loads": ("loaded",),
}

# Cases where graphesm is known to disagree with Node (each an xfail, strict).
KNOWN_GAPS: dict[str, str] = {}


@dataclass(frozen=True)
class NodeOutcome:
    outcome: str
    evaluations: dict[str, int]


def _run_node(node_bin: str, entry: Path) -> NodeOutcome:
    env = {k: v for k, v in os.environ.items() if not k.startswith("NODE_")}
    done = subprocess.run(
        [node_bin, str(RUNNER), str(entry)],
        cwd=entry.parent,
        capture_output=True,
        text=True,
        timeout=60,
        env=env,
        check=False,
    )
    if done.returncode == 13 and not done.stdout.strip():
        return NodeOutcome(UNSETTLED, {})
    assert done.returncode == 0, done.stderr
    answer = json.loads(done.stdout.strip().splitlines()[-1])
    return NodeOutcome(str(answer["outcome"]), dict(answer["evaluations"]))


def _predicted_codes(result: ScanResult) -> set[str]:
    codes = set()
    for finding in result.findings:
        if finding.severity is not Severity.ERROR:
            continue
        if finding.data.get("code"):
            codes.add(str(finding.data["code"]))
        if finding.rule == "parse-error":
            codes.add("SyntaxError")
    return codes


def _predicted_evaluations(result: ScanResult) -> dict[str, int]:
    counts: dict[str, int] = {}
    for finding in result.findings:
        if finding.rule == "duplicate-instance":
            path = str(finding.data["file"]).removeprefix("file://")
            counts[path] = int(finding.data["evaluations"])  # type: ignore[call-overload]
    return counts


def _params() -> list[object]:
    params: list[object] = []
    for case in CASES:
        marks = []
        if case in KNOWN_GAPS:
            marks.append(pytest.mark.xfail(reason=KNOWN_GAPS[case], strict=True))
        params.append(pytest.param(case, id=case, marks=marks))
    return params


def test_every_fixture_has_a_case() -> None:
    folders = {p.name for p in FIXTURES.iterdir() if p.is_dir()}
    assert folders == set(CASES)


@pytest.mark.parametrize("case", _params())
def test_findings_match_node(case: str, node_bin: str) -> None:
    folder = FIXTURES / case
    entry = folder / "main.js"
    node = _run_node(node_bin, entry)
    assert node.outcome in CASES[case], f"node: {node.outcome}"

    result = scan([str(folder)], entries=[str(entry)])
    errors = [f"{f.rule}: {f.message}" for f in result.findings if f.severity is Severity.ERROR]
    if node.outcome == "loaded":
        assert errors == [], "graphesm predicts an error where Node loads"
    elif node.outcome == UNSETTLED:
        flagged = [
            f for f in result.findings if f.rule == "cycle" and f.data.get("top_level_await")
        ]
        assert flagged, "Node never settles; graphesm flags no cycle with top-level await"
    else:
        predicted = _predicted_codes(result)
        assert node.outcome in predicted, f"Node throws {node.outcome}; graphesm: {errors}"

    predicted_counts = _predicted_evaluations(result)
    for path, count in node.evaluations.items():
        assert predicted_counts.get(path, 1) == count, path


def test_the_fixtures_cover_every_rule() -> None:
    reported = set()
    for case in CASES:
        folder = FIXTURES / case
        result = scan([str(folder)], entries=[str(folder / "main.js")])
        reported |= {f.rule for f in result.findings}
    assert reported >= set(RULES)
