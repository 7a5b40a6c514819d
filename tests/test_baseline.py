"""Baselines and fingerprints (graphesm.baseline, graphesm.report.fingerprint).

Fingerprints must survive line moves and a different checkout folder, and
change when the problem changes; baselines suppress with multiset semantics
and report the entries that no longer occur.
"""

from __future__ import annotations

import dataclasses
import json
import shutil
from pathlib import Path

import pytest

from graphesm import baseline
from graphesm.model import Finding, Location, ScanResult, Severity
from graphesm.pipeline import scan
from graphesm.report.fingerprint import fingerprint


def write(root: Path, files: dict[str, str]) -> Path:
    for name, text in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return root


PROJECT = {
    "package.json": '{"type": "module"}',
    "src/a.js": "import './b.js';\nimport './missing.js';\n",
    "src/b.js": "import './a.js';\n",
}


def fingerprints(result: ScanResult) -> list[str]:
    return sorted(fingerprint(f, result.root) for f in result.findings)


def test_fingerprints_survive_line_moves(tmp_path: Path) -> None:
    root = write(tmp_path / "p", PROJECT)
    before = scan([str(root)])
    (root / "src/a.js").write_text(
        "// a comment\n\n\nimport './missing.js';\n   import './b.js';\n", encoding="utf-8"
    )
    (root / "src/b.js").write_text("\n\nimport './a.js';\n", encoding="utf-8")
    after = scan([str(root)])
    assert {f.rule for f in before.findings} == {"cycle", "load-error"}
    assert [f.location.line for f in before.findings] != [f.location.line for f in after.findings]
    assert fingerprints(before) == fingerprints(after)


def test_fingerprints_survive_another_checkout_folder(tmp_path: Path) -> None:
    first = write(tmp_path / "one", PROJECT)
    second = tmp_path / "two words ü"
    shutil.copytree(first, second)
    assert fingerprints(scan([str(first)])) == fingerprints(scan([str(second)]))


def test_fingerprints_change_with_the_problem(tmp_path: Path) -> None:
    root = write(tmp_path / "p", PROJECT)
    before = scan([str(root)])
    (root / "src/a.js").write_text("import './b.js';\nimport './other.js';\n", encoding="utf-8")
    after = scan([str(root)])
    load = [fingerprint(f, r.root) for r in (before, after) for f in r.findings]
    assert len(set(load)) == 3  # the cycle stays, the load error is a new one


def test_cycle_fingerprint_is_the_member_set() -> None:
    root = "file:///p/"
    members = [root + "a.js", root + "b.js", root + "c.js"]

    def cycle(order: list[str], at: str, line: int) -> Finding:
        return Finding(
            "cycle",
            Severity.WARNING,
            "import cycle",
            Location(at, at[len(root) :], line, 1),
            data={"modules": order, "members": sorted(order), "lazy": False},
        )

    one = cycle(members, members[2], 1)
    two = cycle([members[1], members[2], members[0]], members[0], 7)
    assert fingerprint(one, root) == fingerprint(two, root)
    lazy = dataclasses.replace(one, data={**one.data, "lazy": True})
    assert fingerprint(lazy, root) != fingerprint(one, root)
    bigger = cycle([*members, root + "d.js"], members[2], 1)
    assert fingerprint(bigger, root) != fingerprint(one, root)


def test_round_trip_and_suppression(tmp_path: Path) -> None:
    root = write(tmp_path / "p", PROJECT)
    result = scan([str(root)])
    text = baseline.render(result)
    document = json.loads(text)
    assert document["schema"] == "graphesm-baseline/1"
    assert str(root) not in text  # paths and messages are root-relative
    assert {e["path"] for e in document["findings"]} <= {"src/a.js", "src/b.js"}
    outcome = baseline.apply(result, baseline.parse(text))
    assert outcome.result.findings == ()
    assert outcome.suppressed == len(result.findings)
    assert outcome.stale == ()
    assert baseline.render(result) == text  # deterministic


def test_multiset_semantics(tmp_path: Path) -> None:
    root = write(tmp_path / "p", {"a.mjs": "import './gone.mjs';\n"})
    recorded = baseline.parse(baseline.render(scan([str(root)])))
    (root / "a.mjs").write_text("import './gone.mjs';\nimport './gone.mjs';\n", encoding="utf-8")
    result = scan([str(root)])
    assert len(result.findings) == 2
    outcome = baseline.apply(result, recorded)
    assert outcome.suppressed == 1
    assert len(outcome.result.findings) == 1
    assert outcome.result.findings[0].location.line == 2  # the first one is the accepted one


def test_stale_entries_are_listed(tmp_path: Path) -> None:
    root = write(tmp_path / "p", PROJECT)
    recorded = baseline.parse(baseline.render(scan([str(root)])))
    (root / "src/a.js").write_text("import './b.js';\n", encoding="utf-8")
    outcome = baseline.apply(scan([str(root)]), recorded)
    assert [e.rule for e in outcome.stale] == ["load-error"]
    assert outcome.stale[0].path == "src/a.js"
    assert "missing.js" in outcome.stale[0].message


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("not json", "not JSON"),
        ("[]", "expected a JSON object"),
        ('{"schema": "other", "findings": []}', "schema must be"),
        ('{"schema": "graphesm-baseline/1"}', "'findings' must be a list"),
        ('{"schema": "graphesm-baseline/1", "findings": [1]}', "findings[1] is not an object"),
        ('{"schema": "graphesm-baseline/1", "findings": [{"rule": "x"}]}', "fingerprint"),
        ('{"schema": "graphesm-baseline/1", "findings": [], "extra": 1}', "unknown key"),
    ],
)
def test_bad_baselines(text: str, reason: str) -> None:
    with pytest.raises(baseline.BaselineError) as caught:
        baseline.parse(text)
    assert reason in str(caught.value)
    assert "\n" not in str(caught.value)
