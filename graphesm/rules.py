"""The rule registry: every finding graphesm can report.

Stage contract: data only. Each `Rule` has its code (the `rule` field of a
finding), default severity, one-line summary and the documentation anchor in
docs/rules.md. Checks look rules up here; reporters read summaries from here.
"""

from __future__ import annotations

from dataclasses import dataclass

from graphesm.model import Severity


@dataclass(frozen=True, slots=True)
class Rule:
    code: str
    severity: Severity
    summary: str

    @property
    def docs(self) -> str:
        """The rule's section in the documentation, relative to the repository root."""
        return f"docs/rules.md#{self.code}"


RULES: dict[str, Rule] = {
    rule.code: rule
    for rule in (
        Rule("load-error", Severity.ERROR, "An import that Node would fail to resolve or load."),
        Rule("parse-error", Severity.ERROR, "A file that does not parse, or cannot be read."),
        Rule(
            "unanalyzable-import",
            Severity.INFO,
            "An import() whose specifier is not a literal: its target is unknown before run time.",
        ),
        Rule("cycle", Severity.WARNING, "Modules that import each other, directly or not."),
        Rule(
            "duplicate-instance",
            Severity.WARNING,
            "The same file loaded as several module instances (?query or #fragment).",
        ),
        Rule(
            "dual-package",
            Severity.WARNING,
            "One package reached through two different files in one graph.",
        ),
        Rule(
            "import-attribute",
            Severity.ERROR,
            "Import attributes that Node rejects for the imported module.",
        ),
        Rule("esm-cjs-boundary", Severity.INFO, "An import that crosses between ESM and CommonJS."),
        Rule("network-import", Severity.WARNING, "An http: or https: import."),
    )
}


def rule(code: str) -> Rule:
    return RULES[code]
