"""The scanner's anchored walks find exactly what full walks of the queries find.

graphesm/scan/extract.py runs each query only over the top-level statements
that hold one of its group's anchor keywords (queries.ANCHORS), and only the
passes a file's format needs. These tests compare that with one full walk
of every query (what a tree with syntax errors gets) on tricky sources and on
every file of the sample projects and test fixtures: the Extractions must be
equal, and so must scan_file's answers, whatever the format.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from graphesm.scan import scan_file, syntax_format
from graphesm.scan.extract import Parsed
from graphesm.scan.queries import ANCHORS, TOP_LEVEL, pattern_groups

REPO = Path(__file__).resolve().parent.parent
URL = "file:///p/a.js"

SOURCES: dict[str, str] = {
    "escaped-keywords": (
        "async function f(){ \\u0061wait x }; \\u0061wait y; for \\u0061wait (a of b) {}\n"
        "\\u0069mport('x'); imp\\u006frt a from 'b'; export * fr\\u006fm 'c';\n"
        "\\u0069mport.meta.resolve('d'); r\\u0065quire('e'); let r\\u0065quire = 1;"
    ),
    "top-level-await": "const x = await import('./a.js');\nexport {}",
    "top-level-await-only": "const x = await fetch('y');\nconsole.log(x)",
    "await-in-plain-function": "function f(){ await g() }\nawait h();",
    "await-then-return": "await h();\nif (x) return;\n",
    "await-then-with": "await h();\nwith (o) { p }\n",
    "await-in-static-block": "class A { static { await x } }\nawait y;",
    "await-nested-functions": "async function a(){ function b(){ await c } }\nawait d;",
    "await-as-identifier": "var await = 1; await; function f(await){}",
    "for-await": "for await (const x of y) {}\nexport {}",
    "arrow-await": "const f = async () => await g();\nconst h = () => await i();\n",
    "wrapper-names": "const require = 1;\nlet module = 2;\nclass exports {}\nconst __dirname = 3;",
    "wrapper-name-late": "foo();\n\n\nconst require = 1;\nimport('x')",
    "wrapper-name-after-import": "import x from 'y';\nconst module = 1;",
    "require-scopes": (
        "const a = require('a');\nfunction f(require){ return require('b') }\n"
        "{ let require = x; require('c') }\nmodule.exports = require(`d`);\n"
        "require(('e'));\nrequire('f', 'g');\nimport require2 from 'h';"
    ),
    "require-shadowed-by-import": "import require from 'x';\nrequire('y');",
    "mixed": (
        "const a = require('a');\nimport('b');\nimport.meta.resolve('c');\nexport const q = 1;"
    ),
    "nested-declarations": "if (x) { import a from 'b'; }\nfunction f(){ export * from 'c' }",
    "names": (
        "import a, * as ns from 'x';\nimport b, {c as d, 'e f' as g, h} from 'y';\n"
        "export {i as j, k} from 'z';\nexport * as l from 'w';\nexport * from 'v';\n"
        "import {} from 'u';\nimport 't';\nimport /*c*/ 's';\n"
        "export /* a */ * /* b */ from /* c */ 'x';\nexport {a as 'b'} from 'c';"
    ),
    "attributes": (
        "import j from './a.json' with { type: 'json' };\n"
        "import('./b.json', { with: { type: 'json' } });\n"
        "import(/*x*/ './c.json' /*y*/, { assert: { type: 'json' } });"
    ),
    "legacy-attributes": (
        "import j from './a.json' assert { type: 'json' };\n"
        "export { default } from './b.json' with { type: 'json' };"
    ),
    "dynamic-expressions": (
        "import(x); import(`a${b}`); import('a' + b); import(/* c */ 'd'); import(('e'));"
    ),
    "import-meta": "console.log(import.meta.url);\nimport.meta.resolve('x');",
    "line-terminators": (
        "import a from 'x';\r\nimport('\u00e9');\r\nawait y;\rimport b from 'z';"
        "\u2028import c from 'w';"
    ),
    "keywords-in-strings-and-comments": (
        "const a = 'import x from \"y\"'; // import('z')\n"
        "/* await require('q') */ `export * from 'w'`;"
    ),
    "far-apart": (
        "x = 1;\n" * 50
        + "import a from 'b';\n"
        + "y = 2;\n" * 50
        + "f(() => import('c'));\n"
        + "z;\n" * 300
        + "async () => { await import('d') };\nreturn;\n"
    ),
    "return-top-level": "return;\nrequire('x')",
    "return-in-function": "function f(){ return 1 }\nexport default f;",
    "with-statement": "with (a) { b }\nrequire('c');",
    "hashbang": "#!/usr/bin/env node\nimport a from 'b';",
    "decorated-export": "@dec export class A {}\nexport * from 'b';",
    "syntax-error": "import a from 'x';\nfunction (\nimport('y');\nawait z;",
    "missing-keywords": "* from 'x'\nexport * 'y'\nimport('z')",
    "empty": "",
}


def _corpus() -> list[Path]:
    found: list[Path] = []
    for folder in (REPO / "sample_projects", REPO / "tests" / "fixtures"):
        found += [
            path
            for path in sorted(folder.rglob("*"))
            if path.suffix in (".js", ".mjs", ".cjs", ".jsx") and path.is_file()
        ]
    return found


def _sources() -> list[tuple[str, bytes]]:
    named = [(name, text.encode("utf-8")) for name, text in SOURCES.items()]
    named.append(("binary", b"\x00\x01\x02import\xff\xfe await"))
    return named + [(str(path.relative_to(REPO)), path.read_bytes()) for path in _corpus()]


@pytest.mark.parametrize(("name", "source"), _sources(), ids=[name for name, _ in _sources()])
def test_anchored_walks_equal_full_walks(name: str, source: bytes) -> None:
    for commonjs in (False, True):
        anchored = Parsed(source, URL).extraction(commonjs=commonjs)
        full = Parsed(source, URL, full_walk=True).extraction(commonjs=commonjs)
        assert anchored == full, name
    for fmt in ("module", "commonjs", None):
        scanned = scan_file("a.js", URL, source, fmt)
        parsed = Parsed(source, URL, full_walk=True)
        expected_format = fmt
        if fmt is None:
            expected_format = syntax_format(parsed.extraction(commonjs=True))
        assert scanned.format == expected_format, name
        assert scanned.sites == parsed.sites(commonjs=expected_format != "module"), name
        assert scanned.problems == parsed.problems, name
        assert scanned.has_top_level_await == parsed.top_level_await, name


def test_every_pattern_group_has_anchors() -> None:
    groups = {group for group, _, _ in pattern_groups()}
    assert groups <= set(ANCHORS) | set(TOP_LEVEL)
    assert all(anchors for anchors in ANCHORS.values())
