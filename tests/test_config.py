"""graphesm.toml: parsing, validation messages, and its effect on a scan."""

from __future__ import annotations

from pathlib import Path

import pytest

from graphesm.cli import main
from graphesm.config import (
    Config,
    ConfigError,
    FailOn,
    apply_severities,
    failing,
    parse_config,
    parse_fail_on,
)
from graphesm.globs import selected
from graphesm.model import Severity
from graphesm.pipeline import scan


def test_full_config(tmp_path: Path) -> None:
    name = str(tmp_path / "graphesm.toml")
    config = parse_config(
        """
entries = ["src/main.js"]
conditions = ["development"]
include = ["src/**"]
exclude = ["**/fixtures", "*.min.js"]
fail-on = ["cycle", "error"]
baseline = "ci/baseline.json"

[rules]
cycle = "error"
esm-cjs-boundary = "off"
""",
        name,
    )
    assert config.entries == (str(tmp_path / "src/main.js"),)
    assert config.conditions == ("development",)
    assert config.include == ("src/**",)
    assert config.exclude == ("**/fixtures", "*.min.js")
    assert config.fail_on == FailOn(Severity.ERROR, frozenset({"cycle"}))
    assert config.baseline == str(tmp_path / "ci/baseline.json")
    assert config.severities == {"cycle": Severity.ERROR, "esm-cjs-boundary": None}


def test_fail_on_as_a_comma_string() -> None:
    config = parse_config('fail-on = "warning, load-error"', "g.toml")
    assert config.fail_on == FailOn(Severity.WARNING, frozenset({"load-error"}))


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("entrys = []", "g.toml: unknown key 'entrys'"),
        ("entries = 'x'\n[extra]\na = 1", "g.toml: unknown key 'extra'"),
        ("conditions = [1]", "g.toml: key 'conditions': expected a list of non-empty strings"),
        ("exclude = ['[abc']", "g.toml: key 'exclude': unclosed '['"),
        ("fail-on = ['cycles']", "g.toml: key 'fail-on': unknown rule or severity 'cycles'"),
        ("baseline = 3", "g.toml: key 'baseline': expected a file name"),
        ("[rules]\ncycles = 'error'", "g.toml: key 'rules.cycles': unknown rule"),
        ("[rules]\ncycle = 'fatal'", "g.toml: key 'rules.cycle': expected one of"),
        ("rules = 'x'", "g.toml: key 'rules': expected a table"),
        ("entries = [", "g.toml: not valid TOML"),
    ],
)
def test_errors_name_the_file_and_key(text: str, expected: str) -> None:
    with pytest.raises(ConfigError) as caught:
        parse_config(text, "g.toml")
    assert str(caught.value).startswith(expected), str(caught.value)


def test_parse_fail_on() -> None:
    assert parse_fail_on(["none"]) == FailOn(None)
    assert parse_fail_on(["info", "error"]).threshold is Severity.INFO
    with pytest.raises(ValueError, match="unknown rule or severity 'x'"):
        parse_fail_on(["x"])


def write(root: Path, files: dict[str, str]) -> Path:
    for name, text in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return root


def test_severity_overrides_and_off(tmp_path: Path) -> None:
    root = write(
        tmp_path,
        {"a.mjs": "import './b.mjs';\nimport './gone.mjs';\n", "b.mjs": "import './a.mjs';\n"},
    )
    result = scan([str(root)])
    graded = apply_severities(result, {"cycle": Severity.ERROR, "load-error": None})
    assert [(f.rule, f.severity) for f in graded.findings] == [("cycle", Severity.ERROR)]
    assert failing(graded, FailOn(None, frozenset({"cycle"})))
    assert not failing(graded, FailOn(None))
    assert apply_severities(result, {}) is result


def test_globs() -> None:
    assert selected("src/a.js", ("src",), ())
    assert not selected("lib/a.js", ("src/**",), ())
    assert not selected("src/fixtures/x/a.js", (), ("fixtures",))
    assert not selected("dist/app.min.js", (), ("*.min.js",))
    assert selected("src/app.js", (), ("*.min.js", "src/legacy"))
    assert not selected("src/legacy/a.js", (), ("src/legacy",))


def test_exclude_and_include_in_scan(tmp_path: Path) -> None:
    root = write(
        tmp_path,
        {
            "src/a.mjs": "",
            "src/fixtures/bad.mjs": "import './nope.mjs';\n",
            "lib/b.mjs": "",
        },
    )
    paths = {m.path for m in scan([str(root)], exclude=["fixtures"]).modules}
    assert paths == {"src/a.mjs", "lib/b.mjs"}
    paths = {m.path for m in scan([str(root)], include=["src/**"], exclude=["fixtures"]).modules}
    assert paths == {"src/a.mjs"}


def test_config_at_the_scan_root_is_read(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    root = write(
        tmp_path,
        {
            "a.mjs": "import './b.mjs';\n",
            "b.mjs": "import './a.mjs';\n",
            "graphesm.toml": '[rules]\ncycle = "error"\n',
        },
    )
    assert main(["scan", str(root)]) == 1  # the cycle is now an error
    assert "error[cycle]" in capsys.readouterr().out
    assert main(["scan", str(root), "--no-config"]) == 0
    capsys.readouterr()


def test_bad_config_is_exit_2_with_one_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    root = write(tmp_path, {"a.mjs": "", "graphesm.toml": "colour = 'red'\n"})
    assert main(["scan", str(root)]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1
    assert str(root / "graphesm.toml") in err and "unknown key 'colour'" in err


def test_explicit_config_missing(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["scan", str(tmp_path), "--config", str(tmp_path / "nope.toml")]) == 2
    assert "nope.toml: configuration file not found" in capsys.readouterr().err


def test_default_config_is_empty() -> None:
    assert Config().severities == {}
