"""Baselines: accept today's findings, fail only on new ones.

Stage contract: pure functions over a `ScanResult` and the text of a
baseline file; the CLI reads and writes the file and prints. A baseline is
a JSON document

    {"schema": "graphesm-baseline/1",
     "findings": [{"fingerprint": "…", "rule": "cycle", "path": "src/a.js",
                   "message": "…"}, …]}

one entry per finding, sorted by path, rule, fingerprint and message.
Matching is by fingerprint only (graphesm.report.fingerprint: stable across
line moves and checkouts); `rule`, `path` and `message` are there for the
people who review the file and for the list of entries that no longer occur.
Matching has multiset semantics: an entry recorded twice suppresses two
findings with that fingerprint, and a third one is new.
"""

from __future__ import annotations

import json
from collections import Counter
from dataclasses import dataclass, replace

from graphesm.model import Finding, ScanResult
from graphesm.report._paths import display_path, shown_message
from graphesm.report.fingerprint import fingerprint

__all__ = [
    "SCHEMA",
    "Baseline",
    "BaselineEntry",
    "BaselineError",
    "Outcome",
    "apply",
    "parse",
    "render",
]

SCHEMA = "graphesm-baseline/1"


class BaselineError(ValueError):
    """A baseline file that is not a graphesm baseline (the message says why)."""


@dataclass(frozen=True, slots=True)
class BaselineEntry:
    fingerprint: str
    rule: str
    path: str
    message: str


@dataclass(frozen=True, slots=True)
class Baseline:
    entries: tuple[BaselineEntry, ...]


@dataclass(frozen=True, slots=True)
class Outcome:
    """What applying a baseline did: the remaining result and the bookkeeping."""

    result: ScanResult
    suppressed: int
    stale: tuple[BaselineEntry, ...]


def _entry(finding: Finding, root: str) -> BaselineEntry:
    return BaselineEntry(
        fingerprint(finding, root),
        finding.rule,
        display_path(finding.location, root),
        shown_message(finding, root),
    )


def _entry_key(entry: BaselineEntry) -> tuple[str, str, str, str]:
    return (entry.path, entry.rule, entry.fingerprint, entry.message)


def render(result: ScanResult) -> str:
    """The baseline file that accepts every finding of ``result``."""
    entries = sorted((_entry(f, result.root) for f in result.findings), key=_entry_key)
    document = {
        "schema": SCHEMA,
        "findings": [
            {"fingerprint": e.fingerprint, "rule": e.rule, "path": e.path, "message": e.message}
            for e in entries
        ],
    }
    return json.dumps(document, indent=2, ensure_ascii=False) + "\n"


def parse(text: str) -> Baseline:
    """Read a baseline document; BaselineError with a one-line reason if it is not one."""
    try:
        document = json.loads(text)
    except json.JSONDecodeError as error:
        raise BaselineError(f"not JSON: {error.msg} at line {error.lineno}") from None
    if not isinstance(document, dict):
        raise BaselineError("not a graphesm baseline (expected a JSON object)")
    if document.get("schema") != SCHEMA:
        raise BaselineError(f"not a graphesm baseline (schema must be {SCHEMA!r})")
    unknown = sorted(set(document) - {"schema", "findings"})
    if unknown:
        raise BaselineError(f"unknown key {unknown[0]!r}")
    findings = document.get("findings")
    if not isinstance(findings, list):
        raise BaselineError("'findings' must be a list")
    entries: list[BaselineEntry] = []
    for number, item in enumerate(findings, start=1):
        if not isinstance(item, dict):
            raise BaselineError(f"findings[{number}] is not an object")
        fields: dict[str, str] = {}
        for key in ("fingerprint", "rule", "path", "message"):
            value = item.get(key, "" if key != "fingerprint" else None)
            if not isinstance(value, str):
                raise BaselineError(f"findings[{number}].{key} must be a string")
            fields[key] = value
        if not fields["fingerprint"]:
            raise BaselineError(f"findings[{number}].fingerprint is empty")
        entries.append(BaselineEntry(**fields))
    return Baseline(tuple(entries))


def apply(result: ScanResult, baseline: Baseline) -> Outcome:
    """Drop the findings the baseline accepts (multiset match on fingerprints).

    Findings are matched in the order of the JSON output, so which of several
    equal findings stays reported is deterministic.
    """
    remaining = Counter(entry.fingerprint for entry in baseline.entries)
    kept: list[Finding] = []
    suppressed = 0
    ordered = sorted(
        result.findings,
        key=lambda f: (f.location.url, f.location.line or 0, f.location.column or 0, f.rule),
    )
    for finding in ordered:
        key = fingerprint(finding, result.root)
        if remaining[key] > 0:
            remaining[key] -= 1
            suppressed += 1
        else:
            kept.append(finding)
    stale: list[BaselineEntry] = []
    for entry in sorted(baseline.entries, key=_entry_key):
        if remaining[entry.fingerprint] > 0:
            remaining[entry.fingerprint] -= 1
            stale.append(entry)
    keep = set(map(id, kept))
    findings = tuple(f for f in result.findings if id(f) in keep)
    return Outcome(replace(result, findings=findings), suppressed, tuple(stale))
