"""WHATWG URL helpers with Node's semantics.

Stage contract: thin wrappers over ada (the URL parser Node itself uses) and
ports of Node's `fileURLToPath` / `pathToFileURL` for POSIX. Errors are raised
as `ResolveError` with the code Node would throw.
"""

from __future__ import annotations

from functools import lru_cache

from ada_url import URL

from graphesm.resolve.errors import ResolveError

__all__ = ["URL", "can_parse", "file_url_to_path", "parse", "path_to_file_url"]


def parse(spec: str, base: str | None = None) -> URL | None:
    """`new URL(spec, base)`, or None where Node's parser throws."""
    try:
        return URL(spec, base) if base is not None else URL(spec)
    except ValueError:
        return None


@lru_cache(maxsize=65536)
def can_parse(spec: str) -> bool:
    return parse(spec) is not None


def _decode_uri_component(text: str) -> str:
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
    return _decode_uri_component(pathname)


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
