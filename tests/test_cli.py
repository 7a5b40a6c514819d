"""The command line: exit codes, where output goes, `resolve`, --entry, --conditions.

Runs `graphesm.cli.main` in process (fast) on the sample projects and on
tests/fixtures/cli/app (a `cond-pkg` with a `custom` export condition and a
`deep-pkg` whose own files import further); the usage-error cases also run
the real console entry point in a subprocess to prove there is no traceback.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from graphesm.cli import main

TESTS = Path(__file__).resolve().parent
SAMPLES = TESTS.parent / "sample_projects"
APP = TESTS / "fixtures" / "cli" / "app"
WEB_APP = SAMPLES / "web-app"
LOAD_ERRORS = SAMPLES / "load-errors"


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    capsys.readouterr()
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def scan_json(capsys: pytest.CaptureFixture[str], *argv: str) -> dict:
    code, out, err = run(capsys, "scan", *argv, "--json", "-", "--fail-on", "none")
    assert (code, err) == (0, "")
    return json.loads(out)


def rel_urls(document: dict, field: str = "url") -> set[str]:
    root = document["root"]
    return {m[field].replace(root, "") for m in document["modules"]}


def console(*argv: str) -> subprocess.CompletedProcess[str]:
    """The installed entry point's behaviour, in a fresh interpreter."""
    code = "from graphesm.cli import entry; entry()"
    return subprocess.run(
        [sys.executable, "-c", code, *argv], capture_output=True, text=True, timeout=60
    )


# --- exit codes ---------------------------------------------------------------


@pytest.mark.parametrize("project", ["query-fragment", "monorepo"])
def test_clean_project_exits_0(capsys, project: str) -> None:
    code, out, err = run(capsys, "scan", str(SAMPLES / project))
    assert (code, err) == (0, "")
    assert "0 errors" in out.splitlines()[0]


def test_cjs_interop_fails_only_on_broken_named(capsys) -> None:
    """broken-named.mjs is the one import Node refuses (SyntaxError at link time)."""
    code, out, err = run(capsys, "scan", str(SAMPLES / "cjs-interop"))
    assert (code, err) == (1, "")
    errors = [line for line in out.splitlines() if ": error[" in line]
    assert len(errors) == 1 and errors[0].startswith("src/broken-named.mjs:")
    assert run(capsys, "scan", str(SAMPLES / "cjs-interop"), "--fail-on", "none")[0] == 0


def test_load_errors_exit_1_with_default_fail_on(capsys) -> None:
    code, out, _ = run(capsys, "scan", str(LOAD_ERRORS))
    assert code == 1
    assert "14 errors" in out.splitlines()[0]


@pytest.mark.parametrize(
    ("project", "fail_on", "expected"),
    [
        # web-app has exactly one finding: a `cycle` warning.
        (WEB_APP, None, 0),  # default: error
        (WEB_APP, "error", 0),
        (WEB_APP, "cycle", 1),
        (WEB_APP, "warning", 1),
        (WEB_APP, "info", 1),  # a threshold: info and everything above it
        (WEB_APP, "load-error", 0),
        (WEB_APP, "none", 0),
        (WEB_APP, "load-error,cycle", 1),
        # load-errors: 12 load-error + 2 import-attribute errors, no cycle.
        (LOAD_ERRORS, "none", 0),
        (LOAD_ERRORS, "cycle", 0),  # an explicit list replaces the default
        (LOAD_ERRORS, "import-attribute", 1),
        (LOAD_ERRORS, "warning", 1),
    ],
)
def test_fail_on(capsys, project: Path, fail_on: str | None, expected: int) -> None:
    extra = [] if fail_on is None else ["--fail-on", fail_on]
    code, _, err = run(capsys, "scan", str(project), *extra)
    assert (code, err) == (expected, "")


def test_unknown_fail_on_rule_is_a_usage_error(capsys) -> None:
    code, out, err = run(capsys, "scan", str(WEB_APP), "--fail-on", "cycles")
    assert code == 2
    assert out == ""
    assert err.count("\n") == 1 and "'cycles'" in err and "cycle" in err


def test_missing_path_exits_2_with_one_line_and_no_traceback(tmp_path: Path) -> None:
    missing = tmp_path / "no such dir"
    done = console("scan", str(missing))
    assert done.returncode == 2
    assert done.stdout == ""
    assert done.stderr == f"graphesm: {missing}: no such file or directory\n"


def test_missing_entry_exits_2(tmp_path: Path) -> None:
    done = console("scan", str(WEB_APP), "--entry", str(tmp_path / "gone.js"))
    assert done.returncode == 2
    assert done.stderr.count("\n") == 1 and "gone.js" in done.stderr
    assert "Traceback" not in done.stderr


