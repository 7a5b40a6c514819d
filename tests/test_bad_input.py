"""Bad input (issue 3): each bad file is reported with its path, the rest stays intact.

One project is built in a temporary folder with, next to good files: a binary
file named .js, a non-UTF-8 file, a dangling `.js` symlink, a file symlink loop
(loop-a.js -> loop-b.js -> loop-a.js), a directory symlink to its parent, a
directory named `folder.js`, a package whose package.json is not JSON and a
package scope whose own package.json is not JSON. Separately: a 10 MB
minified file, a truly unreadable file (as root, chmod does not stop reads, so
that test drops to the `nobody` user with seteuid) and a PATH that does not
exist. Every scan runs the real CLI and must finish without a traceback: exit 1
(error findings, default --fail-on), 0 with --fail-on none, never 2.

What is and is not pinned, honestly:
- a dangling symlink or a symlink loop is reported when something imports it
  (ERR_MODULE_NOT_FOUND naming the path, as Node says), and by the walk
  (a parse-error finding naming the link) when it is a scanned file name;
- a non-UTF-8 file is read as Node reads it (invalid bytes become U+FFFD) and
  keeps its imports; a binary file fails to parse and is a parse-error.
"""

from __future__ import annotations

import json
import os
import random
import shutil
import stat
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from jsonschema import Draft202012Validator

from graphesm.cli import main
from graphesm.pipeline import scan
from graphesm.report import json as json_report

MAIN_JS = """\
import { value } from './good.js';
import './binary.js';
import './latin1.js';
import './dangling.js';
import './loop-a.js';
import './folder.js';
import broken from 'broken-pkg';
import sub from '../packages/sub/x.js';
console.log(value, broken, sub);
"""


def write(path: Path, content: str | bytes) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(content, bytes):
        path.write_bytes(content)
    else:
        path.write_text(content, encoding="utf-8")
    return path


def scan_cli(
    capsys: pytest.CaptureFixture[str], *argv: str, fail_on: str | None = None
) -> tuple[int, dict]:
    extra = [] if fail_on is None else ["--fail-on", fail_on]
    capsys.readouterr()
    code = main(["scan", *argv, "--json", "-", *extra])
    out, err = capsys.readouterr()
    assert err == "", err  # no traceback, no noise: problems are findings
    document = json.loads(out)
    errors = list(Draft202012Validator(json_report.schema()).iter_errors(document))
    assert not errors, [e.message for e in errors]
    return code, document


def findings_for(document: dict, path: str) -> list[dict]:
    return [f for f in document["findings"] if f["location"]["path"] == path]


def target(document: dict, specifier: str) -> dict:
    (site,) = [i for i in document["imports"] if i["specifier"] == specifier]
    return site


@pytest.fixture(scope="module")
def bad_project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("bad") / "project"
    write(root / "package.json", '{"name": "bad-project", "type": "module"}\n')
    src = root / "src"
    write(src / "main.js", MAIN_JS)
    write(src / "good.js", "import { x } from './util.js';\nexport const value = x;\n")
    write(src / "util.js", "export const x = 1;\n")
    rng = random.Random(3)
    write(src / "binary.js", b"\x7fELF\x02\x01\x01\x00" + rng.randbytes(4000) + b"\x00\x00")
    write(src / "latin1.js", "// caf\xe9 cr\xe8me\nimport './util.js';\n".encode("latin-1"))
    (src / "dangling.js").symlink_to("nowhere.js")
    (src / "loop-a.js").symlink_to("loop-b.js")
    (src / "loop-b.js").symlink_to("loop-a.js")
    (src / "up").symlink_to("..", target_is_directory=True)  # a directory loop
    write(src / "folder.js" / "index.js", "export default 'inside a folder named folder.js';\n")
    pkg = root / "node_modules" / "broken-pkg"
    write(pkg / "package.json", '{"name": "broken-pkg", "main": "index.js",\n')
    write(pkg / "index.js", "export default 1;\n")
    sub = root / "packages" / "sub"
    write(sub / "package.json", '{"type": "module" "name": "sub"}\n')
    write(sub / "x.js", "import './y.js';\nexport default 2;\n")
    write(sub / "y.js", "export {};\n")
    return root


