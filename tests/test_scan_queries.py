"""Annotated extraction tests: small sources and the sites they must yield.

Each case: (source, commonjs, expected) with expected a list of
(kind, specifier, line, column, attributes, syntax) tuples; ids name the behaviour.
"""

from __future__ import annotations

import pytest

from graphesm.scan import load_queries, scan_file, walk
from graphesm.scan.extract import extract

J = (("type", "json"),)
E = "file:///p/a.js"

CASES: list[tuple[str, str, bool, list[tuple[object, ...]]]] = [
    ("import-default", "import x from './a.js'", False, [("static", "./a.js", 1, 15, None, None)]),
    (
        "import-named-and-alias",
        "import {a, b as c} from 'm'",
        False,
        [("static", "m", 1, 25, None, None)],
    ),
    ("import-namespace", "import * as ns from 'm'", False, [("static", "m", 1, 21, None, None)]),
    (
        "import-string-name",
        "import {\"a-b\" as c} from 'm'",
        False,
        [("static", "m", 1, 26, None, None)],
    ),
    (
        "import-empty-braces-is-static",
        "import {} from 'm'",
        False,
        [("static", "m", 1, 16, None, None)],
    ),
    ("import-side-effect", "import 'm'", False, [("side-effect", "m", 1, 8, None, None)]),
    (
        "import-side-effect-with-comment",
        "import /* c */ 'm'",
        False,
        [("side-effect", "m", 1, 16, None, None)],
    ),
    ("export-star", "export * from 'm'", False, [("export-from", "m", 1, 15, None, None)]),
    (
        "export-star-as-namespace",
        "export * as ns from 'm'",
        False,
        [("export-from", "m", 1, 21, None, None)],
    ),
    (
        "export-named-alias",
        "export {a as b} from 'm'",
        False,
        [("export-from", "m", 1, 22, None, None)],
    ),
    (
        "export-default-from",
        "export {default} from 'm'",
        False,
        [("export-from", "m", 1, 23, None, None)],
    ),
    (
        "export-string-name",
        "export {\"x y\" as z} from 'm'",
        False,
        [("export-from", "m", 1, 26, None, None)],
    ),
    ("export-local-is-not-import", "const a = 1; export {a}", False, []),
    (
        "import-attributes-with",
        "import d from './d.json' with { type: 'json' }",
        False,
        [("static", "./d.json", 1, 15, J, "with")],
    ),
    (
        "import-attributes-assert",
        "import d from './d.json' assert { type: 'json' }",
        False,
        [("static", "./d.json", 1, 15, J, "assert")],
    ),
    (
        "import-attributes-string-key",
        'import d from \'d\' with { "type": "json" }',
        False,
        [("static", "d", 1, 15, J, "with")],
    ),
    (
        "export-from-attributes-with",
        "export {default} from './d.json' with { type: 'json' };\nlet x",
        False,
        [("export-from", "./d.json", 1, 23, J, "with")],
    ),
    (
        "export-star-attributes-assert",
        "export * from './d.json' assert { type: 'json' }",
        False,
        [("export-from", "./d.json", 1, 15, J, "assert")],
    ),
    ("dynamic-literal", "import('m')", False, [("dynamic", "m", 1, 8, None, None)]),
    (
        "dynamic-template-without-substitution",
        "import(`m`)",
        False,
        [("dynamic", "m", 1, 8, None, None)],
    ),
    (
        "dynamic-parenthesised-literal",
        "import((('m')))",
        False,
        [("dynamic", "m", 1, 10, None, None)],
    ),
    (
        "dynamic-template-with-substitution-is-expr",
        "import(`./${x}.js`)",
        False,
        [("dynamic-expr", None, 1, 8, None, None)],
    ),
    ("dynamic-identifier-is-expr", "import(x)", False, [("dynamic-expr", None, 1, 8, None, None)]),
    (
        "dynamic-with-magic-comment",
        "import(/* webpackChunkName: \"x\" */ './x.js')",
        False,
        [("dynamic", "./x.js", 1, 36, None, None)],
    ),
    (
        "dynamic-options-with",
        "import('./d.json', { with: { type: 'json' } })",
        False,
        [("dynamic", "./d.json", 1, 8, J, "with")],
    ),
    (
        "dynamic-options-assert",
        "import('./d.json', { assert: { type: 'json' } })",
        False,
        [("dynamic", "./d.json", 1, 8, J, "assert")],
    ),
    (
        "import-meta-resolve",
        "import.meta.resolve('m')",
        False,
        [("import-meta-resolve", "m", 1, 21, None, None)],
    ),
    ("require-in-commonjs", "const a = require('m')", True, [("require", "m", 1, 19, None, None)]),
    ("require-ignored-in-esm", "const a = require('m')", False, []),
    ("require-template-literal", "require(`m`)", True, [("require", "m", 1, 9, None, None)]),
    ("require-expression-ignored", "require(x); require('a' + b); require('a', 1)", True, []),
    ("require-shadowed-by-parameter", "function f(require) { require('m') }", True, []),
    (
        "require-shadowed-by-wrapper",
        "(function (require) { require('m') })(r); require('n')",
        True,
        [("require", "n", 1, 51, None, None)],
    ),
    (
        "require-shadowed-by-var-hoisting",
        "function f() { require('m'); if (1) { var require = g } }",
        True,
        [],
    ),
    (
        "require-shadowed-by-block-let",
        "{ let require = g; require('m') } require('n')",
        True,
        [("require", "n", 1, 43, None, None)],
    ),
    ("require-shadowed-by-top-level-const", "require('m'); const require = g", True, []),
    ("require-shadowed-by-destructuring", "function f({ require }) { require('m') }", True, []),
    (
        "require-shadowed-by-catch",
        "try {} catch (require) { require('m') } require('n')",
        True,
        [("require", "n", 1, 49, None, None)],
    ),
    ("require-shadowed-by-function-name", "(function require() { require('m') })", True, []),
    (
        "require-assignment-does-not-shadow",
        "require = g; require('m')",
        True,
        [("require", "m", 1, 22, None, None)],
    ),
    ("require-member-is-not-require", "x.require('m'); require.resolve('n')", True, []),
    (
        "specifier-with-unicode-escape",
        "import './\\u0061.js'",
        False,
        [("side-effect", "./a.js", 1, 8, None, None)],
    ),
    (
        "specifier-with-code-point-escape",
        "import './\\u{1F600}.js'",
        False,
        [("side-effect", "./\U0001f600.js", 1, 8, None, None)],
    ),
    (
        "specifier-with-surrogate-pair-escape",
        "import './\\uD83D\\uDE00.js'",
        False,
        [("side-effect", "./\U0001f600.js", 1, 8, None, None)],
    ),
    (
        "specifier-with-hex-and-simple-escapes",
        "import('\\x41\\t\\'')",
        False,
        [("dynamic", "A\t'", 1, 8, None, None)],
    ),
    (
        "specifier-with-legacy-octal",
        "require('\\101\\0')",
        True,
        [("require", "A\0", 1, 9, None, None)],
    ),
    (
        "specifier-with-line-continuation",
        "import 'a\\\nb'",
        False,
        [("side-effect", "ab", 1, 8, None, None)],
    ),
    (
        "column-counts-characters",
        "/* é😀 */ import 'm'",
        False,
        [("side-effect", "m", 1, 17, None, None)],
    ),
    (
        "crlf-line-endings",
        "// a\r\n\r\nimport 'm'\r\n",
        False,
        [("side-effect", "m", 3, 8, None, None)],
    ),
    ("lone-cr-line-endings", "// a\r\rimport 'm'", False, [("side-effect", "m", 3, 8, None, None)]),
    (
        "hashbang",
        "#!/usr/bin/env node\nimport 'm'",
        False,
        [("side-effect", "m", 2, 8, None, None)],
    ),
    ("bom-is-not-a-column", "\ufeffimport 'm'", False, [("side-effect", "m", 1, 8, None, None)]),
    (
        "jsx-in-js",
        "import R from 'r'\nconst x = <div>import 'no'</div>",
        False,
        [("static", "r", 1, 15, None, None)],
    ),
    ("top-level-await", "await import('m')", False, [("dynamic", "m", 1, 14, None, None)]),
    ("import-inside-comment-is-ignored", "// import 'a'\n/* import('b') */", False, []),
    (
        "import-inside-string-is-ignored",
        "const s = \"import 'a'\"; const t = `import('b')`",
        False,
        [],
    ),
    ("import-inside-regex-is-ignored", "const r = /import 'a'/", False, []),
    ("require-inside-comment-is-ignored", "// require('a')", True, []),
    (
        "syntax-error-keeps-other-imports",
        "import 'a'\nlet = = ;\nimport 'b'",
        False,
        [("side-effect", "a", 1, 8, None, None), ("side-effect", "b", 3, 8, None, None)],
    ),
]


