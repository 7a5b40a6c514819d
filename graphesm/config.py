"""Configuration file `graphesm.toml` and the gate's policy.

Stage contract: `parse_config(text, name, base)` turns the text of a TOML
file into a validated `Config` or raises `ConfigError` naming the file and the
key; `parse_fail_on` reads a `--fail-on` list; `apply_severities` and
`failing` are pure functions over a `ScanResult`. Nothing here reads files or
prints (the CLI does). Recognised keys:

```toml
entries = ["src/main.js"]          # like --entry, relative to the file's folder
conditions = ["development"]       # like --conditions
include = ["src/**"]               # globs (graphesm.globs) over root-relative paths
exclude = ["**/fixtures", "*.min.js"]
fail-on = ["cycle", "error"]       # like --fail-on (a list or a comma string)
baseline = "graphesm-baseline.json" # like --baseline, relative to the file's folder

[rules]                            # per-rule severity: error | warning | info | off
cycle = "error"
esm-cjs-boundary = "off"
```

Command-line flags override the file.
"""

from __future__ import annotations

import os
import tomllib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace

from graphesm.globs import GlobError, compile_glob
from graphesm.model import Finding, ScanResult, Severity
from graphesm.rules import RULES

__all__ = [
    "CONFIG_NAME",
    "Config",
    "ConfigError",
    "FailOn",
    "apply_severities",
    "failing",
    "parse_config",
    "parse_fail_on",
]

CONFIG_NAME = "graphesm.toml"
OFF = "off"
_RANK = {Severity.INFO: 0, Severity.WARNING: 1, Severity.ERROR: 2}
_KEYS = ("entries", "conditions", "include", "exclude", "fail-on", "baseline", "rules")


class ConfigError(ValueError):
    """A configuration that cannot be used; the message names the file and key."""


@dataclass(frozen=True, slots=True)
class FailOn:
    """Which findings fail the gate: at or above `threshold`, or of one of `rules`."""

    threshold: Severity | None
    rules: frozenset[str] = frozenset()


@dataclass(frozen=True, slots=True)
class Config:
    """A validated graphesm.toml; None means "not set" (the CLI's default applies)."""

    path: str | None = None
    entries: tuple[str, ...] | None = None
    conditions: tuple[str, ...] | None = None
    include: tuple[str, ...] | None = None
    exclude: tuple[str, ...] | None = None
    fail_on: FailOn | None = None
    baseline: str | None = None
    severities: Mapping[str, Severity | None] = field(default_factory=dict)


def parse_fail_on(items: Sequence[str]) -> FailOn:
    """Severities and rule codes (``none`` alone: never fail); ValueError names a bad item."""
    threshold: Severity | None = None
    rules: set[str] = set()
    for raw in items:
        item = raw.strip()
        if not item or item == "none":
            continue
        if item in {s.value for s in Severity}:
            severity = Severity(item)
            if threshold is None or _RANK[severity] < _RANK[threshold]:
                threshold = severity
        elif item in RULES:
            rules.add(item)
        else:
            known = ", ".join(sorted(RULES))
            raise ValueError(
                f"unknown rule or severity {item!r} (severities: error, warning, info, none; "
                f"rules: {known})"
            )
    return FailOn(threshold, frozenset(rules))


def _strings(value: object, where: str) -> tuple[str, ...]:
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list) or not all(isinstance(v, str) and v for v in value):
        raise ConfigError(f"{where}: expected a list of non-empty strings")
    return tuple(value)


def parse_config(text: str, name: str) -> Config:
    """Validate the TOML ``text`` of the file ``name`` (paths relative to its folder)."""
    try:
        document = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        raise ConfigError(f"{name}: not valid TOML: {error}") from None
    base = os.path.dirname(os.path.abspath(name))
    unknown = sorted(set(document) - set(_KEYS))
    if unknown:
        raise ConfigError(f"{name}: unknown key '{unknown[0]}' (known: {', '.join(sorted(_KEYS))})")
    values: dict[str, object] = {"path": name}
    if "entries" in document:
        entries = _strings(document["entries"], f"{name}: key 'entries'")
        values["entries"] = tuple(os.path.join(base, entry) for entry in entries)
    if "conditions" in document:
        values["conditions"] = _strings(document["conditions"], f"{name}: key 'conditions'")
    for key in ("include", "exclude"):
        if key in document:
            patterns = _strings(document[key], f"{name}: key '{key}'")
            for pattern in patterns:
                try:
                    compile_glob(pattern)
                except GlobError as error:
                    raise ConfigError(f"{name}: key '{key}': {error}") from None
            values[key] = patterns
    if "fail-on" in document:
        raw = document["fail-on"]
        items = raw.split(",") if isinstance(raw, str) else raw
        try:
            values["fail_on"] = parse_fail_on(_strings(items, f"{name}: key 'fail-on'"))
        except ValueError as error:
            if isinstance(error, ConfigError):
                raise
            raise ConfigError(f"{name}: key 'fail-on': {error}") from None
    if "baseline" in document:
        baseline = document["baseline"]
        if not isinstance(baseline, str) or not baseline:
            raise ConfigError(f"{name}: key 'baseline': expected a file name")
        values["baseline"] = os.path.join(base, baseline)
    if "rules" in document:
        values["severities"] = _severities(document["rules"], name)
    return Config(**values)  # type: ignore[arg-type]


def _severities(table: object, name: str) -> dict[str, Severity | None]:
    if not isinstance(table, dict):
        raise ConfigError(f"{name}: key 'rules': expected a table of rule = severity")
    severities: dict[str, Severity | None] = {}
    choices = (*(s.value for s in Severity), OFF)
    for code, value in table.items():
        if code not in RULES:
            raise ConfigError(
                f"{name}: key 'rules.{code}': unknown rule (rules: {', '.join(sorted(RULES))})"
            )
        if not isinstance(value, str) or value not in choices:
            raise ConfigError(
                f"{name}: key 'rules.{code}': expected one of {', '.join(choices)}, got {value!r}"
            )
        severities[code] = None if value == OFF else Severity(value)
    return severities


def apply_severities(result: ScanResult, severities: Mapping[str, Severity | None]) -> ScanResult:
    """Re-grade findings per rule; a rule set to ``off`` (None) drops its findings."""
    if not severities:
        return result
    findings: list[Finding] = []
    for finding in result.findings:
        if finding.rule not in severities:
            findings.append(finding)
            continue
        severity = severities[finding.rule]
        if severity is not None:
            findings.append(replace(finding, severity=severity))
    return replace(result, findings=tuple(findings))


def failing(result: ScanResult, policy: FailOn) -> list[Finding]:
    """The findings that make the gate fail under ``policy``."""
    threshold = policy.threshold
    return [
        f
        for f in result.findings
        if f.rule in policy.rules
        or (threshold is not None and _RANK[f.severity] >= _RANK[threshold])
    ]
