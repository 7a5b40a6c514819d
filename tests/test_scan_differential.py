"""Differential test: graphesm's extraction against @babel/parser on real npm code.

Every .js/.mjs/.cjs/.jsx file of the pinned packages in tests/npm/package.json
is scanned by graphesm and by tests/differential/extract_imports.mjs (babel,
with its own scope analysis for `require`), with the same ESM/CommonJS
decision per file (graphesm's detect, used as babel's sourceType). The
(kind, specifier, line, column) lists must agree exactly, file by file.
"""

from __future__ import annotations

import json
import subprocess
from functools import cache
from pathlib import Path

import pytest

from graphesm.scan import package_format, scan_file, walk

SCRIPT = Path(__file__).parent / "differential" / "extract_imports.mjs"
MIN_FILES = 3000

# Files left out of the comparison, each with the reason (relative to node_modules).
EXCLUDED: dict[str, str] = {}


@cache
def _package_type(folder: Path) -> str:
    manifest = folder / "package.json"
    if manifest.is_file():
        try:
            kind = json.loads(manifest.read_text(encoding="utf-8")).get("type")
        except (ValueError, AttributeError):
            kind = None
        return kind if kind in ("module", "commonjs") else "none"
    if folder.name == "node_modules" or folder.parent == folder:
        return "none"
    return _package_type(folder.parent)


def package_type(url: str) -> str:
    return _package_type(Path(url.removeprefix("file://")).parent)


@pytest.mark.node
def test_extraction_matches_babel(npm_modules: Path, node_bin: str) -> None:
    files, problems = walk([str(npm_modules)], root=str(npm_modules))
    assert problems == []
    ours: dict[str, list[list[object]]] = {}
    formats: list[tuple[str, str]] = []
    for path in files:
        rel = str(Path(path).relative_to(npm_modules))
        if rel in EXCLUDED:
            continue
        url = Path(path).as_uri()
        fmt = package_format(url, package_type=package_type)
        scan = scan_file(path, url, Path(path).read_bytes(), fmt)
        assert scan.error is None, (rel, scan.error)
        assert scan.format is not None
        formats.append((path, scan.format))
        ours[path] = [[s.kind.value, s.specifier, s.line, s.column] for s in scan.sites]

    parser = npm_modules / "@babel" / "parser"
    run = subprocess.run(
        [node_bin, str(SCRIPT), str(parser)],
        input=json.dumps(formats),
        capture_output=True,
        text=True,
        check=True,
    )
    theirs = {}
    babel_errors = {}
    for line in run.stdout.splitlines():
        record = json.loads(line)
        if "error" in record:
            babel_errors[record["path"]] = record["error"]
        else:
            theirs[record["path"]] = record["sites"]

    assert babel_errors == {}, "babel could not parse (list them in EXCLUDED with a reason)"
    mismatches = {
        str(Path(path).relative_to(npm_modules)): (ours[path], theirs.get(path))
        for path in ours
        if ours[path] != theirs.get(path)
    }
    assert mismatches == {}
    compared_sites = sum(len(sites) for sites in ours.values())
    print(f"compared {len(ours)} files, {compared_sites} import sites, 0 mismatches")
    assert len(ours) >= MIN_FILES
    assert compared_sites > 0
