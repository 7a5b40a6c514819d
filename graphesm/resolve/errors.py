"""Node's resolution errors: codes and message texts as Node 20 formats them.

Stage contract: pure constructors. `ResolveError.code` is the `code` property
of the error Node throws; where Node throws a plain JavaScript error without a
code (a `TypeError` from a `null` package.json, a `URIError` from a malformed
percent-encoding), `code` is that error's name, so the answer is still exactly
what Node reports.
"""

from __future__ import annotations

import json


class ResolveError(Exception):
    """Resolution failed the way Node fails: `code` is Node's error code."""

    def __init__(self, code: str, message: str, hint: str | None = None) -> None:
        super().__init__(f"{code}: {message}")
        self.code = code
        self.message = message
        self.hint = hint

    def with_hint(self, hint: str | None) -> ResolveError:
        return ResolveError(self.code, self.message, hint)


def _from(base: str | None) -> str:
    return f" imported from {base}" if base else ""


def invalid_module_specifier(request: str, reason: str, base: str | None) -> ResolveError:
    return ResolveError(
        "ERR_INVALID_MODULE_SPECIFIER", f'Invalid module "{request}" {reason}{_from(base)}'
    )


def invalid_package_config(path: str, base: str | None, message: str | None) -> ResolveError:
    while_importing = f" while importing {base}" if base else ""
    detail = f". {message}" if message else ""
    return ResolveError(
        "ERR_INVALID_PACKAGE_CONFIG", f"Invalid package config {path}{while_importing}{detail}"
    )


def _js_stringify(value: object) -> str:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


def invalid_package_target(
    pkg_path: str, key: str, target: object, is_import: bool, base: str | None
) -> ResolveError:
    shown = _js_stringify(target) if isinstance(target, (dict, list, str)) else _js_str(target)
    rel_error = (
        isinstance(target, str) and not is_import and target != "" and not target.startswith("./")
    )
    suffix = '; targets must start with "./"' if rel_error else ""
    if key == ".":
        text = (
            f'Invalid "exports" main target {shown} defined in the package config '
            f"{pkg_path}package.json{_from(base)}{suffix}"
        )
    else:
        field = "imports" if is_import else "exports"
        text = (
            f"Invalid \"{field}\" target {shown} defined for '{key}' in the package config "
            f"{pkg_path}package.json{_from(base)}{suffix}"
        )
    return ResolveError("ERR_INVALID_PACKAGE_TARGET", text)


def _js_str(value: object) -> str:
    """JavaScript's String(value) for JSON scalars."""
    if value is True:
        return "true"
    if value is False:
        return "false"
    if value is None:
        return "null"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def module_not_found(path: str, base: str | None, exact: bool) -> ResolveError:
    what = "module" if exact else "package"
    return ResolveError("ERR_MODULE_NOT_FOUND", f"Cannot find {what} '{path}' imported from {base}")


def package_import_not_defined(
    specifier: str, package_path: str | None, base: str | None
) -> ResolveError:
    where = f" in package {package_path}package.json" if package_path else ""
    return ResolveError(
        "ERR_PACKAGE_IMPORT_NOT_DEFINED",
        f'Package import specifier "{specifier}" is not defined{where} imported from {base}',
    )


def package_path_not_exported(pkg_path: str, subpath: str, base: str | None) -> ResolveError:
    if subpath == ".":
        text = f'No "exports" main defined in {pkg_path}package.json{_from(base)}'
    else:
        text = (
            f"Package subpath '{subpath}' is not defined by \"exports\" in "
            f"{pkg_path}package.json{_from(base)}"
        )
    return ResolveError("ERR_PACKAGE_PATH_NOT_EXPORTED", text)


def unsupported_dir_import(path: str, base: str | None) -> ResolveError:
    return ResolveError(
        "ERR_UNSUPPORTED_DIR_IMPORT",
        f"Directory import '{path}' is not supported resolving ES modules imported from {base}",
    )


def unsupported_resolve_request(specifier: str, base: str) -> ResolveError:
    return ResolveError(
        "ERR_UNSUPPORTED_RESOLVE_REQUEST",
        f'Failed to resolve module specifier "{specifier}" from "{base}": Invalid relative URL '
        "or base scheme is not hierarchical.",
    )


def network_import_disallowed(specifier: str, parent: str, reason: str) -> ResolveError:
    return ResolveError(
        "ERR_NETWORK_IMPORT_DISALLOWED",
        f"import of '{specifier}' by {parent} is not supported: {reason}",
    )


def unknown_file_extension(ext: str, path: str) -> ResolveError:
    return ResolveError("ERR_UNKNOWN_FILE_EXTENSION", f'Unknown file extension "{ext}" for {path}')


def unknown_builtin_module(url: str) -> ResolveError:
    return ResolveError("ERR_UNKNOWN_BUILTIN_MODULE", f"No such built-in module: {url}")


def unsupported_esm_url_scheme(protocol: str, schemes: tuple[str, ...]) -> ResolveError:
    listed = (
        ", ".join(schemes[:-1]) + f", and {schemes[-1]}"
        if len(schemes) > 2
        else " and ".join(schemes)
    )
    return ResolveError(
        "ERR_UNSUPPORTED_ESM_URL_SCHEME",
        f"Only URLs with a scheme in: {listed} are supported by the default ESM loader. "
        f"Received protocol '{protocol}'",
    )
