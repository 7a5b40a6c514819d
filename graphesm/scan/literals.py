"""Cooked values of JavaScript string and template literals.

`string_value` and `template_value` take the literal's source text including
its quotes and return the value JavaScript gives it: every escape sequence
(`\\n`, `\\xHH`, `\\uHHHH`, `\\u{H...}`, legacy octal `\\0`-`\\377`, line
continuations, identity escapes) decoded; surrogate pairs are joined and a
lone surrogate becomes U+FFFD so values are always encodable as UTF-8.
"""

from __future__ import annotations

import re

_SIMPLE = {"b": "\b", "f": "\f", "n": "\n", "r": "\r", "t": "\t", "v": "\v"}
_LINE_TERMINATORS = "\n\r\u2028\u2029"
_ESCAPE = re.compile(
    r"\\(?:u\{([0-9a-fA-F]+)\}|u([0-9a-fA-F]{4})|x([0-9a-fA-F]{2})"
    r"|([0-3][0-7]{0,2}|[4-7][0-7]?)|(\r\n)|([\s\S]))"
)
_SURROGATES = re.compile("[\ud800-\udbff][\udc00-\udfff]|[\ud800-\udfff]")


def _join_surrogates(text: str) -> str:
    def join(match: re.Match[str]) -> str:
        pair = match.group()
        if len(pair) == 2:
            return chr(0x10000 + ((ord(pair[0]) - 0xD800) << 10) + (ord(pair[1]) - 0xDC00))
        return "\ufffd"

    return _SURROGATES.sub(join, text)


def _replace(match: re.Match[str]) -> str:
    brace, four, two, octal, crlf, other = match.groups()
    if brace is not None:
        code = int(brace, 16)
        return chr(code) if code <= 0x10FFFF else "\ufffd"
    if four is not None:
        return chr(int(four, 16))
    if two is not None:
        return chr(int(two, 16))
    if octal is not None:
        return chr(int(octal, 8))
    if crlf is not None:
        return ""
    assert other is not None
    if other in _LINE_TERMINATORS:
        return ""
    return _SIMPLE.get(other, other)


def unescape(body: str) -> str:
    """Decode the escape sequences of a literal's body (no quotes)."""
    if "\\" not in body:
        return _join_surrogates(body) if _has_surrogates(body) else body
    return _join_surrogates(_ESCAPE.sub(_replace, body))


def _has_surrogates(text: str) -> bool:
    return _SURROGATES.search(text) is not None


def string_value(literal: str) -> str:
    """The value of a `'...'` or `"..."` literal given with its quotes."""
    return unescape(literal[1:-1])


def template_value(literal: str) -> str:
    """The cooked value of a template literal without substitutions (with backticks).

    Line terminators in the raw text are normalised (CRLF and CR become LF).
    """
    body = literal[1:-1]
    if "\r" in body:
        body = re.sub(r"\r\n?", "\n", body)
    return unescape(body)


def literal_value(literal: str) -> str | None:
    """The value of a string or substitution-free template literal, possibly
    parenthesised; None when `literal` is anything else."""
    text = literal.strip()
    while text.startswith("(") and text.endswith(")"):
        text = text[1:-1].strip()
    if len(text) < 2:
        return None
    if text[0] in "'\"" and text[-1] == text[0]:
        return string_value(text)
    if text[0] == "`" and text[-1] == "`" and "${" not in text.replace("\\$", ""):
        return template_value(text)
    return None
