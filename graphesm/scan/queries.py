"""Load the tree-sitter language, parser and the compiled `.scm` queries.

The queries are data shipped next to the package: inside the wheel at
`graphesm/queries/` (hatch force-include), in a checkout at the repository's
top-level `queries/`. They are compiled once per process and then kept alive
for the life of the process: py-tree-sitter 0.26.1 corrupts the heap when a
Query with text predicates is deallocated, so they must never be freed.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass
from functools import cache
from importlib import resources
from pathlib import Path

import tree_sitter
import tree_sitter_javascript

LANGUAGE = tree_sitter.Language(tree_sitter_javascript.language())

_QUERY_FILES = ("imports", "commonjs", "syntax")
_local = threading.local()


@dataclass(frozen=True, slots=True)
class Queries:
    """The compiled JavaScript queries (see the header of each .scm file)."""

    imports: tree_sitter.Query
    commonjs: tree_sitter.Query
    syntax: tree_sitter.Query


def queries_dir() -> Path:
    """The folder holding `javascript/*.scm`: the installed copy, else the checkout's."""
    shipped = resources.files("graphesm") / "queries"
    if shipped.is_dir():
        return Path(str(shipped))
    return Path(__file__).resolve().parent.parent.parent / "queries"


@cache
def load_queries() -> Queries:
    """Compile the queries once per process (cached; never freed, see module doc)."""
    folder = queries_dir() / "javascript"
    compiled = {
        name: tree_sitter.Query(LANGUAGE, (folder / f"{name}.scm").read_text(encoding="utf-8"))
        for name in _QUERY_FILES
    }
    return Queries(**compiled)


def parser() -> tree_sitter.Parser:
    """A parser for the calling thread (parsers are not thread-safe)."""
    found: tree_sitter.Parser | None = getattr(_local, "parser", None)
    if found is None:
        found = tree_sitter.Parser(LANGUAGE)
        _local.parser = found
    return found
