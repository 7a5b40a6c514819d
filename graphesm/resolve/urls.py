"""WHATWG URL helpers with Node's semantics.

Stage contract: thin wrappers over ada (the URL parser Node itself uses) and
ports of Node's `fileURLToPath` / `pathToFileURL` for POSIX. Errors are raised
as `ResolveError` with the code Node would throw.

Fast paths: the common file: URL is plain text that ada would leave exactly as
written (`PLAIN`: letters, digits and a few punctuation marks; no `%`, `\\`,
`:`, `|`, white space or non-ASCII). For such strings `resolve_relative_path`,
`file_href` and `file_url_path` give ada's answer with string operations and
fall back to ada for anything else.
"""

from __future__ import annotations

import re
from functools import lru_cache

from ada_url import URL

from graphesm.resolve.errors import ResolveError

__all__ = [
    "PLAIN",
    "RELATIVE_SPECIFIER",
    "URL",
    "can_parse",
    "decode_uri_component",
    "file_href",
    "file_url_path",
    "file_url_to_path",
    "parse",
    "path_to_file_url",
    "plain_file_pathname",
    "resolve_relative_path",
]

# Characters ada copies unchanged into a file: URL's path (and that never form a
# Windows drive letter, an escape or a separator): the fast paths accept only these.
PLAIN = r"A-Za-z0-9\-._~!$&'()*+,;=@"
# ...and into its query or fragment ("'" is escaped in a special URL's query).
_PLAIN_QUERY = r"A-Za-z0-9\-._~!$&()*+,;=@/:?"
# A relative ("./", "../") or absolute ("/", not "//") specifier of plain text,
# with an optional plain ?query and #fragment: groups path, query, fragment.
RELATIVE_SPECIFIER = re.compile(
    rf"(\.\.?/[{PLAIN}/]*|/(?!/)[{PLAIN}/]*)(?:\?([{_PLAIN_QUERY}]*))?(?:#([{_PLAIN_QUERY}]*))?"
)
# An absolute path whose file: URL ada writes verbatim: plain, non-empty
# segments, none of them "." or "..".
_PLAIN_ABSOLUTE = re.compile(rf"(?:/(?!\.\.?(?:/|\Z))[{PLAIN}]+)+")
# A file: URL's pathname that ada keeps verbatim (empty segments allowed).
_PLAIN_PATHNAME = re.compile(rf"(?:/(?!\.\.?(?:/|\Z))[{PLAIN}]*)+")


def parse(spec: str, base: str | None = None) -> URL | None:
    """`new URL(spec, base)`, or None where Node's parser throws."""
    try:
        return URL(spec, base) if base is not None else URL(spec)
    except ValueError:
        return None


@lru_cache(maxsize=65536)
def can_parse(spec: str) -> bool:
    return parse(spec) is not None


def decode_uri_component(text: str) -> str:
    """JavaScript's decodeURIComponent: strict UTF-8, URIError on malformed input."""
    if "%" not in text:
        return text
    out = bytearray()
    i = 0
    raw = text.encode("utf-8", "surrogatepass")
    n = len(raw)
    while i < n:
        byte = raw[i]
        if byte == 0x25:  # '%'
            hex_part = raw[i + 1 : i + 3]
            try:
                if len(hex_part) != 2:
                    raise ValueError
                out.append(int(hex_part, 16))
            except ValueError:
                raise ResolveError("URIError", "URI malformed") from None
            i += 3
        else:
            out.append(byte)
            i += 1
    try:
        return out.decode("utf-8")
    except UnicodeDecodeError:
        raise ResolveError("URIError", "URI malformed") from None


def file_url_to_path(url: URL) -> str:
    """Node's `fileURLToPath` on POSIX."""
    href = url.href
    if href.startswith("file:///"):
        # One read through ada instead of three: empty host, pathname up to ? or #.
        end = len(href)
        for mark in "?#":
            found = href.find(mark, 8, end)
            if found != -1:
                end = found
        pathname = href[7:end]
        if "%" not in pathname:
            return pathname
    if url.protocol != "file:":
        raise ResolveError("ERR_INVALID_URL_SCHEME", "The URL must be of scheme file")
    if url.hostname != "":
        raise ResolveError(
            "ERR_INVALID_FILE_URL_HOST", 'File URL host must be "localhost" or empty on linux'
        )
    pathname = url.pathname
    lowered = pathname.lower()
    if "%2f" in lowered:
        raise ResolveError(
            "ERR_INVALID_FILE_URL_PATH", "File URL path must not include encoded / characters"
        )
    return decode_uri_component(pathname)


