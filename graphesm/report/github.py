"""GitHub Actions reporter: ScanResult -> workflow-command annotations.

Stage contract
--------------
``render(result)`` is pure and deterministic: one line per finding, in the
order of the JSON output,

    ::error file=src/a.js,line=3,col=18,title=graphesm load-error::message

with ``error``/``warning``/``notice`` for the severities error/warning/info.
``file`` is relative to the scan root (run the step from the repository root
so annotations land on the right files); ``line`` and ``col`` are omitted
when unknown. Values are escaped as the Actions runner expects: in the
message ``%`` -> ``%25``, CR -> ``%0D``, LF -> ``%0A``; in properties also
``:`` -> ``%3A`` and ``,`` -> ``%2C``. Messages show paths relative to the
root. Nothing else is printed, so the output can go straight to the log.
"""

from __future__ import annotations

from graphesm.model import Finding, ScanResult, Severity
from graphesm.report._paths import display_path, shown_message

__all__ = ["escape_data", "escape_property", "render"]

_COMMAND = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "notice"}


def escape_data(text: str) -> str:
    """Escape a workflow command's message."""
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def escape_property(text: str) -> str:
    """Escape a workflow command's property value."""
    return escape_data(text).replace(":", "%3A").replace(",", "%2C")


def _sort_key(finding: Finding) -> tuple[str, int, int, str, str]:
    loc = finding.location
    return (loc.url, loc.line or 0, loc.column or 0, finding.rule, finding.message)


def _line(finding: Finding, root: str) -> str:
    location = finding.location
    properties = [f"file={escape_property(display_path(location, root))}"]
    if location.line is not None:
        properties.append(f"line={location.line}")
        if location.column is not None:
            properties.append(f"col={location.column}")
    properties.append(f"title={escape_property(f'graphesm {finding.rule}')}")
    message = escape_data(shown_message(finding, root))
    return f"::{_COMMAND[finding.severity]} {','.join(properties)}::{message}"


def render(result: ScanResult) -> str:
    """One annotation line per finding (see the module docstring)."""
    return "".join(
        _line(finding, result.root) + "\n" for finding in sorted(result.findings, key=_sort_key)
    )
