"""A hand-built, realistic ScanResult shared by the graph and reporter tests.

The imaginary project at ``/work/proj``::

    src/main.js          ESM entry: imports lib/a.js, lib/a.js?v=2, a JSON file with
                         attributes, node:fs, a data: URL, a package, an https: URL,
                         a file with a quote and non-ASCII letters in its name,
                         a dynamic import, a non-literal import(), import.meta.resolve,
                         and a missing file (ERR_MODULE_NOT_FOUND)
    src/lib/a.js         -> ./b.js (static), re-exports ./c.js
    src/lib/b.js         -> ./a.js (static): the cycle a -> b -> a
    src/lib/c.js
    src/legacy.cjs       require('./lib/util.cjs'), require('pkg'), require('nope')
    src/lib/util.cjs
    src/config/data.json
    src/ui/naïve "w".js  a file name that needs escaping
    node_modules/pkg/    pkg@1.2.0 with dist/index.mjs and dist/index.cjs
"""

from __future__ import annotations

import dataclasses

from graphesm.model import (
    Finding,
    ImportKind,
    ImportSite,
    Location,
    Module,
    ModuleKind,
    PackageInfo,
    Resolution,
    ScanOptions,
    ScanResult,
    Severity,
)

ROOT = "file:///work/proj/"
MAIN = ROOT + "src/main.js"
A = ROOT + "src/lib/a.js"
A_V2 = A + "?v=2"
B = ROOT + "src/lib/b.js"
C = ROOT + "src/lib/c.js"
LEGACY = ROOT + "src/legacy.cjs"
UTIL = ROOT + "src/lib/util.cjs"
DATA_JSON = ROOT + "src/config/data.json"
NAIVE = ROOT + "src/ui/na%C3%AFve%20%22w%22.js"
PKG_ESM = ROOT + "node_modules/pkg/dist/index.mjs"
PKG_CJS = ROOT + "node_modules/pkg/dist/index.cjs"
FS = "node:fs"
DATA_URL = 'data:text/javascript,export default "back\\\\slash <b>"'
NET = "https://esm.sh/lodash-es@4.17.21"

PKG = PackageInfo("pkg", "1.2.0")


def _local(url: str, path: str, fmt: str | None) -> Module:
    return Module(url, path, ModuleKind.LOCAL, fmt)


MODULES: tuple[Module, ...] = (
    _local(MAIN, "src/main.js", "module"),
    _local(A, "src/lib/a.js", "module"),
    _local(A_V2, "src/lib/a.js", "module"),
    _local(B, "src/lib/b.js", "module"),
    _local(C, "src/lib/c.js", "module"),
    _local(LEGACY, "src/legacy.cjs", "commonjs"),
    _local(UTIL, "src/lib/util.cjs", "commonjs"),
    _local(DATA_JSON, "src/config/data.json", "json"),
    _local(NAIVE, 'src/ui/naïve "w".js', "module"),
    Module(PKG_ESM, "node_modules/pkg/dist/index.mjs", ModuleKind.PACKAGE, "module", PKG),
    Module(PKG_CJS, "node_modules/pkg/dist/index.cjs", ModuleKind.PACKAGE, "commonjs", PKG),
    Module(FS, None, ModuleKind.BUILTIN, "builtin"),
    Module(DATA_URL, None, ModuleKind.DATA, "module"),
    Module(NET, None, ModuleKind.NETWORK, None),
)


def _ok(
    source: str,
    specifier: str | None,
    kind: ImportKind,
    line: int,
    column: int,
    target: str,
    fmt: str | None,
    **site: object,
) -> Resolution:
    return Resolution(
        ImportSite(source, specifier, kind, line, column, **site),  # type: ignore[arg-type]
        target,
        fmt,
        None,
        None,
    )


def _fail(
    source: str, specifier: str, kind: ImportKind, line: int, column: int, code: str, msg: str
) -> Resolution:
    return Resolution(ImportSite(source, specifier, kind, line, column), None, None, code, msg)


NOT_FOUND_MAIN = (
    "Cannot find module '/work/proj/src/missing.js' imported from /work/proj/src/main.js"
)
NOT_FOUND_NOPE = "Cannot find package 'nope' imported from /work/proj/src/legacy.cjs"

