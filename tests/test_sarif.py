"""The SARIF reporter, validated against the official SARIF 2.1.0 JSON Schema.

The schema file tests/fixtures/sarif-schema-2.1.0.json is the OASIS SARIF
2.1.0 schema (title "Static Analysis Results Format (SARIF) Version
2.1.0-rtm.5 JSON Schema", the final 2.1.0 text, JSON Schema draft-04), copied
byte for byte from the npm package ``@microsoft/jest-sarif@1.0.0-beta.0``, file
``lib/schemas/sarif-2.1.0-rtm.5.json`` (the same file ships in
``@microsoft/sarif-matcher-utils@1.0.0-beta.0``); sha256
2d99159ae54a3eea97f81781cff48780548657c35949f4b7f25e99a2ba4de4f8.

Golden SARIF logs of every sample project live in tests/golden/samples/*.sarif
(written by test_sample_goldens.py through the real CLI).
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
from pathlib import Path

import pytest
import report_fixture as fx
from jsonschema import Draft4Validator, FormatChecker

from graphesm.cli import main
from graphesm.model import Finding, Location, Severity
from graphesm.report import sarif
from graphesm.report.fingerprint import fingerprint
from graphesm.rules import RULES

REPO = Path(__file__).resolve().parent.parent
SCHEMA_FILE = Path(__file__).parent / "fixtures" / "sarif-schema-2.1.0.json"
SCHEMA_SHA256 = "2d99159ae54a3eea97f81781cff48780548657c35949f4b7f25e99a2ba4de4f8"
SAMPLES = REPO / "sample_projects"


def validator() -> Draft4Validator:
    schema = json.loads(SCHEMA_FILE.read_text(encoding="utf-8"))
    Draft4Validator.check_schema(schema)
    return Draft4Validator(schema, format_checker=FormatChecker())


def assert_valid(log: dict[str, object]) -> None:
    errors = sorted(validator().iter_errors(log), key=lambda e: list(e.absolute_path))
    assert not errors, "\n".join(f"{list(e.absolute_path)}: {e.message}" for e in errors[:10])


def test_the_schema_file_is_the_published_one() -> None:
    assert hashlib.sha256(SCHEMA_FILE.read_bytes()).hexdigest() == SCHEMA_SHA256
    schema = json.loads(SCHEMA_FILE.read_text(encoding="utf-8"))
    assert schema["title"].startswith("Static Analysis Results Format (SARIF) Version 2.1.0")


def test_the_schema_rejects_a_broken_log() -> None:
    log = sarif.document(fx.sample_result())
    log["runs"][0]["results"][0]["level"] = "fatal"
    assert list(validator().iter_errors(log))
    del log["version"]
    assert list(validator().iter_errors(log))


def test_fixture_result_validates() -> None:
    assert_valid(json.loads(sarif.render(fx.sample_result())))


def test_rules_come_from_the_registry() -> None:
    driver = sarif.document(fx.sample_result())["runs"][0]["tool"]["driver"]
    assert [rule["id"] for rule in driver["rules"]] == sorted(RULES)
    for rule in driver["rules"]:
        registered = RULES[rule["id"]]
        assert rule["shortDescription"]["text"] == registered.summary
        assert rule["helpUri"] == f"docs/rules.md#{registered.code}"
        level = {"error": "error", "warning": "warning", "info": "note"}[registered.severity]
        assert rule["defaultConfiguration"]["level"] == level


def test_results_point_at_root_relative_files() -> None:
    log = sarif.document(fx.sample_result())
    run = log["runs"][0]
    assert run["originalUriBaseIds"] == {"ROOT": {"uri": fx.ROOT}}
    results = run["results"]
    assert len(results) == len(fx.sample_result().findings)
    missing = next(r for r in results if "missing.js" in r["message"]["text"])
    assert missing["ruleId"] == "load-error"
    assert missing["level"] == "error"
    assert missing["message"]["text"] == (
        "ERR_MODULE_NOT_FOUND Cannot find module 'src/missing.js' imported from src/main.js"
    )
    location = missing["locations"][0]["physicalLocation"]
    assert location["artifactLocation"] == {"uri": "src/main.js", "uriBaseId": "ROOT"}
    assert location["region"] == {"startLine": 9, "startColumn": 21}
    rules = run["tool"]["driver"]["rules"]
    for result in results:
        assert rules[result["ruleIndex"]]["id"] == result["ruleId"]
        assert len(result["partialFingerprints"]["graphesm/v1"]) == 64


def test_cycle_members_are_related_locations() -> None:
    results = sarif.document(fx.sample_result())["runs"][0]["results"]
    cycle = next(r for r in results if r["ruleId"] == "cycle")
    uris = [loc["physicalLocation"]["artifactLocation"]["uri"] for loc in cycle["relatedLocations"]]
    assert uris == ["src/lib/b.js"]  # as the fixture's finding lists them
    assert [loc["id"] for loc in cycle["relatedLocations"]] == [1]


def test_uris_are_percent_encoded_and_outside_urls_stay_absolute() -> None:
    base = fx.sample_result()
    odd = Finding(
        "parse-error",
        Severity.ERROR,
        "syntax error",
        Location(fx.ROOT + "src/ui/na%C3%AFve%20%22w%22.js", 'src/ui/naïve "w".js', 1, 1),
    )
    remote = Finding(
        "network-import",
        Severity.WARNING,
        "an https: import",
        Location("https://example.com/mod.js", None, None, None),
    )
    result = dataclasses.replace(base, findings=(odd, remote))
    log = json.loads(sarif.render(result))
    assert_valid(log)
    locations = [r["locations"][0]["physicalLocation"] for r in log["runs"][0]["results"]]
    # results sort by URL: file: before https:
    assert locations[1] == {"artifactLocation": {"uri": "https://example.com/mod.js"}}
    assert locations[0]["artifactLocation"] == {
        "uri": "src/ui/na%C3%AFve%20%22w%22.js",
        "uriBaseId": "ROOT",
    }


def test_deterministic_and_order_independent() -> None:
    result = fx.sample_result()
    shuffled = dataclasses.replace(result, findings=tuple(reversed(result.findings)))
    assert sarif.render(result) == sarif.render(shuffled)


def test_fingerprints_match_the_baseline_ones() -> None:
    result = fx.sample_result()
    results = sarif.document(result)["runs"][0]["results"]
    expected = {fingerprint(f, result.root) for f in result.findings}
    assert {r["partialFingerprints"]["graphesm/v1"] for r in results} == expected


@pytest.mark.parametrize("project", sorted(p.name for p in SAMPLES.iterdir() if p.is_dir()))
def test_cli_sarif_of_every_sample_validates(
    project: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "out.sarif"
    code = main(["scan", str(SAMPLES / project), "--sarif", str(out), "--fail-on", "none"])
    capsys.readouterr()
    assert code == 0
    log = json.loads(out.read_text(encoding="utf-8"))
    assert_valid(log)
    text = out.read_text(encoding="utf-8")
    # messages are shortened: no absolute path of the checkout outside the base id
    root_path = str((SAMPLES / project).resolve())
    body = json.dumps(log["runs"][0]["results"], ensure_ascii=False)
    assert root_path not in body
    assert text.endswith("\n")


def test_format_sarif_on_stdout(capsys: pytest.CaptureFixture[str]) -> None:
    code = main(["scan", str(SAMPLES / "web-app"), "--format", "sarif"])
    out = capsys.readouterr().out
    assert code == 0
    assert_valid(json.loads(out))
