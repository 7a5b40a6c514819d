"""Shared test fixtures: the real node binary and real npm packages.

`npm_modules` installs tests/npm/package.json (pinned by its lock file) once per
checkout into tests/.npm-fixtures/ with `npm ci`; differential tests run against
those packages. Node is part of the platform (DESIGN.md): a missing `node` fails
the suite rather than skipping it.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest

TESTS = Path(__file__).parent
NPM_SPEC = TESTS / "npm"
NPM_DIR = TESTS / ".npm-fixtures"


def _installed_lock_matches() -> bool:
    stamp = NPM_DIR / "package-lock.json"
    return (
        (NPM_DIR / "node_modules").is_dir()
        and stamp.is_file()
        and stamp.read_bytes() == (NPM_SPEC / "package-lock.json").read_bytes()
    )


@pytest.fixture(autouse=True, scope="session")
def _isolated_user_cache(tmp_path_factory: pytest.TempPathFactory) -> None:
    """Keep the persistent scan cache of CLI runs out of the real ~/.cache."""
    os.environ["XDG_CACHE_HOME"] = str(tmp_path_factory.mktemp("xdg-cache"))


@pytest.fixture(scope="session")
def node_bin() -> str:
    node = shutil.which("node")
    if node is None:
        pytest.fail("the node binary is required for differential tests (DESIGN.md)")
    return node


@pytest.fixture(scope="session")
def npm_modules() -> Path:
    """tests/.npm-fixtures/node_modules with the pinned real packages installed."""
    if not _installed_lock_matches():
        npm = shutil.which("npm")
        if npm is None:
            pytest.fail("npm is required to install the real-package fixtures")
        NPM_DIR.mkdir(exist_ok=True)
        for name in ("package.json", "package-lock.json"):
            shutil.copyfile(NPM_SPEC / name, NPM_DIR / name)
        subprocess.run(
            [npm, "ci", "--ignore-scripts", "--no-audit", "--no-fund"],
            cwd=NPM_DIR,
            check=True,
            capture_output=True,
        )
    return NPM_DIR / "node_modules"


def npm_package_names() -> list[str]:
    return sorted(json.loads((NPM_SPEC / "package.json").read_text())["dependencies"])