IMPORTS: tuple[Resolution, ...] = (
    # listed out of order on purpose: reporters sort
    _ok(A, "./b.js", ImportKind.STATIC, 1, 15, B, "module", names=("b",)),
    _ok(A, "./c.js", ImportKind.EXPORT_FROM, 2, 15, C, "module"),
    _ok(B, "./a.js", ImportKind.STATIC, 1, 19, A, "module", names=("a",)),
    _ok(MAIN, "./lib/a.js", ImportKind.STATIC, 1, 19, A, "module", names=("a",)),
    _ok(MAIN, "./lib/a.js?v=2", ImportKind.SIDE_EFFECT, 2, 8, A_V2, "module"),
    _ok(
        MAIN,
        "./config/data.json",
        ImportKind.STATIC,
        3,
        18,
        DATA_JSON,
        "json",
        attributes=(("type", "json"),),
        attributes_syntax="with",
        names=("default",),
    ),
    _ok(MAIN, "node:fs", ImportKind.STATIC, 4, 16, FS, "builtin", names=("default",)),
    _ok(MAIN, DATA_URL, ImportKind.SIDE_EFFECT, 5, 8, DATA_URL, "module"),
    _ok(MAIN, "pkg", ImportKind.STATIC, 6, 21, PKG_ESM, "module", names=("thing",)),
    _ok(MAIN, NET, ImportKind.STATIC, 7, 19, NET, None, names=("chunk",)),
    _ok(MAIN, './ui/naïve "w".js', ImportKind.STATIC, 8, 16, NAIVE, "module", names=("w",)),
    _fail(MAIN, "./missing.js", ImportKind.STATIC, 9, 21, "ERR_MODULE_NOT_FOUND", NOT_FOUND_MAIN),
    _ok(MAIN, "./lib/c.js", ImportKind.DYNAMIC, 11, 22, C, "module"),
    Resolution(ImportSite(MAIN, None, ImportKind.DYNAMIC_EXPR, 12, 20), None, None, None, None),
    _ok(MAIN, "pkg", ImportKind.IMPORT_META_RESOLVE, 13, 33, PKG_ESM, "module"),
    _ok(LEGACY, "./lib/util.cjs", ImportKind.REQUIRE, 1, 22, UTIL, "commonjs"),
    _ok(LEGACY, "pkg", ImportKind.REQUIRE, 2, 21, PKG_CJS, "commonjs"),
    _fail(LEGACY, "nope", ImportKind.REQUIRE, 3, 22, "ERR_MODULE_NOT_FOUND", NOT_FOUND_NOPE),
)

FINDINGS: tuple[Finding, ...] = (
    Finding(
        "load-error",
        Severity.ERROR,
        NOT_FOUND_NOPE,
        Location(LEGACY, "src/legacy.cjs", 3, 22),
        data={"code": "ERR_MODULE_NOT_FOUND", "specifier": "nope"},
    ),
    Finding(
        "cycle",
        Severity.WARNING,
        "import cycle: src/lib/a.js -> src/lib/b.js -> src/lib/a.js",
        Location(A, "src/lib/a.js", 1, 15),
        related=(Location(B, "src/lib/b.js", 1, 19),),
        data={"modules": [A, B]},
    ),
    Finding(
        "load-error",
        Severity.ERROR,
        NOT_FOUND_MAIN,
        Location(MAIN, "src/main.js", 9, 21),
        data={"specifier": "./missing.js", "code": "ERR_MODULE_NOT_FOUND"},
    ),
    Finding(
        "duplicate-instance",
        Severity.WARNING,
        "src/lib/a.js is loaded as 2 module instances",
        Location(A, "src/lib/a.js", None, None),
        related=(Location(A_V2, "src/lib/a.js"),),
        data={"modules": [A, A_V2]},
    ),
    Finding(
        "unanalyzable-import",
        Severity.INFO,
        "import() with a non-literal specifier",
        Location(MAIN, "src/main.js", 12, 20),
    ),
    Finding(
        "parse-error",
        Severity.ERROR,
        "syntax error: unexpected token '}'",
        Location(ROOT + "src/broken.js", "src/broken.js", 2, 5),
    ),
)


def sample_result() -> ScanResult:
    return ScanResult(
        schema="graphesm/1",
        root=ROOT,
        options=ScanOptions(conditions=("node", "import")),
        modules=MODULES,
        imports=IMPORTS,
        findings=FINDINGS,
    )


def shuffled_result() -> ScanResult:
    """`sample_result` with modules, imports and findings in reverse order."""
    return dataclasses.replace(
        sample_result(),
        modules=tuple(reversed(MODULES)),
        imports=tuple(reversed(IMPORTS)),
        findings=tuple(reversed(FINDINGS)),
    )
