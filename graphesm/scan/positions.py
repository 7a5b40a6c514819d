"""1-based (line, column) of a node, as a person counts them in an editor.

Lines end at LF, CRLF, CR, U+2028 and U+2029 (JavaScript's line terminators;
tree-sitter only counts LF). Columns count characters (code points), not the
bytes tree-sitter reports.
"""

from __future__ import annotations

import re
from bisect import bisect_right

import tree_sitter

_EXTRA_TERMINATORS = re.compile(rb"\r(?!\n)|\xe2\x80[\xa8\xa9]")


class Positions:
    """Converts node start bytes of one source into (line, column)."""

    __slots__ = ("_ascii", "_extra", "_source")

    def __init__(self, source: bytes) -> None:
        self._source = source
        self._ascii = source.isascii()
        self._extra: list[int] = []
        if b"\r" in source or (not self._ascii and b"\xe2\x80" in source):
            self._extra = [m.end() for m in _EXTRA_TERMINATORS.finditer(source)]

    def of(self, node: tree_sitter.Node) -> tuple[int, int]:
        row, byte_column = node.start_point
        return self.at(node.start_byte, row, byte_column)

    def at(self, offset: int, row: int, byte_column: int) -> tuple[int, int]:
        line_start = offset - byte_column
        if self._extra:
            before = bisect_right(self._extra, offset)
            row += before
            if before and self._extra[before - 1] > line_start:
                line_start = self._extra[before - 1]
        if self._ascii:
            return row + 1, offset - line_start + 1
        prefix = self._source[line_start:offset].decode("utf-8", errors="replace")
        return row + 1, len(prefix) + 1
