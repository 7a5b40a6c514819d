"""The sample projects behave under real Node exactly as sample_projects/README.md says.

Each project's entry is run with the `node` binary; stdout must match line by
line. Lines whose outcome depends on the Node version (error codes renamed
after Node 20, type stripping of `.ts`) accept each documented variant.
"""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest

SAMPLES = Path(__file__).resolve().parent.parent / "sample_projects"

pytestmark = pytest.mark.node


def _run(node_bin: str, project: str, *args: str) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("NODE_")}
    return subprocess.run(
        [node_bin, *args],
        cwd=SAMPLES / project,
        capture_output=True,
        text=True,
        timeout=60,
        env=env,
        check=False,
    )


def _ok(node_bin: str, project: str, *args: str) -> list[str]:
    proc = _run(node_bin, project, *args)
    assert proc.returncode == 0, proc.stderr
    return proc.stdout.splitlines()


def test_web_app(node_bin: str) -> None:
    assert _ok(node_bin, "web-app", "src/main.js") == [
        "&lt;web-app&gt; 2 routes",
        "[web-app] | app with 2 routes",
    ]


def test_web_app_exports_conditions(node_bin: str) -> None:
    script = (
        "console.log(require.resolve('tiny-router'));"
        "console.log(require.resolve('tiny-router/helpers/html'));"
    )
    lines = _ok(node_bin, "web-app", "-e", script)
    assert lines[0].endswith("/node_modules/tiny-router/dist/index.cjs")
    assert lines[1].endswith("/node_modules/tiny-router/dist/helpers/html.cjs")
    esm = _ok(
        node_bin,
        "web-app",
        "--input-type=module",
        "-e",
        "console.log(import.meta.resolve('tiny-router'));"
        "console.log(import.meta.resolve('tiny-router/helpers/html'));",
    )
    assert esm[0].endswith("/node_modules/tiny-router/dist/index.mjs")
    assert esm[1].endswith("/node_modules/tiny-router/dist/helpers/html.mjs")


def test_query_fragment(node_bin: str) -> None:
    assert _ok(node_bin, "query-fragment", "src/main.js") == [
        "state.js: count=1 (same instance as ./state.js)",
        "state.js?v=2: count=0",
        "state.js#x: count=0",
        "three instances: true",
        "counter.cjs shared through ?query: true 2",
    ]


def test_cjs_interop(node_bin: str) -> None:
    assert _ok(node_bin, "cjs-interop", "src/main.mjs") == [
        "math.cjs named exports: 5 1.2.3",
        "settings.cjs default export: dark en-GB",
        "legacy.js (commonjs): 6",
        "detected.js: esm syntax in a typeless .js file",
        "dual-pkg import/require: esm cjs false",
        "broken-named.mjs: SyntaxError Named export 'theme' not found. The requested module "
        "'./settings.cjs' is a CommonJS module, which may not support all module.exports as "
        "named exports.",
    ]
    assert _ok(node_bin, "cjs-interop", "src/app.cjs") == ["hello, interop cjs"]


LOAD_ERRORS: list[tuple[str, tuple[str, ...]]] = [
    ("missing file", ("ERR_MODULE_NOT_FOUND",)),
    ("missing extension", ("ERR_MODULE_NOT_FOUND",)),
    ("directory import", ("ERR_UNSUPPORTED_DIR_IMPORT",)),
    ("package path not exported", ("ERR_PACKAGE_PATH_NOT_EXPORTED",)),
    ("import not defined", ("ERR_PACKAGE_IMPORT_NOT_DEFINED",)),
    ("invalid package target", ("ERR_INVALID_PACKAGE_TARGET",)),
    ("unknown package", ("ERR_MODULE_NOT_FOUND",)),
    # Node >= 22.18 strips TypeScript types and loads the file
    ("unknown file extension", ("ERR_UNKNOWN_FILE_EXTENSION", "loaded (unexpected)")),
    ("broken package.json", ("ERR_INVALID_PACKAGE_CONFIG",)),
    ("encoded slash", ("ERR_INVALID_MODULE_SPECIFIER",)),
    ("unknown builtin", ("ERR_UNKNOWN_BUILTIN_MODULE",)),
    ("network import", ("ERR_UNSUPPORTED_ESM_URL_SCHEME",)),
    (
        "json without attributes",
        ("ERR_IMPORT_ASSERTION_TYPE_MISSING", "ERR_IMPORT_ATTRIBUTE_MISSING"),
    ),
    (
        "invalid attribute type",
        ("ERR_IMPORT_ASSERTION_TYPE_UNSUPPORTED", "ERR_IMPORT_ATTRIBUTE_UNSUPPORTED"),
    ),
]


def test_load_errors(node_bin: str) -> None:
    lines = _ok(node_bin, "load-errors", "src/main.js")
    assert len(lines) == len(LOAD_ERRORS) + 1
    for line, (what, codes) in zip(lines, LOAD_ERRORS, strict=False):
        label, _, outcome = line.partition(": ")
        assert label == what
        assert outcome in codes, line
    assert lines[-1].endswith("imports failed; retries=3")


def test_monorepo(node_bin: str) -> None:
    assert _ok(node_bin, "monorepo", "scripts/build-docs.mjs") == [
        'build-docs <button id="save-changes" class="btn-save-changes">Save changes</button>'
    ]


def test_monorepo_symlinks_resolve_to_real_paths(node_bin: str) -> None:
    link = SAMPLES / "monorepo" / "node_modules" / "@acme" / "ui"
    assert link.is_symlink() and os.readlink(link) == "../../packages/ui"
    script = "console.log(import.meta.resolve('@acme/ui'))"
    real = _ok(node_bin, "monorepo", "--input-type=module", "-e", script)
    assert real[0].endswith("/sample_projects/monorepo/packages/ui/src/index.js")
    kept = _ok(node_bin, "monorepo", "--preserve-symlinks", "--input-type=module", "-e", script)
    assert kept[0].endswith("/sample_projects/monorepo/node_modules/@acme/ui/src/index.js")
