"""The code standards are tests: layering (import-linter), types (mypy), lint (ruff).

DESIGN.md's layering — data flows one way, only the CLI prints — is enforced
by the import-linter contracts in pyproject.toml, and by a scan of the source
for output calls outside graphesm/cli.py.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
PACKAGE = REPO / "graphesm"


def _run(*command: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(command, cwd=REPO, capture_output=True, text=True, check=False)


def test_import_layers_follow_design() -> None:
    tool = shutil.which("lint-imports")
    if tool is None:
        pytest.fail("import-linter is a test dependency: pip install -e '.[test]'")
    result = _run(tool)
    assert result.returncode == 0, result.stdout + result.stderr


def test_mypy_strict_is_clean() -> None:
    result = _run(sys.executable, "-m", "mypy", "graphesm")
    assert result.returncode == 0, result.stdout + result.stderr


def test_ruff_is_clean() -> None:
    result = _run(sys.executable, "-m", "ruff", "check", "graphesm", "tests", "bench")
    assert result.returncode == 0, result.stdout + result.stderr


_OUTPUT = re.compile(r"(?<![.\w])print\(|sys\.(stdout|stderr)\.write|\.write_text\(")


@pytest.mark.parametrize(
    "module",
    sorted(p for p in PACKAGE.rglob("*.py") if p.name != "cli.py"),
    ids=lambda p: str(p.relative_to(PACKAGE)),
)
def test_only_the_cli_prints_or_writes_files(module: Path) -> None:
    offending = [
        f"{module.name}:{number}: {line.strip()}"
        for number, line in enumerate(module.read_text().splitlines(), 1)
        if _OUTPUT.search(line)
    ]
    assert not offending, offending
