"""Node's ES-module resolver: ESM_RESOLVE and the procedures it calls.

Stage contract: `EsmResolver.default_resolve(specifier, parent, conditions)`
returns what Node 20's default `resolve` hook returns, `{url, format}` as a
`Resolved`, or raises the `ResolveError` Node would throw. One method per
procedure of the algorithm in Node's documentation (ESM_RESOLVE,
PACKAGE_RESOLVE, PACKAGE_SELF_RESOLVE, PACKAGE_EXPORTS_RESOLVE,
PACKAGE_IMPORTS_RESOLVE, PACKAGE_IMPORTS_EXPORTS_RESOLVE, PATTERN_KEY_COMPARE,
PACKAGE_TARGET_RESOLVE); where Node's implementation refines the prose (legacy
main fallbacks, deprecated trailing-slash patterns), the implementation wins,
because it is what users run.

`default_resolve` first tries `fast_relative`: a plain relative or absolute
specifier from a file: parent, resolved with string operations and per-folder
realpath caches, giving exactly what the full procedure gives; anything
unusual (escapes, errors, symlinked files) takes the full procedure.
"""

from __future__ import annotations

import errno
import re
from decimal import Decimal
from typing import Any

from graphesm.fs import FileSystem
from graphesm.model import Resolved
from graphesm.resolve import errors as err
from graphesm.resolve.errors import ResolveError
from graphesm.resolve.package_json import PackageConfig, PackageJsonReader, file_url_to_path_or
from graphesm.resolve.profile import NodeProfile
from graphesm.resolve.urls import (
    RELATIVE_SPECIFIER,
    URL,
    can_parse,
    decode_uri_component,
    file_href,
    file_url_to_path,
    parse,
    path_to_file_url,
    plain_file_pathname,
    resolve_relative_path,
)

_ENCODED_SEP = re.compile(r"%2F|%5C", re.IGNORECASE)
_INVALID_SEGMENT = re.compile(
    r"(^|\\|/)((\.|%2e)(\.|%2e)?|(n|%6e|%4e)(o|%6f|%4f)(d|%64|%44)(e|%65|%45)(_|%5f)"
    r"(m|%6d|%4d)(o|%6f|%4f)(d|%64|%44)(u|%75|%55)(l|%6c|%4c)(e|%65|%45)(s|%73|%53))?(\\|/|$)",
    re.IGNORECASE,
)
# The same without the optional empty segment: what still throws rather than warns.
_DEPRECATED_INVALID_SEGMENT = re.compile(
    r"(^|\\|/)((\.|%2e)(\.|%2e)?|(n|%6e|%4e)(o|%6f|%4f)(d|%64|%44)(e|%65|%45)(_|%5f)"
    r"(m|%6d|%4d)(o|%6f|%4f)(d|%64|%44)(u|%75|%55)(l|%6c|%4c)(e|%65|%45)(s|%73|%53))(\\|/|$)",
    re.IGNORECASE,
)
_INVALID_PACKAGE_NAME = re.compile(r"^\.|%|\\")
# A file: URL pathname whose first segment is a Windows drive letter, which '..'
# never removes (the fast path leaves such parents to ada).
_DRIVE_LETTER_FIRST = re.compile(r"/[A-Za-z][:|](?:/|$)")
# An absolute path with no empty, '.' or '..' segment, not ending in '/'.
_NORMAL_ABSOLUTE = re.compile(r"(?:/(?!\.\.?(?:/|\Z))[^/\x00]+)+")
# Candidates of Node's legacyMainResolve: indexes 0-6 follow "main", 7-9 the package root.
_LEGACY_MAIN = ("", ".js", ".json", ".node", "/index.js", "/index.json", "/index.node")
_LEGACY_INDEX = ("./index.js", "./index.json", "./index.node")


def is_relative_specifier(specifier: str) -> bool:
    if specifier.startswith("."):
        if len(specifier) == 1 or specifier[1] == "/":
            return True
        if specifier[1] == "." and (len(specifier) == 2 or specifier[2] == "/"):
            return True
    return False


def is_relative_or_absolute(specifier: str) -> bool:
    return specifier.startswith("/") or is_relative_specifier(specifier)


