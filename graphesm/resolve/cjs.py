"""Node's CommonJS resolver: what `require(specifier)` loads.

Stage contract: `CjsResolver.resolve(specifier, parent_url, conditions)` ports
Node 20's `Module._resolveFilename` (builtins, `#imports`, self-reference,
`node_modules` lookup paths with "exports", extension and index probing,
package "main") over the shared caches of an `EsmResolver`. Global folders
(`$HOME/.node_modules`, `NODE_PATH`) are not modelled. Errors carry the codes
the CommonJS loader throws (`MODULE_NOT_FOUND`, `ERR_PACKAGE_PATH_NOT_EXPORTED`,
…; a broken package.json is a plain `SyntaxError` there).
"""

from __future__ import annotations

import posixpath
import re

from graphesm.model import Resolved
from graphesm.resolve import errors as err
from graphesm.resolve.errors import ResolveError
from graphesm.resolve.esm import EsmResolver
from graphesm.resolve.package_json import PackageConfig, extname, file_url_folder
from graphesm.resolve.urls import (
    URL,
    file_url_to_path,
    parse,
    path_to_file_url,
    plain_file_pathname,
)

_EXTENSIONS = (".js", ".json", ".node")
_EXPORTS_PATTERN = re.compile(r"^((?:@[^/\\%]+/)?[^./\\%][^/\\%]*)(/.*)?$")
_TRAILING_DOTS = re.compile(r"(?:^|/)\.?\.$")
_ENCODED_SEP = re.compile(r"%2F|%5C", re.IGNORECASE)


def _not_found(request: str, parent: str) -> ResolveError:
    return ResolveError(
        "MODULE_NOT_FOUND", f"Cannot find module '{request}'\nRequire stack:\n- {parent}"
    )


