"""The scanner stage: source files -> ImportSite records.

Stage contract (DESIGN.md, "Pipeline and layout"):
- input: file paths and bytes; output: plain records from graphesm.model
  (`FileScan`, `ImportSite`, `ParseProblem`) and this stage's `Extraction`;
- reads files only through the caller (walk() lists them, nothing here opens
  a file except the queries); no resolution, no printing;
- what counts as an import lives in the tree-sitter queries under
  `queries/javascript/` (data, shipped in the wheel as graphesm/queries);
  the Python side decodes literals, converts positions and does the scope
  analysis for `require`;
- positions are 1-based, columns in characters, pointing at the specifier
  string's opening quote (for `dynamic-expr`, at the argument);
- bad input is data: syntax errors become ParseProblems (imports outside the
  error are still found); invalid UTF-8 decodes as U+FFFD, as in Node.

Modules: queries (load/compile), extract (queries -> records; import it
from graphesm.scan.extract), literals (JS string values), positions
(line/column), scope (require shadowing), legacy (attribute clauses the
grammar lacks), detect (ESM vs CommonJS), walk (file discovery), file
(scan_file, loaded on first use).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from graphesm.scan.detect import detect_format, package_format, syntax_format
from graphesm.scan.queries import Queries, load_queries
from graphesm.scan.walk import walk

if TYPE_CHECKING:
    from graphesm.scan.file import scan_file

__all__ = [
    "Queries",
    "detect_format",
    "load_queries",
    "package_format",
    "scan_file",
    "syntax_format",
    "walk",
]


def __getattr__(name: str) -> object:
    # scan_file (and with it extraction) loads on first use (PEP 562): a scan
    # served from the cache never imports the parser side.
    if name == "scan_file":
        from graphesm.scan.file import scan_file

        return scan_file
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
