"""SARIF reporter: ScanResult -> a SARIF 2.1.0 log for code scanning.

Stage contract
--------------
``render(result)`` is pure and deterministic (the same result gives
byte-identical output): one run whose

* ``tool.driver.rules`` is the whole rule registry sorted by code: ``id``,
  ``shortDescription`` (the registry summary), ``helpUri`` (the rule's section
  ``docs/rules.md#<code>``, relative to the repository root), ``help`` and
  ``defaultConfiguration.level``;
* ``originalUriBaseIds.ROOT`` is the scan root, and every location inside it
  is a percent-encoded URI relative to ``ROOT`` (``uriBaseId``); locations
  outside it (packages linked from elsewhere, ``node:``/``https:`` modules)
  keep their absolute URL;
* ``results`` come in the order of the JSON output (location URL, line,
  column, rule, message), each with ``ruleId``/``ruleIndex``, ``level``
  (error/warning/note), the message with the root shortened away, the
  location's ``region`` (1-based ``startLine``/``startColumn``, columns in
  code points), ``relatedLocations`` (e.g. every member of a cycle) and
  ``partialFingerprints["graphesm/v1"]`` (graphesm.report.fingerprint: stable
  across line moves and checkouts, the same value a baseline records).

Validated in the tests against the official SARIF 2.1.0 JSON Schema.
"""

from __future__ import annotations

import json
from typing import Any

from graphesm.model import Finding, Location, ScanResult, Severity
from graphesm.report._paths import relative_uri, shorten, shown_message
from graphesm.report.fingerprint import fingerprint
from graphesm.report.json import tool_version
from graphesm.rules import RULES

__all__ = ["FINGERPRINT_KEY", "SARIF_SCHEMA", "document", "render"]

SARIF_SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"
FINGERPRINT_KEY = "graphesm/v1"
ROOT_ID = "ROOT"
_LEVEL = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "note"}


def _artifact(url: str, root: str) -> dict[str, str]:
    relative = relative_uri(url, root)
    if relative is not None:
        return {"uri": relative, "uriBaseId": ROOT_ID}
    return {"uri": url}


def _physical(location: Location, root: str) -> dict[str, Any]:
    physical: dict[str, Any] = {"artifactLocation": _artifact(location.url, root)}
    if location.line is not None and location.line >= 1:
        region: dict[str, int] = {"startLine": location.line}
        if location.column is not None and location.column >= 1:
            region["startColumn"] = location.column
        physical["region"] = region
    return physical


def _rules() -> list[dict[str, Any]]:
    rules: list[dict[str, Any]] = []
    for code in sorted(RULES):
        rule = RULES[code]
        rules.append(
            {
                "id": code,
                "shortDescription": {"text": rule.summary},
                "helpUri": rule.docs,
                "help": {
                    "text": f"{rule.summary} See {rule.docs}.",
                    "markdown": f"{rule.summary} See [{rule.docs}]({rule.docs}).",
                },
                "defaultConfiguration": {"level": _LEVEL[rule.severity]},
            }
        )
    return rules


def _sort_key(finding: Finding) -> tuple[str, int, int, str, str]:
    loc = finding.location
    return (loc.url, loc.line or 0, loc.column or 0, finding.rule, finding.message)


def _result(finding: Finding, root: str, index: dict[str, int]) -> dict[str, Any]:
    result: dict[str, Any] = {
        "ruleId": finding.rule,
    }
    if finding.rule in index:
        result["ruleIndex"] = index[finding.rule]
    result["level"] = _LEVEL[finding.severity]
    result["message"] = {"text": shown_message(finding, root)}
    result["locations"] = [{"physicalLocation": _physical(finding.location, root)}]
    if finding.related:
        result["relatedLocations"] = [
            {
                "id": number,
                "physicalLocation": _physical(related, root),
                "message": {"text": shorten(related.path or related.url, root)},
            }
            for number, related in enumerate(finding.related, start=1)
        ]
    result["partialFingerprints"] = {FINGERPRINT_KEY: fingerprint(finding, root)}
    return result


def document(result: ScanResult) -> dict[str, Any]:
    """The SARIF log as a JSON-ready dict (see the module docstring)."""
    rules = _rules()
    index = {rule["id"]: number for number, rule in enumerate(rules)}
    root = result.root
    return {
        "$schema": SARIF_SCHEMA,
        "version": "2.1.0",
        "runs": [
            {
                "tool": {
                    "driver": {
                        "name": "graphesm",
                        "version": tool_version(),
                        "rules": rules,
                    }
                },
                "originalUriBaseIds": {ROOT_ID: {"uri": root}},
                "columnKind": "unicodeCodePoints",
                "results": [
                    _result(finding, root, index)
                    for finding in sorted(result.findings, key=_sort_key)
                ],
            }
        ],
    }


def render(result: ScanResult) -> str:
    """The SARIF 2.1.0 log of ``result``: JSON, indented by 2, trailing newline."""
    return json.dumps(document(result), indent=2, ensure_ascii=False) + "\n"
