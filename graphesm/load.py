"""Node's load step for a resolved URL: the format it loads as, or the error it throws.

Stage contract: pure functions over a resolved URL, the resolve-step format,
the syntax-detected format of the target file (when graphesm read it) and the
import's attributes. They answer what Node 20's `defaultLoad` (for `import`)
or the CommonJS loader (for `require()`) does next: a module format, or the
error code Node throws (`ERR_UNKNOWN_FILE_EXTENSION`,
`ERR_UNSUPPORTED_ESM_URL_SCHEME`, `ERR_UNKNOWN_BUILTIN_MODULE`,
`ERR_UNKNOWN_MODULE_FORMAT`, the import-attribute errors). Every code here was
observed on the real binary.
"""

from __future__ import annotations

import base64
import binascii
import re
from dataclasses import dataclass
from urllib.parse import unquote_to_bytes

from graphesm.resolve.package_json import extname, file_url_to_path_or
from graphesm.resolve.profile import NodeProfile


@dataclass(frozen=True, slots=True)
class LoadOutcome:
    format: str | None
    error_code: str | None = None
    message: str | None = None


_JS_MIME = re.compile(r"^\s*(text|application)/javascript\s*(;\s*charset=utf-?8\s*)?$", re.I)
_DATA_MIME = re.compile(r"^([^/]+/[^;,]+)(?:[^,]*?)(;base64)?,")


def data_url_format(url: str) -> str | None:
    """Format of a data: URL from its MIME type (Node's mimeToFormat)."""
    match = _DATA_MIME.match(url[len("data:") :])
    mime = match.group(1) if match else None
    if mime is None:
        return None
    if _JS_MIME.match(mime):
        return "module"
    if mime == "application/json":
        return "json"
    return None


def data_url_body(url: str) -> bytes | None:
    """The bytes a data: URL carries (percent-decoded, or base64), None if malformed."""
    head, comma, body = url[len("data:") :].partition(",")
    if not comma:
        return None
    raw = unquote_to_bytes(body.split("#", 1)[0])
    if head.lower().endswith(";base64"):
        try:
            return base64.b64decode(raw + b"=" * (-len(raw) % 4))
        except (binascii.Error, ValueError):
            return None
    return raw


def import_format(
    url: str, resolve_format: str | None, detected: str | None, profile: NodeProfile
) -> LoadOutcome:
    """The format `import` loads url as, or Node's load error (attributes aside)."""
    scheme = url[: url.find(":") + 1]
    if scheme == "node:":
        if profile.is_scheme_builtin(url[len("node:") :]):
            return LoadOutcome("builtin")
        return LoadOutcome(None, "ERR_UNKNOWN_BUILTIN_MODULE", f"No such built-in module: {url}")
    if scheme == "data:":
        fmt = data_url_format(url)
        if fmt is None:
            mime = (_DATA_MIME.match(url[5:]) or [None, None])[1]
            return LoadOutcome(
                None, "ERR_UNKNOWN_MODULE_FORMAT", f"Unknown module format: {mime} for URL {url}"
            )
        return LoadOutcome(fmt)
    if scheme != "file:":
        schemes = ", ".join(profile.loadable_schemes[:-1]) + f", and {profile.loadable_schemes[-1]}"
        return LoadOutcome(
            None,
            "ERR_UNSUPPORTED_ESM_URL_SCHEME",
            f"Only URLs with a scheme in: {schemes} are supported by the default ESM loader. "
            f"Received protocol '{scheme}'",
        )
    if resolve_format is not None:
        return LoadOutcome(resolve_format)
    path_part = url.split("?", 1)[0].split("#", 1)[0]
    ext = extname(path_part[len("file://") :])
    if ext in (".js", ""):
        # Typeless: Node's syntax detection decides; unread files count as CommonJS.
        return LoadOutcome(detected or "commonjs")
    return LoadOutcome(
        None,
        "ERR_UNKNOWN_FILE_EXTENSION",
        f'Unknown file extension "{ext}" for {file_url_to_path_or(url)}',
    )


def check_attributes(
    url: str, fmt: str | None, attributes: tuple[tuple[str, str], ...] | None
) -> LoadOutcome | None:
    """Node 20's validateAttributes: None when the attributes suit the module."""
    pairs = dict(attributes or ())
    for key, value in pairs.items():
        if key != "type":
            return LoadOutcome(
                fmt,
                "ERR_IMPORT_ATTRIBUTE_UNSUPPORTED",
                f'Import attribute "{key}" with value "{value}" is not supported',
            )
    wanted = pairs.get("type")
    valid = "json" if fmt == "json" else None
    if wanted is not None and wanted == valid:
        return None
    if wanted is None:
        if valid is None:
            return None
        return LoadOutcome(
            fmt,
            "ERR_IMPORT_ASSERTION_TYPE_MISSING",
            f'Module "{url}" needs an import attribute of type "{valid}"',
        )
    if wanted == "json":
        return LoadOutcome(
            fmt, "ERR_IMPORT_ASSERTION_TYPE_FAILED", f'Module "{url}" is not of type "{wanted}"'
        )
    return LoadOutcome(
        fmt,
        "ERR_IMPORT_ASSERTION_TYPE_UNSUPPORTED",
        f'Import attribute type "{wanted}" is unsupported',
    )


def require_format(url: str, detected: str | None, profile: NodeProfile) -> LoadOutcome:
    """The format `require()` loads url as: .json json, .node addon, .mjs module, else by scope."""
    if url.startswith("node:"):
        return LoadOutcome("builtin")
    ext = extname(url.split("?", 1)[0][len("file://") :])
    if ext == ".json":
        return LoadOutcome("json")
    if ext == ".node":
        return LoadOutcome("addon")
    if ext == ".mjs":
        return LoadOutcome("module")
    if ext in (".js", "") and detected is not None:
        return LoadOutcome(detected)
    return LoadOutcome("commonjs")
