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


def npm_ci(spec: Path, target: Path) -> Path:
    """target/node_modules installed with `npm ci` from spec's pinned lock (once per lock)."""
    stamp = target / "package-lock.json"
    wanted = (spec / "package-lock.json").read_bytes()
    if not (
        (target / "node_modules").is_dir() and stamp.is_file() and stamp.read_bytes() == wanted
    ):
        npm = shutil.which("npm")
        if npm is None:
            pytest.fail(f"npm is required to install the packages of {spec}")
        target.mkdir(exist_ok=True)
        for name in ("package.json", "package-lock.json"):
            shutil.copyfile(spec / name, target / name)
        subprocess.run(
            [npm, "ci", "--ignore-scripts", "--no-audit", "--no-fund"],
            cwd=target,
            check=True,
            capture_output=True,
            timeout=600,
        )
    return target / "node_modules"


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
    return npm_ci(NPM_SPEC, NPM_DIR)


def npm_package_names() -> list[str]:
    return sorted(json.loads((NPM_SPEC / "package.json").read_text())["dependencies"])
