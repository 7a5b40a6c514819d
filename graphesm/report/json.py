"""JSON reporter: ScanResult -> the ``graphesm/1`` document of DESIGN.md.

Stage contract
--------------
``render(result)`` is pure and deterministic. It emits exactly the documented
keys, in the documented order, indented by 2 with a trailing newline:

* ``modules`` sorted by ``url``;
* ``imports`` sorted by ``from`` URL, then ``line``, ``column`` (ties broken by
  kind and specifier);
* ``findings`` sorted by location URL, ``line``, ``column``, ``rule`` (ties
  broken by message);
* ``attributes`` is the attribute object as written or ``null``; ``error`` is
  ``{"code", "message"}`` or ``null``; ``package`` is ``{"name", "version"}``
  or ``null``;
* ``summary`` counts modules, imports and findings by severity.

Finding ``data`` is rendered with object keys sorted (lists keep their order,
so a cycle's ``modules`` stay in import order). Non-ASCII characters are
written as is (UTF-8), not as ``\\u`` escapes.

The JSON Schema (draft 2020-12) of the document ships in the package as
``graphesm/schema/graphesm-1.schema.json``; :func:`schema` loads it.
"""

from __future__ import annotations

import importlib
import importlib.metadata
import importlib.resources
import json
from collections.abc import Mapping
from typing import Any

import orjson

from graphesm.model import Finding, Location, Module, Resolution, ScanResult, Severity

__all__ = ["SCHEMA_ID", "document", "render", "render_bytes", "schema", "tool_version"]

SCHEMA_ID = "graphesm/1"
SCHEMA_RESOURCE = ("schema", "graphesm-1.schema.json")


def tool_version() -> str:
    """graphesm's version: ``graphesm.__version__``, else the installed metadata, else 0.0.0."""
    try:
        package = importlib.import_module("graphesm")
    except ImportError:  # pragma: no cover - we are inside graphesm
        package = None
    version = getattr(package, "__version__", None)
    if isinstance(version, str) and version:
        return version
    try:
        return importlib.metadata.version("graphesm")
    except importlib.metadata.PackageNotFoundError:
        return "0.0.0"


def schema() -> dict[str, Any]:
    """The JSON Schema of ``graphesm/1``, as shipped inside the package."""
    resource = importlib.resources.files("graphesm") / SCHEMA_RESOURCE[0] / SCHEMA_RESOURCE[1]
    loaded: dict[str, Any] = json.loads(resource.read_text(encoding="utf-8"))
    return loaded


def _plain(value: object) -> object:
    """Finding data as JSON values: mappings with sorted keys, sequences as lists."""
    if isinstance(value, Mapping):
        return {str(k): _plain(v) for k, v in sorted(value.items(), key=lambda kv: str(kv[0]))}
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    if isinstance(value, frozenset | set):
        return sorted((_plain(v) for v in value), key=lambda v: json.dumps(v, sort_keys=True))
    if value is None or isinstance(value, bool | int | float):
        return value
    return str(value)


def _module(module: Module) -> dict[str, object]:
    package: dict[str, object] | None = None
    if module.package is not None:
        package = {"name": module.package.name, "version": module.package.version}
    return {
        "url": module.url,
        "path": module.path,
        "kind": module.kind,
        "format": module.format,
        "package": package,
    }


def _import_key(resolution: Resolution) -> tuple[str, int, int, str, str]:
    site = resolution.site
    # ImportKind is a StrEnum: it sorts (and orjson writes it) as its value.
    return (site.file_url, site.line, site.column, site.kind, site.specifier or "")


def _import(resolution: Resolution) -> dict[str, object]:
    site = resolution.site
    attributes = None if site.attributes is None else dict(site.attributes)
    error = None
    if resolution.error_code is not None:
        error = {"code": resolution.error_code, "message": resolution.message or ""}
    return {
        "from": site.file_url,
        "specifier": site.specifier,
        "kind": site.kind,
        "attributes": attributes,
        "attributes_syntax": site.attributes_syntax,
        "line": site.line,
        "column": site.column,
        "to": resolution.url,
        "error": error,
    }


def _location(location: Location) -> dict[str, object]:
    return {
        "url": location.url,
        "path": location.path,
        "line": location.line,
        "column": location.column,
    }


def _finding_key(finding: Finding) -> tuple[str, int, int, str, str]:
    loc = finding.location
    return (loc.url, loc.line or 0, loc.column or 0, finding.rule, finding.message)


def _finding(finding: Finding) -> dict[str, object]:
    return {
        "rule": finding.rule,
        "severity": str(finding.severity),
        "message": finding.message,
        "location": _location(finding.location),
        "related": [_location(loc) for loc in finding.related],
        "data": _plain(finding.data),
    }


def document(result: ScanResult, *, version: str | None = None) -> dict[str, object]:
    """The ``graphesm/1`` document as Python objects (dicts in documented key order)."""
    counts = {str(s): 0 for s in (Severity.ERROR, Severity.WARNING, Severity.INFO)}
    for finding in result.findings:
        counts[str(finding.severity)] += 1
    return {
        "schema": SCHEMA_ID,
        "tool": {"name": "graphesm", "version": version or tool_version()},
        "root": result.root,
        "options": {
            "conditions": list(result.options.conditions),
            "entries": list(result.options.entries),
        },
        "modules": [_module(m) for m in sorted(result.modules, key=lambda m: m.url)],
        "imports": [_import(r) for r in sorted(result.imports, key=_import_key)],
        "findings": [_finding(f) for f in sorted(result.findings, key=_finding_key)],
        "summary": {
            "modules": len(result.modules),
            "imports": len(result.imports),
            "findings": counts,
        },
    }


def render(result: ScanResult, *, version: str | None = None) -> str:
    """Render ``result`` as the ``graphesm/1`` JSON text (indent 2, trailing newline).

    ``version`` overrides the tool version (for reproducible goldens).
    """
    return render_bytes(result, version=version).decode("utf-8", "surrogateescape")


def render_bytes(result: ScanResult, *, version: str | None = None) -> bytes:
    """`render` as UTF-8 bytes, ready to write (no round trip through str)."""
    doc = document(result, version=version)
    try:
        return orjson.dumps(doc, option=orjson.OPT_INDENT_2 | orjson.OPT_APPEND_NEWLINE)
    except orjson.JSONEncodeError:
        # orjson refuses lone surrogates (a file name that is not UTF-8,
        # read with surrogateescape); the standard encoder writes them as is.
        text = json.dumps(doc, indent=2, ensure_ascii=False) + "\n"
        return text.encode("utf-8", "surrogateescape")
