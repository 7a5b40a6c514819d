"""duplicate-instance: one file reached through several URLs (?query, #fragment).

Stage contract: `find_duplicate_instances(imports, paths, entries)` is a pure
function of the resolved imports. It groups the URLs that loading imports
(static, side-effect, export-from, dynamic, require) and the entries resolve
to by the file they name, and reports every file with more than one URL.

What Node 20 does (measured, tests/test_check_duplicates.py):
- ES modules, JSON modules (and WebAssembly) are keyed by URL in the module
  map: each distinct URL is instantiated and evaluated once, so N URLs give N
  copies of the module's state -> `warning`;
- CommonJS files run once per file whatever the query (the require cache is
  keyed by path), but each URL gets its own ESM facade namespace -> `info`;
- a bare trailing `?` or `#` is dropped by the resolver (`./a.js?` resolves to
  the URL of `./a.js`), so it never makes a new instance.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence

from graphesm.checks._location import site_location
from graphesm.checks._urls import LOADING_KINDS, file_key, url_suffix
from graphesm.model import Finding, Location, Resolution, Severity
from graphesm.rules import rule

_PER_URL_FORMATS = frozenset({"module", "json", "wasm"})


def find_duplicate_instances(
    imports: Iterable[Resolution],
    paths: Mapping[str, str | None],
    entries: Sequence[str] = (),
) -> list[Finding]:
    imports = tuple(imports)
    # A file has two URLs only if one of them carries a ?query or #fragment,
    # so only the imports of those files are grouped.
    files = {file_key(url) for url in entries if "?" in url or "#" in url}
    files |= {
        file_key(url) for r in imports if (url := r.url) is not None and ("?" in url or "#" in url)
    }
    if not files:
        return []
    urls: dict[str, dict[str, str | None]] = {}
    sites: dict[str, list[Resolution]] = {}
    for entry in entries:
        urls.setdefault(file_key(entry), {})[entry] = None
    for resolution in imports:
        url = resolution.url
        if url is None or (url not in files and "?" not in url and "#" not in url):
            continue
        if resolution.error_code is not None or not url.startswith("file:"):
            continue
        if resolution.site.kind not in LOADING_KINDS:
            continue
        key = file_key(url)
        known = urls.setdefault(key, {})
        if known.get(url) is None:
            known[url] = resolution.format
        sites.setdefault(key, []).append(resolution)
    findings: list[Finding] = []
    for key in sorted(urls):
        variants = urls[key]
        if len(variants) < 2:
            continue
        formats = {fmt for fmt in variants.values() if fmt is not None}
        fmt = sorted(formats)[0] if formats else None
        if fmt is None:
            continue
        findings.append(_finding(key, variants, fmt, sites.get(key, []), paths))
    return findings


def _finding(
    key: str,
    variants: Mapping[str, str | None],
    fmt: str,
    sites: list[Resolution],
    paths: Mapping[str, str | None],
) -> Finding:
    path = paths.get(key) or key
    ordered = sorted(variants)
    shown = ", ".join(f"{path}{url_suffix(url)}" for url in ordered)
    count = len(ordered)
    if fmt in _PER_URL_FORMATS:
        severity = rule("duplicate-instance").severity
        evaluations = count
        kind = "JSON module" if fmt == "json" else "ES module"
        message = (
            f"{path} is loaded as {count} separate {kind} instances ({shown}): Node "
            f"evaluates it {count} times and each copy has its own state; "
            "import it through one URL"
        )
    else:
        severity = Severity.INFO
        evaluations = 1
        message = (
            f"{path} is reached through {count} URLs ({shown}): Node runs this CommonJS "
            f"file once (its cache is keyed by path) but creates {count} ESM facade "
            "namespaces sharing one module.exports"
        )
    # Point at the first import that uses a ?query/#fragment URL.
    ordered_sites = sorted(
        sites, key=lambda r: (r.url == key, r.site.file_url, r.site.line, r.site.column)
    )
    location = (
        site_location(ordered_sites[0], paths) if ordered_sites else Location(key, paths.get(key))
    )
    related = tuple(site_location(r, paths) for r in ordered_sites[1:])
    return Finding(
        "duplicate-instance",
        severity,
        message,
        location,
        related,
        data={
            "file": key,
            "urls": ordered,
            "format": fmt,
            "instances": count,
            "evaluations": evaluations,
        },
    )
