"""Load the tree-sitter language, parser and the compiled `.scm` queries.

The queries are data shipped next to the package: inside the wheel at
`graphesm/queries/` (hatch force-include), in a checkout at the repository's
top-level `queries/`. They are compiled once per process and then kept alive
for the life of the process: py-tree-sitter 0.26.1 corrupts the heap when a
Query with text predicates is deallocated, so they must never be freed.

Besides one Query per file, the patterns are sorted into groups (a file's
patterns, or for syntax.scm the `@signal.<name>` they capture) and
`query_for(groups)` compiles the patterns of several groups into one Query,
so that one walk of a tree runs them all; `roles_for(groups)` gives, per
pattern of that Query, the one capture that says what a match of it means.
`ANCHORS` names, per group, the keywords one of which is a token of the root
node of every match of the group's patterns (see graphesm/scan/extract.py
for how that saves walking most of the tree); `TOP_LEVEL` groups are rooted
at `program`.
"""

from __future__ import annotations

import re
import threading
from dataclasses import dataclass
from functools import cache
from importlib import resources
from pathlib import Path

import tree_sitter
import tree_sitter_javascript

LANGUAGE = tree_sitter.Language(tree_sitter_javascript.language())

_QUERY_FILES = ("imports", "commonjs", "syntax")
_FILE_GROUPS = {"imports": "imports", "commonjs": "require"}
_SIGNAL = "signal."
# Captures that are not a match's role: the source string a helper pattern is
# about, and the `_`-prefixed captures predicates need.
_NOT_ROLES = frozenset({"source"})
_local = threading.local()
_compiling = threading.RLock()  # one compiled Query per query text, ever (see module doc)
_variants: dict[frozenset[str], tree_sitter.Query] = {}

# Group -> the keywords (as bytes of the source) that anchor its matches:
# every match's root node has one of them as a token. Tree-sitter reads a
# keyword written with escapes (`\u0061wait`) as an identifier, and lexes
# keywords and identifiers as whole words, so a tree without errors has such
# a token only where those exact bytes occur, not followed by [A-Za-z0-9_$].
ANCHORS: dict[str, tuple[bytes, ...]] = {
    "imports": (b"import", b"from"),  # import statements, import(), import.meta; `from 's'`
    "require": (b"require",),  # the callee or the declared identifier, by #eq?
    "module-syntax": (b"import", b"export"),
    "await": (b"await",),
    "return": (b"return",),
    "with": (b"with",),
}
# Groups whose patterns are rooted at `program`, and the identifiers their
# predicates require (a source without any of them has no match).
TOP_LEVEL: dict[str, tuple[bytes, ...]] = {
    "cjs-lexical": (b"require", b"module", b"exports", b"__filename", b"__dirname"),
}


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
def _texts() -> dict[str, str]:
    folder = queries_dir() / "javascript"
    return {name: (folder / f"{name}.scm").read_text(encoding="utf-8") for name in _QUERY_FILES}


@cache
def load_queries() -> Queries:
    """Compile the queries once per process (cached; never freed, see module doc)."""
    with _compiling:  # @cache alone lets racing threads compile (and free) a second copy
        return _load_queries()


@cache
def _load_queries() -> Queries:
    compiled = {name: tree_sitter.Query(LANGUAGE, text) for name, text in _texts().items()}
    return Queries(**compiled)


# The tokens of query source that can hold an `@`: strings, comments, captures.
_TOKENS = re.compile(r'"(?:[^"\\]|\\.)*"|;[^\n]*|@([\w\-][\w\-.?!]*)', re.DOTALL)


def _captures(pattern: str) -> set[str]:
    return {match.group(1) for match in _TOKENS.finditer(pattern) if match.group(1)}


def _role(file: str, pattern: str) -> str:
    """The one capture of `pattern` that is not a helper (see _NOT_ROLES)."""
    names = _captures(pattern)
    roles = {name for name in names if name not in _NOT_ROLES and not name.startswith("_")}
    if len(roles) != 1:
        raise ValueError(f"{file}.scm: a pattern must have one role capture: {pattern!r}")
    return roles.pop()


