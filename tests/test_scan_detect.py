"""detect_format against real node (v20.20) on tiny files in tests/fixtures/detect/.

Node's answer is read from running the file: each fixture prints
`typeof module` ("undefined" in an ES module, "object" in CommonJS); a file
that fails to load tells by its error header (the ES-module loader names the
file with a file:// URL, the CommonJS loader with a plain path).
"""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest

from graphesm.scan import detect_format

FIXTURES = Path(__file__).parent / "fixtures" / "detect"
FILES = sorted(p for p in FIXTURES.rglob("*") if p.suffix in (".js", ".mjs", ".cjs"))


def package_type(url: str) -> str:
    folder = Path(url.removeprefix("file://")).parent
    while True:
        manifest = folder / "package.json"
        if manifest.is_file():
            kind = json.loads(manifest.read_text()).get("type")
            return kind if kind in ("module", "commonjs") else "none"
        folder = folder.parent


def node_format(node_bin: str, path: Path) -> str:
    run = subprocess.run(
        [node_bin, path.name], cwd=path.parent, capture_output=True, text=True, timeout=30
    )
    words = run.stdout.split()
    if run.returncode == 0 and words:
        return {"undefined": "module", "object": "commonjs"}[words[-1]]
    return "module" if run.stderr.startswith("file://") else "commonjs"


@pytest.mark.node
@pytest.mark.parametrize("path", FILES, ids=[str(p.relative_to(FIXTURES)) for p in FILES])
def test_detect_format_matches_node(node_bin: str, path: Path) -> None:
    expected = node_format(node_bin, path)
    assert detect_format(path.as_uri(), path.read_bytes(), package_type=package_type) == expected
