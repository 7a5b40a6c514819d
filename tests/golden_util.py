"""Golden-file helper for reporter tests.

Set ``GRAPHESM_UPDATE_GOLDENS=1`` to (re)write the golden files instead of
comparing against them, then review the diff with ``git diff tests/golden``.
"""

from __future__ import annotations

import os
from pathlib import Path

GOLDEN_DIR = Path(__file__).parent / "golden"


def updating() -> bool:
    return os.environ.get("GRAPHESM_UPDATE_GOLDENS", "") not in ("", "0")


def check_golden(relative: str, actual: str) -> None:
    """Compare ``actual`` with tests/golden/<relative> byte for byte (or rewrite it)."""
    path = GOLDEN_DIR / relative
    if updating():
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(actual.encode("utf-8"))
        return
    assert path.is_file(), f"missing golden {path}; run with GRAPHESM_UPDATE_GOLDENS=1"
    expected = path.read_bytes().decode("utf-8")
    assert actual == expected, f"{relative} differs from its golden (GRAPHESM_UPDATE_GOLDENS=1)"
