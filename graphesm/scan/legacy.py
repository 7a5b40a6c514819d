"""Attribute clauses this tree-sitter-javascript grammar cannot parse.

The grammar (0.25) knows `import ... from 's' with {...}` only. It turns the
legacy `assert {...}` form (still accepted by Node 20) and any attribute
clause on a re-export (`export ... from 's' with {...}`) into ERROR nodes.
`repair` finds those clauses after a `from`/`import` string literal, blanks
them out (spaces, line breaks kept, so every byte offset and position stays
the same) and returns what they said, keyed by the source string's start
byte, so the caller re-parses the repaired source and attaches them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import tree_sitter

_STRING = rb"\"(?:[^\"\\\r\n]|\\[\s\S])*\"|'(?:[^'\\\r\n]|\\[\s\S])*'"
_OBJECT = rb"\{(?:[^{}'\"/]|" + _STRING + rb"|/\*[\s\S]*?\*/|//[^\n]*\n|/)*\}"
_CLAUSE = re.compile(
    rb"\b(?:from|import)\s*(?P<source>" + _STRING + rb")"
    rb"(?P<clause>[ \t]*(?P<keyword>with|assert)\b\s*(?P<object>" + _OBJECT + rb"))"
)
_BLANK = re.compile(rb"[^\r\n]")


@dataclass(frozen=True, slots=True)
class Clause:
    keyword: str
    object_text: bytes


def repair(source: bytes, root: tree_sitter.Node) -> tuple[bytes, dict[int, Clause]]:
    """Blank out unparsable attribute clauses; returns (source, clauses by source byte)."""
    clauses: dict[int, Clause] = {}
    patched = bytearray(source)
    for match in _CLAUSE.finditer(source):
        start, end = match.span("source")
        node = root.descendant_for_byte_range(start, end)
        if node is None or node.type != "string" or node.start_byte != start:
            continue  # inside a comment, template or other string
        keyword_node = root.descendant_for_byte_range(*match.span("keyword"))
        if keyword_node is not None and not _in_error(keyword_node):
            continue  # the grammar parsed this clause (or it is not one)
        clause_start, clause_end = match.span("clause")
        patched[clause_start:clause_end] = _BLANK.sub(b" ", source[clause_start:clause_end])
        clauses[start] = Clause(match.group("keyword").decode(), match.group("object"))
    return bytes(patched), clauses


def _in_error(node: tree_sitter.Node) -> bool:
    current: tree_sitter.Node | None = node
    while current is not None:
        if current.is_error or current.is_missing:
            return True
        current = current.parent
    return False
