"""URL helpers shared by the instance checks (pure string functions)."""

from __future__ import annotations

from graphesm.model import ImportKind

# Import kinds that make Node load (and possibly evaluate) their target.
LOADING_KINDS = frozenset(
    {
        ImportKind.STATIC,
        ImportKind.SIDE_EFFECT,
        ImportKind.EXPORT_FROM,
        ImportKind.DYNAMIC,
        ImportKind.REQUIRE,
    }
)


def file_key(url: str) -> str:
    """The file a URL names: the URL without its ?query and #fragment."""
    return url.split("#", 1)[0].split("?", 1)[0]


def url_suffix(url: str) -> str:
    """The `?query#fragment` part of a URL ('' when it has none)."""
    return url[len(file_key(url)) :]
