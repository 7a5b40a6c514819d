"""Differential test: graphesm's CommonJS export detection against the real
cjs-module-lexer (the lexer Node 20 uses for ESM named imports from CJS).

Every CommonJS file of the installed real packages (tests/.npm-fixtures) is
lexed by both; the `exports` sets must agree exactly except for the listed,
explained exceptions, and the `reexports` lists too.
"""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest

from graphesm.resolve import Resolver
from graphesm.resolve.urls import path_to_file_url
from graphesm.scan import package_format, scan_file
from graphesm.scan.cjs_exports import lex_cjs

HARNESS = Path(__file__).parent / "differential" / "cjs_lexer.cjs"

# Files where the real lexer throws (its regex/division guess fails): Node then
# sees no named exports; graphesm's tree-sitter parse has no such failure mode.
LEXER_THROWS = "lexer-error"


def _commonjs_files(root: Path) -> list[Path]:
    resolver = Resolver()
    found = []
    for path in sorted(root.rglob("*")):
        if path.suffix not in (".js", ".cjs") or not path.is_file():
            continue
        url = path_to_file_url(str(path))
        fmt = package_format(url, package_type=resolver.package_type)
        if fmt is None:
            fmt = scan_file(str(path), url, path.read_bytes(), None).format
        if fmt == "commonjs":
            found.append(path)
    return found


@pytest.mark.node
def test_cjs_export_names_match_cjs_module_lexer(node_bin: str, npm_modules: Path) -> None:
    files = _commonjs_files(npm_modules)
    assert len(files) >= 1000, len(files)
    lexer = npm_modules / "cjs-module-lexer" / "lexer.js"
    run = subprocess.run(
        [node_bin, str(HARNESS), str(lexer)],
        input=json.dumps([str(f) for f in files]),
        capture_output=True,
        text=True,
        check=True,
    )
    expected = json.loads(run.stdout)
    agree_exports = agree_reexports = 0
    exceptions: dict[str, str] = {}
    for path in files:
        want = expected[str(path)]
        got = lex_cjs(path.read_bytes())
        if "error" in want:
            exceptions[str(path)] = f"{LEXER_THROWS}: {want['error']}"
            continue
        if set(want["exports"]) == set(got.exports):
            agree_exports += 1
        else:
            exceptions[str(path)] = (
                f"exports: missing {sorted(set(want['exports']) - got.exports)}, "
                f"extra {sorted(got.exports - set(want['exports']))}"
            )
        if list(want["reexports"]) == list(got.reexports):
            agree_reexports += 1
        else:
            exceptions.setdefault(
                str(path), f"reexports: want {want['reexports']}, got {list(got.reexports)}"
            )
    report = "\n".join(f"{k}: {v}" for k, v in sorted(exceptions.items()))
    print(
        f"{len(files)} CommonJS files; exports agree on {agree_exports}, "
        f"reexports agree on {agree_reexports}; exceptions:\n{report}"
    )
    unexplained = {k: v for k, v in exceptions.items() if not v.startswith(LEXER_THROWS)}
    assert not unexplained, report


SNIPPETS = [
    "exports.a = 1; exports['b'] = 2; module.exports.c = 3; module.exports['d'] = 4;",
    "exports.e == 1; exports.f += 1; foo.exports.g = 1; exports.h.i = 1;",
    "(function (exports) { exports.a = 'a'; if (false) exports.c = 'c'; })(x);",
    "(function (e) { e.a = 'a'; })(exports);",
    "module.exports = { a, 'b': b, c: c, ...d, e: require('x'), f: 1 };",
    "module.exports = {\n  a: b\n, c };",
    "module.exports = { a() {}, b };",
    "module.exports = { get x() { return 1 }, y };",
    "module.exports = { ...require('a'), ...require('b'), z };",
    "module.exports = require('a');\nif (x) module.exports = require('b');",
    "module.exports = require('a').default;",
    "__exportStar(require('s'), exports); module.exports = { k };",
    "Object.defineProperty(exports, 'a', { enumerable: true, get: function () { return q.p; } });",
    "Object.defineProperty(exports, 'b', { enumerable: true, get () { return b } });",
    "Object.defineProperty(exports, 'c', { get: () => p }); exports.c = 1;",
    "Object.defineProperty(exports, 'd', { value: 'd' });",
    "Object.defineProperty(exports, 'e', { configurable: true, value: 1 }); exports.e = 2;",
    "Object.defineProperty(exports, 'f', { enumerable: true, get: function () { return f(); } });",
    "Object.defineProperty(module.exports, 'g', { get () { return a.b.c } }); exports.g = 1;",
    "Object.defineProperty(exports, 'h', desc); exports.h = 1;",
    "Object.defineProperty(exports, 'i', { get() { return x }, enumerable: true });",
    "exports['\\u0061b'] = 1; exports['\\ud800'] = 2;",
    '"use strict";\nvar _x = require("x");\nObject.keys(_x).forEach(function (key) {\n'
    '  if (key === "default" || key === "__esModule") return;\n'
    "  if (key in exports && exports[key] === _x[key]) return;\n"
    "  Object.defineProperty(exports, key, {\n    enumerable: true,\n"
    "    get: function () {\n      return _x[key];\n    }\n  });\n});\n",
    "var _y = _interopRequireWildcard(require('y'));\nObject.keys(_y).forEach(function (k) {\n"
    "  if (k !== 'default' && !Object.prototype.hasOwnProperty.call(_exportNames, k))"
    " exports[k] = _y[k];\n});\n",
    "var _z = require('z');\nObject.keys(_z).forEach(function (k) { exports[k] = _z[k]; });",
    "function f() { var _w = require('w'); }\n__export(require('t'));",
]


@pytest.mark.node
def test_cjs_lexer_edge_cases(node_bin: str, npm_modules: Path, tmp_path: Path) -> None:
    files = []
    for index, text in enumerate(SNIPPETS):
        path = tmp_path / f"s{index}.cjs"
        path.write_text(text, encoding="utf-8")
        files.append(path)
    run = subprocess.run(
        [node_bin, str(HARNESS), str(npm_modules / "cjs-module-lexer" / "lexer.js")],
        input=json.dumps([str(f) for f in files]),
        capture_output=True,
        text=True,
        check=True,
    )
    expected = json.loads(run.stdout)
    for path, text in zip(files, SNIPPETS, strict=True):
        want = expected[str(path)]
        got = lex_cjs(path.read_bytes())
        assert (set(want["exports"]), want["reexports"]) == (
            set(got.exports),
            list(got.reexports),
        ), text
