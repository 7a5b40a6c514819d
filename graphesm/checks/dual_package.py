"""dual-package: one installed package reached through two different files.

Stage contract: `find_dual_packages(imports, modules, paths)` is a pure
function of the resolved imports and module records. Imports are grouped by
(package folder, bare specifier without ?query/#fragment); when one group
resolves to more than one file (typically `import` -> dist/index.mjs and
`require` -> dist/index.cjs through conditional exports), Node loads both
files: two copies of the package's state, and `instanceof`/singletons break
across them (measured in tests/test_check_duplicates.py).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from graphesm.checks._location import site_location
from graphesm.checks._urls import LOADING_KINDS, file_key
from graphesm.model import Finding, ImportKind, Module, Resolution
from graphesm.rules import rule

_MARKER = "/node_modules/"


def _package_dir(url: str, name: str) -> str | None:
    marker = url.rfind(_MARKER)
    if marker == -1:
        return None
    return url[: marker + len(_MARKER)] + name + "/"


def _is_bare(specifier: str) -> bool:
    return not (specifier.startswith((".", "/", "#")) or ":" in specifier.split("/", 1)[0])


def find_dual_packages(
    imports: Iterable[Resolution],
    modules: Iterable[Module],
    paths: Mapping[str, str | None],
) -> list[Finding]:
    by_url = {module.url: module for module in modules}
    # Only an import of a module inside a package can take part.
    packaged = {url: (m, m.package) for url, m in by_url.items() if m.package is not None}
    if not packaged:
        return []
    groups: dict[tuple[str, str], dict[str, list[Resolution]]] = {}
    packages: dict[str, Module] = {}
    for resolution in imports:
        url, site = resolution.url, resolution.site
        if url is None or url not in packaged:
            continue
        specifier = site.specifier
        if specifier is None or not _is_bare(specifier):
            continue
        if resolution.error_code is not None or site.kind not in LOADING_KINDS:
            continue
        if not url.startswith("file:"):
            continue
        module, package = packaged[url]
        folder = _package_dir(url, package.name)
        if folder is None:
            continue
        packages[folder] = module
        bare = file_key(specifier)
        groups.setdefault((folder, bare), {}).setdefault(file_key(url), []).append(resolution)
    findings: list[Finding] = []
    for (folder, specifier), files in sorted(groups.items()):
        if len(files) < 2:
            continue
        findings.append(_finding(folder, specifier, files, packages[folder], paths))
    return findings


def _kind_name(kind: ImportKind) -> str:
    return "require" if kind is ImportKind.REQUIRE else "import"


def _finding(
    folder: str,
    specifier: str,
    files: Mapping[str, list[Resolution]],
    module: Module,
    paths: Mapping[str, str | None],
) -> Finding:
    package = module.package
    assert package is not None
    label = f"{package.name}@{package.version}" if package.version else package.name
    parts = []
    data_files: dict[str, list[str]] = {}
    all_sites: list[Resolution] = []
    for url in sorted(files):
        sites = sorted(files[url], key=lambda r: (r.site.file_url, r.site.line, r.site.column))
        all_sites += sites
        kinds = sorted({_kind_name(r.site.kind) for r in sites})
        data_files[url] = kinds
        where = ", ".join(
            f"{paths.get(r.site.file_url) or r.site.file_url}:{r.site.line}" for r in sites
        )
        parts.append(f"{paths.get(url) or url} ({'/'.join(kinds)}: {where})")
    message = (
        f"package {label} is loaded from {len(files)} different files for "
        f"'{specifier}': " + " and ".join(parts) + "; each file has its own copy of the "
        "package's state (dual-package hazard)"
    )
    return Finding(
        "dual-package",
        rule("dual-package").severity,
        message,
        site_location(all_sites[0], paths),
        tuple(site_location(r, paths) for r in all_sites[1:]),
        data={
            "package": package.name,
            "version": package.version,
            "folder": folder,
            "specifier": specifier,
            "files": data_files,
        },
    )
