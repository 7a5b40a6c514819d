"""Text reporter: ScanResult -> a short human summary (rendered with rich).

Stage contract
--------------
``render(result)`` is pure and deterministic: rich renders into a string
console 100 columns wide with no colour, no markup and no highlighting applied
to user text (a path like ``[x].js`` is printed as is). It shows

* a headline: module, import and finding counts and the scan root;
* modules by kind and imports by kind (tables, kinds in the schema's order,
  kinds with zero count omitted);
* unresolved imports grouped by Node's error code, with up to
  ``EXAMPLES_PER_CODE`` examples ``path:line:col specifier`` per code;
* parse errors (``parse-error`` findings) as ``path:line:col message``;
* every finding as a compiler-style line
  ``src/a.js:3:18: error[load-error] ERR_MODULE_NOT_FOUND message``,
  sorted by path, line, column and rule. Compiler lines are never wrapped, so
  editors and CI log parsers can pick them up. Messages show paths relative
  to the scan root (Node's messages name absolute paths; the root is
  shortened away). A cycle is printed as its path of modules, followed by a
  ``note:`` line naming the imports whose removal breaks it;
* a closing summary line: ``graphesm: 2 errors, 1 warning, 0 info``.
"""

from __future__ import annotations

import io
from collections import Counter
from collections.abc import Iterable

from rich import box
from rich.console import Console
from rich.table import Table
from rich.text import Text

from graphesm.model import (
    Finding,
    ImportKind,
    Location,
    Module,
    ModuleKind,
    Resolution,
    ScanResult,
    Severity,
)
from graphesm.report._paths import position, shorten, shown_message

__all__ = ["EXAMPLES_PER_CODE", "finding_line", "render"]

EXAMPLES_PER_CODE = 3
WIDTH = 100


def _display_path(url: str, path: str | None, root: str) -> str:
    """A path relative to the scan root when known, else the URL."""
    if path:
        return path
    if url.startswith(root):
        return url[len(root) :]
    return url


def _position(location: Location, root: str) -> str:
    return position(location, root)


def finding_line(finding: Finding, root: str) -> str:
    """``path:line:col: severity[rule] message``, Node's error code first for load errors."""
    message = shown_message(finding, root)
    return f"{_position(finding.location, root)}: {finding.severity}[{finding.rule}] {message}"


def _plural(count: int, noun: str) -> str:
    return f"{count} {noun}{'' if count == 1 else 's'}"


def _breakers_note(finding: Finding, paths: dict[str, str], root: str) -> str | None:
    """``note: break the cycle by removing a.js -> b.js`` for a cycle finding."""
    breakers = finding.data.get("breakers")
    if finding.rule != "cycle" or not isinstance(breakers, list) or not breakers:
        return None
    edges: list[str] = []
    for edge in breakers:
        if isinstance(edge, (list, tuple)) and len(edge) == 2:
            ends = [_display_path(str(url), paths.get(str(url)), root) for url in edge]
            edges.append(f"{ends[0]} -> {ends[1]}")
    if not edges:
        return None
    noun = "this import" if len(edges) == 1 else "these imports"
    return f"  note: the cycle is broken by removing {noun}: {'; '.join(edges)}"


def _module_paths(modules: Iterable[Module]) -> dict[str, str]:
    return {m.url: m.path for m in modules if m.path}


def _site_text(resolution: Resolution, paths: dict[str, str], root: str) -> str:
    site = resolution.site
    where = _display_path(site.file_url, paths.get(site.file_url), root)
    return f"{where}:{site.line}:{site.column} {site.specifier or '?'}"


def _print_lines(console: Console, lines: Iterable[str]) -> None:
    """Plain lines, printed as one text (one rich render, not one per line)."""
    text = "\n".join(lines)
    if text:
        console.print(Text(text), soft_wrap=True)


def _count_table(title: str, counts: Counter[str], order: Iterable[str]) -> Table:
    table = Table(
        title=title,
        title_justify="left",
        title_style="bold",
        box=box.SIMPLE_HEAD,
        show_edge=False,
        show_header=True,
    )
    table.add_column("kind")
    table.add_column("count", justify="right")
    for kind in order:
        if counts[kind]:
            table.add_row(Text(kind), Text(str(counts[kind])))
    table.add_row(Text("total"), Text(str(sum(counts.values()))), style="bold")
    return table