def test_console_script_flushes_everything_before_its_fast_exit(tmp_path: Path) -> None:
    # entry() leaves with os._exit: stdout (a pipe here), stderr and the
    # written files must all be complete, and the exit code main's.
    target = tmp_path / "out.json"
    done = console(
        "scan", str(WEB_APP), "--json", str(target), "--format", "json", "--fail-on", "warning"
    )
    assert done.returncode == 1  # web-app has a warning
    assert json.loads(done.stdout) == json.loads(target.read_text())
    assert json.loads(done.stdout)["summary"]["modules"] > 0


def test_bad_option_exits_2_without_traceback() -> None:
    done = console("scan", "--no-such-option")
    assert done.returncode == 2
    assert "Traceback" not in done.stderr and "--no-such-option" in done.stderr


def test_unwritable_output_file_exits_2(capsys, tmp_path: Path) -> None:
    target = tmp_path / "missing-dir" / "out.json"
    code, _, err = run(capsys, "scan", str(WEB_APP), "--json", str(target))
    assert code == 2
    assert err.count("\n") == 1 and str(target) in err


# --- where output goes -----------------------------------------------------------


def test_json_dash_writes_only_json_to_stdout(capsys) -> None:
    code, out, err = run(capsys, "scan", str(WEB_APP), "--json", "-")
    assert (code, err) == (0, "")
    document = json.loads(out)  # nothing else on stdout, or this fails
    assert document["schema"] == "graphesm/1"
    assert out.endswith("}\n")


def test_dot_dash_writes_only_dot_to_stdout(capsys) -> None:
    code, out, err = run(capsys, "scan", str(WEB_APP), "--dot", "-")
    assert (code, err) == (0, "")
    assert out.startswith("digraph graphesm {") and out.rstrip().endswith("}")
    assert out.count("digraph") == 1


def test_json_and_dot_both_on_stdout_is_a_usage_error(capsys) -> None:
    code, out, err = run(capsys, "scan", str(WEB_APP), "--json", "-", "--dot", "-")
    assert (code, out) == (2, "")
    assert "stdout" in err


def test_files_and_text_summary(capsys, tmp_path: Path) -> None:
    json_file, dot_file = tmp_path / "g.json", tmp_path / "g.dot"
    code, out, err = run(
        capsys, "scan", str(WEB_APP), "--json", str(json_file), "--dot", str(dot_file)
    )
    assert (code, err) == (0, "")
    assert out.startswith("graphesm: 9 modules, 10 imports")
    assert json.loads(json_file.read_text(encoding="utf-8"))["summary"]["modules"] == 9
    assert dot_file.read_text(encoding="utf-8").startswith("digraph")


@pytest.mark.parametrize(
    ("fmt", "start"), [("json", "{"), ("dot", "digraph"), ("text", "graphesm:")]
)
def test_format_picks_stdout(capsys, fmt: str, start: str) -> None:
    code, out, _ = run(capsys, "scan", str(WEB_APP), "--format", fmt)
    assert code == 0 and out.startswith(start)


# --- graphesm resolve ------------------------------------------------------------


def test_resolve_text(capsys) -> None:
    main_js = WEB_APP / "src" / "main.js"
    code, out, err = run(capsys, "resolve", "tiny-router/helpers/html", "--from", str(main_js))
    assert (code, err) == (0, "")
    assert out == (
        (WEB_APP / "node_modules/tiny-router/dist/helpers/html.mjs").as_uri() + "\nformat: module\n"
    )


def test_resolve_json(capsys) -> None:
    main_js = WEB_APP / "src" / "main.js"
    code, out, _ = run(capsys, "resolve", "tiny-router", "--from", str(main_js), "--json")
    assert code == 0
    assert json.loads(out) == {
        "specifier": "tiny-router",
        "parent": main_js.as_uri(),
        "url": (WEB_APP / "node_modules/tiny-router/dist/index.mjs").as_uri(),
        "format": "module",
        "error": None,
    }


def test_resolve_builtin(capsys) -> None:
    code, out, _ = run(capsys, "resolve", "fs", "--from", str(WEB_APP / "src" / "main.js"))
    assert (code, out) == (0, "node:fs\nformat: builtin\n")


def test_resolve_error_text_has_code_and_hint(capsys) -> None:
    main_js = LOAD_ERRORS / "src" / "main.js"
    code, out, _ = run(capsys, "resolve", "./util", "--from", str(main_js))
    assert code == 1
    assert out.startswith("ERR_MODULE_NOT_FOUND: Cannot find module ")
    assert out.rstrip().endswith("(did you mean './util.js'?)")
    assert out.count("\n") == 1


