"""The text reporter (rich summary rendered to a string).

Golden file: tests/golden/reports/sample.txt. Regenerate with
``GRAPHESM_UPDATE_GOLDENS=1 python -m pytest tests/test_report_text.py`` and
review the diff.
"""

from __future__ import annotations

import dataclasses

import report_fixture as fx
from golden_util import check_golden

from graphesm.model import (
    Finding,
    ImportKind,
    ImportSite,
    Location,
    Module,
    ModuleKind,
    Resolution,
    Severity,
)
from graphesm.report import text


def test_golden() -> None:
    check_golden("reports/sample.txt", text.render(fx.sample_result()))


def test_summary_sections() -> None:
    out = text.render(fx.sample_result())
    assert out.startswith("graphesm: 14 modules, 18 imports, 2 unresolved, 6 findings")
    assert "ERR_MODULE_NOT_FOUND: 2" in out
    assert "    src/main.js:9:21 ./missing.js" in out
    assert "Parse errors: 1" in out
    assert "src/broken.js:2:5 syntax error" in out
    assert all(line == line.rstrip() for line in out.splitlines())


def test_compiler_style_finding_lines() -> None:
    lines = text.render(fx.sample_result()).splitlines()
    assert (
        "src/main.js:9:21: error[load-error] ERR_MODULE_NOT_FOUND Cannot find module "
        "'src/missing.js' imported from src/main.js"
    ) in lines  # the root is shortened away from Node's absolute paths
    assert (
        "src/lib/a.js:1:15: warning[cycle] import cycle: src/lib/a.js -> src/lib/b.js -> "
        "src/lib/a.js"
    ) in lines
    assert "src/main.js:12:20: info[unanalyzable-import] import() with a non-literal specifier" in (
        lines
    )


def test_examples_are_capped_per_code() -> None:
    root = fx.ROOT
    sites = [
        Resolution(
            ImportSite(root + "x.js", f"./m{i}.js", ImportKind.STATIC, i + 1, 8),
            None,
            None,
            "ERR_MODULE_NOT_FOUND",
            "nope",
        )
        for i in range(5)
    ]
    result = dataclasses.replace(fx.sample_result(), imports=tuple(sites), findings=())
    out = text.render(result)
    assert "ERR_MODULE_NOT_FOUND: 5" in out
    assert "x.js:3:8 ./m2.js" in out and "./m3.js" not in out
    assert f"… and {5 - text.EXAMPLES_PER_CODE} more" in out
    assert "No findings." in out


def test_user_text_is_not_rich_markup() -> None:
    url = fx.ROOT + "src/%5Bbold%5D.js"
    result = dataclasses.replace(
        fx.sample_result(),
        modules=(Module(url, "src/[bold]x[/bold].js", ModuleKind.LOCAL, "module"),),
        imports=(),
        findings=(
            Finding(
                "parse-error",
                Severity.ERROR,
                "unexpected [red]token[/red] :smile:",
                Location(url, "src/[bold]x[/bold].js", 1, 2),
            ),
        ),
    )
    out = text.render(result)
    expected = "src/[bold]x[/bold].js:1:2: error[parse-error] unexpected [red]token[/red] :smile:"
    assert expected in out


def test_deterministic() -> None:
    shuffled = fx.shuffled_result()
    assert text.render(shuffled) == text.render(fx.sample_result())


def test_closing_summary_line() -> None:
    lines = text.render(fx.sample_result()).splitlines()
    assert lines[-1] == "graphesm: 3 errors, 2 warnings, 1 info"