@pytest.mark.parametrize(
    ("source", "commonjs", "expected"), [c[1:] for c in CASES], ids=[c[0] for c in CASES]
)
def test_extract(source: str, commonjs: bool, expected: list[tuple[object, ...]]) -> None:
    result = extract(source.encode(), E, commonjs=commonjs)
    got = [
        (s.kind.value, s.specifier, s.line, s.column, s.attributes, s.attributes_syntax)
        for s in result.sites
    ]
    assert got == expected


NAMES = [
    ("names-static", "import d, {a, b as c, \"x-y\" as z} from 'm'", ("default", "a", "b", "x-y")),
    ("names-namespace", "import d, * as ns from 'm'", ("default", "*")),
    (
        "names-export-from",
        "export {a as b, default, \"x y\" as z} from 'm'",
        ("a", "default", "x y"),
    ),
    ("names-export-star", "export * from 'm'", ("*",)),
    ("names-empty", "import {} from 'm'", ()),
]


@pytest.mark.parametrize(("source", "names"), [c[1:] for c in NAMES], ids=[c[0] for c in NAMES])
def test_names(source: str, names: tuple[str, ...]) -> None:
    (site,) = extract(source.encode(), E, commonjs=False).sites
    assert site.names == names


def test_syntax_errors_become_problems() -> None:
    result = extract(b"import 'a'\nlet = = ;\n", E, commonjs=False)
    assert result.problems and result.problems[0].line == 2
    assert all(
        p.message == "syntax error" or p.message.startswith("missing") for p in result.problems
    )