class CjsResolver:
    def __init__(self, esm: EsmResolver) -> None:
        self.esm = esm
        self.profile = esm.profile
        self._parents: dict[str, str] = {}

    def _read(self, pjson_path: str) -> PackageConfig:
        try:
            return self.esm.reader.read(pjson_path, pjson_path)
        except ResolveError as error:
            if error.code == "ERR_INVALID_PACKAGE_CONFIG":
                raise ResolveError("SyntaxError", f"Error parsing {pjson_path}") from None
            raise

    def _scope(self, path: str) -> PackageConfig | None:
        """readPackageScope: the nearest package.json above path, not crossing node_modules."""
        check = path
        while True:
            separator = check.rfind("/")
            check = check[:separator]
            if check.endswith("/node_modules"):
                return None
            config = self._read(check + "/package.json")
            if config.exists:
                return config
            if separator <= 0:
                return None

    def _parent_path(self, parent_url: str) -> str | None:
        """fileURLToPath of a file: parent (None for other schemes), cached."""
        known = self._parents.get(parent_url)
        if known is None:
            path = plain_file_pathname(parent_url)
            if path is None:
                parsed_parent = parse(parent_url)
                if parsed_parent is None or parsed_parent.protocol != "file:":
                    return None
                path = file_url_to_path(parsed_parent)
            known = self._parents[parent_url] = path
        return known

    def resolve(self, specifier: str, parent_url: str, conditions: frozenset[str]) -> Resolved:
        parent = self._parent_path(parent_url)
        if parent is None:
            raise _not_found(specifier, parent_url)
        if specifier.startswith("node:"):
            name = specifier[5:]
            if self.profile.is_scheme_builtin(name):
                return Resolved(specifier, "builtin")
            raise err.unknown_builtin_module(specifier)
        if self.profile.is_builtin(specifier):
            return Resolved("node:" + specifier, "builtin")
        path = self._resolve_filename(specifier, parent, conditions)
        url = path_to_file_url(path)
        return Resolved(url, self._format(url))

    def _format(self, url: str) -> str | None:
        split = file_url_folder(url)
        if split is not None:
            ext = extname("/" + split[1])
        else:
            parsed = parse(url)
            assert parsed is not None
            ext = extname(parsed.pathname)
        if ext == ".node":
            return "addon"
        if ext in (".js", ".cjs", ".mjs", ".json", ""):
            try:
                fmt = self.esm.reader.esm_file_format(url)
            except ResolveError:
                return None
            return fmt or "commonjs"
        # Any other extension is compiled as CommonJS by require().
        return "commonjs"

    def _resolve_filename(self, request: str, parent: str, conditions: frozenset[str]) -> str:
        parent_dir = posixpath.dirname(parent)
        if request.startswith("#"):
            scope = self._scope(parent)
            if scope is not None and scope.imports is not None:
                resolved = self.esm.package_imports_resolve(
                    request, path_to_file_url(parent), conditions
                )
                return self._finalize_esm(resolved, parent, posixpath.dirname(scope.pjson_path))

        self_found = self._try_self(parent, request, conditions)
        if self_found is not None:
            return self_found

        if request.startswith("/"):
            paths = [""]
        elif request.startswith(".") and (len(request) == 1 or request[1] in "./"):
            paths = [parent_dir]
        else:
            paths = self._node_module_paths(parent_dir)
        found = self._find_path(request, paths, conditions)
        if found is None:
            raise _not_found(request, parent)
        return found

    @staticmethod
    def _node_module_paths(start: str) -> list[str]:
        paths: list[str] = []
        current = posixpath.normpath(start)
        while True:
            if posixpath.basename(current) != "node_modules":
                paths.append(posixpath.join(current, "node_modules"))
            if current == "/":
                break
            current = posixpath.dirname(current)
        return paths

    def _try_self(self, parent: str, request: str, conditions: frozenset[str]) -> str | None:
        scope = self._scope(parent)
        if scope is None or scope.exports is None or scope.name is None:
            return None
        if request == scope.name:
            expansion = "."
        elif request.startswith(scope.name + "/"):
            expansion = "." + request[len(scope.name) :]
        else:
            return None
        pkg_dir = posixpath.dirname(scope.pjson_path)
        resolved = self.esm.package_exports_resolve(
            path_to_file_url(scope.pjson_path),
            expansion,
            scope,
            path_to_file_url(parent),
            conditions,
        )
        return self._finalize_esm(resolved, parent, pkg_dir)

    def _finalize_esm(self, resolved: URL, parent: str | None, pkg_dir: str) -> str:
        if _ENCODED_SEP.search(resolved.pathname):
            raise err.invalid_module_specifier(
                resolved.pathname, 'must not include encoded "/" or "\\" characters', parent
            )
        filename = file_url_to_path(resolved)
        actual = self._try_file(filename)
        if actual is None:
            raise ResolveError(
                "MODULE_NOT_FOUND",
                f"Cannot find module '{filename}' (resolved through {pkg_dir}/package.json)",
            )
        return actual

    def _try_file(self, path: str) -> str | None:
        if self.esm.stat(path) != "file":
            return None
        return path if self.esm.preserve_symlinks else self.esm.realpath(path)

    def _try_extensions(self, base: str) -> str | None:
        for ext in _EXTENSIONS:
            found = self._try_file(base + ext)
            if found is not None:
                return found
        return None

    def _try_package(self, request_path: str, original: str) -> str | None:
        config = self._read(posixpath.join(request_path, "package.json"))
        main = config.main if config.exists else None
        if not main:
            return self._try_extensions(posixpath.join(request_path, "index"))
        filename = posixpath.normpath(posixpath.join(request_path, main))
        actual = (
            self._try_file(filename)
            or self._try_extensions(filename)
            or self._try_extensions(posixpath.join(filename, "index"))
            or self._try_extensions(posixpath.join(request_path, "index"))
        )
        if actual is None:
            raise ResolveError(
                "MODULE_NOT_FOUND",
                f"Cannot find module '{filename}'. Please verify that the package.json has a "
                'valid "main" entry',
            )
        return actual

    def _resolve_exports(
        self, nm_path: str, request: str, conditions: frozenset[str]
    ) -> str | None:
        match = _EXPORTS_PATTERN.match(request)
        if match is None:
            return None
        name, expansion = match.group(1), match.group(2) or ""
        pkg_dir = posixpath.normpath(posixpath.join(nm_path, name))
        config = self._read(pkg_dir + "/package.json")
        if not config.exists or config.exports is None:
            return None
        resolved = self.esm.package_exports_resolve(
            path_to_file_url(pkg_dir + "/package.json"), "." + expansion, config, None, conditions
        )
        return self._finalize_esm(resolved, None, pkg_dir)

    def _find_path(self, request: str, paths: list[str], conditions: frozenset[str]) -> str | None:
        absolute = request.startswith("/")
        trailing_slash = bool(request) and (
            request.endswith("/") or _TRAILING_DOTS.search(request) is not None
        )
        for current in paths:
            if current and self.esm.stat(current) != "dir":
                continue
            if not absolute:
                exported = self._resolve_exports(current, request, conditions)
                if exported is not None:
                    return exported
            base_path = posixpath.normpath(posixpath.join(current, request))
            kind = self.esm.stat(base_path)
            filename: str | None = None
            if not trailing_slash:
                if kind == "file":
                    filename = (
                        base_path if self.esm.preserve_symlinks else self.esm.realpath(base_path)
                    )
                if filename is None:
                    filename = self._try_extensions(base_path)
            if filename is None and kind == "dir":
                filename = self._try_package(base_path, request)
            if filename is not None:
                return filename
        return None
