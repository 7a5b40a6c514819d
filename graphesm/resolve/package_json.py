"""READ_PACKAGE_JSON, LOOKUP_PACKAGE_SCOPE and ESM_FILE_FORMAT, cached.

Stage contract: `PackageJsonReader` reads package.json files through the
file-system seam exactly as Node 20's package_json_reader does (BOM skipped,
unknown `type` ignored, `name`/`main` only when strings) and caches every read
and every scope lookup for the life of the reader. Errors are `ResolveError`s
carrying Node's code. A scope lookup depends only on the folder of its URL, so
successful lookups are also kept per folder URL string (`file_url_folder`).
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from graphesm.fs import FileSystem
from graphesm.resolve.errors import ResolveError, invalid_package_config
from graphesm.resolve.profile import NodeProfile
from graphesm.resolve.urls import PLAIN, file_url_to_path, parse, path_end

# A last path segment that ada copies verbatim and that is not a dot segment.
_PLAIN_NAME = re.compile(rf"(?!\.\.?\Z)[{PLAIN}]*")


def file_url_folder(url: str) -> tuple[str, str] | None:
    """(folder, name) of a `file:///…` URL string whose last path segment is
    plain: `new URL("./x", url)` then equals `new URL("./x", folder)` (ada parses
    left to right and the plain name changes nothing before it), and the name
    is the pathname's last segment as ada writes it. None for any other URL."""
    if not url.startswith("file:///"):
        return None
    end = path_end(url)
    slash = url.rfind("/", 7, end)
    if not _PLAIN_NAME.fullmatch(url, slash + 1, end):
        return None
    return url[: slash + 1], url[slash + 1 : end]


@dataclass(frozen=True, slots=True)
class PackageConfig:
    """The fields of one package.json that resolution reads (Node's PackageConfig)."""

    pjson_path: str
    exists: bool
    name: str | None = None
    main: str | None = None
    type: str = "none"
    exports: Any = None
    imports: Any = None
    version: str | None = None


def _reject_constant(name: str) -> float:
    raise ValueError(f"Unexpected token '{name[0]}' in JSON")


def parse_json_like_javascript(text: str) -> Any:
    """JSON.parse: no NaN/Infinity; duplicate keys keep the last value."""
    return json.loads(text, parse_constant=_reject_constant)


