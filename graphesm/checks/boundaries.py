"""esm-cjs-boundary: imports that cross between ES modules and CommonJS.

Stage contract: `find_boundaries(imports, formats, top_level_await, cjs_exports,
paths)` is a pure function of the resolved imports, the format of every module,
which files use top-level await, and the export names Node's static detection
(cjs-module-lexer, computed by graphesm/scan/cjs_exports.py) gives each
CommonJS target of a named import. What Node 20.20 does (measured on
tests/fixtures/boundaries, tests/test_check_boundaries.py):

- `import { x } from './m.cjs'` (or `export { x } from`) where `x` is not among
  the detected names: SyntaxError "Named export 'x' not found" at link time
  -> `error`;
- `require()` of an ES module whose graph (static imports) contains top-level
  await: ERR_REQUIRE_ASYNC_MODULE -> `error`; without it require(esm) loads
  synchronously -> `info`;
- every other ESM <-> CJS edge -> `info`, for review.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from graphesm.checks._location import site_location
from graphesm.checks._urls import file_key
from graphesm.model import Finding, ImportKind, Resolution, Severity
from graphesm.rules import rule

_NAMED_KINDS = frozenset({ImportKind.STATIC, ImportKind.EXPORT_FROM})
_EAGER_KINDS = frozenset({ImportKind.STATIC, ImportKind.SIDE_EFFECT, ImportKind.EXPORT_FROM})
_ESM_TO_CJS_KINDS = frozenset(
    {ImportKind.STATIC, ImportKind.SIDE_EFFECT, ImportKind.EXPORT_FROM, ImportKind.DYNAMIC}
)


def find_boundaries(
    imports: Iterable[Resolution],
    formats: Mapping[str, str | None],
    top_level_await: Mapping[str, bool],
    cjs_exports: Mapping[str, frozenset[str]],
    paths: Mapping[str, str | None],
) -> list[Finding]:
    resolutions = tuple(imports)
    eager: dict[str, list[Resolution]] | None = None  # made when first needed
    findings: list[Finding] = []
    for resolution in resolutions:
        source_format = formats.get(resolution.site.file_url)
        # Same format on both sides is the common case, and never a boundary.
        if source_format == resolution.format or source_format not in ("module", "commonjs"):
            continue
        target, kind = resolution.url, resolution.site.kind
        if target is None or resolution.error_code is not None:
            continue
        if source_format == "module" and resolution.format == "commonjs":
            if kind in _ESM_TO_CJS_KINDS:
                findings.append(_esm_to_cjs(resolution, cjs_exports, paths))
        elif source_format == "commonjs" and resolution.format == "module":
            if kind is ImportKind.REQUIRE:
                if eager is None:
                    eager = _eager_imports(resolutions)
                tla = _async_modules(target, eager, formats, top_level_await)
                findings.append(_require_esm(resolution, tla, paths))
            elif kind is ImportKind.DYNAMIC:
                findings.append(
                    _info(resolution, paths, "cjs-to-esm", "CommonJS import() of an ES module")
                )
    return findings


def _eager_imports(resolutions: Iterable[Resolution]) -> dict[str, list[Resolution]]:
    """importer URL -> its resolved static, side-effect and export-from imports."""
    eager: dict[str, list[Resolution]] = {}
    for resolution in resolutions:
        if (
            resolution.url is not None
            and resolution.error_code is None
            and resolution.site.kind in _EAGER_KINDS
        ):
            eager.setdefault(resolution.site.file_url, []).append(resolution)
    return eager


def _name(url: str, paths: Mapping[str, str | None]) -> str:
    return paths.get(file_key(url)) or paths.get(url) or url


def _info(
    resolution: Resolution, paths: Mapping[str, str | None], direction: str, what: str
) -> Finding:
    assert resolution.url is not None
    return Finding(
        "esm-cjs-boundary",
        rule("esm-cjs-boundary").severity,
        f"{what}: {resolution.site.specifier} -> {_name(resolution.url, paths)}",
        site_location(resolution, paths),
        data={"direction": direction, "specifier": resolution.site.specifier},
    )


def _esm_to_cjs(
    resolution: Resolution,
    cjs_exports: Mapping[str, frozenset[str]],
    paths: Mapping[str, str | None],
) -> Finding:
    assert resolution.url is not None
    site = resolution.site
    detected = cjs_exports.get(resolution.url)
    wanted = [name for name in site.names if name not in ("default", "*")]
    missing = [name for name in wanted if detected is not None and name not in detected]
    if site.kind in _NAMED_KINDS and missing:
        shown = ", ".join(sorted(detected or ()))
        first = missing[0]
        return Finding(
            "esm-cjs-boundary",
            Severity.ERROR,
            f"SyntaxError: Named export '{first}' not found: {site.specifier} is a CommonJS "
            f"module and Node's static export detection (cjs-module-lexer) sees only "
            f"{shown}; import the default export and read "
            f"{', '.join(missing)} from it",
            site_location(resolution, paths),
            data={
                "code": "SyntaxError",
                "direction": "esm-to-cjs",
                "specifier": site.specifier,
                "missing": missing,
                "detected": sorted(detected or ()),
            },
        )
    what = "ES module imports a CommonJS module"
    if wanted:
        what += f" (named imports {', '.join(wanted)} found by static detection)"
    return _info(resolution, paths, "esm-to-cjs", what)


def _async_modules(
    start: str,
    eager: Mapping[str, list[Resolution]],
    formats: Mapping[str, str | None],
    top_level_await: Mapping[str, bool],
) -> list[str]:
    """ES modules with top-level await in the static graph of `start`."""
    found: list[str] = []
    seen = {start}
    queue = [start]
    while queue:
        url = queue.pop(0)
        if top_level_await.get(file_key(url), False):
            found.append(url)
        for resolution in eager.get(file_key(url), []):
            target = resolution.url
            if target is None or target in seen or resolution.format != "module":
                continue
            if formats.get(file_key(target)) not in (None, "module"):
                continue
            seen.add(target)
            queue.append(target)
    return sorted(found)


def _require_esm(
    resolution: Resolution, tla: list[str], paths: Mapping[str, str | None]
) -> Finding:
    if not tla:
        return _info(
            resolution,
            paths,
            "cjs-to-esm",
            "require() of an ES module (synchronous since Node 20.19; returns its namespace)",
        )
    shown = ", ".join(_name(url, paths) for url in tla)
    return Finding(
        "esm-cjs-boundary",
        Severity.ERROR,
        f"ERR_REQUIRE_ASYNC_MODULE: require() of {resolution.site.specifier} fails: its ES "
        f"module graph uses top-level await ({shown}); use import() instead",
        site_location(resolution, paths),
        data={
            "code": "ERR_REQUIRE_ASYNC_MODULE",
            "direction": "cjs-to-esm",
            "specifier": resolution.site.specifier,
            "top_level_await": tla,
        },
    )