def _group(file: str, role: str) -> str:
    if file in _FILE_GROUPS:
        return _FILE_GROUPS[file]
    if not role.startswith(_SIGNAL):
        raise ValueError(f"{file}.scm: a pattern must capture @signal.<name>, not @{role}")
    return role[len(_SIGNAL) :]


# The tokens of query source: strings, comments, brackets, blanks, and runs of
# anything else (node names, fields, captures, predicates, quantifiers).
_SCM_TOKENS = re.compile(r'"(?:[^"\\]|\\.)*"|;[^\n]*|[()\[\]]|\s+|[^\s()\[\]";]+', re.DOTALL)


def _split(text: str) -> list[str]:
    """The top-level patterns of query source, each with the comments and
    blanks that follow it (as tree-sitter's own pattern byte ranges). At the
    top level only captures and quantifiers continue a pattern."""
    starts: list[int] = []
    depth = 0
    for match in _SCM_TOKENS.finditer(text):
        token = match.group()
        if token.isspace() or token.startswith(";"):
            continue
        if depth == 0 and not (token.startswith("@") or token in ("*", "+", "?")):
            starts.append(match.start())
        if token in ("(", "["):
            depth += 1
        elif token in (")", "]"):
            depth -= 1
    return [text[start:end] for start, end in zip(starts, [*starts[1:], len(text)], strict=True)]


@cache
def pattern_groups() -> tuple[tuple[str, str, str], ...]:
    """(group, role, pattern text) for every pattern of every query file, in file order.

    The files are split here, without compiling them whole (a third of a
    worker's start-up); `query_for` checks each compiled set against the split.
    """
    found: list[tuple[str, str, str]] = []
    for name, text in _texts().items():
        for pattern in _split(text):
            role = _role(name, pattern)
            group = _group(name, role)
            if group not in ANCHORS and group not in TOP_LEVEL:
                raise ValueError(f"{name}.scm: no anchor keywords for pattern group {group!r}")
            found.append((group, role, pattern))
    return tuple(found)


def query_for(groups: frozenset[str]) -> tree_sitter.Query:
    """One Query of the patterns of `groups`, in file order (cached; never freed)."""
    found = _variants.get(groups)
    if found is None:
        with _compiling:
            found = _variants.get(groups)
            if found is None:
                selected = [pattern for group, _, pattern in pattern_groups() if group in groups]
                if not selected:
                    raise ValueError(f"no query patterns in groups {sorted(groups)}")
                found = tree_sitter.Query(LANGUAGE, "\n".join(selected))
                _variants[groups] = found  # kept before any check: never freed (module doc)
                captured = {found.capture_name(i) for i in range(found.capture_count)}
                # The split and the capture scan must see what tree-sitter saw.
                if found.pattern_count != len(selected) or captured != set().union(
                    *map(_captures, selected)
                ):
                    raise ValueError(f"query patterns of {sorted(groups)} misread")
    return found


@cache
def roles_for(groups: frozenset[str]) -> tuple[str, ...]:
    """The role capture of each pattern of `query_for(groups)`, by pattern index."""
    return tuple(role for group, role, _ in pattern_groups() if group in groups)


def parser() -> tree_sitter.Parser:
    """A parser for the calling thread (parsers are not thread-safe)."""
    found: tree_sitter.Parser | None = getattr(_local, "parser", None)
    if found is None:
        found = tree_sitter.Parser(LANGUAGE)
        _local.parser = found
    return found


def cursor(groups: frozenset[str], *, top_level: bool = False) -> tree_sitter.QueryCursor:
    """A cursor of `query_for(groups)` for the calling thread (reused; not thread-safe).

    With `top_level`, matches start only at the root node (max start depth 0).
    """
    cursors: dict[tuple[frozenset[str], bool], tree_sitter.QueryCursor] | None = getattr(
        _local, "cursors", None
    )
    if cursors is None:
        cursors = _local.cursors = {}
    key = (groups, top_level)
    found = cursors.get(key)
    if found is None:
        found = tree_sitter.QueryCursor(query_for(groups))
        if top_level:
            found.set_max_start_depth(0)
        cursors[key] = found
    return found