@pytest.fixture(scope="module")
def scanned(bad_project: Path) -> dict:
    """One scan shared by the tests below (the CLI's own pipeline and JSON reporter)."""
    return json.loads(json_report.render(scan([str(bad_project)])))


def test_cli_completes_with_exit_code_per_design(capsys, bad_project: Path) -> None:
    code, document = scan_cli(capsys, str(bad_project))
    assert code == 1  # error findings, default --fail-on error
    code, _ = scan_cli(capsys, str(bad_project), fail_on="none")
    assert code == 0  # bad input is never a usage error
    assert document["summary"]["findings"]["error"] >= 6


def test_good_files_keep_their_imports(scanned: dict) -> None:
    root = scanned["root"]
    edges = {
        (i["from"].replace(root, ""), i["specifier"], (i["to"] or "").replace(root, ""))
        for i in scanned["imports"]
    }
    assert ("src/main.js", "./good.js", "src/good.js") in edges
    assert ("src/good.js", "./util.js", "src/util.js") in edges
    # Inside the scope with the broken package.json the import is still extracted;
    # loading its target fails the way Node fails (the format lookup reads that file).
    assert ("packages/sub/x.js", "./y.js", "") in edges
    assert target(scanned, "./y.js")["error"]["code"] == "ERR_INVALID_PACKAGE_CONFIG"
    paths = [m["path"] for m in scanned["modules"]]
    assert len(paths) == len(set(paths))


def test_binary_file_is_a_parse_error_naming_it(scanned: dict) -> None:
    (finding,) = findings_for(scanned, "src/binary.js")
    assert finding["rule"] == "parse-error"
    assert finding["location"]["url"].endswith("/src/binary.js")


def test_non_utf8_file_loads_like_node_without_a_finding(scanned: dict) -> None:
    # Node decodes invalid UTF-8 as U+FFFD and runs the file (a Latin-1 comment).
    assert findings_for(scanned, "src/latin1.js") == []


def test_non_utf8_file_keeps_its_imports(scanned: dict) -> None:
    froms = {i["from"].rsplit("/", 1)[1] for i in scanned["imports"]}
    assert "latin1.js" in froms


@pytest.mark.parametrize("name", ["dangling.js", "loop-a.js"])
def test_imported_broken_symlink_is_module_not_found(scanned: dict, name: str) -> None:
    site = target(scanned, f"./{name}")
    assert site["to"] is None
    assert site["error"]["code"] == "ERR_MODULE_NOT_FOUND"  # what Node 20 throws
    assert f"/src/{name}'" in site["error"]["message"]
    assert any(f["data"].get("code") == "ERR_MODULE_NOT_FOUND" for f in scanned["findings"])


def test_unimported_broken_symlinks_are_reported(scanned: dict) -> None:
    reported = {f["location"]["path"] for f in scanned["findings"]}
    assert {"src/dangling.js", "src/loop-a.js", "src/loop-b.js"} <= reported


def test_directory_symlink_loop_is_walked_once(scanned: dict) -> None:
    urls = [m["url"] for m in scanned["modules"]]
    assert not [u for u in urls if "/up/" in u]
    assert len(urls) == len(set(urls))


def test_directory_named_like_a_js_file(scanned: dict) -> None:
    # A folder is not a file: Node refuses to import it, the walk looks inside.
    site = target(scanned, "./folder.js")
    assert site["error"]["code"] == "ERR_UNSUPPORTED_DIR_IMPORT"
    assert "src/folder.js/index.js" in {m["path"] for m in scanned["modules"]}


def test_broken_package_json_in_a_dependency(scanned: dict) -> None:
    site = target(scanned, "broken-pkg")
    assert site["error"]["code"] == "ERR_INVALID_PACKAGE_CONFIG"
    assert "/node_modules/broken-pkg/package.json" in site["error"]["message"]


