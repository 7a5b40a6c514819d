"""Include/exclude globs for the files a scan walks.

Stage contract: pure string matching, no file-system access. Patterns are
POSIX globs matched against paths relative to the scan root:

* ``*`` matches within one path segment, ``?`` one character of a segment,
  ``[abc]`` a character class, ``**`` any number of whole segments
  (``src/**/*.test.js``, ``**/fixtures``);
* a pattern without ``/`` matches a segment at any depth (``*.min.js``,
  ``fixtures``), like a .gitignore line;
* a pattern that matches a folder selects everything below it
  (``vendor`` or ``src/legacy`` exclude the whole folder).

A file is selected when it matches some include pattern (or there are none)
and no exclude pattern.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from functools import lru_cache

__all__ = ["GlobError", "compile_glob", "selected"]


class GlobError(ValueError):
    """A pattern that cannot be used (empty, or an unclosed character class)."""


def _segment(pattern: str) -> str:
    out: list[str] = []
    i = 0
    while i < len(pattern):
        char = pattern[i]
        if char == "*":
            out.append("[^/]*")
        elif char == "?":
            out.append("[^/]")
        elif char == "[":
            end = pattern.find("]", i + 2 if pattern[i + 1 : i + 2] in ("!", "]") else i + 1)
            if end == -1:
                raise GlobError(f"unclosed '[' in {pattern!r}")
            body = pattern[i + 1 : end]
            if body.startswith("!"):
                body = "^" + body[1:]
            out.append("[" + body.replace("\\", "\\\\").replace("/", "") + "]")
            i = end
        else:
            out.append(re.escape(char))
        i += 1
    return "".join(out)


@lru_cache(maxsize=256)
def compile_glob(pattern: str) -> re.Pattern[str]:
    """The regular expression for one pattern (see the module docstring)."""
    text = pattern.strip().replace("\\", "/")
    if text.startswith("./"):
        text = text[2:]
    text = text.strip("/")
    if not text:
        raise GlobError("empty pattern")
    anchored = "/" in text
    parts: list[str] = []
    for segment in text.split("/"):
        if segment == "**":
            parts.append("(?:[^/]+/)*")
        else:
            parts.append(_segment(segment) + "/")
    body = "".join(parts)
    if body.endswith("/"):
        body = body[:-1]
    elif body.endswith("(?:[^/]+/)*"):
        body += "[^/]+"  # a trailing ** means everything below
    prefix = "" if anchored else "(?:[^/]+/)*"
    # the pattern may name the file itself or any folder above it
    return re.compile(f"{prefix}{body}(?:/.*)?")


def selected(path: str, include: Sequence[str], exclude: Sequence[str]) -> bool:
    """Whether the root-relative POSIX ``path`` passes the include and exclude globs."""
    if include and not any(compile_glob(p).fullmatch(path) for p in include):
        return False
    return not any(compile_glob(p).fullmatch(path) for p in exclude)
