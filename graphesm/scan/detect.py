"""Node's answer to "is this file an ES module or CommonJS?" (Node 20.20).

ESM_FILE_FORMAT: `.mjs` is module, `.cjs` commonjs; any other extension
takes the nearest package.json "type" ("module"/"commonjs"). With no type,
Node 20.20 detects from syntax (measured with node v20.20.2, see
tests/test_scan_detect.py): it compiles the file as CommonJS and looks at the
first error V8 reports:
- an ES-module-only construct (import/export declaration, `import.meta`,
  anywhere in the file) -> module;
- top-level `await`, or a top-level let/const/class redeclaring a CommonJS
  wrapper name (require, module, exports, __filename, __dirname) -> module
  only if the whole file then compiles as an ES module (a top-level
  `return`, a `with` statement, an await in a plain function or any other
  syntax error keeps it commonjs);
- any other syntax error first, or no error -> commonjs.
`import()` alone, `require`, `module.exports` do not matter.
"""

from __future__ import annotations

from collections.abc import Callable
from posixpath import splitext
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

from graphesm.model import ParseProblem

if TYPE_CHECKING:  # extraction (tree-sitter) loads only when a file is parsed
    from graphesm.scan.extract import Extraction, Parsed

MODULE = "module"
COMMONJS = "commonjs"


def package_format(url: str, *, package_type: Callable[[str], str]) -> str | None:
    """The format settled by extension or package.json "type"; None: detect from syntax."""
    extension = splitext(urlsplit(url).path)[1]
    if extension == ".mjs":
        return MODULE
    if extension == ".cjs":
        return COMMONJS
    kind = package_type(url)
    if kind in (MODULE, COMMONJS):
        return kind
    return None


def syntax_format(extraction: Extraction) -> str:
    """Node 20.20's syntax detection for a typeless file (see the module docstring)."""
    return _decide(
        extraction.problems,
        extraction.module_syntax_at,
        extraction.cjs_retry_at,
        lambda: extraction.esm_incompatible,
    )


def parsed_format(parsed: Parsed) -> str:
    """`syntax_format` of a Parsed source, asking it only what the answer needs."""
    return _decide(
        parsed.problems,
        parsed.module_syntax_at,
        parsed.cjs_retry_first,  # a later one would not change the answer
        lambda: parsed.esm_incompatible,
    )


def _decide(
    problems: tuple[ParseProblem, ...],
    esm: tuple[int, int] | None,
    retry: tuple[int, int] | None,
    esm_incompatible: Callable[[], bool],
) -> str:
    first_problem = (problems[0].line, problems[0].column) if problems else None
    candidates = [(position, tag) for position, tag in ((esm, "esm"), (retry, "retry")) if position]
    if not candidates:
        return COMMONJS
    position, tag = min(candidates)
    if first_problem is not None and first_problem < position:
        return COMMONJS
    if tag == "esm":
        return MODULE
    if first_problem is None and not esm_incompatible():
        return MODULE
    return COMMONJS


def detect_format(
    url: str, source: bytes | Extraction, *, package_type: Callable[[str], str]
) -> str:
    """ "module" or "commonjs": how Node would load the file at `url`.

    `source` is the file's bytes or an Extraction of them (made with
    commonjs=True, say); it is parsed only when the package gives no type.
    Raises SourceDecodeError for non-UTF-8 bytes that need detection.
    """
    settled = package_format(url, package_type=package_type)
    if settled is not None:
        return settled
    if not isinstance(source, bytes):
        return syntax_format(source)
    from graphesm.scan.extract import extract

    return syntax_format(extract(source, url, commonjs=False))
