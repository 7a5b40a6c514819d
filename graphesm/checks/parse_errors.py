"""parse-error: files that do not parse, cannot be read or cannot be walked."""

from __future__ import annotations

import posixpath
from collections.abc import Iterable

from graphesm.model import FileScan, Finding, Location
from graphesm.resolve.package_json import file_url_to_path_or
from graphesm.resolve.urls import path_to_file_url
from graphesm.rules import rule


def find_parse_errors(
    scans: Iterable[FileScan], walk_problems: Iterable[tuple[str, str]], root_url: str
) -> list[Finding]:
    severity = rule("parse-error").severity
    findings: list[Finding] = []
    for scan in scans:
        if scan.error is not None:
            findings.append(
                Finding("parse-error", severity, scan.error, Location(scan.url, scan.path))
            )
        for problem in scan.problems:
            findings.append(
                Finding(
                    "parse-error",
                    severity,
                    problem.message,
                    Location(scan.url, scan.path, problem.line, problem.column),
                )
            )
    root = file_url_to_path_or(root_url)
    for path, message in walk_problems:
        shown = posixpath.relpath(path, root) if path.startswith(root) else path
        findings.append(
            Finding("parse-error", severity, message, Location(path_to_file_url(path), shown))
        )
    return findings
