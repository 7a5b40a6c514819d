"""The CI gate end to end: --fail-on, baselines and graphesm.toml, through `main`.

Exit codes (DESIGN.md): 0 clean, 1 a finding matches --fail-on and the
baseline does not accept it, 2 a usage error or a bad config/baseline file.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from graphesm.cli import main
from graphesm.report.github import escape_data, escape_property

REPO = Path(__file__).resolve().parent.parent
SAMPLES = REPO / "sample_projects"


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    capsys.readouterr()
    code = main(list(argv))
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def write(root: Path, files: dict[str, str]) -> Path:
    for name, text in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return root


@pytest.fixture
def cyclic(tmp_path: Path) -> Path:
    """A cycle (warning) and nothing else."""
    return write(
        tmp_path / "proj",
        {"src/a.mjs": "import './b.mjs';\n", "src/b.mjs": "import './a.mjs';\n"},
    )


@pytest.mark.parametrize(
    ("fail_on", "expected"),
    [
        (None, 0),  # default: errors only
        ("error", 0),
        ("warning", 1),
        ("info", 1),
        ("cycle", 1),
        ("load-error", 0),
        ("load-error,cycle", 1),
        ("none", 0),
    ],
)
def test_fail_on_on_a_cycle(
    capsys: pytest.CaptureFixture[str], cyclic: Path, fail_on: str | None, expected: int
) -> None:
    extra = [] if fail_on is None else ["--fail-on", fail_on]
    code, _, _ = run(capsys, "scan", str(cyclic), *extra)
    assert code == expected


def test_baseline_accepts_todays_cycle_and_fails_on_a_new_one(
    capsys: pytest.CaptureFixture[str], cyclic: Path, tmp_path: Path
) -> None:
    base = tmp_path / "baseline.json"
    code, _, err = run(
        capsys, "scan", str(cyclic), "--fail-on", "cycle", "--write-baseline", str(base)
    )
    assert code == 0
    assert "recorded 1 finding(s)" in err
    code, out, err = run(capsys, "scan", str(cyclic), "--fail-on", "cycle", "--baseline", str(base))
    assert code == 0
    assert "1 finding(s) suppressed by the baseline" in err
    assert "warning[cycle]" not in out
    # lines move: still accepted
    (cyclic / "src/a.mjs").write_text("\n\n// moved\nimport './b.mjs';\n", encoding="utf-8")
    assert run(capsys, "scan", str(cyclic), "--fail-on", "cycle", "--baseline", str(base))[0] == 0
    # a new cycle fails
    write(cyclic, {"src/c.mjs": "import './d.mjs';\n", "src/d.mjs": "import './c.mjs';\n"})
    code, out, err = run(capsys, "scan", str(cyclic), "--fail-on", "cycle", "--baseline", str(base))
    assert code == 1
    assert "src/c.mjs -> src/d.mjs" in out or "src/d.mjs -> src/c.mjs" in out
    assert "src/a.mjs -> src/b.mjs" not in out


def test_stale_baseline_entries_are_listed(
    capsys: pytest.CaptureFixture[str], cyclic: Path, tmp_path: Path
) -> None:
    base = tmp_path / "baseline.json"
    run(capsys, "scan", str(cyclic), "--write-baseline", str(base))
    (cyclic / "src/b.mjs").write_text("", encoding="utf-8")  # the cycle is fixed
    code, _, err = run(capsys, "scan", str(cyclic), "--baseline", str(base))
    assert code == 0
    assert "0 finding(s) suppressed" in err
    assert "1 baseline entry no longer occurs" in err
    assert "cycle: import cycle of 2 modules" in err


def test_baseline_on_a_sample_project(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    project = SAMPLES / "load-errors"
    base = tmp_path / "b.json"
    assert run(capsys, "scan", str(project))[0] == 1
    assert run(capsys, "scan", str(project), "--write-baseline", str(base))[0] == 0
    code, out, err = run(capsys, "scan", str(project), "--baseline", str(base), "--json", "-")
    assert code == 0
    assert json.loads(out)["findings"] == []
    recorded = json.loads(base.read_text(encoding="utf-8"))["findings"]
    assert f"{len(recorded)} finding(s) suppressed" in err
    assert str(project) not in base.read_text(encoding="utf-8")


@pytest.mark.parametrize(
    ("content", "reason"),
    [("{", "not JSON"), ('{"schema": "x", "findings": []}', "not a graphesm baseline")],
)
def test_bad_baseline_is_exit_2(
    capsys: pytest.CaptureFixture[str], cyclic: Path, tmp_path: Path, content: str, reason: str
) -> None:
    base = tmp_path / "broken.json"
    base.write_text(content, encoding="utf-8")
    code, out, err = run(capsys, "scan", str(cyclic), "--baseline", str(base))
    assert code == 2
    assert out == ""
    assert err.count("\n") == 1 and str(base) in err and reason in err


def test_missing_baseline_is_exit_2(
    capsys: pytest.CaptureFixture[str], cyclic: Path, tmp_path: Path
) -> None:
    code, _, err = run(capsys, "scan", str(cyclic), "--baseline", str(tmp_path / "none.json"))
    assert code == 2
    assert "none.json: baseline not found" in err


def test_config_fail_on_and_baseline_and_cli_override(
    capsys: pytest.CaptureFixture[str], cyclic: Path
) -> None:
    write(cyclic, {"graphesm.toml": 'fail-on = ["cycle"]\n'})
    assert run(capsys, "scan", str(cyclic))[0] == 1  # the config's fail-on
    assert run(capsys, "scan", str(cyclic), "--fail-on", "error")[0] == 0  # the flag wins
    assert run(capsys, "scan", str(cyclic), "--write-baseline", str(cyclic / "b.json"))[0] == 0
    write(cyclic, {"graphesm.toml": 'fail-on = ["cycle"]\nbaseline = "b.json"\n'})
    code, _, err = run(capsys, "scan", str(cyclic))
    assert code == 0
    assert "1 finding(s) suppressed" in err


def test_config_severity_and_exclude(capsys: pytest.CaptureFixture[str], cyclic: Path) -> None:
    write(cyclic, {"src/fixtures/bad.mjs": "import './nope.mjs';\n"})
    assert run(capsys, "scan", str(cyclic))[0] == 1  # load-error in the fixture
    write(cyclic, {"graphesm.toml": 'exclude = ["fixtures"]\n[rules]\ncycle = "error"\n'})
    code, out, _ = run(capsys, "scan", str(cyclic))
    assert code == 1 and "error[cycle]" in out and "nope.mjs" not in out
    code, out, _ = run(capsys, "scan", str(cyclic), "--exclude", "src/fixtures", "--no-config")
    assert code == 0 and "nope.mjs" not in out


def test_unknown_fail_on_is_exit_2(capsys: pytest.CaptureFixture[str], cyclic: Path) -> None:
    code, _, err = run(capsys, "scan", str(cyclic), "--fail-on", "cycles")
    assert code == 2
    assert "--fail-on: unknown rule or severity 'cycles'" in err


def test_two_outputs_on_stdout_is_exit_2(capsys: pytest.CaptureFixture[str], cyclic: Path) -> None:
    code, _, err = run(capsys, "scan", str(cyclic), "--json", "-", "--sarif", "-")
    assert code == 2
    assert "cannot all write to stdout" in err


def test_github_format(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "scan", str(SAMPLES / "load-errors"), "--format", "github")
    assert code == 1
    lines = out.splitlines()
    assert lines and all(line.startswith(("::error file=", "::warning file=")) for line in lines)
    assert (
        "::error file=src/main.js,line=6,col=33,title=graphesm load-error::"
        "ERR_MODULE_NOT_FOUND Cannot find module 'src/missing.js' imported from src/main.js"
    ) in lines
    code, out, _ = run(capsys, "scan", str(SAMPLES / "web-app"), "--format", "github")
    assert out.startswith("::warning file=src/app/c.js,line=1,col=25,title=graphesm cycle::")


def test_github_escaping() -> None:
    assert escape_data("50% done\r\nnext") == "50%25 done%0D%0Anext"
    assert escape_property("a:b,c%\n") == "a%3Ab%2Cc%25%0A"


def test_text_output_reads_like_a_compiler(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "scan", str(SAMPLES / "load-errors"))
    assert code == 1
    assert (
        "src/main.js:7:38: error[load-error] ERR_MODULE_NOT_FOUND Cannot find module 'src/util' "
        "imported from src/main.js (did you mean './util.js'?)"
    ) in out.splitlines()
    assert str(SAMPLES) not in out.split("Findings", 1)[1]
    assert out.splitlines()[-1].startswith("graphesm: 14 errors")


def test_pre_commit_hook_runs_the_gate(
    capsys: pytest.CaptureFixture[str], cyclic: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import shlex

    text = (REPO / ".pre-commit-hooks.yaml").read_text(encoding="utf-8")
    assert "- id: graphesm-cycles" in text
    entry = next(line for line in text.splitlines() if line.strip().startswith("entry:"))
    argv = shlex.split(entry.split(":", 1)[1])
    assert argv[0] == "graphesm"
    monkeypatch.chdir(cyclic)
    assert run(capsys, *argv[1:])[0] == 2  # no baseline yet: a one-line error
    assert run(capsys, "scan", ".", "--write-baseline", "graphesm-baseline.json")[0] == 0
    assert run(capsys, *argv[1:])[0] == 0  # today's cycle is accepted
    write(cyclic, {"src/c.mjs": "import './d.mjs';\n", "src/d.mjs": "import './c.mjs';\n"})
    assert run(capsys, *argv[1:])[0] == 1  # a new one fails
