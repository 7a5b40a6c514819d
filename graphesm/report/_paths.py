"""Paths as people read them: root-relative, in reporter output.

Stage contract: pure string helpers shared by the text, GitHub and SARIF
reporters (and the baseline file). Findings carry absolute URLs and Node's
messages carry absolute paths; these helpers shorten the scan root away so
output reads the same on any checkout. Nothing here touches the file system.
"""

from __future__ import annotations

from functools import lru_cache

from graphesm.model import Finding, Location
from graphesm.resolve.errors import ResolveError
from graphesm.resolve.urls import file_url_to_path, parse

__all__ = ["display_path", "position", "relative_uri", "shorten", "shown_message"]


@lru_cache(maxsize=64)
def _root_prefixes(root: str) -> tuple[str, ...]:
    """The forms of the root folder that appear in messages, longest first.

    The URL (``file:///w/p%20q/``), the file-system path (``/w/p q/``) and the
    URL's percent-encoded pathname (``/w/p%20q/``, which Node prints in some
    errors), each with its trailing slash.
    """
    forms = {root}
    if root.startswith("file:"):
        parsed = parse(root)
        if parsed is not None:
            try:
                path = file_url_to_path(parsed)
            except ResolveError:
                path = ""
            if path:
                forms.add(path.rstrip("/") + "/")
            pathname = root[len("file://") :]
            if pathname.startswith("/"):
                forms.add(pathname)
    return tuple(sorted(forms, key=lambda form: (-len(form), form)))


def shorten(text: str, root: str) -> str:
    """``text`` with every absolute form of the scan root removed (paths become relative)."""
    for prefix in _root_prefixes(root):
        if prefix and prefix != "/":
            text = text.replace(prefix, "")
    return text


def display_path(location: Location, root: str) -> str:
    """The root-relative path of a location, else its URL shortened against the root."""
    if location.path and not location.path.startswith("../"):
        return location.path
    if location.url.startswith(root):
        return location.url[len(root) :]
    return location.path or location.url


def position(location: Location, root: str) -> str:
    """``path:line:col`` (line and column only when known)."""
    place = display_path(location, root)
    if location.line is not None:
        place += f":{location.line}"
        if location.column is not None:
            place += f":{location.column}"
    return place


def shown_message(finding: Finding, root: str) -> str:
    """The message as printed: Node's error code first for load errors, root shortened."""
    message = finding.message
    code = finding.data.get("code")
    if isinstance(code, str) and code and not message.startswith(code):
        message = f"{code} {message}"
    return shorten(message, root)


def relative_uri(url: str, root: str) -> str | None:
    """The percent-encoded URI of ``url`` relative to the root URL, or None outside it."""
    if url.startswith(root) and len(url) > len(root):
        return url[len(root) :]
    return None
