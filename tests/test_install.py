"""`pip install .` into a fresh virtualenv ships a working graphesm (issue 3, acceptance).

The venv reuses the system site-packages for the dependencies (`--no-deps`, no
network beyond pip's configured indexes for the build backend), so what is
tested is the wheel built from this checkout: the package, the tree-sitter
queries (`graphesm/queries/javascript/*.scm`, force-included by hatch) and the
JSON Schema. The README's scan command then runs with the venv's console
script from a folder outside the checkout, so nothing can fall back to the
repository's own `queries/`. About 6 s.
"""

from __future__ import annotations

import os
import re
import shlex
import shutil
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
# The command the issue asks the README to show; used until the README has one.
FALLBACK_SCAN = "graphesm scan sample_projects/web-app --dot out.dot"


def readme_scan_command() -> list[str]:
    """The first `graphesm scan …` command in the README (else the fallback)."""
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    for line in readme.splitlines():
        match = re.search(r"graphesm scan [^&|;`#]*", line.strip().lstrip("$ "))
        if match:
            return shlex.split(match.group(0))
    return shlex.split(FALLBACK_SCAN)


def test_wheel_in_fresh_venv_runs_the_readme_scan(tmp_path: Path) -> None:
    venv = tmp_path / "venv"
    subprocess.run(
        [sys.executable, "-m", "venv", "--system-site-packages", str(venv)],
        check=True,
        timeout=120,
    )
    bin_dir = venv / "bin"
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "PYTHONHOME")}
    env["PATH"] = f"{bin_dir}{os.pathsep}{env.get('PATH', '')}"
    env["PIP_DISABLE_PIP_VERSION_CHECK"] = "1"
    install = subprocess.run(
        [str(bin_dir / "python"), "-m", "pip", "install", "--no-deps", "-q", str(REPO)],
        capture_output=True,
        text=True,
        timeout=300,
        env=env,
        cwd=tmp_path,
    )
    assert install.returncode == 0, install.stdout + install.stderr

    # The venv's own graphesm (not the editable checkout) with its data files.
    probe = subprocess.run(
        [
            str(bin_dir / "python"),
            "-c",
            "import graphesm, graphesm.scan.queries as q, graphesm.report.json as j;"
            "print(graphesm.__file__); print(q.queries_dir()); print(j.schema()['$id'])",
        ],
        capture_output=True,
        text=True,
        timeout=60,
        env=env,
        cwd=tmp_path,
    )
    assert probe.returncode == 0, probe.stderr
    package_file, queries, _schema_id = probe.stdout.splitlines()
    assert Path(package_file).is_relative_to(venv), package_file
    assert Path(queries).is_relative_to(venv), queries
    for name in ("imports.scm", "commonjs.scm"):
        assert (Path(queries) / "javascript" / name).is_file()

    # The README's command, run where a user would, on a copy of the samples.
    work = tmp_path / "user"
    shutil.copytree(REPO / "sample_projects", work / "sample_projects", symlinks=True)
    command = readme_scan_command()
    assert command[:2] == ["graphesm", "scan"]
    done = subprocess.run(
        [str(bin_dir / "graphesm"), *command[1:]],
        capture_output=True,
        text=True,
        timeout=120,
        env=env,
        cwd=work,
    )
    assert done.returncode in (0, 1), done.stderr  # 1 only if it scans load-errors
    assert "Traceback" not in done.stderr
    if "--dot" in command:
        dot_target = command[command.index("--dot") + 1]
        dot = (work / dot_target).read_text(encoding="utf-8")
        assert dot.startswith("digraph graphesm {")
        assert "->" in dot
    assert re.search(r"\d+ modules, \d+ imports", done.stdout) or "--json" in command