def _js_number_string(value: float) -> str:
    """JavaScript's Number#toString for a finite non-negative number."""
    if value.is_integer() and value < 1e21:
        return str(int(value))
    if value >= 1e-6:
        return format(Decimal(repr(value)), "f")
    return re.sub(r"e-0*(\d+)$", r"e-\1", repr(value))


def is_array_index(key: str) -> bool:
    """Node's isArrayIndex: `${+key}` === key and 0 <= +key < 2**32 - 1."""
    if not key or not re.fullmatch(r"[0-9.e+-]+", key):
        return False
    try:
        value = float(key)
    except ValueError:
        return False
    if not 0 <= value < 0xFFFF_FFFF:
        return False
    return _js_number_string(value) == key


def pattern_key_compare(a: str, b: str) -> int:
    """PATTERN_KEY_COMPARE: negative when a is more specific than b."""
    a_star = a.find("*")
    b_star = b.find("*")
    base_a = len(a) if a_star == -1 else a_star + 1
    base_b = len(b) if b_star == -1 else b_star + 1
    if base_a > base_b:
        return -1
    if base_b > base_a:
        return 1
    if a_star == -1:
        return 1
    if b_star == -1:
        return -1
    if len(a) > len(b):
        return -1
    if len(b) > len(a):
        return 1
    return 0


def _own_keys(value: Any) -> list[str]:
    """Object.getOwnPropertyNames for the JSON values that reach it."""
    if isinstance(value, dict):
        return list(value)
    if isinstance(value, list):
        return [*map(str, range(len(value))), "length"]
    if isinstance(value, str):
        return [*map(str, range(len(value))), "length"]
    return []


def _has_own(value: Any, key: str) -> bool:
    return isinstance(value, dict) and key in value


def _shown(base: str | None) -> str | None:
    """The parent as Node names it in error messages: its path, where it has one."""
    return file_url_to_path_or(base) if base else None


def _package_dir(pjson_url: str) -> str:
    """fileURLToPath(new URL('.', packageJSONUrl)): the package folder with a trailing '/'."""
    folder = parse(".", pjson_url)
    assert folder is not None
    return file_url_to_path(folder)


