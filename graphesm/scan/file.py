"""Scan one file: extraction plus format, with read/decode failures as data."""

from __future__ import annotations

from dataclasses import replace

from graphesm.model import FileScan, ImportKind
from graphesm.scan.detect import COMMONJS, syntax_format
from graphesm.scan.extract import extract


def scan_file(path: str, url: str, source: bytes, fmt: str | None) -> FileScan:
    """The FileScan of one file.

    `fmt` is "module" or "commonjs" when the extension or package.json
    settles it; None runs Node's syntax detection on the file itself.
    Invalid UTF-8 is read as Node reads it (U+FFFD); a binary file yields
    parse problems.
    """
    extraction = extract(source, url, commonjs=fmt != "module")
    if fmt is None:
        fmt = syntax_format(extraction)
        if fmt != COMMONJS:
            sites = tuple(s for s in extraction.sites if s.kind is not ImportKind.REQUIRE)
            extraction = replace(extraction, sites=sites)
    return FileScan(
        url=url,
        path=path,
        format=fmt,
        sites=extraction.sites,
        problems=extraction.problems,
        has_top_level_await=extraction.has_top_level_await,
    )
