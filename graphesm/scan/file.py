"""Scan one file: extraction plus format, with read/decode failures as data.

Stage contract: (path, url, bytes, settled format or None) in, one FileScan
out; the file is parsed once and only the query passes its format needs are
run (format detection only for a file whose format is not settled).
"""

from __future__ import annotations

from graphesm.model import FileScan
from graphesm.scan.detect import COMMONJS, MODULE, parsed_format
from graphesm.scan.extract import Parsed


def scan_file(path: str, url: str, source: bytes, fmt: str | None) -> FileScan:
    """The FileScan of one file.

    `fmt` is "module" or "commonjs" when the extension or package.json
    settles it; None runs Node's syntax detection on the file itself.
    Invalid UTF-8 is read as Node reads it (U+FFFD); a binary file yields
    parse problems.
    """
    parsed = Parsed(source, url)
    if fmt is None:
        fmt = parsed_format(parsed)
        commonjs = fmt == COMMONJS
    else:
        commonjs = fmt != MODULE
    return FileScan(
        url=url,
        path=path,
        format=fmt,
        sites=parsed.sites(commonjs=commonjs),
        problems=parsed.problems,
        has_top_level_await=parsed.top_level_await,
    )