def _finding_key(finding: Finding, root: str) -> tuple[str, int, int, str, str]:
    loc = finding.location
    return (
        _display_path(loc.url, loc.path, root),
        loc.line or 0,
        loc.column or 0,
        finding.rule,
        finding.message,
    )


def _import_key(resolution: Resolution) -> tuple[str, int, int, str]:
    site = resolution.site
    return (site.file_url, site.line, site.column, site.specifier or "")


def render(result: ScanResult) -> str:
    """Render the human summary of ``result`` (see the module docstring)."""
    buffer = io.StringIO()
    console = Console(
        file=buffer,
        width=WIDTH,
        color_system=None,
        force_terminal=False,
        highlight=False,
        markup=False,
        emoji=False,
        legacy_windows=False,
        soft_wrap=False,
    )
    root = result.root
    paths = _module_paths(result.modules)
    severities = Counter(str(f.severity) for f in result.findings)
    unresolved = [r for r in result.imports if r.error_code is not None]

    headline = (
        f"graphesm: {_plural(len(result.modules), 'module')}, "
        f"{_plural(len(result.imports), 'import')}, {len(unresolved)} unresolved, "
        f"{_plural(len(result.findings), 'finding')} "
        f"({_plural(severities[Severity.ERROR], 'error')}, "
        f"{_plural(severities[Severity.WARNING], 'warning')}, "
        f"{severities[Severity.INFO]} info)"
    )
    console.print(Text(headline, style="bold"), soft_wrap=True)
    console.print(Text(f"root: {root}"), soft_wrap=True)
    if result.options.conditions:
        console.print(Text(f"conditions: {', '.join(result.options.conditions)}"), soft_wrap=True)

    console.print()
    module_counts = Counter(str(m.kind) for m in result.modules)
    console.print(_count_table("Modules by kind", module_counts, (str(k) for k in ModuleKind)))
    console.print()
    import_counts = Counter(str(r.site.kind) for r in result.imports)
    console.print(_count_table("Imports by kind", import_counts, (str(k) for k in ImportKind)))
    console.print()

    if unresolved:
        console.print(Text("Unresolved imports by error code", style="bold"))
        by_code: dict[str, list[Resolution]] = {}
        for resolution in sorted(unresolved, key=_import_key):
            by_code.setdefault(resolution.error_code or "", []).append(resolution)
        for code in sorted(by_code):
            group = by_code[code]
            console.print(Text(f"  {code}: {len(group)}"), soft_wrap=True)
            for resolution in group[:EXAMPLES_PER_CODE]:
                console.print(Text(f"    {_site_text(resolution, paths, root)}"), soft_wrap=True)
            if len(group) > EXAMPLES_PER_CODE:
                console.print(Text(f"    … and {len(group) - EXAMPLES_PER_CODE} more"))
        console.print()

    parse_errors = sorted(
        (f for f in result.findings if f.rule == "parse-error"),
        key=lambda f: _finding_key(f, root),
    )
    console.print(Text(f"Parse errors: {len(parse_errors)}", style="bold"))
    _print_lines(
        console,
        (f"  {_position(f.location, root)} {shorten(f.message, root)}" for f in parse_errors),
    )

    if result.findings:
        console.print()
        console.print(Text("Findings", style="bold"))
        lines = []
        for finding in sorted(result.findings, key=lambda f: _finding_key(f, root)):
            lines.append(finding_line(finding, root))
            note = _breakers_note(finding, paths, root)
            if note is not None:
                lines.append(note)
        _print_lines(console, lines)
    else:
        console.print(Text("No findings."))
    console.print()
    console.print(
        Text(
            f"graphesm: {_plural(severities[Severity.ERROR], 'error')}, "
            f"{_plural(severities[Severity.WARNING], 'warning')}, "
            f"{severities[Severity.INFO]} info"
        ),
        soft_wrap=True,
    )
    # rich pads table cells to their width; trailing blanks help nobody
    return "".join(line.rstrip() + "\n" for line in buffer.getvalue().splitlines())