# WHATWG path percent-encode set plus what Node's pathToFileURL adds ('%', '\\',
# newline, carriage return, tab); '?' and '#' must not start a query or fragment.
_ENCODE = set(' "#<>?`{}%\\\n\r\t') | {chr(c) for c in range(0x20)} | {"\x7f"}


@lru_cache(maxsize=65536)
def path_to_file_url(path: str) -> str:
    """Node's `pathToFileURL` on POSIX for an absolute, normalised path."""
    parts: list[str] = []
    for char in path:
        if char in _ENCODE or ord(char) > 0x7E:
            parts.extend(f"%{b:02X}" for b in char.encode("utf-8", "surrogatepass"))
        else:
            parts.append(char)
    return "file://" + "".join(parts)


@lru_cache(maxsize=65536)
def file_href(path: str) -> str:
    """The href of `new URL(pathToFileURL(path))` for an absolute, normalised path."""
    if _PLAIN_ABSOLUTE.fullmatch(path):
        return "file://" + path
    parsed = parse(path_to_file_url(path))
    assert parsed is not None
    return parsed.href


def path_end(url: str) -> int:
    """Where the path of a `file:///…` URL string ends: its first '?' or '#', else its end."""
    end = len(url)
    for mark in "?#":
        found = url.find(mark, 8, end)
        if found != -1:
            end = found
    return end


def plain_file_pathname(url: str) -> str | None:
    """The pathname of a `file:///…` URL string (any ?query / #fragment cut off)
    when ada keeps it verbatim: plain segments, none of them '.' or '..'.
    None for anything else (the caller asks ada)."""
    if not url.startswith("file:///"):
        return None
    end = path_end(url)
    if _PLAIN_PATHNAME.fullmatch(url, 7, end):
        return url[7:end]
    return None


@lru_cache(maxsize=65536)
def file_url_path(url: str) -> str | None:
    """`fileURLToPath(url)` of a URL string; None for a non-file: URL, an invalid
    URL, or one that fileURLToPath rejects (a host, an encoded '/', bad escapes).

    Plain `file:///…` URLs (optionally with ?query / #fragment) are answered
    with string operations; anything else goes through ada.
    """
    pathname = plain_file_pathname(url)
    if pathname is not None:
        return pathname
    if url.startswith(("node:", "data:", "http:", "https:")):
        return None
    parsed = parse(url)
    if parsed is None:
        return None
    try:
        return file_url_to_path(parsed)
    except ResolveError:
        return None


def resolve_relative_path(base_dir: str, path: str) -> str:
    """The pathname of `new URL(path, base)` for a file: base whose pathname
    starts with base_dir (ending in '/', no Windows drive letter first), and a
    `path` matched by RELATIVE_SPECIFIER: the URL standard's path state, with
    its dot-segment removal ('..' stops at the root; a final '.' or '..'
    leaves an empty last segment, so the pathname ends in '/')."""
    if not path.startswith("/"):
        # The common case: leading './' and '../' then no segment starting with '.'.
        folder = base_dir
        rest = path
        while True:
            if rest.startswith("./"):
                rest = rest[2:]
            elif rest.startswith("../"):
                rest = rest[3:]
                folder = folder[: folder.rfind("/", 0, -1) + 1] or "/"
            else:
                break
        if not rest.startswith(".") and "/." not in rest:
            return folder + rest
    if path.startswith("/"):
        segments: list[str] = []
        parts = path[1:].split("/")
    else:
        segments = base_dir[1:-1].split("/") if len(base_dir) > 1 else []
        parts = path.split("/")
    last = len(parts) - 1
    for index, part in enumerate(parts):
        if part == "..":
            if segments:
                segments.pop()
            if index == last:
                segments.append("")
        elif part == ".":
            if index == last:
                segments.append("")
        else:
            segments.append(part)
    return "/" + "/".join(segments)