class PackageJsonReader:
    """Cached package.json reads and package-scope lookups over one file system."""

    def __init__(self, fs: FileSystem, profile: NodeProfile) -> None:
        self._fs = fs
        self._profile = profile
        self._configs: dict[str, PackageConfig | ResolveError] = {}
        self._scopes: dict[str, PackageConfig | ResolveError] = {}
        # folder URL string -> its scope's config (successes only: an error's
        # message names the URL that asked).
        self._folder_scopes: dict[str, PackageConfig] = {}

    def read(self, pjson_path: str, context: str | Callable[[], str]) -> PackageConfig:
        """READ_PACKAGE_JSON. `context` is what Node names after "while importing"
        (a callable is asked only when the file turns out to be broken)."""
        cached = self._configs.get(pjson_path)
        if cached is None:
            cached = self._read_uncached(pjson_path, context)
            self._configs[pjson_path] = cached
        if isinstance(cached, ResolveError):
            raise cached
        return cached

    def _read_uncached(
        self, pjson_path: str, context: str | Callable[[], str]
    ) -> PackageConfig | ResolveError:
        raw = self._fs.read_bytes(pjson_path)
        if raw is None:
            return PackageConfig(pjson_path=pjson_path, exists=False)
        if raw.startswith(b"\xef\xbb\xbf"):
            raw = raw[3:]
        text = raw.decode("utf-8", errors="replace")
        try:
            parsed = parse_json_like_javascript(text)
        except (ValueError, RecursionError) as error:
            message = str(error) if not isinstance(error, RecursionError) else "nesting too deep"
            shown = context() if callable(context) else context
            return invalid_package_config(pjson_path, shown, message)
        if parsed is None:
            # Node calls hasOwnProperty(null, 'name') and crashes with a TypeError.
            return ResolveError(
                "TypeError",
                f"Cannot convert undefined or null to object (package.json {pjson_path} is null)",
            )
        if not isinstance(parsed, dict):
            return PackageConfig(pjson_path=pjson_path, exists=True)
        name = parsed.get("name")
        main = parsed.get("main")
        pkg_type = parsed.get("type")
        version = parsed.get("version")
        return PackageConfig(
            pjson_path=pjson_path,
            exists=True,
            name=name if isinstance(name, str) else None,
            main=main if isinstance(main, str) else None,
            type=pkg_type if pkg_type in ("commonjs", "module") else "none",
            exports=parsed.get("exports"),
            imports=parsed.get("imports"),
            version=version if isinstance(version, str) else None,
        )

    def scope_config(self, url: str) -> PackageConfig:
        """LOOKUP_PACKAGE_SCOPE + READ_PACKAGE_JSON: Node's getPackageScopeConfig(url)."""
        split = file_url_folder(url)
        if split is None:
            return self._scope_config(url)
        folder = split[0]
        config = self._folder_scopes.get(folder)
        if config is None:
            config = self._folder_scopes[folder] = self._scope_config(url)
        return config

    def _scope_config(self, url: str) -> PackageConfig:
        start = parse("./package.json", url)
        if start is None:
            raise ResolveError("ERR_INVALID_URL", "Invalid URL")
        visited: list[str] = []
        pjson_url = start
        result: PackageConfig | ResolveError | None = None
        while True:
            pathname = pjson_url.pathname
            cached = self._scopes.get(pathname)
            if cached is not None:
                result = cached
                break
            visited.append(pathname)
            if pathname.endswith("node_modules/package.json"):
                break
            try:
                config = self.read(file_url_to_path(pjson_url), lambda: file_url_to_path_or(url))
            except ResolveError as error:
                result = error
                break
            if config.exists:
                result = config
                break
            last = pathname
            parent = parse("../package.json", pjson_url.href)
            assert parent is not None
            pjson_url = parent
            # Terminates at the root, where ../package.json is package.json again.
            if pjson_url.pathname == last:
                break
        if result is None:
            result = PackageConfig(pjson_path=file_url_to_path_or(pjson_url.href), exists=False)
        for pathname in visited:
            self._scopes[pathname] = result
        if isinstance(result, ResolveError):
            raise result
        return result

    def package_type(self, url: str) -> str:
        """The `type` of the package scope of url: `module`, `commonjs` or `none`."""
        return self.scope_config(url).type

    def esm_file_format(self, url: str) -> str | None:
        """ESM_FILE_FORMAT as Node's resolve step reports it (errors ignored)."""
        split = file_url_folder(url)
        if split is not None:
            ext = extname("/" + split[1])
        else:
            parsed = parse(url)
            if parsed is None:
                return None
            ext = extname(parsed.pathname)
        if ext == ".js":
            pkg_type = self.package_type(url)
            if pkg_type != "none":
                return pkg_type
            # Typeless .js: decided by syntax detection at load time.
            return None if self._profile.detect_module else "commonjs"
        if ext == "":
            pkg_type = self.package_type(url)
            if pkg_type == "module":
                return "module"
            return pkg_type if pkg_type != "none" else None
        return EXTENSION_FORMATS.get(ext)


EXTENSION_FORMATS = {".cjs": "commonjs", ".mjs": "module", ".json": "json"}


def extname(pathname: str) -> str:
    """Node's get_format extname: the last extension of the last segment, '' for dotfiles."""
    slash = pathname.rfind("/")
    dot = pathname.rfind(".")
    if dot <= slash + 1 or dot <= 0:
        return ""
    return pathname[dot:]


def file_url_to_path_or(url: str) -> str:
    """fileURLToPath(url), or url itself where that throws (Node's try/catch pattern)."""
    parsed = parse(url)
    if parsed is None:
        return url
    try:
        return file_url_to_path(parsed)
    except ResolveError:
        return url
