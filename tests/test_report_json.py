"""The JSON reporter (schema graphesm/1) and its shipped JSON Schema.

Golden file: tests/golden/reports/sample.json. Regenerate with
``GRAPHESM_UPDATE_GOLDENS=1 python -m pytest tests/test_report_json.py`` and
review the diff.
"""

from __future__ import annotations

import copy
import dataclasses
import json
from importlib import resources
from typing import Any

import jsonschema
import pytest
import report_fixture as fx
from golden_util import check_golden

from graphesm.model import ScanResult
from graphesm.report import json as json_report

VERSION = "0.0.0-test"


def _doc(result: ScanResult | None = None) -> dict[str, Any]:
    loaded: dict[str, Any] = json.loads(
        json_report.render(result or fx.sample_result(), version=VERSION)
    )
    return loaded


def test_golden() -> None:
    check_golden("reports/sample.json", json_report.render(fx.sample_result(), version=VERSION))


def test_format_indent_and_trailing_newline() -> None:
    text = json_report.render(fx.sample_result(), version=VERSION)
    assert text.endswith("}\n") and not text.endswith("\n\n")
    assert text.startswith('{\n  "schema": "graphesm/1",\n  "tool": {')
    assert 'naïve \\"w\\"' in text  # UTF-8 kept, quotes escaped by JSON


def test_keys_in_documented_order() -> None:
    doc = _doc()
    assert list(doc) == [
        "schema",
        "tool",
        "root",
        "options",
        "modules",
        "imports",
        "findings",
        "summary",
    ]
    assert list(doc["tool"]) == ["name", "version"]
    assert list(doc["options"]) == ["conditions", "entries"]
    assert list(doc["modules"][0]) == ["url", "path", "kind", "format", "package"]
    assert list(doc["imports"][0]) == [
        "from",
        "specifier",
        "kind",
        "attributes",
        "attributes_syntax",
        "line",
        "column",
        "to",
        "error",
    ]
    assert list(doc["findings"][0]) == [
        "rule",
        "severity",
        "message",
        "location",
        "related",
        "data",
    ]
    assert list(doc["findings"][0]["location"]) == ["url", "path", "line", "column"]
    assert list(doc["summary"]) == ["modules", "imports", "findings"]
    assert list(doc["summary"]["findings"]) == ["error", "warning", "info"]


def test_sorted_deterministically() -> None:
    doc = _doc()
    urls = [m["url"] for m in doc["modules"]]
    assert urls == sorted(urls)
    keys = [(i["from"], i["line"], i["column"]) for i in doc["imports"]]
    assert keys == sorted(keys)
    fkeys = [
        (f["location"]["url"], f["location"]["line"] or 0, f["location"]["column"] or 0, f["rule"])
        for f in doc["findings"]
    ]
    assert fkeys == sorted(fkeys)
    shuffled = fx.shuffled_result()
    assert json_report.render(shuffled, version=VERSION) == json_report.render(
        fx.sample_result(), version=VERSION
    )


def test_values() -> None:
    doc = _doc()
    assert doc["tool"] == {"name": "graphesm", "version": VERSION}
    assert doc["root"] == fx.ROOT
    assert doc["options"] == {"conditions": ["node", "import"], "entries": []}
    by_url = {m["url"]: m for m in doc["modules"]}
    assert by_url[fx.PKG_ESM]["package"] == {"name": "pkg", "version": "1.2.0"}
    assert by_url[fx.MAIN]["package"] is None
    assert by_url[fx.FS] == {
        "url": "node:fs",
        "path": None,
        "kind": "builtin",
        "format": "builtin",
        "package": None,
    }
    json_import = next(i for i in doc["imports"] if i["specifier"] == "./config/data.json")
    assert json_import["attributes"] == {"type": "json"}
    assert json_import["attributes_syntax"] == "with"
    missing = next(i for i in doc["imports"] if i["specifier"] == "./missing.js")
    assert missing["to"] is None
    assert missing["error"] == {"code": "ERR_MODULE_NOT_FOUND", "message": fx.NOT_FOUND_MAIN}
    expr = next(i for i in doc["imports"] if i["kind"] == "dynamic-expr")
    assert expr["specifier"] is None and expr["to"] is None and expr["error"] is None
    cycle = next(f for f in doc["findings"] if f["rule"] == "cycle")
    assert cycle["data"] == {"modules": [fx.A, fx.B]}  # import order kept
    assert doc["summary"] == {
        "modules": len(fx.MODULES),
        "imports": len(fx.IMPORTS),
        "findings": {"error": 3, "warning": 2, "info": 1},
    }


def test_default_version_is_a_string() -> None:
    assert json_report.tool_version()
    doc = json.loads(json_report.render(fx.sample_result()))
    assert doc["tool"]["version"] == json_report.tool_version()


def test_schema_is_shipped_and_valid_2020_12() -> None:
    path = resources.files("graphesm") / "schema" / "graphesm-1.schema.json"
    assert path.is_file()
    schema = json_report.schema()
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    jsonschema.Draft202012Validator.check_schema(schema)


def test_output_validates_against_schema() -> None:
    validator = jsonschema.Draft202012Validator(json_report.schema())
    validator.validate(_doc())
    empty = dataclasses.replace(fx.sample_result(), modules=(), imports=(), findings=())
    validator.validate(_doc(empty))


@pytest.mark.parametrize(
    ("where", "value"),
    [
        (("modules", 0, "kind"), "file"),
        (("modules", 0, "format"), "esm"),
        (("imports", 0, "kind"), "import"),
        (("imports", 0, "attributes_syntax"), "using"),
        (("imports", 0, "line"), 0),
        (("imports", 0, "error"), {"code": "ENOENT", "message": "x"}),
        (("findings", 0, "severity"), "fatal"),
        (("findings", 0, "data"), []),
        (("summary", "findings", "error"), -1),
        (("schema",), "graphesm/2"),
        (("root",), "/work/proj/"),
        (("modules", 0, "extra"), 1),
    ],
)
def test_schema_rejects_bad_documents(where: tuple[str | int, ...], value: object) -> None:
    doc = copy.deepcopy(_doc())
    target: Any = doc
    for step in where[:-1]:
        target = target[step]
    target[where[-1]] = value
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.Draft202012Validator(json_report.schema()).validate(doc)


def test_schema_accepts_a_resolved_import_that_fails_to_load() -> None:
    # e.g. `import 'https://…'` or `import './a.ts'`: Node resolves a URL, then
    # refuses to load it; the import keeps both its `to` and its `error`.
    doc = _doc()
    doc["imports"][0]["error"] = {"code": "ERR_UNKNOWN_FILE_EXTENSION", "message": ""}
    assert doc["imports"][0]["to"] is not None
    jsonschema.Draft202012Validator(json_report.schema()).validate(doc)
