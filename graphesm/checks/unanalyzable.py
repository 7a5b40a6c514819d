"""unanalyzable-import: import() calls whose specifier is not a literal."""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from graphesm.checks._location import site_location
from graphesm.model import Finding, ImportKind, Resolution
from graphesm.rules import rule


def find_unanalyzable(
    imports: Iterable[Resolution], paths: Mapping[str, str | None]
) -> list[Finding]:
    severity = rule("unanalyzable-import").severity
    computed = ImportKind.DYNAMIC_EXPR  # one enum lookup, not one per import
    return [
        Finding(
            "unanalyzable-import",
            severity,
            "import() with a computed specifier: its target is known only at run time",
            site_location(resolution, paths),
        )
        for resolution in imports
        if resolution.site.kind is computed
    ]
