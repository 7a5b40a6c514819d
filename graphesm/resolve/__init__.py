"""Resolution stage: specifier + parent -> the URL Node would load, or Node's error.

Stage contract: `Resolver` answers `resolve` (an `import`, ESM resolver) and
`resolve_require` (a `require()`, CommonJS resolver) for any number of
(specifier, parent) pairs, sharing package.json, scope, stat and realpath
caches across calls. Results are `Resolved(url, format)`; failures raise
`ResolveError` with Node's code. No printing, no global state.
"""

from __future__ import annotations

import os
import re
from collections.abc import Sequence

from graphesm.fs import FileSystem, RealFS
from graphesm.model import Resolved
from graphesm.resolve.cjs import CjsResolver
from graphesm.resolve.errors import ResolveError
from graphesm.resolve.esm import EsmResolver
from graphesm.resolve.hints import add_hint
from graphesm.resolve.package_json import PackageConfig, PackageJsonReader
from graphesm.resolve.profile import DEFAULT_PROFILE, NodeProfile
from graphesm.resolve.urls import can_parse, path_to_file_url

__all__ = [
    "DEFAULT_PROFILE",
    "NodeProfile",
    "PackageConfig",
    "ResolveError",
    "Resolved",
    "Resolver",
    "folder_url",
    "resolve",
    "to_url",
]


# A URL scheme of two characters or more (a single letter would be a drive).
_SCHEME = re.compile(r"[A-Za-z][A-Za-z0-9+.\-]+:")


def to_url(parent: str) -> str:
    """A parent given as a URL string stays as is; a file path becomes a file: URL."""
    if "://" in parent or (_SCHEME.match(parent) and can_parse(parent)):
        return parent
    return path_to_file_url(os.path.abspath(parent))


def folder_url(parent_url: str) -> str:
    """The folder URL of a file: parent ('' for other schemes: no sharing there).
    Successful resolutions from parents in one folder are the same."""
    if not parent_url.startswith("file:") or "?" in parent_url or "#" in parent_url:
        return ""
    return parent_url[: parent_url.rfind("/") + 1]


class Resolver:
    """Node's resolvers over one file system, cached for the life of the instance.

    `conditions` are user conditions added to Node's defaults, exactly like
    `node --conditions`; the `conditions` argument of `resolve` instead
    replaces the whole set, like a resolve hook's `context.conditions`.
    """

    def __init__(
        self,
        fs: FileSystem | None = None,
        *,
        conditions: Sequence[str] = (),
        preserve_symlinks: bool = False,
        profile: NodeProfile = DEFAULT_PROFILE,
        hints: bool = True,
    ) -> None:
        self.fs = fs if fs is not None else RealFS()
        self.profile = profile
        self.user_conditions = tuple(conditions)
        self.hints = hints
        self.packages = PackageJsonReader(self.fs, profile)
        self.esm = EsmResolver(self.fs, profile, self.packages, preserve_symlinks=preserve_symlinks)
        self.cjs = CjsResolver(self.esm)
        self._import_conditions = frozenset((*profile.import_conditions, *self.user_conditions))
        self._require_conditions = frozenset((*profile.require_conditions, *self.user_conditions))
        # Successful answers depend only on the parent's folder, never on its file name
        # (errors do: their messages name the parent), so successes are shared per folder.
        self._memo: dict[tuple[str, str, frozenset[str] | None], Resolved] = {}
        # Failures per exact parent URL: (code, message, hint).
        self._failures: dict[tuple[str, str, frozenset[str] | None], tuple[str, str, str | None]]
        self._failures = {}

    @property
    def import_conditions(self) -> tuple[str, ...]:
        return (*self.profile.import_conditions, *self.user_conditions)

    @property
    def require_conditions(self) -> tuple[str, ...]:
        return (*self.profile.require_conditions, *self.user_conditions)

    def resolve(
        self, specifier: str, parent: str, conditions: Sequence[str] | None = None
    ) -> Resolved:
        """What Node's default resolve hook answers for `import specifier` in parent."""
        parent_url = to_url(parent)
        active = self._import_conditions if conditions is None else frozenset(conditions)
        key = (specifier, folder_url(parent_url), active)
        memo = self._memo.get(key)
        if memo is not None:
            return memo
        failure_key = (specifier, parent_url, active)
        failed = self._failures.get(failure_key)
        if failed is not None:
            raise ResolveError(*failed)
        try:
            resolved = self.esm.default_resolve(specifier, parent_url, active)
        except ResolveError as error:
            if self.hints:
                error = add_hint(error, self, specifier, parent_url)
            raise self._failed(failure_key, error) from None
        except RecursionError:
            raise self._failed(
                failure_key,
                ResolveError(
                    "ERR_INVALID_PACKAGE_CONFIG",
                    f"resolution of {specifier!r} recursed too deeply (an imports/exports loop?)",
                ),
            ) from None
        if key[1]:
            self._memo[key] = resolved
        return resolved

    def resolve_require(self, specifier: str, parent: str) -> Resolved:
        """What `require(specifier)` in the CommonJS module at parent loads."""
        parent_url = to_url(parent)
        key = (specifier, folder_url(parent_url), None)
        memo = self._memo.get(key)
        if memo is not None:
            return memo
        failure_key = (specifier, parent_url, None)
        failed = self._failures.get(failure_key)
        if failed is not None:
            raise ResolveError(*failed)
        try:
            resolved = self.cjs.resolve(specifier, parent_url, self._require_conditions)
        except ResolveError as error:
            raise self._failed(failure_key, error) from None
        except RecursionError:
            raise self._failed(
                failure_key,
                ResolveError(
                    "MODULE_NOT_FOUND", f"resolution of {specifier!r} recursed too deeply"
                ),
            ) from None
        if key[1]:
            self._memo[key] = resolved
        return resolved

    def _failed(
        self, key: tuple[str, str, frozenset[str] | None], error: ResolveError
    ) -> ResolveError:
        """Remember a failure (the caches make it repeat exactly); return the error."""
        self._failures[key] = (error.code, error.message, error.hint)
        return error

    def package_type(self, url: str) -> str:
        """`module`, `commonjs` or `none`: the "type" of the package scope of url."""
        try:
            return self.packages.package_type(url)
        except ResolveError:
            return "none"

    def package_of(self, url: str) -> PackageConfig | None:
        """The package.json governing url, or None."""
        try:
            config = self.packages.scope_config(url)
        except ResolveError:
            return None
        return config if config.exists else None


def resolve(specifier: str, parent: str, conditions: Sequence[str] | None = None) -> Resolved:
    """Resolve one specifier on the real file system as it is now.

    Each call reads the disk afresh; to resolve many specifiers, keep one
    `Resolver` and share its caches.
    """
    return Resolver().resolve(specifier, parent, conditions)