def test_broken_package_json_of_a_scanned_scope(scanned: dict) -> None:
    messages = [
        f["message"]
        for f in scanned["findings"]
        if f["data"].get("code") == "ERR_INVALID_PACKAGE_CONFIG"
    ]
    assert any("/packages/sub/package.json" in m for m in messages), messages


def test_ten_megabytes_of_minified_code(capsys, tmp_path: Path) -> None:
    root = tmp_path / "minified"
    write(root / "package.json", '{"type": "module"}\n')
    write(root / "src" / "dep.js", "export const a = 1, b = 2;\n")
    head = 'import{a as e,b as t}from"./dep.js";import*as n from"node:path";'
    parts, size, index = [head], len(head), 0
    while size < 10 * 1024 * 1024:
        chunk = (
            f"function f{index}(r,o){{var s=r+o*{index % 97};if(s>{index % 13})"
            f'{{for(var l=0;l<s;l++)o=(o<<1)^l;return"x{index}"+o}}'
            f'return n.join(String(r),"{index}")}}const v{index}=f{index}(e,t),'
            f"w{index}={{k:v{index},m:[1,2,3].map(function(q){{return q*{index % 7}}})}};"
        )
        if index == 40000:
            chunk += 'const lazy=()=>import("./dep.js?lazy");'
        parts.append(chunk)
        size += len(chunk)
        index += 1
    parts.append('export{a as z}from"./dep.js";\n')
    write(root / "src" / "bundle.min.js", "".join(parts))

    started = time.perf_counter()
    code, document = scan_cli(capsys, str(root))
    elapsed = time.perf_counter() - started
    assert code == 0
    assert elapsed < 45, f"10 MB minified file took {elapsed:.1f}s"  # ~8 s on the dev box
    sites = [
        (i["specifier"], i["kind"], i["line"])
        for i in document["imports"]
        if i["from"].endswith("/bundle.min.js")
    ]
    assert sites == [
        ("./dep.js", "static", 1),
        ("node:path", "static", 1),
        ("./dep.js?lazy", "dynamic", 1),
        ("./dep.js", "export-from", 1),
    ]
    assert all(i["error"] is None for i in document["imports"])


@pytest.fixture
def unreadable_project() -> Iterator[Path]:
    """A project with one unreadable file, in a folder the `nobody` user can enter."""
    base = Path(tempfile.mkdtemp(prefix="graphesm-unreadable-"))
    try:
        base.chmod(0o755)
        write(base / "package.json", '{"type": "module"}\n')
        write(base / "main.js", "import './secret.js';\nimport './open.js';\n")
        write(base / "open.js", "import 'node:fs';\n")
        secret = write(base / "secret.js", "import './open.js';\n")
        secret.chmod(0)
        for path in (base / "package.json", base / "main.js", base / "open.js"):
            path.chmod(0o644)
        yield base
    finally:
        (base / "secret.js").chmod(stat.S_IRUSR | stat.S_IWUSR)
        shutil.rmtree(base)


def test_unreadable_file(capsys, unreadable_project: Path) -> None:
    as_root = os.geteuid() == 0
    if as_root:
        # root reads a chmod 000 file anyway: scan as `nobody` for real EACCES.
        os.seteuid(65534)
    try:
        with pytest.raises(PermissionError):
            (unreadable_project / "secret.js").read_bytes()
        code, document = scan_cli(capsys, str(unreadable_project))
    finally:
        if as_root:
            os.seteuid(0)
    assert code == 1
    (finding,) = findings_for(document, "secret.js")
    assert finding["rule"] == "parse-error"
    assert "read" in finding["message"]
    froms = {(i["from"].rsplit("/", 1)[1], i["specifier"]) for i in document["imports"]}
    assert {("main.js", "./open.js"), ("open.js", "node:fs")} <= froms


def test_path_that_does_not_exist(capsys, tmp_path: Path) -> None:
    capsys.readouterr()
    code = main(["scan", str(tmp_path / "nope")])
    out, err = capsys.readouterr()
    assert (code, out) == (2, "")
    assert err == f"graphesm: {tmp_path / 'nope'}: no such file or directory\n"