def test_resolve_error_json(capsys) -> None:
    main_js = LOAD_ERRORS / "src" / "main.js"
    code, out, _ = run(capsys, "resolve", "./lib", "--from", str(main_js), "--json")
    assert code == 1
    payload = json.loads(out)
    assert payload["url"] is None and payload["format"] is None
    assert payload["error"]["code"] == "ERR_UNSUPPORTED_DIR_IMPORT"
    assert payload["error"]["hint"] == "did you mean './lib/index.js'?"
    assert str(LOAD_ERRORS / "src" / "lib") in payload["error"]["message"]


def test_resolve_conditions(capsys) -> None:
    main_js = str(APP / "src" / "main.js")
    _, plain, _ = run(capsys, "resolve", "cond-pkg", "--from", main_js)
    _, custom, _ = run(capsys, "resolve", "cond-pkg", "--from", main_js, "-C", "custom")
    assert plain.splitlines()[0].endswith("/node_modules/cond-pkg/import.js")
    assert custom.splitlines()[0].endswith("/node_modules/cond-pkg/custom.js")


# --- --entry and --conditions ----------------------------------------------------


def test_entry_follows_into_packages_and_drops_unreachable(capsys) -> None:
    whole = scan_json(capsys, str(APP))
    entry = scan_json(capsys, str(APP), "--entry", str(APP / "src" / "main.js"))
    # Without --entry: every file under PATH, node_modules only where imports land.
    assert rel_urls(whole) == {
        "src/main.js",
        "src/unused.js",
        "node_modules/cond-pkg/import.js",
        "node_modules/deep-pkg/lib/index.js",
    }
    # With --entry: what Node loads from src/main.js, through the package's own imports.
    assert rel_urls(entry) == {
        "src/main.js",
        "node_modules/cond-pkg/import.js",
        "node_modules/deep-pkg/lib/index.js",
        "node_modules/deep-pkg/lib/inner.js",
        "node:path",
    }
    assert entry["options"]["entries"] == [(APP / "src" / "main.js").as_uri()]
    inner = next(m for m in entry["modules"] if m["url"].endswith("/inner.js"))
    assert inner["kind"] == "package"
    assert inner["package"] == {"name": "deep-pkg", "version": "2.3.4"}
    assert {(i["from"].rsplit("/", 1)[1], i["specifier"]) for i in entry["imports"]} >= {
        ("index.js", "./inner.js"),
        ("index.js", "node:path"),
    }


def test_entry_on_web_app_reaches_the_package_and_the_cycle(capsys) -> None:
    document = scan_json(capsys, str(WEB_APP), "--entry", str(WEB_APP / "src" / "main.js"))
    packages = {m["path"] for m in document["modules"] if m["kind"] == "package"}
    assert packages == {
        "node_modules/tiny-router/dist/index.mjs",
        "node_modules/tiny-router/dist/helpers/html.mjs",
    }
    assert "src/pages/about.js" in {m["path"] for m in document["modules"]}  # via import()
    assert [f["rule"] for f in document["findings"]] == ["cycle"]


def test_entry_excludes_files_no_import_reaches(capsys) -> None:
    document = scan_json(capsys, str(LOAD_ERRORS), "--entry", str(LOAD_ERRORS / "src" / "main.js"))
    paths = {m["path"] for m in document["modules"]}
    assert "src/config.js" in paths  # the #config import works
    assert "src/util.js" not in paths  # only reached by the failing './util'
    assert "src/lib/index.js" not in paths  # only reached by the failing './lib'


def test_conditions_change_a_resolution(capsys, node_bin: str) -> None:
    plain = scan_json(capsys, str(APP))
    custom = scan_json(capsys, str(APP), "--conditions", "custom")
    short = scan_json(capsys, str(APP), "-C", "custom")
    assert custom == short

    def target(document: dict) -> str:
        (site,) = [i for i in document["imports"] if i["specifier"] == "cond-pkg"]
        return site["to"].rsplit("/", 1)[1]

    assert target(plain) == "import.js"
    assert target(custom) == "custom.js"
    assert "custom" in custom["options"]["conditions"]
    assert "custom" not in plain["options"]["conditions"]
    # Node agrees: `node -C custom` loads custom.js.
    for flags, flavour in (([], "import"), (["-C", "custom"], "custom")):
        done = subprocess.run(
            [node_bin, *flags, str(APP / "src" / "main.js")],
            capture_output=True,
            text=True,
            timeout=60,
        )
        assert done.stdout.split() == [flavour, "deep/"], done.stderr
