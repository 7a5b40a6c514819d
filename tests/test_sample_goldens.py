"""End-to-end goldens: `graphesm scan` on every sample project.

For each project under sample_projects/ the real CLI (`graphesm.cli.main`, in
process) writes JSON, DOT, SARIF and the text summary; the outputs are compared with
tests/golden/samples/<project>.{json,dot,sarif,txt} after replacing the machine's
absolute project root with a placeholder (`file:///ROOT/` for URLs, `/ROOT/` for
plain paths), so the goldens hold on any checkout. Regenerate with
GRAPHESM_UPDATE_GOLDENS=1 and review `git diff tests/golden/samples`.

Also pinned here: every JSON validates against the shipped JSON Schema, every
DOT renders with the real `dot`, two runs are byte-identical, and a copy of the
project under an awkward path (space, non-ASCII, `%`, `#`, reached through a
symlink) normalises to the very same goldens.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest
from golden_util import check_golden
from jsonschema import Draft202012Validator

from graphesm import __version__
from graphesm.cli import main
from graphesm.report import json as json_report

REPO = Path(__file__).resolve().parent.parent
SAMPLES = REPO / "sample_projects"
PROJECTS = sorted(p.name for p in SAMPLES.iterdir() if p.is_dir())
# load-errors is full of error findings, and cjs-interop's broken-named.mjs is an
# esm-cjs-boundary error (Node throws a SyntaxError): the default --fail-on error exits 1.
EXPECTED_EXIT = {"load-errors": 1, "cjs-interop": 1}
URL_PLACEHOLDER = "file:///ROOT/"
PATH_PLACEHOLDER = "/ROOT/"


def test_the_five_sample_projects_are_covered() -> None:
    assert {"web-app", "query-fragment", "cjs-interop", "load-errors", "monorepo"} <= set(PROJECTS)


def run_scan(
    project: Path, out: Path, capsys: pytest.CaptureFixture[str], *extra: str
) -> tuple[int, dict[str, str]]:
    """Run `graphesm scan PROJECT --json F --dot F` in process: (exit code, outputs)."""
    out.mkdir(parents=True, exist_ok=True)
    json_file, dot_file, sarif_file = out / "out.json", out / "out.dot", out / "out.sarif"
    capsys.readouterr()
    code = main(
        [
            "scan",
            str(project),
            "--json",
            str(json_file),
            "--dot",
            str(dot_file),
            "--sarif",
            str(sarif_file),
            *extra,
        ]
    )
    captured = capsys.readouterr()
    assert captured.err == "", captured.err
    outputs = {
        "json": json_file.read_text(encoding="utf-8"),
        "dot": dot_file.read_text(encoding="utf-8"),
        "sarif": sarif_file.read_text(encoding="utf-8"),
        "txt": captured.out,
    }
    return code, outputs


def _escaped_forms(text: str) -> list[str]:
    """text as written raw, inside a JSON string and inside a DOT quoted string."""
    dot = text.replace("\\", "\\\\").replace('"', '\\"')
    return list(dict.fromkeys([text, json.dumps(text, ensure_ascii=False)[1:-1], dot]))


def normalise(text: str, project: Path, root_url: str) -> str:
    """Replace the project's absolute root (URL and path forms) with placeholders.

    root_url is the scan's own `root` field (Node's percent-encoding of the real
    path); the plain forms cover both the path as given and its real path.
    """
    bases = dict.fromkeys([str(project.absolute()), os.path.realpath(project)])
    pairs: list[tuple[str, str]] = []
    for form in _escaped_forms(root_url):
        pairs.append((form, URL_PLACEHOLDER))
    # Node quotes some paths as the URL's percent-encoded pathname
    # (ERR_INVALID_MODULE_SPECIFIER: `Invalid module "/a%20b/x"`).
    for form in _escaped_forms(root_url.removeprefix("file://")):
        pairs.append((form, PATH_PLACEHOLDER))
    for base in bases:
        # Path.as_uri() encodes more than Node does; harmless when absent.
        for form in _escaped_forms(Path(base).as_uri() + "/"):
            pairs.append((form, URL_PLACEHOLDER))
        for form in _escaped_forms(base + "/"):
            pairs.append((form, PATH_PLACEHOLDER))
        for form in _escaped_forms(base):
            pairs.append((form, PATH_PLACEHOLDER.rstrip("/")))
    # Longest first, so a URL is replaced whole before its path part is.
    for old, new in sorted(pairs, key=lambda pair: -len(pair[0])):
        text = text.replace(old, new)
    text = text.replace(f'"version": "{__version__}"', '"version": "<version>"', 1)
    for base in bases:
        for leak in (base, Path(base).as_uri(), root_url.removeprefix("file://").rstrip("/")):
            assert leak not in text, f"absolute root {leak!r} left after normalising"
    return text


def normalised_outputs(project: Path, outputs: dict[str, str]) -> dict[str, str]:
    root_url = json.loads(outputs["json"])["root"]
    return {fmt: normalise(text, project, root_url) for fmt, text in outputs.items()}


@pytest.fixture(scope="module")
def validator() -> Draft202012Validator:
    schema = json_report.schema()
    Draft202012Validator.check_schema(schema)
    return Draft202012Validator(schema)


@pytest.mark.parametrize("project", PROJECTS)
def test_sample_goldens(
    project: str,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    validator: Draft202012Validator,
) -> None:
    code, outputs = run_scan(SAMPLES / project, tmp_path / "first", capsys)
    assert code == EXPECTED_EXIT.get(project, 0)

    # Determinism: a second run is byte-identical, before any normalisation.
    _, again = run_scan(SAMPLES / project, tmp_path / "second", capsys)
    assert again == outputs

    document = json.loads(outputs["json"])
    errors = sorted(validator.iter_errors(document), key=lambda e: list(e.absolute_path))
    assert not errors, "\n".join(f"{list(e.absolute_path)}: {e.message}" for e in errors)

    normal = normalised_outputs(SAMPLES / project, outputs)
    assert json.loads(normal["json"])["root"] == URL_PLACEHOLDER
    for fmt, text in normal.items():
        check_golden(f"samples/{project}.{fmt}", text)


@pytest.mark.parametrize("project", PROJECTS)
def test_dot_renders_with_graphviz(project: str, tmp_path: Path, capsys) -> None:
    dot = shutil.which("dot")
    if dot is None:
        pytest.skip("Graphviz `dot` is not installed (.ci/run installs it)")
    _, outputs = run_scan(SAMPLES / project, tmp_path, capsys)
    rendered = subprocess.run(
        [dot, "-Tsvg"], input=outputs["dot"], capture_output=True, text=True, timeout=60
    )
    assert rendered.returncode == 0, rendered.stderr
    assert "<svg" in rendered.stdout
    assert "Warning" not in rendered.stderr and "Error" not in rendered.stderr, rendered.stderr


@pytest.mark.parametrize("project", PROJECTS)
def test_goldens_hold_under_an_awkward_symlinked_path(
    project: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """The same project elsewhere (space, ü, %, #, behind a symlink) gives the same goldens.

    This is what a CI clone in another folder sees; it also proves the
    normalisation handles the percent-encoded URL form and the plain path form,
    and that scanning through a symlinked folder uses real paths like Node.
    """
    real = tmp_path / "real dir ü %41 #1"
    real.mkdir()
    shutil.copytree(SAMPLES / project, real / project, symlinks=True)
    link = tmp_path / "link"
    link.symlink_to(real, target_is_directory=True)

    code, outputs = run_scan(link / project, tmp_path / "out", capsys)
    assert code == EXPECTED_EXIT.get(project, 0)
    document = json.loads(outputs["json"])
    assert "%20" in document["root"] and "%C3%BC" in document["root"]
    assert "/link/" not in document["root"], "Node resolves through symlinks to real paths"

    _, reference = run_scan(SAMPLES / project, tmp_path / "ref", capsys)
    here = normalised_outputs(link / project, outputs)
    there = normalised_outputs(SAMPLES / project, reference)
    for fmt in ("json", "dot", "sarif", "txt"):
        assert here[fmt] == there[fmt], f"{project}.{fmt} depends on where the project lives"