def test_signals() -> None:
    result = extract(b"await 0\nimport.meta.url", E, commonjs=False)
    assert result.has_top_level_await and result.has_module_syntax
    assert result.module_syntax_at == (2, 1)
    inner = extract(b"async function f() { await 0 }", E, commonjs=False)
    assert not inner.has_top_level_await and not inner.has_module_syntax


def test_non_utf8_bytes_decode_as_replacement_characters_like_node() -> None:
    result = extract(b"import 'a' // caf\xe9\n", E, commonjs=False)
    assert [s.specifier for s in result.sites] == ["a"] and not result.problems
    binary = scan_file("a.js", E, b"\xff\xfe\x00\x01", "module")
    assert binary.sites == () and binary.problems


def test_scan_file_detects_and_drops_require_in_esm() -> None:
    scan = scan_file("a.js", E, b"import 'a'; require('b')", None)
    assert scan.format == "module" and [s.kind.value for s in scan.sites] == ["side-effect"]
    cjs = scan_file("a.js", E, b"require('b')", None)
    assert cjs.format == "commonjs" and [s.specifier for s in cjs.sites] == ["b"]


def test_load_queries_is_cached() -> None:
    assert load_queries() is load_queries()


def test_walk(tmp_path) -> None:  # type: ignore[no-untyped-def]
    (tmp_path / "src" / "node_modules" / "p").mkdir(parents=True)
    (tmp_path / "src" / ".hidden").mkdir()
    (tmp_path / "node_modules" / "q").mkdir(parents=True)
    for rel in [
        "src/a.js",
        "src/b.mjs",
        "src/c.cjs",
        "src/d.jsx",
        "src/e.ts",
        "src/node_modules/p/x.js",
        "src/.hidden/h.js",
        "node_modules/q/y.js",
    ]:
        (tmp_path / rel).write_text("")
    (tmp_path / "src" / "loop").symlink_to(tmp_path / "src")
    files, problems = walk(["src", "node_modules/q"], root=str(tmp_path))
    rel = [str(__import__("pathlib").Path(f).relative_to(tmp_path)) for f in files]
    assert rel == ["node_modules/q/y.js", "src/a.js", "src/b.mjs", "src/c.cjs", "src/d.jsx"]
    assert problems == []
    files, problems = walk(["missing"], root=str(tmp_path))
    assert files == [] and problems and problems[0][1] == "no such file or directory"


def test_query_files_split_into_the_patterns_tree_sitter_compiles() -> None:
    # pattern_groups() splits the .scm text itself instead of compiling each
    # file whole; the split must match tree-sitter's own pattern ranges.
    from graphesm.scan.queries import _split, _texts

    compiled = load_queries()
    for name, text in _texts().items():
        query = getattr(compiled, name)
        raw = text.encode("utf-8")
        ranges = [
            raw[query.start_byte_for_pattern(i) : query.end_byte_for_pattern(i)].decode("utf-8")
            for i in range(query.pattern_count)
        ]
        assert [p.strip() for p in _split(text)] == [p.strip() for p in ranges], name
