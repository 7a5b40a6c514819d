# ruff: noqa: E501
"""Unit tests per procedure of Node's ESM resolver, on the in-memory file system.

Every tree below is also materialised on disk by test_expectations_come_from_node
(marked `node`), which runs the real node binary (tests/differential) on it and
checks that EXPECTED is exactly what Node 20.20 answers. EXPECTED was produced
that way, not written by hand: ("url", format) or ("error", code). Where Node
itself crashes with a plain JS error (URIError, TypeError), any ResolveError is
accepted (issue 2).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

JS = "export default 1;\n"
CJS = "module.exports = 1;\n"
MAIN = "/proj/src/main.js"

TREES: dict[str, dict[str, Any]] = {
    "esm": {
        "files": {
            "/proj/package.json": '{"name": "proj", "type": "module"}',
            "/proj/src/main.js": JS,
            "/proj/src/util.js": JS,
            "/proj/src/dir/index.js": JS,
            "/proj/src/data.json": "{}",
            "/proj/src/lib.cjs": CJS,
            "/proj/src/noext": JS,
            "/proj/src/a b.js": JS,
            "/proj/other.js": JS,
        }
    },
    "packages": {
        "files": {
            "/proj/package.json": '{"name": "proj", "type": "module"}',
            "/proj/src/main.js": JS,
            "/proj/src/deep/x.js": JS,
            "/proj/node_modules/plain/package.json": '{"name": "plain", "main": "lib/entry.js"}',
            "/proj/node_modules/plain/lib/entry.js": CJS,
            "/proj/node_modules/plain/lib/other.js": CJS,
            "/proj/node_modules/noext-main/package.json": '{"main": "lib/entry"}',
            "/proj/node_modules/noext-main/lib/entry.js": CJS,
            "/proj/node_modules/dir-main/package.json": '{"main": "lib"}',
            "/proj/node_modules/dir-main/lib/index.js": CJS,
            "/proj/node_modules/missing-main/package.json": '{"main": "gone.js"}',
            "/proj/node_modules/missing-main/index.js": CJS,
            "/proj/node_modules/no-main/package.json": "{}",
            "/proj/node_modules/no-main/index.js": CJS,
            "/proj/node_modules/nothing/package.json": "{}",
            "/proj/node_modules/nopj/index.js": CJS,
            "/proj/node_modules/@sc/pkg/package.json": '{"name": "@sc/pkg", "exports": "./i.mjs"}',
            "/proj/node_modules/@sc/pkg/i.mjs": JS,
            "/proj/node_modules/fs/package.json": '{"name": "fs"}',
            "/proj/node_modules/fs/index.js": CJS,
            "/proj/src/node_modules/plain/package.json": '{"name": "plain", "main": "near.js"}',
            "/proj/src/node_modules/plain/near.js": CJS,
            "/node_modules/rootpkg/package.json": '{"name": "rootpkg", "exports": "./r.js"}',
            "/node_modules/rootpkg/r.js": CJS,
        }
    },
    "self": {
        "files": {
            "/proj/package.json": '{"name": "@me/self", "type": "module", "exports": {".": "./src/main.js", "./u": "./src/util.js"}}',
            "/proj/src/main.js": JS,
            "/proj/src/util.js": JS,
            "/proj/sub/package.json": '{"name": "sub-self"}',
            "/proj/sub/x.js": JS,
            "/proj/node_modules/@me/self/package.json": '{"name": "@me/self", "exports": "./nm.js"}',
            "/proj/node_modules/@me/self/nm.js": CJS,
        }
    },
    "exports": {
        "files": {
            "/proj/package.json": '{"type": "module"}',
            "/proj/src/main.js": JS,
            "/proj/node_modules/str/package.json": '{"exports": "./m.js"}',
            "/proj/node_modules/str/m.js": CJS,
            "/proj/node_modules/sugar/package.json": '{"exports": {"import": "./i.mjs", "require": "./r.cjs"}}',
            "/proj/node_modules/sugar/i.mjs": JS,
            "/proj/node_modules/sugar/r.cjs": CJS,
            "/proj/node_modules/mixed/package.json": '{"exports": {".": "./a.js", "import": "./b.js"}}',
            "/proj/node_modules/mixed/a.js": CJS,
            "/proj/node_modules/subs/package.json": '{"type": "module", "exports": {".": "./index.js", "./sub": "./sub.js", "./dir/": "./lib/", "./pj": "./package.json"}}',
            "/proj/node_modules/subs/index.js": JS,
            "/proj/node_modules/subs/sub.js": JS,
            "/proj/node_modules/subs/lib/x.js": JS,
            "/proj/node_modules/nomain/package.json": '{"exports": {"./sub": "./sub.js"}}',
            "/proj/node_modules/nomain/sub.js": CJS,
            "/proj/node_modules/badjson/package.json": '{"exports": ',
            "/proj/node_modules/badjson/index.js": CJS,
            "/proj/node_modules/nulljson/package.json": "null",
            "/proj/node_modules/nulljson/index.js": CJS,
            "/proj/node_modules/arrjson/package.json": '["x"]',
            "/proj/node_modules/arrjson/index.js": CJS,
            "/proj/node_modules/bom/package.json": '\ufeff{"exports": "./b.js"}',
            "/proj/node_modules/bom/b.js": CJS,
            "/proj/node_modules/expnum/package.json": '{"exports": 7, "main": "m.js"}',
            "/proj/node_modules/expnum/m.js": CJS,
            "/proj/node_modules/expnull/package.json": '{"exports": null, "main": "m.js"}',
            "/proj/node_modules/expnull/m.js": CJS,
        }
    },
    "patterns": {
        "files": {
            "/proj/package.json": '{"type": "module"}',
            "/proj/src/main.js": JS,
            "/proj/node_modules/pat/package.json": (
                '{"exports": {"./*": "./all/*.js", "./a/*": "./a/*.js", "./a/b/*": "./ab/*.js",'
                ' "./*.js": "./js/*.js", "./x/*/y": "./xy/*.js", "./priv/*": null,'
                ' "./many/*": "./m/*/*.js", "./exact": "./exact.js", "./exact*": "./ex/*.js"}}'
            ),
            "/proj/node_modules/pat/all/k.js": CJS,
            "/proj/node_modules/pat/a/k.js": CJS,
            "/proj/node_modules/pat/ab/k.js": CJS,
            "/proj/node_modules/pat/js/k.js": CJS,
            "/proj/node_modules/pat/xy/k.js": CJS,
            "/proj/node_modules/pat/m/k/k.js": CJS,
            "/proj/node_modules/pat/exact.js": CJS,
            "/proj/node_modules/pat/ex/k.js": CJS,
            "/proj/node_modules/pat/all/priv/k.js": CJS,
        }
    },
    "targets": {
        "files": {
            "/proj/package.json": (
                '{"name": "proj", "type": "module", "imports": {'
                '"#c": {"browser": "./src/b.js", "node": "./src/n.js", "default": "./src/d.js"},'
                '"#order": {"default": "./src/d.js", "node": "./src/n.js"},'
                '"#nested": {"node": {"require": "./src/r.cjs", "import": "./src/n.js"}},'
                '"#arr": ["../bad.js", "./src/d.js"], "#arr-miss": ["./src/missing.js", "./src/d.js"],'
                '"#arr-bad": ["/a.js", "../b.js"], "#null": null, "#cnull": {"node": null, "default": "./src/d.js"},'
                '"#dot": "./src/./d.js", "#dotdot": "./src/../src/d.js", "#nm": "./node_modules/x.js",'
                '"#NM": "./Node_Modules/x.js", "#pctnm": "./node%5fmodules/x.js", "#pctdot": "./src/%2E%2E/d.js",'
                '"#bare": "dep", "#builtin": "fs", "#url": "https://e.com/x.js", "#num": 3,'
                '"#pat/*": "./src/p/*.js", "#pat/deep/*": "./src/deep/*.js", "#/x": "./src/d.js",'
                '"#numkey": {"1": "./src/d.js"}}}'
            ),
            "/proj/src/main.js": JS,
            "/proj/src/b.js": JS,
            "/proj/src/n.js": JS,
            "/proj/src/d.js": JS,
            "/proj/src/r.cjs": CJS,
            "/proj/src/p/k.js": JS,
            "/proj/src/deep/k.js": JS,
            "/proj/node_modules/dep/package.json": '{"exports": "./dep.js"}',
            "/proj/node_modules/dep/dep.js": CJS,
        }
    },
    "formats": {
        "files": {
            "/proj/m/package.json": '{"type": "module"}',
            "/proj/c/package.json": '{"type": "commonjs"}',
            "/proj/bad/package.json": "{nope",
            "/proj/t/package.json": '{"type": "weird"}',
            "/proj/m/node_modules/package.json": '{"type": "commonjs"}',
            **{
                f"/proj/{d}/f.{e}": JS
                for d in ["m", "c", "n", "bad", "t"]
                for e in ["js", "mjs", "cjs", "json", "wasm", "node", "txt"]
            },
            **{f"/proj/{d}/noext": JS for d in ["m", "c", "n", "t"]},
            "/proj/m/node_modules/dep/index.js": CJS,
            "/proj/m/main.js": JS,
        }
    },
    "symlinks": {
        "files": {
            "/proj/package.json": '{"name": "proj", "type": "module"}',
            "/proj/src/main.js": JS,
            "/proj/src/real.js": JS,
            "/store/pkg/package.json": '{"name": "linked", "exports": "./i.js"}',
            "/store/pkg/i.js": CJS,
            "/store/dir/f.js": JS,
        },
        "symlinks": {
            "/proj/src/alias.js": "real.js",
            "/proj/src/dangling.js": "nope.js",
            "/proj/src/loop.js": "loop.js",
            "/proj/node_modules/linked": "../../store/pkg",
            "/proj/src/ldir": "/store/dir",
        },
    },
}

# (id, tree, specifier, parent path or URL, conditions, preserve_symlinks)
CASES: list[tuple[str, str, str, str, list[str] | None, bool]] = []


def c(
    cid: str,
    tree: str,
    spec: str,
    parent: str = MAIN,
    conds: list[str] | None = None,
    preserve: bool = False,
) -> None:
    CASES.append((cid, tree, spec, parent, conds, preserve))


# ESM_RESOLVE
for cid, spec in [
    ("relative", "./util.js"),
    ("parent-relative", "../other.js"),
    ("absolute", "/proj/src/util.js"),
    ("file-url", "file:///proj/src/util.js"),
    ("query-fragment", "./util.js?a#b"),
    ("dir", "./dir"),
    ("dir-slash", "./dir/"),
    ("missing", "./nope.js"),
    ("no-extension", "./util"),
    ("pct2f", "./a%2fb.js"),
    ("pct5c", "./a%5Cb.js"),
    ("space", "./a b.js"),
    ("pct-dotdot", "./dir/%2e%2e/util.js"),
    ("lone-pct", "./%"),
    ("json", "./data.json"),
    ("cjs", "./lib.cjs"),
    ("noext-file", "./noext"),
    ("node-builtin", "node:fs"),
    ("bare-builtin", "fs"),
    ("node-unknown", "node:nope"),
    ("https", "https://e.com/x.js"),
    ("unknown-scheme", "foo:bar"),
    ("data-js", "data:text/javascript,1"),
    ("data-json", "data:application/json,1"),
    ("empty", ""),
    ("hash-alone", "#"),
    ("file-host", "file://host/x.js"),
    ("NODE-upper", "NODE:fs"),
    ("long", "./" + "x" * 5000),
]:
    c(f"esm_resolve-{cid}", "esm", spec)
c("esm_resolve-from-data-relative", "esm", "./x.js", "data:text/javascript,1")
c("esm_resolve-from-data-builtin", "esm", "fs", "data:text/javascript,1")
c("esm_resolve-from-data-bare", "esm", "plain", "data:text/javascript,1")
# PACKAGE_RESOLVE
for cid, spec in [
    ("legacy-main", "plain"),
    ("subpath-no-exports", "plain/lib/other.js"),
    ("main-no-extension", "noext-main"),
    ("main-dir", "dir-main"),
    ("main-missing-index", "missing-main"),
    ("no-main-index", "no-main"),
    ("no-index", "nothing"),
    ("no-package-json", "nopj"),
    ("scoped", "@sc/pkg"),
    ("scoped-no-name", "@sc"),
    ("invalid-dot", ".x"),
    ("invalid-pct", "a%2fb"),
    ("invalid-backslash", "a\\b"),
    ("not-found", "nope"),
    ("builtin-shadows", "fs"),
    ("builtin-subpath-pkg", "fs/index.js"),
    ("node-test-bare", "test"),
    ("root-node-modules", "rootpkg"),
    ("trailing-slash", "plain/"),
]:
    c(f"package_resolve-{cid}", "packages", spec)
c("package_resolve-nearest-first", "packages", "plain", "/proj/src/deep/x.js")
# PACKAGE_SELF_RESOLVE
c("package_self_resolve-root", "self", "@me/self")
c("package_self_resolve-subpath", "self", "@me/self/u")
c("package_self_resolve-not-exported", "self", "@me/self/src/util.js")
c("package_self_resolve-other-scope", "self", "@me/self", "/proj/sub/x.js")
c("package_self_resolve-no-exports", "self", "sub-self", "/proj/sub/x.js")
# PACKAGE_EXPORTS_RESOLVE / READ_PACKAGE_JSON
for cid, spec in [
    ("string", "str"),
    ("string-subpath", "str/m.js"),
    ("sugar", "sugar"),
    ("mixed-keys", "mixed"),
    ("subpath", "subs/sub"),
    ("not-exported", "subs/index.js"),
    ("trailing-slash-key", "subs/dir/x.js"),
    ("package-json-export", "subs/pj"),
    ("no-main-export", "nomain"),
    ("read-invalid-json", "badjson"),
    ("read-null", "nulljson"),
    ("read-array", "arrjson"),
    ("read-bom", "bom"),
    ("exports-number", "expnum"),
    ("exports-null-legacy", "expnull"),
]:
    c(f"package_exports_resolve-{cid}", "exports", spec)
c("package_exports_resolve-sugar-require", "exports", "sugar", MAIN, ["require"])
c("package_exports_resolve-sugar-none", "exports", "sugar", MAIN, [])
# PACKAGE_IMPORTS_EXPORTS_RESOLVE / PATTERN_KEY_COMPARE
for cid, sub in [
    ("star", "k"),
    ("longer-prefix", "a/k"),
    ("longest-prefix", "a/b/k"),
    ("suffix", "k.js"),
    ("middle-star", "x/k/y"),
    ("null-pattern", "priv/k"),
    ("multi-star-target", "many/k"),
    ("exact-over-pattern", "exact"),
    ("exact-star", "exactk"),
    ("dotdot-in-match", "a/../k"),
    ("empty-match", "a/"),
    ("nm-in-match", "a/node_modules/k"),
]:
    c(f"pattern-{cid}", "patterns", f"pat/{sub}")
# PACKAGE_IMPORTS_RESOLVE / PACKAGE_TARGET_RESOLVE
for key in [
    "#c",
    "#order",
    "#nested",
    "#arr",
    "#arr-miss",
    "#arr-bad",
    "#null",
    "#cnull",
    "#dot",
    "#dotdot",
    "#nm",
    "#NM",
    "#pctnm",
    "#pctdot",
    "#bare",
    "#builtin",
    "#url",
    "#num",
    "#pat/k",
    "#pat/deep/k",
    "#pat/../d",
    "#/x",
    "#",
    "#missing",
    "#numkey",
]:
    c(f"package_target_resolve-{key[1:].replace('/', '_') or 'hash'}", "targets", key)
for name, conds in [("browser", ["browser"]), ("require", ["node", "require"]), ("empty", [])]:
    c(f"package_target_resolve-c-{name}", "targets", "#c", MAIN, conds)
    c(f"package_target_resolve-nested-{name}", "targets", "#nested", MAIN, conds)
# ESM_FILE_FORMAT / LOOKUP_PACKAGE_SCOPE
for d in ["m", "c", "n", "bad", "t"]:
    for e in ["js", "mjs", "cjs", "json", "wasm", "node", "txt"]:
        c(f"esm_file_format-{d}-{e}", "formats", f"/proj/{d}/f.{e}", "/proj/m/main.js")
    if d != "bad":
        c(f"esm_file_format-{d}-noext", "formats", f"/proj/{d}/noext", "/proj/m/main.js")
c("lookup_package_scope-stops-at-node_modules", "formats", "dep", "/proj/m/main.js")
# symlinks (realpath), --preserve-symlinks
for cid, spec in [
    ("file", "./alias.js"),
    ("file-query", "./alias.js?q#h"),
    ("dangling", "./dangling.js"),
    ("loop", "./loop.js"),
    ("package", "linked"),
    ("dir", "./ldir/f.js"),
]:
    c(f"symlink-{cid}", "symlinks", spec)
    c(f"symlink-preserve-{cid}", "symlinks", spec, MAIN, None, True)


# Produced by node_expectations() on Node v20.20.2; re-checked by test_expectations_come_from_node.
EXPECTED: dict[str, tuple[str, Any]] = {
    "esm_resolve-relative": ("url", "file:///proj/src/util.js", "module"),
    "esm_resolve-parent-relative": ("url", "file:///proj/other.js", "module"),
    "esm_resolve-absolute": ("url", "file:///proj/src/util.js", "module"),
    "esm_resolve-file-url": ("url", "file:///proj/src/util.js", "module"),
    "esm_resolve-query-fragment": ("url", "file:///proj/src/util.js?a#b", "module"),
    "esm_resolve-dir": ("error", "ERR_UNSUPPORTED_DIR_IMPORT"),
    "esm_resolve-dir-slash": ("error", "ERR_UNSUPPORTED_DIR_IMPORT"),
    "esm_resolve-missing": ("error", "ERR_MODULE_NOT_FOUND"),
    "esm_resolve-no-extension": ("error", "ERR_MODULE_NOT_FOUND"),
    "esm_resolve-pct2f": ("error", "ERR_INVALID_MODULE_SPECIFIER"),
    "esm_resolve-pct5c": ("error", "ERR_INVALID_MODULE_SPECIFIER"),
    "esm_resolve-space": ("url", "file:///proj/src/a%20b.js", "module"),
    "esm_resolve-pct-dotdot": ("url", "file:///proj/src/util.js", "module"),
    "esm_resolve-lone-pct": ("error", "URIError"),
    "esm_resolve-json": ("url", "file:///proj/src/data.json", "json"),
    "esm_resolve-cjs": ("url", "file:///proj/src/lib.cjs", "commonjs"),
    "esm_resolve-noext-file": ("url", "file:///proj/src/noext", "module"),
    "esm_resolve-node-builtin": ("url", "node:fs", None),
    "esm_resolve-bare-builtin": ("url", "node:fs", "builtin"),
    "esm_resolve-node-unknown": ("url", "node:nope", None),
    "esm_resolve-https": ("url", "https://e.com/x.js", None),
    "esm_resolve-unknown-scheme": ("url", "foo:bar", None),
    "esm_resolve-data-js": ("url", "data:text/javascript,1", None),
    "esm_resolve-data-json": ("url", "data:application/json,1", None),
    "esm_resolve-empty": ("error", "ERR_MODULE_NOT_FOUND"),
    "esm_resolve-hash-alone": ("error", "ERR_INVALID_MODULE_SPECIFIER"),
    "esm_resolve-file-host": ("error", "ERR_INVALID_FILE_URL_HOST"),
    "esm_resolve-NODE-upper": ("url", "NODE:fs", None),
    "esm_resolve-long": ("error", "ERR_MODULE_NOT_FOUND"),
    "esm_resolve-from-data-relative": ("error", "ERR_UNSUPPORTED_RESOLVE_REQUEST"),
    "esm_resolve-from-data-builtin": ("url", "node:fs", "builtin"),
    "esm_resolve-from-data-bare": ("error", "ERR_UNSUPPORTED_RESOLVE_REQUEST"),
    "package_resolve-legacy-main": ("url", "file:///proj/src/node_modules/plain/near.js", None),
    "package_resolve-subpath-no-exports": ("error", "ERR_MODULE_NOT_FOUND"),
    "package_resolve-main-no-extension": (
        "url",
        "file:///proj/node_modules/noext-main/lib/entry.js",
        None,
    ),
    "package_resolve-main-dir": ("url", "file:///proj/node_modules/dir-main/lib/index.js", None),
    "package_resolve-main-missing-index": (
        "url",
        "file:///proj/node_modules/missing-main/index.js",
        None,
    ),
    "package_resolve-no-main-index": ("url", "file:///proj/node_modules/no-main/index.js", None),
    "package_resolve-no-index": ("error", "ERR_MODULE_NOT_FOUND"),
    "package_resolve-no-package-json": ("url", "file:///proj/node_modules/nopj/index.js", None),
    "package_resolve-scoped": ("url", "file:///proj/node_modules/@sc/pkg/i.mjs", "module"),
    "package_resolve-scoped-no-name": ("error", "ERR_INVALID_MODULE_SPECIFIER"),
    "package_resolve-invalid-dot": ("error", "ERR_INVALID_MODULE_SPECIFIER"),
    "package_resolve-invalid-pct": ("error", "ERR_INVALID_MODULE_SPECIFIER"),
    "package_resolve-invalid-backslash": ("error", "ERR_INVALID_MODULE_SPECIFIER"),
    "package_resolve-not-found": ("error", "ERR_MODULE_NOT_FOUND"),
    "package_resolve-builtin-shadows": ("url", "node:fs", "builtin"),
    "package_resolve-builtin-subpath-pkg": ("url", "file:///proj/node_modules/fs/index.js", None),
    "package_resolve-node-test-bare": ("error", "ERR_MODULE_NOT_FOUND"),
    "package_resolve-root-node-modules": ("url", "file:///node_modules/rootpkg/r.js", None),
    "package_resolve-trailing-slash": ("error", "ERR_UNSUPPORTED_DIR_IMPORT"),
    "package_resolve-nearest-first": ("url", "file:///proj/src/node_modules/plain/near.js", None),
    "package_self_resolve-root": ("url", "file:///proj/src/main.js", "module"),
    "package_self_resolve-subpath": ("url", "file:///proj/src/util.js", "module"),
    "package_self_resolve-not-exported": ("error", "ERR_PACKAGE_PATH_NOT_EXPORTED"),
    "package_self_resolve-other-scope": ("url", "file:///proj/node_modules/@me/self/nm.js", None),
    "package_self_resolve-no-exports": ("error", "ERR_MODULE_NOT_FOUND"),
    "package_exports_resolve-string": ("url", "file:///proj/node_modules/str/m.js", None),
    "package_exports_resolve-string-subpath": ("error", "ERR_PACKAGE_PATH_NOT_EXPORTED"),
    "package_exports_resolve-sugar": ("url", "file:///proj/node_modules/sugar/i.mjs", "module"),
    "package_exports_resolve-mixed-keys": ("error", "ERR_INVALID_PACKAGE_CONFIG"),
    "package_exports_resolve-subpath": ("url", "file:///proj/node_modules/subs/sub.js", "module"),
    "package_exports_resolve-not-exported": ("error", "ERR_PACKAGE_PATH_NOT_EXPORTED"),
    "package_exports_resolve-trailing-slash-key": ("error", "ERR_PACKAGE_PATH_NOT_EXPORTED"),
    "package_exports_resolve-package-json-export": (
        "url",
        "file:///proj/node_modules/subs/package.json",
        "json",
    ),
    "package_exports_resolve-no-main-export": ("error", "ERR_PACKAGE_PATH_NOT_EXPORTED"),
    "package_exports_resolve-read-invalid-json": ("error", "ERR_INVALID_PACKAGE_CONFIG"),
    "package_exports_resolve-read-null": ("error", "TypeError"),
    "package_exports_resolve-read-array": (
        "url",
        "file:///proj/node_modules/arrjson/index.js",
        None,
    ),
    "package_exports_resolve-read-bom": ("url", "file:///proj/node_modules/bom/b.js", None),
    "package_exports_resolve-exports-number": ("error", "ERR_PACKAGE_PATH_NOT_EXPORTED"),
    "package_exports_resolve-exports-null-legacy": (
        "url",
        "file:///proj/node_modules/expnull/m.js",
        None,
    ),
    "package_exports_resolve-sugar-require": (
        "url",
        "file:///proj/node_modules/sugar/r.cjs",
        "commonjs",
    ),
    "package_exports_resolve-sugar-none": ("error", "ERR_PACKAGE_PATH_NOT_EXPORTED"),
    "pattern-star": ("url", "file:///proj/node_modules/pat/all/k.js", None),
    "pattern-longer-prefix": ("url", "file:///proj/node_modules/pat/a/k.js", None),
    "pattern-longest-prefix": ("url", "file:///proj/node_modules/pat/ab/k.js", None),
    "pattern-suffix": ("url", "file:///proj/node_modules/pat/js/k.js", None),
    "pattern-middle-star": ("url", "file:///proj/node_modules/pat/xy/k.js", None),
    "pattern-null-pattern": ("error", "ERR_PACKAGE_PATH_NOT_EXPORTED"),
    "pattern-multi-star-target": ("url", "file:///proj/node_modules/pat/m/k/k.js", None),
    "pattern-exact-over-pattern": ("url", "file:///proj/node_modules/pat/exact.js", None),
    "pattern-exact-star": ("url", "file:///proj/node_modules/pat/ex/k.js", None),
    "pattern-dotdot-in-match": ("error", "ERR_INVALID_MODULE_SPECIFIER"),
    "pattern-empty-match": ("error", "ERR_MODULE_NOT_FOUND"),
    "pattern-nm-in-match": ("error", "ERR_INVALID_MODULE_SPECIFIER"),
    "package_target_resolve-c": ("url", "file:///proj/src/n.js", "module"),
    "package_target_resolve-order": ("url", "file:///proj/src/d.js", "module"),
    "package_target_resolve-nested": ("url", "file:///proj/src/n.js", "module"),
    "package_target_resolve-arr": ("url", "file:///proj/src/d.js", "module"),
    "package_target_resolve-arr-miss": ("error", "ERR_MODULE_NOT_FOUND"),
    "package_target_resolve-arr-bad": ("error", "ERR_INVALID_PACKAGE_TARGET"),
    "package_target_resolve-null": ("error", "ERR_PACKAGE_IMPORT_NOT_DEFINED"),
    "package_target_resolve-cnull": ("error", "ERR_PACKAGE_IMPORT_NOT_DEFINED"),
    "package_target_resolve-dot": ("error", "ERR_INVALID_PACKAGE_TARGET"),
    "package_target_resolve-dotdot": ("error", "ERR_INVALID_PACKAGE_TARGET"),
    "package_target_resolve-nm": ("error", "ERR_INVALID_PACKAGE_TARGET"),
    "package_target_resolve-NM": ("error", "ERR_INVALID_PACKAGE_TARGET"),
    "package_target_resolve-pctnm": ("error", "ERR_INVALID_PACKAGE_TARGET"),
    "package_target_resolve-pctdot": ("error", "ERR_INVALID_PACKAGE_TARGET"),
    "package_target_resolve-bare": ("url", "file:///proj/node_modules/dep/dep.js", None),
    "package_target_resolve-builtin": ("url", "node:fs", "builtin"),
    "package_target_resolve-url": ("error", "ERR_INVALID_PACKAGE_TARGET"),
    "package_target_resolve-num": ("error", "ERR_INVALID_PACKAGE_TARGET"),
    "package_target_resolve-pat_k": ("url", "file:///proj/src/p/k.js", "module"),
    "package_target_resolve-pat_deep_k": ("url", "file:///proj/src/deep/k.js", "module"),
    "package_target_resolve-pat_.._d": ("error", "ERR_INVALID_MODULE_SPECIFIER"),
    "package_target_resolve-_x": ("error", "ERR_INVALID_MODULE_SPECIFIER"),
    "package_target_resolve-hash": ("error", "ERR_INVALID_MODULE_SPECIFIER"),
    "package_target_resolve-missing": ("error", "ERR_PACKAGE_IMPORT_NOT_DEFINED"),
    "package_target_resolve-numkey": ("error", "ERR_INVALID_PACKAGE_CONFIG"),
    "package_target_resolve-c-browser": ("url", "file:///proj/src/b.js", "module"),
    "package_target_resolve-nested-browser": ("error", "ERR_PACKAGE_IMPORT_NOT_DEFINED"),
    "package_target_resolve-c-require": ("url", "file:///proj/src/n.js", "module"),
    "package_target_resolve-nested-require": ("url", "file:///proj/src/r.cjs", "commonjs"),
    "package_target_resolve-c-empty": ("url", "file:///proj/src/d.js", "module"),
    "package_target_resolve-nested-empty": ("error", "ERR_PACKAGE_IMPORT_NOT_DEFINED"),
    "esm_file_format-m-js": ("url", "file:///proj/m/f.js", "module"),
    "esm_file_format-m-mjs": ("url", "file:///proj/m/f.mjs", "module"),
    "esm_file_format-m-cjs": ("url", "file:///proj/m/f.cjs", "commonjs"),
    "esm_file_format-m-json": ("url", "file:///proj/m/f.json", "json"),
    "esm_file_format-m-wasm": ("url", "file:///proj/m/f.wasm", None),
    "esm_file_format-m-node": ("url", "file:///proj/m/f.node", None),
    "esm_file_format-m-txt": ("url", "file:///proj/m/f.txt", None),
    "esm_file_format-m-noext": ("url", "file:///proj/m/noext", "module"),
    "esm_file_format-c-js": ("url", "file:///proj/c/f.js", "commonjs"),
    "esm_file_format-c-mjs": ("url", "file:///proj/c/f.mjs", "module"),
    "esm_file_format-c-cjs": ("url", "file:///proj/c/f.cjs", "commonjs"),
    "esm_file_format-c-json": ("url", "file:///proj/c/f.json", "json"),
    "esm_file_format-c-wasm": ("url", "file:///proj/c/f.wasm", None),
    "esm_file_format-c-node": ("url", "file:///proj/c/f.node", None),
    "esm_file_format-c-txt": ("url", "file:///proj/c/f.txt", None),
    "esm_file_format-c-noext": ("url", "file:///proj/c/noext", "commonjs"),
    "esm_file_format-n-js": ("url", "file:///proj/n/f.js", None),
    "esm_file_format-n-mjs": ("url", "file:///proj/n/f.mjs", "module"),
    "esm_file_format-n-cjs": ("url", "file:///proj/n/f.cjs", "commonjs"),
    "esm_file_format-n-json": ("url", "file:///proj/n/f.json", "json"),
    "esm_file_format-n-wasm": ("url", "file:///proj/n/f.wasm", None),
    "esm_file_format-n-node": ("url", "file:///proj/n/f.node", None),
    "esm_file_format-n-txt": ("url", "file:///proj/n/f.txt", None),
    "esm_file_format-n-noext": ("url", "file:///proj/n/noext", None),
    "esm_file_format-bad-js": ("error", "ERR_INVALID_PACKAGE_CONFIG"),
    "esm_file_format-bad-mjs": ("url", "file:///proj/bad/f.mjs", "module"),
    "esm_file_format-bad-cjs": ("url", "file:///proj/bad/f.cjs", "commonjs"),
    "esm_file_format-bad-json": ("url", "file:///proj/bad/f.json", "json"),
    "esm_file_format-bad-wasm": ("url", "file:///proj/bad/f.wasm", None),
    "esm_file_format-bad-node": ("url", "file:///proj/bad/f.node", None),
    "esm_file_format-bad-txt": ("url", "file:///proj/bad/f.txt", None),
    "esm_file_format-t-js": ("url", "file:///proj/t/f.js", None),
    "esm_file_format-t-mjs": ("url", "file:///proj/t/f.mjs", "module"),
    "esm_file_format-t-cjs": ("url", "file:///proj/t/f.cjs", "commonjs"),
    "esm_file_format-t-json": ("url", "file:///proj/t/f.json", "json"),
    "esm_file_format-t-wasm": ("url", "file:///proj/t/f.wasm", None),
    "esm_file_format-t-node": ("url", "file:///proj/t/f.node", None),
    "esm_file_format-t-txt": ("url", "file:///proj/t/f.txt", None),
    "esm_file_format-t-noext": ("url", "file:///proj/t/noext", None),
    "lookup_package_scope-stops-at-node_modules": (
        "url",
        "file:///proj/m/node_modules/dep/index.js",
        None,
    ),
    "symlink-file": ("url", "file:///proj/src/real.js", "module"),
    "symlink-preserve-file": ("url", "file:///proj/src/alias.js", "module"),
    "symlink-file-query": ("url", "file:///proj/src/real.js?q#h", "module"),
    "symlink-preserve-file-query": ("url", "file:///proj/src/alias.js?q#h", "module"),
    "symlink-dangling": ("error", "ERR_MODULE_NOT_FOUND"),
    "symlink-preserve-dangling": ("error", "ERR_MODULE_NOT_FOUND"),
    "symlink-loop": ("error", "ERR_MODULE_NOT_FOUND"),
    "symlink-preserve-loop": ("error", "ERR_MODULE_NOT_FOUND"),
    "symlink-package": ("url", "file:///store/pkg/i.js", None),
    "symlink-preserve-package": ("url", "file:///proj/node_modules/linked/i.js", None),
    "symlink-dir": ("url", "file:///store/dir/f.js", None),
    "symlink-preserve-dir": ("url", "file:///proj/src/ldir/f.js", "module"),
}


def parent_url(parent: str) -> str:
    return parent if ":" in parent else "file://" + parent


def materialise(tree: dict[str, Any], root: Path) -> None:
    """Write a MemoryFS tree under root (root plays '/'; absolute link targets move too)."""
    import os

    for path, content in tree.get("files", {}).items():
        p = root / path.lstrip("/")
        p.parent.mkdir(parents=True, exist_ok=True)
        p.write_bytes(content.encode() if isinstance(content, str) else content)
    for path, target in tree.get("symlinks", {}).items():
        p = root / path.lstrip("/")
        p.parent.mkdir(parents=True, exist_ok=True)
        os.symlink(str(root / target.lstrip("/")) if target.startswith("/") else target, p)


def node_expectations(node_bin: str, root: Path) -> dict[str, tuple[str, Any]]:
    """What real Node answers for every case, with root mapped back to '/'."""
    from differential.harness import run_node

    for name, tree in TREES.items():
        materialise(tree, root / name)
    out: dict[str, tuple[str, Any]] = {}
    for preserve in (False, True):
        batch = [c for c in CASES if c[5] == preserve]
        cases = []
        for _cid, tree, spec, parent, conds, _ in batch:
            base = (root / tree).as_uri()
            spec_disk = (
                spec.replace("file:///", base + "/") if spec.startswith("file:///") else spec
            )
            if spec_disk.startswith("/"):
                spec_disk = str(root / tree) + spec_disk
            cases.append(
                {
                    "specifier": spec_disk,
                    "conditions": conds,
                    "parent": parent if ":" in parent else base + parent,
                }
            )
        answer = run_node(node_bin, cases, ["--preserve-symlinks"] if preserve else [])
        for (cid, tree, *_), result in zip(batch, answer["results"], strict=True):
            if "error" in result:
                out[cid] = ("error", result["error"])
            else:
                url = result["url"].replace((root / tree).as_uri() + "/", "file:///")
                out[cid] = ("url", url, result["format"])
    return out


@pytest.mark.parametrize("cid", [c[0] for c in CASES])
def test_procedure(cid: str) -> None:
    from differential.harness import graphesm_answer, same, short

    from graphesm.fs import MemoryFS
    from graphesm.resolve import Resolver

    _, tree, spec, parent, conds, preserve = next(c for c in CASES if c[0] == cid)
    fs = MemoryFS(files=TREES[tree]["files"], symlinks=TREES[tree].get("symlinks"))
    resolver = Resolver(fs=fs, preserve_symlinks=preserve)
    ours = graphesm_answer(spec, parent_url(parent), conds, resolver=resolver)
    exp = EXPECTED[cid]
    node = {"error": exp[1]} if exp[0] == "error" else {"url": exp[1], "format": exp[2]}
    assert same(node, ours), (
        f"{cid}: {spec[:80]!r} from {parent} {conds}\n node: {short(node)}\n ours: {short(ours)}"
    )


@pytest.mark.node
def test_expectations_come_from_node(node_bin: str, tmp_path: Path) -> None:
    assert node_expectations(node_bin, tmp_path) == EXPECTED