class EsmResolver:
    """Node 20's ESM resolver over one file system, with caches for repeated work."""

    def __init__(
        self,
        fs: FileSystem,
        profile: NodeProfile,
        reader: PackageJsonReader,
        *,
        preserve_symlinks: bool = False,
    ) -> None:
        self.fs = fs
        self.profile = profile
        self.reader = reader
        self.preserve_symlinks = preserve_symlinks
        self._stat_cache: dict[str, str | None] = {}
        self._realpath_cache: dict[str, str | OSError] = {}
        # Fast path: parent URL -> folder of its pathname ('' when not eligible);
        # file path -> (href of its real path, format), ("", None) when it needs
        # the full procedure.
        self._parent_folders: dict[str, str] = {}
        self._real_files: dict[str, tuple[str, str | None]] = {}
        # id(exports object) -> (that object, whether it is conditional sugar).
        self._sugar: dict[int, tuple[Any, bool]] = {}

    # -- file-system primitives, cached -------------------------------------------------

    def stat(self, path: str) -> str | None:
        """Node's internalModuleStat: a C string, so the path ends at a NUL byte."""
        if path not in self._stat_cache:
            self._stat_cache[path] = self.fs.stat(path.split("\x00", 1)[0])
        return self._stat_cache[path]

    def realpath(self, path: str) -> str:
        """fs.realpath, cached per path and built folder by folder: a normalised
        path whose last entry is not a symlink is realpath(folder) + name."""
        cached = self._realpath_cache.get(path)
        if cached is None:
            cached = self._realpath_by_folder(path)
            if cached is None:
                try:
                    cached = self.fs.realpath(path)
                except OSError as error:
                    cached = error
            self._realpath_cache[path] = cached
        if isinstance(cached, OSError):
            code = errno.errorcode.get(cached.errno or 0, "EIO")
            raise ResolveError(code, f"{code}: {cached.strerror}, realpath '{path}'")
        return cached

    def _realpath_by_folder(self, path: str) -> str | None:
        """realpath(folder) + "/" + name when path is absolute and normalised and
        its last entry exists and is not a symlink; None otherwise (fs.realpath
        decides, with its errors)."""
        slash = path.rfind("/")
        if slash == -1 or not _NORMAL_ABSOLUTE.fullmatch(path):
            return None
        if self.fs.lstat(path) not in ("file", "dir"):
            return None
        try:
            real_folder = self.realpath(path[:slash] or "/")
        except ResolveError:
            return None
        return real_folder.rstrip("/") + path[slash:]

    def _parent_folder(self, parent_url: str) -> str:
        """The pathname folder (ending in '/') of a file: parent without a host or
        a drive letter, as ada normalises it; '' for any other parent."""
        folder = self._parent_folders.get(parent_url)
        if folder is None:
            pathname = plain_file_pathname(parent_url)
            if pathname is None:
                parsed = parse(parent_url)
                if parsed is not None and parsed.href.startswith("file:///"):
                    pathname = parsed.pathname
            if pathname is None or _DRIVE_LETTER_FIRST.match(pathname):
                folder = ""
            else:
                folder = pathname[: pathname.rfind("/") + 1]
            self._parent_folders[parent_url] = folder
        return folder

    def _real_file(self, path: str) -> tuple[str, str | None]:
        """(href of the real path, its format) when path is a file that is not
        itself a symlink: realpath(folder) + name, one lstat per file; ("", None)
        when the full procedure must decide."""
        known = self._real_files.get(path)
        if known is not None:
            return known
        href = ""
        if self.fs.lstat(path) == "file":
            slash = path.rfind("/")
            try:
                real_folder = self.realpath(path[:slash] or "/")
            except ResolveError:
                real_folder = ""
            if real_folder:
                href = file_href(real_folder.rstrip("/") + path[slash:])
        # The format may raise (a broken package.json in scope): then nothing is kept.
        known = (href, self.reader.esm_file_format(href) if href else None)
        self._real_files[path] = known
        return known

    def fast_relative(self, specifier: str, parent_url: str) -> Resolved | None:
        """ESM_RESOLVE for a plain relative or absolute specifier from a file:
        parent when it resolves to an existing file: the same answer as the full
        procedure, from string operations and cached file-system facts. None
        when the case needs the full procedure (which also builds the errors)."""
        match = RELATIVE_SPECIFIER.fullmatch(specifier)
        if match is None:
            return None
        folder = self._parent_folder(parent_url)
        if not folder:
            return None
        rel, query, fragment = match.groups()
        pathname = resolve_relative_path(folder, rel)
        # A trailing '/' (directories, Node's slice(-1) quirk) and empty segments
        # take the full procedure.
        if pathname.endswith("/") or "//" in pathname:
            return None
        path = pathname
        if "%" in pathname:  # escapes from the parent's own path
            if _ENCODED_SEP.search(pathname):
                return None
            try:
                path = decode_uri_component(pathname)
            except ResolveError:
                return None
            if "\x00" in path:
                return None
        if self.preserve_symlinks:
            if self.stat(path) != "file":
                return None
            href = "file://" + pathname
            if query is not None:
                href += "?" + query
            if fragment is not None:
                href += "#" + fragment
            return Resolved(href, self.reader.esm_file_format(href))
        href, file_format = self._real_file(path)
        if not href:
            return None
        # finalizeResolution copies search and hash, which drop an empty ? or #.
        if query:
            href += "?" + query
        if fragment:
            href += "#" + fragment
        return Resolved(href, file_format)

    # -- ESM_RESOLVE ---------------------------------------------------------------------

    def default_resolve(
        self, specifier: str, parent_url: str, conditions: frozenset[str]
    ) -> Resolved:
        """Node's defaultResolve(specifier, {parentURL, conditions})."""
        fast = self.fast_relative(specifier, parent_url)
        if fast is not None:
            return fast
        parsed_parent = parse(parent_url)
        parsed: URL | None = None
        if is_relative_or_absolute(specifier):
            parsed = parse(specifier, parsed_parent.href if parsed_parent else None)
        else:
            parsed = parse(specifier)
        if parsed is not None and parsed.protocol == "data:":
            return Resolved(parsed.href, None)

        disallowed = self._check_network_parent(specifier, parsed, parsed_parent)
        if disallowed is not None:
            return disallowed
        if parsed is not None and parsed.protocol == "node:":
            return Resolved(specifier, None)

        url = self.module_resolve(specifier, parent_url, conditions)
        return Resolved(url.href, self._resolve_format(url))

    def _check_network_parent(
        self, specifier: str, parsed: URL | None, parent: URL | None
    ) -> Resolved | None:
        """checkIfDisallowedImport: what an http(s) parent may import."""
        if parent is None or parent.protocol not in ("http:", "https:"):
            return None
        if is_relative_or_absolute(specifier):
            if parsed is not None and parsed.protocol not in ("http:", "https:"):
                raise err.network_import_disallowed(
                    specifier, parent.href, "remote imports cannot import from a local location."
                )
            assert parsed is not None
            return Resolved(parsed.href, None)
        if self.profile.is_builtin(specifier):
            raise err.network_import_disallowed(
                specifier, parent.href, "remote imports cannot import from a local location."
            )
        raise err.network_import_disallowed(
            specifier, parent.href, "only relative and absolute specifiers are supported."
        )

    def _resolve_format(self, url: URL) -> str | None:
        """defaultGetFormatWithoutErrors as called from the resolve step."""
        protocol = url.protocol
        if protocol == "node:":
            return "builtin"
        if protocol == "file:":
            return self.reader.esm_file_format(url.href)
        return None

    def module_resolve(self, specifier: str, base: str, conditions: frozenset[str]) -> URL:
        """ESM_RESOLVE proper (Node's moduleResolve)."""
        protocol = base[: base.find(":") + 1]
        is_remote = protocol in ("data:", "http:", "https:")
        resolved: URL | None
        # Node checks relative/absolute first: such specifiers never parse as URLs.
        if is_relative_or_absolute(specifier):
            resolved = parse(specifier, base)
            if resolved is None:
                raise err.unsupported_resolve_request(specifier, base)
        elif protocol == "file:" and specifier.startswith("#"):
            resolved = self.package_imports_resolve(specifier, base, conditions)
        else:
            resolved = parse(specifier)
            if resolved is None:
                if is_remote and not self.profile.is_builtin(specifier):
                    raise err.unsupported_resolve_request(specifier, base)
                resolved = self.package_resolve(specifier, base, conditions)
        if resolved.protocol != "file:":
            return resolved
        return self.finalize_resolution(resolved, base)

    def finalize_resolution(self, resolved: URL, base: str) -> URL:
        """ESM_RESOLVE steps for file: URLs: encoded separators, directories, realpath."""
        if _ENCODED_SEP.search(resolved.pathname):
            raise err.invalid_module_specifier(
                resolved.pathname,
                'must not include encoded "/" or "\\" characters',
                file_url_to_path_or(base),
            )
        path = file_url_to_path(resolved)
        # Node 20 strips a trailing '/' with slice(-1), which keeps only the '/':
        # every path ending in '/' is stat'ed as the root, a directory.
        kind = self.stat("/" if path.endswith("/") else path)
        if kind == "dir":
            raise err.unsupported_dir_import(path, file_url_to_path_or(base))
        if kind != "file":
            raise err.module_not_found(path or resolved.pathname, file_url_to_path_or(base), True)
        if self.preserve_symlinks:
            return resolved
        if "\x00" in path:
            raise ResolveError(
                "ERR_INVALID_ARG_VALUE",
                "The argument 'path' must be a string, Uint8Array, or URL without null bytes. "
                f"Received {path!r}",
            )
        real = self.realpath(path)
        final = parse(path_to_file_url(real + ("/" if path.endswith("/") else "")))
        assert final is not None
        # Keep the query string and fragment: they make distinct module instances.
        final.search = resolved.search
        final.hash = resolved.hash
        return final

    # -- PACKAGE_RESOLVE -----------------------------------------------------------------

    def parse_package_name(self, specifier: str, base: str) -> tuple[str, str, bool]:
        separator = specifier.find("/")
        valid = True
        scoped = False
        if specifier.startswith("@"):
            scoped = True
            if separator == -1:
                valid = False
            else:
                separator = specifier.find("/", separator + 1)
        name = specifier if separator == -1 else specifier[:separator]
        # A package name cannot start with '.' nor contain '%' or '\'.
        if _INVALID_PACKAGE_NAME.search(name):
            valid = False
        if not valid:
            base_url = parse(base)
            assert base_url is not None
            raise err.invalid_module_specifier(
                specifier, "is not a valid package name", file_url_to_path(base_url)
            )
        subpath = "." + ("" if separator == -1 else specifier[separator:])
        return name, subpath, scoped

    def package_resolve(self, specifier: str, base: str, conditions: frozenset[str]) -> URL:
        """PACKAGE_RESOLVE: builtins, self-reference, then node_modules up to the root."""
        if self.profile.is_builtin(specifier):
            builtin = parse("node:" + specifier)
            assert builtin is not None
            return builtin
        name, subpath, scoped = self.parse_package_name(specifier, base)

        self_url = self.package_self_resolve(name, subpath, base, conditions)
        if self_url is not None:
            return self_url

        pjson_url = parse("./node_modules/" + name + "/package.json", base)
        if pjson_url is None:
            raise ResolveError("ERR_INVALID_URL", "Invalid URL")
        pjson_path = file_url_to_path(pjson_url)
        up = ("../../../../node_modules/" if scoped else "../../../node_modules/") + name
        while True:
            # Strip "/package.json" (13 characters) to get the package folder.
            if self.stat(pjson_path[:-13]) != "dir":
                last_path = pjson_path
                next_url = parse(up + "/package.json", pjson_url.href)
                assert next_url is not None
                pjson_url = next_url
                pjson_path = file_url_to_path(pjson_url)
                if len(pjson_path) == len(last_path):
                    break
                continue
            config = self.reader.read(
                pjson_path, lambda: f'"{specifier}" from {file_url_to_path_or(base)}'
            )
            if config.exports is not None:
                return self.package_exports_resolve(
                    pjson_url.href, subpath, config, base, conditions
                )
            if subpath == ".":
                return self.legacy_main_resolve(pjson_url.href, config, base)
            resolved = parse(subpath, pjson_url.href)
            assert resolved is not None
            return resolved
        raise err.module_not_found(name, file_url_to_path_or(base), False)

    def package_self_resolve(
        self, name: str, subpath: str, base: str, conditions: frozenset[str]
    ) -> URL | None:
        """PACKAGE_SELF_RESOLVE: a package importing itself by its own name."""
        config = self.reader.scope_config(base)
        if config.exists and config.exports is not None and config.name == name:
            pjson_url = path_to_file_url(config.pjson_path)
            return self.package_exports_resolve(pjson_url, subpath, config, base, conditions)
        return None

    def legacy_main_resolve(self, pjson_url: str, config: PackageConfig, base: str) -> URL:
        """Node's legacy "main" fallbacks: main, main.js, …, main/index.node, index.js, …."""
        if config.main is not None:
            main_url = parse("./" + config.main, pjson_url)
            if main_url is not None:
                initial = file_url_to_path(main_url)
                for suffix in _LEGACY_MAIN:
                    if self.stat(initial + suffix) == "file":
                        found = parse("./" + config.main + suffix, pjson_url)
                        assert found is not None
                        return found
        for candidate in _LEGACY_INDEX:
            index_url = parse(candidate, pjson_url)
            assert index_url is not None
            if self.stat(file_url_to_path(index_url)) == "file":
                return index_url
        package_dir = _package_dir(pjson_url)
        raise err.module_not_found(package_dir + "index.js", file_url_to_path_or(base), False)

    # -- PACKAGE_EXPORTS_RESOLVE / PACKAGE_IMPORTS_RESOLVE --------------------------------

    def _is_conditional_sugar(self, exports: Any, pjson_url: str, base: str) -> bool:
        if isinstance(exports, (str, list)):
            return True
        if not isinstance(exports, dict):
            return False
        # A package's exports object lives as long as the reader's cache; the
        # answer (when it is not an error, whose message names base) is kept.
        known = self._sugar.get(id(exports))
        if known is not None and known[0] is exports:
            return known[1]
        sugar = self._conditional_sugar_keys(exports, pjson_url, base)
        self._sugar[id(exports)] = (exports, sugar)
        return sugar

    @staticmethod
    def _conditional_sugar_keys(exports: dict[str, Any], pjson_url: str, base: str) -> bool:
        sugar = False
        for index, key in enumerate(exports):
            current = key == "" or not key.startswith(".")
            if index == 0:
                sugar = current
            elif sugar != current:
                raise err.invalid_package_config(
                    file_url_to_path_or(pjson_url),
                    file_url_to_path_or(base),
                    "\"exports\" cannot contain some keys starting with '.' and some not. The "
                    "exports object must either be an object of package subpath keys or an "
                    "object of main entry condition name keys only.",
                )
        return sugar

    def package_exports_resolve(
        self,
        pjson_url: str,
        subpath: str,
        config: PackageConfig,
        base: str | None,
        conditions: frozenset[str],
    ) -> URL:
        """PACKAGE_EXPORTS_RESOLVE."""
        exports = config.exports
        if self._is_conditional_sugar(exports, pjson_url, base or ""):
            exports = {".": exports}
        if _has_own(exports, subpath) and "*" not in subpath and not subpath.endswith("/"):
            resolved = self.package_target_resolve(
                pjson_url, exports[subpath], "", subpath, base, False, False, conditions
            )
            if resolved is None:
                raise err.package_path_not_exported(_package_dir(pjson_url), subpath, _shown(base))
            return resolved

        best, best_subpath = self._best_pattern_match(subpath, _own_keys(exports))
        if best:
            resolved = self.package_target_resolve(
                pjson_url,
                exports[best],
                best_subpath,
                best,
                base,
                True,
                False,
                conditions,
            )
            if resolved is None:
                raise err.package_path_not_exported(_package_dir(pjson_url), subpath, _shown(base))
            return resolved
        raise err.package_path_not_exported(_package_dir(pjson_url), subpath, _shown(base))

    @staticmethod
    def _best_pattern_match(match_key: str, keys: list[str]) -> tuple[str, str]:
        """PACKAGE_IMPORTS_EXPORTS_RESOLVE's expansion-key loop, as Node implements it."""
        best = ""
        best_subpath = ""
        for key in keys:
            star = key.find("*")
            if star == -1 or not match_key.startswith(key[:star]):
                continue
            trailer = key[star + 1 :]
            if (
                len(match_key) >= len(key)
                and match_key.endswith(trailer)
                and pattern_key_compare(best, key) == 1
                and key.rfind("*") == star
            ):
                best = key
                best_subpath = match_key[star : len(match_key) - len(trailer)]
        return best, best_subpath

    def package_imports_resolve(self, name: str, base: str, conditions: frozenset[str]) -> URL:
        """PACKAGE_IMPORTS_RESOLVE: `#name` through the scope's "imports"."""
        base_path = file_url_to_path_or(base)
        if name == "#" or name.startswith("#/") or name.endswith("/"):
            raise err.invalid_module_specifier(
                name, "is not a valid internal imports specifier name", base_path
            )
        package_dir: str | None = None
        config = self.reader.scope_config(base)
        if config.exists:
            pjson_url = path_to_file_url(config.pjson_path)
            package_dir = _package_dir(pjson_url)
            imports = config.imports
            if isinstance(imports, dict) and imports:
                if name in imports and "*" not in name:
                    resolved = self.package_target_resolve(
                        pjson_url, imports[name], "", name, base, False, True, conditions
                    )
                    if resolved is not None:
                        return resolved
                else:
                    best, best_subpath = self._best_pattern_match(name, list(imports))
                    if best:
                        resolved = self.package_target_resolve(
                            pjson_url,
                            imports[best],
                            best_subpath,
                            best,
                            base,
                            True,
                            True,
                            conditions,
                        )
                        if resolved is not None:
                            return resolved
        raise err.package_import_not_defined(name, package_dir, base_path)

    # -- PACKAGE_TARGET_RESOLVE ----------------------------------------------------------

    def package_target_resolve(
        self,
        pjson_url: str,
        target: Any,
        subpath: str,
        package_subpath: str,
        base: str | None,
        pattern: bool,
        internal: bool,
        conditions: frozenset[str],
    ) -> URL | None:
        """PACKAGE_TARGET_RESOLVE. None stands for both JavaScript's null and undefined;
        `_UNDEFINED` is kept apart where the algorithm distinguishes them."""
        result = self._target(
            pjson_url, target, subpath, package_subpath, base, pattern, internal, conditions
        )
        return None if result is _UNDEFINED or result is None else result  # type: ignore[return-value]

    def _target(
        self,
        pjson_url: str,
        target: Any,
        subpath: str,
        package_subpath: str,
        base: str | None,
        pattern: bool,
        internal: bool,
        conditions: frozenset[str],
    ) -> URL | object | None:
        if isinstance(target, str):
            return self._target_string(
                pjson_url, target, subpath, package_subpath, base, pattern, internal, conditions
            )
        if isinstance(target, list):
            if not target:
                return None
            last: ResolveError | object | None = _UNDEFINED
            for item in target:
                try:
                    result = self._target(
                        pjson_url, item, subpath, package_subpath, base, pattern, internal,
                        conditions,
                    )  # fmt: skip
                except ResolveError as error:
                    last = error
                    if error.code == "ERR_INVALID_PACKAGE_TARGET":
                        continue
                    raise
                if result is _UNDEFINED:
                    continue
                if result is None:
                    last = None
                    continue
                return result
            if isinstance(last, ResolveError):
                raise last
            return last
        if isinstance(target, dict):
            for key in target:
                if is_array_index(key):
                    raise err.invalid_package_config(
                        file_url_to_path_or(pjson_url),
                        _shown(base),
                        '"exports" cannot contain numeric property keys.',
                    )
            for key, value in target.items():
                if key == "default" or key in conditions:
                    result = self._target(
                        pjson_url, value, subpath, package_subpath, base, pattern, internal,
                        conditions,
                    )  # fmt: skip
                    if result is _UNDEFINED:
                        continue
                    return result
            return _UNDEFINED
        if target is None:
            return None
        raise err.invalid_package_target(
            _package_dir(pjson_url), package_subpath, target, internal, _shown(base)
        )

    def _target_string(
        self,
        pjson_url: str,
        target: str,
        subpath: str,
        match: str,
        base: str | None,
        pattern: bool,
        internal: bool,
        conditions: frozenset[str],
    ) -> URL:
        def invalid() -> ResolveError:
            return err.invalid_package_target(
                _package_dir(pjson_url), match, target, internal, _shown(base)
            )

        if subpath != "" and not pattern and not target.endswith("/"):
            raise invalid()
        if not target.startswith("./"):
            if internal and not target.startswith(("/", "../")) and not can_parse(target):
                # A bare target of "imports" resolves as a package from the package root.
                export_target = target.replace("*", subpath) if pattern else target + subpath
                return self.package_resolve(export_target, pjson_url, conditions)
            raise invalid()
        # Invalid segments in the target: only the deprecated empty-segment forms pass.
        if _INVALID_SEGMENT.search(target[2:]) and _DEPRECATED_INVALID_SEGMENT.search(target[2:]):
            raise invalid()

        resolved = parse(target, pjson_url)
        assert resolved is not None
        package_path = parse(".", pjson_url)
        assert package_path is not None
        if not resolved.pathname.startswith(package_path.pathname):
            raise invalid()
        if subpath == "":
            return resolved
        if _INVALID_SEGMENT.search(subpath) and _DEPRECATED_INVALID_SEGMENT.search(subpath):
            request = match.replace("*", subpath, 1) if pattern else match + subpath
            field = "imports" if internal else "exports"
            raise err.invalid_module_specifier(
                request,
                f'request is not a valid match in pattern "{match}" for the "{field}" '
                f"resolution of {file_url_to_path_or(pjson_url)}",
                _shown(base),
            )
        final = (
            parse(resolved.href.replace("*", subpath)) if pattern else parse(subpath, resolved.href)
        )
        if final is None:
            raise ResolveError("ERR_INVALID_URL", "Invalid URL")
        return final


_UNDEFINED = object()

__all__ = [
    "EsmResolver",
    "is_array_index",
    "is_relative_or_absolute",
    "is_relative_specifier",
    "pattern_key_compare",
]
