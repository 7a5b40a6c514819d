"""Hints for failed resolutions: what the user probably meant.

Stage contract: `add_hint(error, resolver, specifier, parent_url)` returns the
same `ResolveError` with `hint` set when one helps. Like Node's own hint, a
missing file or a directory import is retried with the CommonJS algorithm
(extensions, index files): `did you mean './util.js'?`. A subpath that a
package does not export lists the closest subpaths it does export.
"""

from __future__ import annotations

import difflib
import posixpath
from typing import TYPE_CHECKING

from graphesm.resolve.errors import ResolveError
from graphesm.resolve.esm import is_relative_specifier
from graphesm.resolve.package_json import PackageConfig
from graphesm.resolve.urls import file_url_to_path, parse

if TYPE_CHECKING:
    from graphesm.resolve import Resolver


def add_hint(
    error: ResolveError, resolver: Resolver, specifier: str, parent_url: str
) -> ResolveError:
    try:
        hint = _hint(error, resolver, specifier, parent_url)
    except (ResolveError, RecursionError, ValueError):
        hint = None
    return error.with_hint(hint) if hint else error


def _hint(error: ResolveError, resolver: Resolver, specifier: str, parent_url: str) -> str | None:
    if error.code in ("ERR_MODULE_NOT_FOUND", "ERR_UNSUPPORTED_DIR_IMPORT"):
        return _commonjs_hint(resolver, specifier, parent_url)
    if error.code == "ERR_PACKAGE_PATH_NOT_EXPORTED":
        return _exported_hint(resolver, specifier, parent_url)
    return None


def _commonjs_hint(resolver: Resolver, specifier: str, parent_url: str) -> str | None:
    parent = parse(parent_url)
    if parent is None or parent.protocol != "file:":
        return None
    try:
        found = resolver.cjs.resolve(specifier, parent_url, frozenset(resolver.require_conditions))
    except ResolveError:
        return None
    found_url = parse(found.url)
    if found_url is None or found_url.protocol != "file:":
        return None
    found_path = file_url_to_path(found_url)
    if is_relative_specifier(specifier):
        relative = posixpath.relpath(found_path, posixpath.dirname(file_url_to_path(parent)))
        suggestion = relative if relative.startswith("../") else "./" + relative
    elif "/node_modules/" in found_path:
        package = (
            specifier.split("/")[0]
            if not specifier.startswith("@")
            else "/".join(specifier.split("/")[:2])
        )
        tail = found_path.rsplit(f"/node_modules/{package}/", 1)[-1]
        suggestion = f"{package}/{tail}"
    else:
        suggestion = found.url
    if suggestion == specifier:
        return None
    return f"did you mean '{suggestion}'?"


def _exported_hint(resolver: Resolver, specifier: str, parent_url: str) -> str | None:
    name = (
        "/".join(specifier.split("/")[:2]) if specifier.startswith("@") else specifier.split("/")[0]
    )
    subpath = "." + specifier[len(name) :]
    try:
        found = resolver.resolve(name + "/package.json", parent_url)
    except ResolveError:
        found = None
    config = None
    if found is not None:
        config = resolver.package_of(found.url)
    if config is None:
        config = _find_package(resolver, name, parent_url)
    if config is None or not isinstance(config.exports, dict):
        return None
    keys = [key for key in config.exports if key.startswith(".")]
    if not keys:
        return None
    close = difflib.get_close_matches(subpath, keys, n=3, cutoff=0.3) or sorted(keys)[:3]
    shown = ", ".join(f"'{name}{key[1:]}'" for key in close)
    return f"exported subpaths nearby: {shown}"


def _find_package(resolver: Resolver, name: str, parent_url: str) -> PackageConfig | None:
    parent = parse(parent_url)
    if parent is None or parent.protocol != "file:":
        return None
    folder = posixpath.dirname(file_url_to_path(parent))
    while True:
        config = resolver.packages.read(
            posixpath.join(folder, "node_modules", name, "package.json"), parent_url
        )
        if config.exists:
            return config
        if folder == "/":
            return None
        folder = posixpath.dirname(folder)
