# ruff: noqa: E501
"""Hand-written differential cases over tests/fixtures/resolve and a runtime tree.

Each case is (id, specifier, parent, conditions):
- parent: "F:<path>" under tests/fixtures/resolve, "T:<path>" under the runtime
  tree (symlinks, empty and unreadable folders, built by `build_runtime_tree`),
  or a literal URL.
- specifier: may hold {F} / {T} (absolute fixture / runtime-tree paths) and
  {FURL} / {TURL} (their file: URLs, no trailing slash).
- conditions: None (Node's defaults), a list (replaces them), or ALL (the case
  runs once per harness.CONDITION_SETS entry, id suffixed with @name).
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "resolve"
ALL = "ALL"

APP = "F:app/src/main.js"
DEEP = "F:app/src/deep/nested/y.js"
DATA_PARENT = "data:text/javascript,export{}"

_C: list[tuple[str, str, str, Any]] = []


def case(cid: str, specifier: str, parent: str = APP, conditions: Any = None) -> None:
    _C.append((cid, specifier, parent, conditions))


# ---- ESM_RESOLVE: relative, absolute, URL specifiers -------------------------------
case("rel-file", "./util.js")
case("rel-parent-dir", "../src/util.js")
case("rel-dotdot-past-root", "../../../../../../../../../../../../../../etc/hostname")
case("rel-query", "./util.js?query=1")
case("rel-fragment", "./util.js#frag")
case("rel-query-fragment", "./util.js?a=1&b#c")
case("rel-empty-query", "./util.js?")
case("rel-empty-fragment", "./util.js#")
case("rel-missing", "./missing.js")
case("rel-missing-with-query", "./missing.js?x")
case("rel-missing-extension-js-sibling", "./util")
case("rel-missing-extension-mjs", "./lib")
case("rel-case-mismatch", "./uppercase.js")
case("rel-case-exact", "./UpperCase.js")
case("rel-dir", "./dir")
case("rel-dir-trailing-slash", "./dir/")
case("rel-dir-with-query", "./dir?x")
case("rel-dot", ".")
case("rel-dotdot", "..")
case("rel-dot-slash", "./")
case("rel-dotdot-slash", "../")
case("rel-file-trailing-slash", "./util.js/")
case("rel-dot-segments-normalised", "./dir/../util.js")
case("rel-pct-dot-segments-normalised", "./dir/%2e%2e/util.js")
case("rel-pct-dot-upper", "./%2E/util.js")
case("rel-backslash-is-slash", "./dir\\index.js")
case("rel-dot-backslash-is-bare", ".\\util.js")
case("rel-double-slash", ".//util.js")
case("rel-space", "./a b.js")
case("rel-space-encoded", "./a%20b.js")
case("rel-unicode", "./€.js")
case("rel-unicode-encoded", "./%E2%82%AC.js")
case("rel-unicode-encoded-lower", "./%e2%82%ac.js")
case("rel-pct-literal-file", "./a%25b.js")
case("rel-lone-percent", "./a%b.js")
case("rel-lone-percent-end", "./%")
case("rel-bad-pct-hex", "./%zz.js")
case("rel-pct-invalid-utf8", "./%E0%A4%A.js")
case("rel-pct-overlong-utf8", "./%C0%AF.js")
case("rel-pct-encoded-letter", "./%75til.js")
case("rel-pct-nul", "./a%00b.js")
case("rel-pct-nul-truncates-to-file", "./util.js%00.txt")
case("rel-pct-nul-truncates-to-missing", "./zz%00.js")
case("rel-missing-dir-trailing-slash", "./nope/")
case("rel-pct-2f", "./a%2Fb.js")
case("rel-pct-2f-lower", "./a%2fb.js")
case("rel-pct-5c", "./a%5Cb.js")
case("rel-pct-5c-lower", "./a%5cb.js")
case("rel-pct-2f-missing-dir", "./nope%2F..%2Futil.js")
case("rel-pct-2f-in-query", "./util.js?a%2Fb")
case("rel-pct-2f-in-fragment", "./util.js#a%2Fb")
case("rel-tab-newline-stripped", "./ut\til\n.js")
case("rel-leading-space", " ./util.js")
case("rel-hidden-file", "./.hidden.js")
case("rel-trailing-dot-file", "./dotfile.")
case("rel-dots-file", "./...js")
case("rel-very-long", "./" + "a" * 100_000 + ".js")
case("rel-long-segment-300", "./" + "b" * 300 + ".js")
case("rel-many-segments", "./" + "d/" * 2000 + "x.js")
case("abs-path", "{F}/app/src/util.js")
case("abs-path-missing", "{F}/app/src/missing.js")
case("abs-path-dir", "{F}/app/src")
case("abs-root", "/")
case("protocol-relative", "//host/x.js")
case("protocol-relative-empty-host", "///etc/hostname")
case("file-url", "{FURL}/app/src/util.js")
case("file-url-query-fragment", "{FURL}/app/src/util.js?q#f")
case("file-url-missing", "{FURL}/app/src/missing.js")
case("file-url-dir", "{FURL}/app/src/dir")
case("file-url-host", "file://somehost/etc/hostname")
case("file-url-localhost", "file://localhost{F}/app/src/util.js")
case("file-url-uppercase-scheme", "FILE://{F}/app/src/util.js")
case("file-url-no-slashes", "file:{F}/app/src/util.js")
case("file-url-relative", "file:util.js")
case("file-url-pct-2f", "{FURL}/app/src/a%2Fb.js")
case("file-url-dotdot", "{FURL}/app/src/dir/../util.js")
case("empty-specifier", "")
case("whitespace-specifier", "   ")

# ---- schemes -------------------------------------------------------------------------
for name in [
    "fs",
    "fs/promises",
    "path",
    "node:fs",
    "node:fs/promises",
    "node:test",
    "node:test/reporters",
    "test",
    "node:sqlite",
    "sqlite",
    "node:sea",
    "sea",
    "node:nope",
    "nope-builtin",
    "node:",
    "node:FS",
    "NODE:fs",
    "node:fs?x",
    "node:fs#x",
    "node:/fs",
    "node:module",
    "module",
    "node:worker_threads",
    "_stream_readable",
    "node:_stream_readable",
    "node:internal/util",
    "internal/util",
    "node:sys",
    "punycode",
    "node:wasi",
    "node:diagnostics_channel",
    "timers/promises",
    "node:test/mock_loader",
    "node:sqlite/x",
    "node:%66s",
    "node:fs/",
    "fs/",
]:
    case(f"builtin-{name.replace(':', '-').replace('/', '_') or 'empty'}", name)
case("builtin-from-data-parent", "fs", DATA_PARENT)
case("builtin-node-prefix-from-data-parent", "node:path", DATA_PARENT)
for cid, spec in [
    ("https", "https://example.com/x.js"),
    ("http", "http://localhost:8080/x.js"),
    ("https-uppercase", "HTTPS://EXAMPLE.com/a/../x.js"),
    ("ftp", "ftp://example.com/x.js"),
    ("unknown-scheme", "foo:bar"),
    ("unknown-scheme-slashes", "foo://bar/x.js"),
    ("blob", "blob:https://example.com/uuid"),
    ("javascript", "javascript:void 0"),
    ("about", "about:blank"),
    ("ws-scheme", "ws://example.com/x"),
    ("c-drive-like", "C:/x.js"),
    ("single-letter-scheme", "c:x"),
    ("scheme-like-bare", "pkg:thing"),
    ("mailto", "mailto:a@b.c"),
]:
    case(f"scheme-{cid}", spec)
# data: URLs
for cid, spec in [
    ("js", "data:text/javascript,export default 1"),
    ("js-charset", "data:text/javascript;charset=utf-8,export default 1"),
    ("js-base64", "data:text/javascript;base64,ZXhwb3J0IGRlZmF1bHQgMQ=="),
    ("js-uppercase-mime", "data:Text/JavaScript,1"),
    ("application-javascript", "data:application/javascript,1"),
    ("json", "data:application/json,{}"),
    ("json-charset", "data:application/json;charset=utf-8,{}"),
    ("wasm", "data:application/wasm;base64,AGFzbQEAAAA="),
    ("text-plain", "data:text/plain,hi"),
    ("no-mime", "data:,hi"),
    ("no-comma", "data:text/javascript"),
    ("module-mime", "data:text/x-module,1"),
    ("mime-space", "data: text/javascript ,1"),
    ("query-fragment", "data:text/javascript,1?x#y"),
    ("uppercase-scheme", "DATA:text/javascript,1"),
    ("commonjs-mime", "data:application/node,1"),
    ("ecmascript", "data:text/ecmascript,1"),
]:
    case(f"data-{cid}", spec)
# from a data: parent
for cid, spec in [
    ("relative", "./x.js"),
    ("parent-relative", "../x.js"),
    ("absolute", "/x.js"),
    ("bare-pkg", "dep-a"),
    ("bare-missing", "not-installed-pkg"),
    ("imports", "#dep"),
    ("https", "https://example.com/x.js"),
    ("data", "data:text/javascript,1"),
    ("file-url", "{FURL}/app/src/util.js"),
    ("node-nope", "node:nope"),
    ("invalid-name", ".bad"),
    ("hash-alone", "#"),
]:
    case(f"from-data-parent-{cid}", spec, DATA_PARENT)
# from other parents
case("from-https-parent-relative", "./x.js", "https://example.com/a/b.js")
case("from-https-parent-bare", "fs", "https://example.com/a/b.js")
case("from-https-parent-bare-pkg", "dep-a", "https://example.com/a/b.js")
case("from-https-parent-file", "{FURL}/app/src/util.js", "https://example.com/a/b.js")
case("from-node-parent-relative", "./x.js", "node:fs")
case("from-parent-with-query", "./util.js", "F:app/src/main.js?v=1#x")
case("from-dir-url-parent", "./util.js", "F:app/src/")
case("from-missing-parent", "./util.js", "F:app/src/does-not-exist.js")

# ---- PACKAGE_RESOLVE -------------------------------------------------------------------
for spec in [
    "dep-a",
    "dep-a/sub",
    "dep-a/sub.js",
    "dep-a/notexported.js",
    "dep-a/package.json",
    "dep-a/",
    "dep-a//sub",
    "dep-a/./sub",
    "dep-a/../dep-a/sub",
    "DEP-A",
    "dep-a/SUB",
    "nopjson",
    "nopjson/sub.js",
    "nopjson/missing.js",
    "nopjson/",
    "filepkg",
    "filepkg.js",
    "node_modules-nested",
    "not-installed-pkg",
    "not-installed-pkg/sub",
    "@scope/pkg",
    "@scope/pkg/sub",
    "@scope/pkg/x",
    "@scope/pkg/missing",
    "@scope/legacy",
    "@scope/legacy/sub.js",
    "@scope/legacy/missing.js",
    "@scope",
    "@scope/",
    "@scope//pkg",
    "@",
    "@/x",
    "@Scope/pkg",
    "@scope/nope",
    "@scope/index.js",
    ".bad",
    ".",
    "..",
    ".dep-a",
    "dep-a\\sub",
    "dep\\a",
    "dep-a%2Fsub",
    "dep-a%2fsub",
    "dep-a%5Csub",
    "@scope%2Fpkg",
    "%",
    "%40odd",
    "a b",
    "a%20b",
    "_under",
    "€uro",
    "pkg.with.dots",
    "UPPER",
    "upper",
    "fs",
    "fs/",
    "test",
    "sqlite",
    "test/index.js",
    "fs/index.js",
    "dep-a/%2e%2e/x",
    "nopjson/%2e%2e/dep-a/index.js",
    "nopjson/a%2Fb.js",
    "dep-a?x",
    "dep-a#x",
    "dep-a/sub?x",
    "nopjson/sub.js?q#h",
    "pkg-" + "x" * 100_000,
]:
    slug = (
        spec.replace("/", "_")
        .replace("\\", "BS")
        .replace("%", "pct")
        .replace("@", "at-")
        .replace("?", "Q")
        .replace("#", "H")
        .replace(" ", "SP")
    )[:40] or "empty"
    case(f"bare-{slug}", spec)
case("bare-walk-up-from-deep", "dep-a", DEEP)
case("bare-walk-up-subpath-from-deep", "dep-a/sub", DEEP)
case("bare-walk-up-to-app", "exp-string", DEEP)
case("bare-nearest-shared", "shared", "F:outer/inner/src/main.js")
case("bare-outer-only", "outer-dep", "F:outer/inner/src/main.js")
case("bare-nearest-broken-no-fallback", "broken", "F:outer/inner/src/main.js")
case("bare-nested-only-not-visible", "nested-only", "F:outer/inner/src/main.js")
case(
    "bare-nested-visible-from-inside",
    "nested-only",
    "F:outer/inner/node_modules/shared/sub/file.js",
)
case("bare-from-typeless", "dep-a", "F:typeless/x.js")
# legacy main
for name in [
    "main-plain",
    "main-dotslash",
    "main-noext",
    "main-noext-json",
    "main-noext-node",
    "main-exact-noext",
    "main-dir",
    "main-dir-json",
    "main-dir-node",
    "main-dir-slash",
    "main-missing",
    "main-missing-noindex",
    "main-missing-index-json",
    "no-main",
    "no-main-mjs",
    "no-main-noindex",
    "main-empty",
    "main-number",
    "main-mjs",
    "main-cjs-typemodule",
    "main-outside",
    "main-abs",
    "main-pct",
    "main-query",
    "type-commonjs",
    "type-bogus",
    "type-number",
    "exp-null",
    "exp-main-and-exports",
]:
    case(f"legacy-{name}", name)
case("legacy-subpath-no-exports", "main-plain/lib/entry.js")
case("legacy-subpath-dir", "main-dir/lib")
case("legacy-subpath-missing-ext", "main-plain/lib/entry")
case("legacy-subpath-typecommonjs-mjs", "type-commonjs/x.mjs")
case("legacy-subpath-typecommonjs-json", "type-commonjs/x.json")
case("legacy-subpath-typecommonjs-js", "type-commonjs/x.js")
case("legacy-exports-null-subpath", "exp-null/sub.js")
case("legacy-exports-number-root", "exp-number")
case("legacy-exports-number-subpath", "exp-number/main.js")

# ---- READ_PACKAGE_JSON oddities -------------------------------------------------------
for name in [
    "pj-bad-json",
    "pj-null",
    "pj-array",
    "pj-string",
    "pj-empty",
    "pj-bom",
    "pj-comments",
    "pj-trailing-comma",
    "pj-dup-keys",
    "pj-imports-string",
    "pj-no-name",
]:
    case(f"pjson-{name}", name)
    case(f"pjson-{name}-subpath", f"{name}/index.js")
# ---- PACKAGE_EXPORTS_RESOLVE / PACKAGE_TARGET_RESOLVE ----------------------------------
for spec in [
    "exp-string",
    "exp-string/other.js",
    "exp-string/main.js",
    "exp-string/package.json",
    "exp-sugar",
    "exp-sugar/d.js",
    "exp-mixed-keys",
    "exp-mixed-keys/a.js",
    "exp-array",
    "exp-array/inv",
    "exp-array/cond",
    "exp-array/allbad",
    "exp-array/empty",
    "exp-true",
    "exp-false",
    "exp-empty-obj",
    "exp-empty-string",
    "exp-empty-array",
    "exp-array-top",
    "exp-array-top/index.js",
    "exp-wrong-keys",
    "exp-wrong-keys/sub",
    "exp-dot-only",
    "exp-dot-only/sub.js",
    "exp-dot-only/package.json",
    "exp-main-and-exports/sub",
    "exp-main-and-exports/main.js",
    "exp-cond-order",
    "exp-cond",
    "exp-cond/null-node",
    "exp-cond/only-browser",
    "exp-cond/addons",
]:
    case(
        f"exports-{spec.replace('/', '_')}",
        spec,
        APP,
        ALL if spec.startswith(("exp-cond", "exp-sugar", "exp-array")) else None,
    )
for sub in [
    "",
    "up",
    "up2",
    "abs",
    "url",
    "file-url",
    "bare",
    "builtin",
    "nm",
    "dot",
    "pct",
    "ok",
    "num",
    "obj-num",
    "star/a",
    "star/../x",
    "dir",
    "noext",
    "q",
    "h",
    "pct2f",
    "pct5c",
    "pctx",
    "space",
]:
    case(
        f"exports-target-{sub.replace('/', '_') or 'root'}",
        "exp-bad-target" + (f"/{sub}" if sub else ""),
    )
for sub in [
    "",
    "foo",
    "a/foo",
    "a/b/foo",
    "foo.js",
    "x/foo/y",
    "x/foo/y/bar",
    "x/foo/z",
    "priv/foo",
    "priv/pub/foo",
    "zfoo",
    "zzfoo",
    "z",
    "zz",
    "star/foo",
    "trail/foo.cjs",
    "trail/foo.js",
    "midfoomid",
    "mid",
    "midmid",
    "exact",
    "exactfoo",
    "exact/",
    "d/foo.js",
    "d/",
    "e/foo/",
    "e/foo/x",
    "f/dir",
    "f/x.js",
    "f/",
    "a",
    "a/",
    "a/b/c",
    "a/b",
    "bar/baz",
    "foo/../priv",
    "priv/../foo",
    "%2e%2e/foo",
    "a/%2e%2e/foo",
    "a/node_modules/foo",
    "a/NODE_MODULES",
    "a/./foo",
    "a//foo",
    "a/foo%2Fbar",
    "foo?x",
    "foo#x",
    "package.json",
    "*",
    "a/*",
    "..",
    ".",
]:
    case(
        f"exports-pattern-{sub.replace('/', '_').replace('%', 'pct') or 'root'}",
        "exp-patterns" + (f"/{sub}" if sub else ""),
    )
case("exports-pattern-longest-match", "exp-patterns/a/b/foo")
for sub in [
    "",
    "sub",
    "sub.js",
    "package.json",
    "lib/x",
    "lib/y/z",
    "lib/private/p",
    "lib/private/",
    "features/f.js",
    "features/f",
    "features/internal/i.js",
    "data/d.json",
    "data/m.mjs",
    "data/c.cjs",
    "dir/x.js",
    "dir/",
    "lib/",
    "lib",
    "notexported.js",
]:
    case(f"exports-dep-a-{sub.replace('/', '_') or 'root'}", "dep-a" + (f"/{sub}" if sub else ""))
case("exports-nested-node-modules-shadow", "dep-a", "F:app/src/deep/x.js")
for sub in [
    "js",
    "mjs",
    "cjs",
    "json",
    "wasm",
    "node",
    "txt",
    "noext",
    "ts",
    "f.js",
    "f",
    "package.json",
]:
    case(f"format-exports-{sub.replace('.', '_')}", f"exp-formats/{sub}")

# ---- PACKAGE_SELF_RESOLVE --------------------------------------------------------------
case("self-root", "app")
case("self-feature", "app/feature")
case("self-pattern", "app/self/util")
case("self-hidden-null", "app/hidden")
case("self-not-exported", "app/src/util.js")
case("self-from-nested-scope-not-self", "app", "F:app/src/deep/x.js")
case("self-selfref-root", "selfref", "F:selfref/other.js")
case("self-selfref-sub", "selfref/sub", "F:selfref/lib/x.js")
case("self-selfref-not-exported", "selfref/other.js", "F:selfref/index.js")
case("self-noexports-falls-to-node-modules", "selfref-noexports", "F:selfref-noexports/index.js")
case("self-noname", "selfref-noname", "F:selfref-noname/index.js")
case("self-scoped", "@me/selfref", "F:selfref-scoped/index.js")
case("self-scoped-pattern", "@me/selfref/x", "F:selfref-scoped/index.js")
case("self-shadows-node-modules", "dep-a", "F:selfref-shadow/self.js")
case("self-exports-null", "selfref-exports-null", "F:selfref-exports-null/index.js")

# ---- PACKAGE_IMPORTS_RESOLVE -----------------------------------------------------------
for key in [
    "#dep",
    "#dep/sub",
    "#dep/lib/x",
    "#dep/notexported.js",
    "#fs",
    "#node-fs",
    "#url-target",
    "#file-url-target",
    "#internal/a",
    "#internal/b/c",
    "#internal/special/x",
    "#internal/z.cjs",
    "#internal/",
    "#internal",
    "#cond",
    "#cond-default-first",
    "#cond-env",
    "#cond-nested",
    "#cond-none",
    "#cond-null",
    "#cond-numeric-key",
    "#cond-types",
    "#arr-missing-first",
    "#arr-invalid-first",
    "#arr-url-first",
    "#arr-all-invalid",
    "#arr-empty",
    "#arr-nested",
    "#arr-null-first",
    "#arr-number",
    "#null",
    "#number",
    "#true",
    "#seg-dot",
    "#seg-dotdot",
    "#seg-nm",
    "#seg-nm-case",
    "#seg-nm-pct",
    "#seg-pct-dot",
    "#seg-pct-dotdot",
    "#seg-backslash",
    "#seg-trailing-dot",
    "#seg-leading-dotdot",
    "#seg-nm-inner",
    "#seg-nmx-ok",
    "#seg-dots-ok",
    "#pat/a",
    "#pat/sub/x",
    "#pat/sub/deeper/d",
    "#pat/sub",
    "#pat/",
    "#pat/a/b",
    "#pat-ext/a.js",
    "#pat-ext/a",
    "#pat-ext/a.mjs",
    "#pat-mid/a/end",
    "#pat-mid/a",
    "#pat-mid//end",
    "#pat-multi/a",
    "#pat-null/x",
    "#pat-null/ok/a",
    "#pat-cond/a",
    "#pat-two-stars/a/b",
    "#pat-nostar/anything",
    "#exact",
    "#exact/a",
    "#pat/..",
    "#pat/../util",
    "#pat/%2e%2e/util",
    "#pat/node_modules/x",
    "#pat/./a",
    "#pat/a%2Fb",
    "#pat/a?q",
    "#pat/a#h",
    "#dir",
    "#dir-slash",
    "#missing",
    "#noext",
    "#pct2f",
    "#pct5c",
    "#query",
    "#hash",
    "#data-target",
    "#bare-scoped",
    "#bare-missing",
    "#bare-invalid",
    "#trailing/",
    "#trailing/util.js",
    "#self",
    "#",
    "#/x",
    "#/",
    "##",
    "#undefined-key",
    "#DEP",
    "#dep?x",
    "#dep#x",
    "#%64ep",
    "#pat/€",
    "#pat/%",
]:
    slug = (
        key[1:].replace("/", "_").replace("%", "pct").replace("?", "Q").replace("#", "H") or "alone"
    )
    case(
        f"imports-{slug}",
        key,
        APP,
        ALL if key.startswith(("#cond", "#arr-nested", "#pat-cond")) else None,
    )
case("imports-hash-alone-invalid", "#")
case("imports-hash-slash-invalid", "#/x")
case("imports-from-deep-commonjs-scope", "#dep", "F:app/src/deep/x.js")
case("imports-no-scope", "#dep", "F:typeless/x.js")
case("imports-scope-imports-array", "#a", "F:scope-imports-bad/x.js")
case("imports-scope-imports-null", "#a", "F:scope-imports-null/x.js")
case("imports-scope-bad-json", "#a", "F:scope-imports-bad-json/x.js")
case("imports-pkg-imports-string", "#x", "F:app/node_modules/pj-imports-string/index.js")
case("imports-from-node-modules-pkg", "#dep", "F:app/node_modules/dep-a/index.js")

# ---- ESM_FILE_FORMAT / LOOKUP_PACKAGE_SCOPE ---------------------------------------------
for scope, files in [
    (
        "app/src",
        [
            "util.js",
            "lib.mjs",
            "lib.cjs",
            "data.json",
            "mod.wasm",
            "addon.node",
            "file.txt",
            "noext",
            "types.ts",
            "types.mts",
            "types.cts",
            "upper.JS",
            "style.css",
            "page.jsx",
            "only.js.txt",
            "dotfile.",
        ],
    ),
    ("typeless", ["x.js", "x.mjs", "x.cjs", "x.json", "x.wasm", "x.node", "x.txt", "noext"]),
    ("cjs-scope", ["x.js", "x.mjs", "x.cjs", "x.json", "noext", "x.wasm", "x.txt"]),
    (
        "esm-scope",
        ["x.js", "x.mjs", "x.cjs", "noext", "x.wasm", "x.node", "x.txt", "x.ts", "sub/x.js"],
    ),
    ("scope-bad-json", ["x.js", "x.mjs", "x.json"]),
    ("scope-null", ["x.js"]),
    ("scope-array", ["x.js"]),
    ("scope-bom", ["x.js"]),
    ("scope-type-bad", ["x.js"]),
]:
    for f in files:
        slug = f.replace("/", "_").replace(".", "_")
        case(f"format-{scope.replace('/', '-')}-{slug}", f"{{FURL}}/{scope}/{f}")
case("format-node-modules-pjson-ignored", "nopjson")
case("format-node-modules-pjson-ignored-subpath", "nopjson/sub.js")
case("format-scope-deep-commonjs", "./deep/x.js")
case("format-pkg-bom-type-module", "pj-bom/index.js")

# ---- the resolver's string fast path and where it hands over to ada -----------------
# fastpath/ holds folders whose file: URLs carry escapes ("a b", "€", a literal
# "%41" and "%2F", "(x)" which pathlib escapes and pathToFileURL does not, "#").
FP = "F:fastpath/plain/main.js"
for cid, spec in [
    ("file", "./util.js"),
    ("sub", "./sub/x.js"),
    ("query", "./util.js?v=2"),
    ("fragment", "./util.js#f"),
    ("query-fragment", "./util.js?a=1&b=/c:d?e#f?g"),
    ("empty-query", "./util.js?"),
    ("empty-fragment", "./util.js#"),
    ("empty-query-empty-fragment", "./util.js?#"),
    ("double-query-mark", "./util.js??x"),
    ("second-hash", "./util.js#a#b"),
    ("quote-in-query", "./util.js?it's"),
    ("quote-in-fragment", "./util.js#it's"),
    ("pct-in-query", "./util.js?a%20b"),
    ("space-in-query", "./util.js?a b"),
    ("dot-segments", "./sub/../util.js"),
    ("dot-segment-single", "./sub/./x.js"),
    ("dot-segments-many", "./sub/../sub/./../././util.js"),
    ("dotdot-then-back", "../plain/util.js"),
    ("dotdot-then-back-query", "../plain/sub/x.js?q"),
    (
        "dotdot-past-root",
        "../../../../../../../../../../../../../../../../../../../../etc/hostname",
    ),
    (
        "dotdot-past-root-middle",
        "./../../../../../../../../../../../../../../../../../../../../etc/../etc/hostname",
    ),
    ("dot-slash-alone", "./"),
    ("dotdot-slash-alone", "../"),
    ("dot-alone", "."),
    ("dotdot-alone", ".."),
    ("dot-query", ".?x"),
    ("dotdot-query", "..?x"),
    ("dot-slash-query", "./?x"),
    ("trailing-slash-file", "./util.js/"),
    ("trailing-slash-dir", "./sub/"),
    ("trailing-dot-segment", "./sub/."),
    ("trailing-dotdot-segment", "./sub/x.js/.."),
    ("dir", "./dir"),
    ("dir-query", "./dir?x"),
    ("missing", "./missing.js"),
    ("missing-query", "./missing.js?v=1"),
    ("missing-in-file", "./util.js/x.js"),
    ("empty-segment", "./sub//x.js"),
    ("hidden", "./.hidden.js"),
    ("dots-name", "./sub/..x.js"),
    ("pct-2f", "./sub%2Fx.js"),
    ("pct-2e-segment", "./%2e/util.js"),
    ("pct-letter", "./%75til.js"),
    ("mjs", "./x.mjs"),
    ("cjs", "./x.cjs"),
    ("json", "./data.json"),
    ("noext", "./noext"),
    ("scope-commonjs", "../cjs/x.js"),
    ("scope-commonjs-query", "../cjs/x.js?v=1#f"),
    ("scope-typeless", "../notype/x.js"),
    ("scope-broken-js", "../broken/x.js"),
    ("scope-broken-mjs", "../broken/x.mjs"),
    ("into-space-dir", "../a b/util.js"),
    ("into-escaped-space-dir", "../a%20b/util.js"),
    ("into-unicode-dir", "../€/util.js"),
    ("into-pct-dir", "../p%2541/util.js"),
    ("into-pct-2f-dir", "../q%252Fr/util.js"),
    ("into-paren-dir", "../(x)/util.js"),
    ("into-hash-dir", "../h%23d/util.js"),
    ("colon-segment", "./C:/x.js"),
    ("pipe-segment", "./a|b.js"),
    ("caret", "./^.js"),
    ("backslash", "./sub\\x.js"),
    ("abs", "{F}/fastpath/plain/util.js"),
    ("abs-query-fragment", "{F}/fastpath/plain/util.js?q#f"),
    ("abs-dot-segments", "{F}/fastpath/plain/sub/../util.js"),
    ("abs-dotdot-past-root", "/../../../../../../..{F}/fastpath/plain/util.js"),
    ("abs-trailing-slash", "{F}/fastpath/plain/util.js/"),
    ("abs-root-dir", "/"),
    ("abs-double-slash", "//{F}/fastpath/plain/util.js"),
]:
    case(f"fast-{cid}", spec, FP)
for folder in ["a b", "€", "p%41", "q%2Fr", "(x)", "h#d"]:
    slug = {
        "a b": "space",
        "€": "unicode",
        "p%41": "pct",
        "q%2Fr": "pct2f",
        "(x)": "paren",
        "h#d": "hash",
    }[folder]
    for cid, spec in [
        ("file", "./util.js"),
        ("query-fragment", "./util.js?v=2#f"),
        ("sub", "./sub/x.js"),
        ("dot-segments", "./sub/../util.js"),
        ("dotdot-self", f"../{folder.replace('%', '%25').replace('#', '%23')}/util.js"),
        ("to-plain", "../plain/util.js"),
        ("missing", "./missing.js"),
        ("dot-slash-alone", "./"),
        ("dir", "./sub"),
    ]:
        case(f"fast-from-{slug}-{cid}", spec, f"F:fastpath/{folder}/main.js")
case("fast-from-parent-query", "./util.js", "F:fastpath/a b/main.js?v=1")
case("fast-from-cjs-scope", "./x.js", "F:fastpath/cjs/main.js")
case("fast-from-broken-scope", "./x.js", "F:fastpath/broken/main.js")
case("fast-from-broken-scope-mjs", "./x.mjs", "F:fastpath/broken/main.js")
# Literal parent URLs ({FURL} is substituted in parents too).
for cid, parent in [
    ("fragment", "{FURL}/fastpath/plain/main.js#frag"),
    ("query-fragment", "{FURL}/fastpath/plain/main.js?q=/x/y#f/g"),
    ("dir-url", "{FURL}/fastpath/plain/"),
    ("dir-url-no-slash", "{FURL}/fastpath/plain"),
    ("pct-dot-segment", "{FURL}/fastpath/plain/%2e%2e/plain/main.js"),
    ("pct-dot-segment-upper", "{FURL}/fastpath/plain/%2E/main.js"),
    ("dot-segments", "{FURL}/fastpath/plain/sub/../main.js"),
    ("pct-letter", "{FURL}/fastpath/pl%61in/main.js"),
    ("pct-lower-hex", "{FURL}/fastpath/a%20b/main.js"),
    ("pct-2f", "{FURL}/fastpath/plain%2Fsub/main.js"),
    ("pct-2f-lower", "{FURL}/fastpath/plain%2fsub/main.js"),
    ("pct-5c", "{FURL}/fastpath/plain%5Csub/main.js"),
    ("pct-bad", "{FURL}/fastpath/pl%zzain/main.js"),
    ("pct-invalid-utf8", "{FURL}/fastpath/%E2%82/main.js"),
    ("pct-nul", "{FURL}/fastpath/plain%00/main.js"),
    ("unescaped-space", "{FURL}/fastpath/a b/main.js"),
    ("backslash", "{FURL}/fastpath/plain\\main.js"),
    ("double-slash", "{FURL}/fastpath//plain/main.js"),
    ("localhost", "file://localhost{F}/fastpath/plain/main.js"),
    ("host", "file://somehost{F}/fastpath/plain/main.js"),
    ("upper-scheme", "FILE://{F}/fastpath/plain/main.js"),
    ("no-slashes", "file:{F}/fastpath/plain/main.js"),
    ("drive-letter", "file:///C:/x/main.js"),
    ("drive-letter-pipe", "file:///C|/x/main.js"),
    ("root", "file:///main.js"),
]:
    case(f"fast-parent-{cid}", "./util.js", parent)
    case(f"fast-parent-{cid}-dotdot", "../plain/util.js", parent)
case("fast-parent-drive-letter-past", "../../../../etc/hostname", "file:///C:/x/main.js")
case("fast-parent-root-dotdot-etc", "../etc/hostname", "file:///main.js")
case("fast-parent-root-drive-spec", "../C|/x.js", "file:///main.js")

# ---- runtime tree: symlinks, empty and unreadable folders -------------------------------
RT = "T:proj/src/main.js"
for cid, spec in [
    ("file-symlink", "./alias.js"),
    ("file-symlink-query-fragment", "./alias.js?q=1#f"),
    ("file-symlink-chain", "./alias2.js"),
    ("dangling-symlink", "./dangling.js"),
    ("self-loop", "./loop.js"),
    ("two-loop", "./loop-a.js"),
    ("dir-symlink", "./linkdir/x.js"),
    ("dir-symlink-dir-import", "./linkdir"),
    ("symlink-to-dir-file-name", "./dirlink.js"),
    ("loop-dir-inside", "./loopdir/x.js"),
    ("pkg-symlink", "linked"),
    ("pkg-symlink-subpath", "linked/sub"),
    ("pkg-symlink-format", "linked/esm"),
    ("pkg-symlink-loop", "looppkg"),
    ("pkg-dangling", "danglingpkg"),
    ("pkg-empty-dir", "emptypkg"),
    ("pkg-empty-dir-subpath", "emptypkg/x.js"),
    ("pkg-unreadable", "unreadable"),
    ("pkg-unreadable-sub", "unreadable/index.js"),
    ("pkg-pjson-dir", "pjdir"),
    ("pkg-pjson-unreadable", "pjunread"),
    ("pkg-pjson-symlink", "pjlink"),
    ("pkg-scoped-symlink", "@ls/pkg"),
    ("pkg-symlinked-node-modules", "via-nm-link"),
    ("empty-dir-import", "./emptydir"),
    ("unreadable-file", "./unreadable.js"),
    ("symlinked-scope-pjson", "./linkscope/x.js"),
    ("abs-symlink", "{T}/proj/src/alias.js"),
    ("dir-symlink-dotdot", "./linkdir/../util.js"),
    ("dir-symlink-query-fragment", "./linkdir/x.js?q#f"),
    ("file-symlink-in-linked-dir", "./linkdir/alias.js"),
    ("escaped-dir-symlink", "./link%20enc/x.js"),
    ("into-escaped-dir-symlink-file", "../enc%20dir/alias.js"),
]:
    case(f"rt-{cid}", spec, RT)
case("rt-self-through-symlink", "linked", "T:proj/node_modules/linked/index.js")
case("rt-relative-from-symlinked-parent", "./sub.js", "T:proj/node_modules/linked/index.js")
case("rt-imports-from-symlinked-pkg", "#x", "T:proj/node_modules/linked/index.js")
case("rt-from-escaped-dir-file-symlink", "./alias.js", "T:proj/enc dir/x.js")
case("rt-from-escaped-dir-file-symlink-query", "./alias.js?v=1", "T:proj/enc dir/x.js")
case("rt-from-escaped-dir-dir-symlink", "../src/linkdir/x.js", "T:proj/enc dir/x.js")
case("rt-from-escaped-symlinked-dir", "./x.js", "T:proj/src/link enc/main.js")
case("rt-from-escaped-symlinked-dir-dotdot", "../util.js", "T:proj/src/link enc/main.js")

# Cases rerun under `node --preserve-symlinks` (graphesm: preserve_symlinks=True).
PRESERVE_SYMLINK_IDS = [
    "rt-file-symlink",
    "rt-file-symlink-query-fragment",
    "rt-file-symlink-chain",
    "rt-dir-symlink",
    "rt-pkg-symlink",
    "rt-pkg-symlink-subpath",
    "rt-pkg-symlink-format",
    "rt-pkg-scoped-symlink",
    "rt-abs-symlink",
    "rt-symlinked-scope-pjson",
    "rt-relative-from-symlinked-parent",
    "rt-dangling-symlink",
    "rt-self-loop",
    "rt-dir-symlink-dotdot",
    "rt-dir-symlink-query-fragment",
    "rt-file-symlink-in-linked-dir",
    "rt-escaped-dir-symlink",
    "rt-into-escaped-dir-symlink-file",
    "rt-from-escaped-dir-file-symlink",
    "rt-from-escaped-dir-file-symlink-query",
    "rt-from-escaped-symlinked-dir",
    "rt-from-escaped-symlinked-dir-dotdot",
    "fast-query",
    "fast-empty-query",
    "fast-empty-fragment",
    "fast-empty-query-empty-fragment",
    "fast-dot-segments",
    "fast-from-space-file",
    "fast-from-pct-query-fragment",
    "fast-parent-pct-letter",
]


def raw_cases() -> list[tuple[str, str, str, Any]]:
    return list(_C)


def build_runtime_tree(root: Path) -> None:
    """Symlinks, empty folders and unreadable modes, which git does not keep."""

    def w(rel: str, text: str = "export default 1;\n") -> None:
        p = root / rel
        p.parent.mkdir(parents=True, exist_ok=True)
        p.write_text(text)

    def ln(rel: str, target: str) -> None:
        p = root / rel
        p.parent.mkdir(parents=True, exist_ok=True)
        os.symlink(target, p)

    w("proj/package.json", '{"name": "proj", "type": "module"}')
    w("proj/src/main.js")
    w("proj/src/util.js")
    ln("proj/src/alias.js", "util.js")
    ln("proj/src/alias2.js", "alias.js")
    ln("proj/src/dangling.js", "nowhere.js")
    ln("proj/src/loop.js", "loop.js")
    ln("proj/src/loop-a.js", "loop-b.js")
    ln("proj/src/loop-b.js", "loop-a.js")
    w("proj/real/x.js")
    ln("proj/src/linkdir", "../real")
    ln("proj/real/alias.js", "x.js")
    w("proj/enc dir/x.js")
    ln("proj/enc dir/alias.js", "x.js")
    ln("proj/src/link enc", "../enc dir")
    ln("proj/src/dirlink.js", "../real")
    ln("proj/src/loopdir", "loopdir")
    (root / "proj/src/emptydir").mkdir()
    w("proj/src/unreadable.js")
    os.chmod(root / "proj/src/unreadable.js", 0)
    w("other/scope/package.json", '{"type": "commonjs"}')
    w("other/scope/x.js", "module.exports = 1;\n")
    ln("proj/src/linkscope", "../../other/scope")
    # packages
    w(
        "packages/real-pkg/package.json",
        '{"name": "linked", "exports": {".": "./index.js", "./sub": "./sub.js", "./esm": "./esm.mjs"},'
        ' "imports": {"#x": "./sub.js"}}',
    )
    w("packages/real-pkg/index.js", "module.exports = 1;\n")
    w("packages/real-pkg/sub.js", "module.exports = 1;\n")
    w("packages/real-pkg/esm.mjs")
    ln("proj/node_modules/linked", "../../packages/real-pkg")
    ln("proj/node_modules/looppkg", "looppkg")
    ln("proj/node_modules/danglingpkg", "../../packages/nope")
    (root / "proj/node_modules/emptypkg").mkdir(parents=True)
    w("proj/node_modules/unreadable/package.json", '{"name": "unreadable", "main": "index.js"}')
    w("proj/node_modules/unreadable/index.js", "module.exports = 1;\n")
    os.chmod(root / "proj/node_modules/unreadable", 0)
    (root / "proj/node_modules/pjdir/package.json").mkdir(parents=True)
    w("proj/node_modules/pjdir/index.js", "module.exports = 1;\n")
    w("proj/node_modules/pjunread/package.json", '{"name": "pjunread", "exports": "./x.js"}')
    w("proj/node_modules/pjunread/index.js", "module.exports = 1;\n")
    os.chmod(root / "proj/node_modules/pjunread/package.json", 0)
    w("packages/pj.json", '{"name": "pjlink", "exports": "./x.js"}')
    w("proj/node_modules/pjlink/x.js", "module.exports = 1;\n")
    ln("proj/node_modules/pjlink/package.json", "../../../packages/pj.json")
    w("packages/scoped/package.json", '{"name": "@ls/pkg", "exports": "./i.js"}')
    w("packages/scoped/i.js", "module.exports = 1;\n")
    ln("proj/node_modules/@ls/pkg", "../../../packages/scoped")
    w("elsewhere/node_modules/via-nm-link/package.json", '{"name": "via-nm-link"}')
    w("elsewhere/node_modules/via-nm-link/index.js", "module.exports = 1;\n")
    # proj/src/node_modules is a symlink to another node_modules folder
    ln("proj/src/node_modules", "../../elsewhere/node_modules")


def restore_modes(root: Path) -> None:
    """Let tmp cleanup delete the tree."""
    for rel in [
        "proj/src/unreadable.js",
        "proj/node_modules/unreadable",
        "proj/node_modules/pjunread/package.json",
    ]:
        p = root / rel
        if p.exists():
            os.chmod(p, 0o755)
