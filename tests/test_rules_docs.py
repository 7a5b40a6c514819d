"""Every rule of the registry is documented in docs/rules.md, under its own heading."""

from __future__ import annotations

from pathlib import Path

import pytest

from graphesm.rules import RULES

DOCS = (Path(__file__).resolve().parent.parent / "docs" / "rules.md").read_text()


@pytest.mark.parametrize("code", sorted(RULES))
def test_rule_has_a_documentation_section(code: str) -> None:
    assert f"\n## {code}\n" in DOCS
