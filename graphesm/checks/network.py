"""network-import: `https:` and `http:` imports and what Node requires for them.

Stage contract: `find_network_imports(imports, paths)` is a pure function of
the import sites. What Node 20.20 does (measured):
- without flags every `http:`/`https:` import fails with
  ERR_UNSUPPORTED_ESM_URL_SCHEME (reported by load-error as well) -> `warning`
  here, explaining that `--experimental-network-imports` is required;
- with that flag `https:` loads, `http:` only from loopback hosts
  (`localhost`, `127.x.x.x`, `[::1]`; not `0.0.0.0`); any other `http:` host
  fails with ERR_NETWORK_IMPORT_DISALLOWED -> `error`;
- a network module may not import `file:` or `node:` URLs
  (ERR_NETWORK_IMPORT_DISALLOWED). graphesm never fetches network modules
  (no network access unless asked), so that case is not visible to the scan.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from urllib.parse import urlsplit

from graphesm.checks._location import site_location
from graphesm.checks._urls import LOADING_KINDS
from graphesm.model import Finding, Resolution, Severity
from graphesm.rules import rule


def is_loopback(host: str) -> bool:
    return host == "localhost" or host.startswith("127.") or host in ("::1", "[::1]")


def find_network_imports(
    imports: Iterable[Resolution], paths: Mapping[str, str | None]
) -> list[Finding]:
    findings: list[Finding] = []
    with_scheme = [(r, s) for r in imports if (s := r.site.specifier) is not None and ":" in s]
    for resolution, specifier in with_scheme:
        scheme = specifier.split(":", 1)[0].lower()
        if scheme not in ("http", "https") or resolution.site.kind not in LOADING_KINDS:
            continue
        try:
            host = urlsplit(specifier).hostname or ""
        except ValueError:
            host = ""
        severity = rule("network-import").severity
        message = (
            f"network import {specifier}: Node 20 refuses it "
            "(ERR_UNSUPPORTED_ESM_URL_SCHEME) unless run with --experimental-network-imports"
        )
        code = "ERR_UNSUPPORTED_ESM_URL_SCHEME"
        if scheme == "http" and not is_loopback(host):
            severity = Severity.ERROR
            code = "ERR_NETWORK_IMPORT_DISALLOWED"
            message = (
                f"network import {specifier}: http: is allowed only for loopback hosts "
                f"(localhost, 127.x.x.x, [::1]); even with --experimental-network-imports "
                f"Node throws ERR_NETWORK_IMPORT_DISALLOWED for {host or 'this host'}; "
                "use https:"
            )
        findings.append(
            Finding(
                "network-import",
                severity,
                message,
                site_location(resolution, paths),
                data={"code": code, "specifier": specifier, "host": host, "scheme": scheme},
            )
        )
    return findings
