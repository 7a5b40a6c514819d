"""load-error and import-attribute: imports Node would fail to resolve or load.

Every resolver error and load-step error becomes one finding with Node's code
in `data.code`; the import-attribute codes are reported under their own rule.
Legacy `assert { … }` attributes are flagged as deprecated (removed in Node 22).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from graphesm.checks._location import site_location
from graphesm.model import Finding, Resolution, Severity
from graphesm.rules import rule

_ATTRIBUTE_CODES = frozenset(
    {
        "ERR_IMPORT_ASSERTION_TYPE_MISSING",
        "ERR_IMPORT_ASSERTION_TYPE_FAILED",
        "ERR_IMPORT_ASSERTION_TYPE_UNSUPPORTED",
        "ERR_IMPORT_ATTRIBUTE_UNSUPPORTED",
    }
)


def find_load_errors(
    imports: Iterable[Resolution], paths: Mapping[str, str | None]
) -> list[Finding]:
    findings: list[Finding] = []
    for resolution in imports:
        site = resolution.site
        code = resolution.error_code
        if code is not None:
            name = "import-attribute" if code in _ATTRIBUTE_CODES else "load-error"
            findings.append(
                Finding(
                    name,
                    rule(name).severity,
                    f"{code} {resolution.message or ''}".strip(),
                    site_location(resolution, paths),
                    data={"code": code, "specifier": site.specifier},
                )
            )
        if site.attributes_syntax == "assert":
            findings.append(
                Finding(
                    "import-attribute",
                    Severity.WARNING,
                    "import assertions (`assert { … }`) are deprecated and removed in Node 22; "
                    "use `with { … }`",
                    site_location(resolution, paths),
                    data={"code": "DEPRECATED_ASSERT", "specifier": site.specifier},
                )
            )
    return findings
