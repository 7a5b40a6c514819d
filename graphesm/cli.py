"""Command line: `graphesm scan` and `graphesm resolve`.

Stage contract: `main(argv) -> int` parses arguments, runs the pipeline or the
resolver, hands the result to the reporters, writes files and stdout, and
picks the exit code: 0 clean, 1 a finding at or above --fail-on (default: any
`error`) or a failed resolution, 2 a usage error or an internal failure. It is
the only module that prints. Bad input never produces a traceback: one line on
stderr naming the file and the problem.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable, Sequence
from pathlib import Path

from graphesm import __version__
from graphesm.model import ScanResult, Severity
from graphesm.pipeline import ScanError, scan
from graphesm.report import dot as dot_report
from graphesm.report import json as json_report
from graphesm.report import text as text_report
from graphesm.resolve import Resolver, to_url
from graphesm.resolve.errors import ResolveError
from graphesm.rules import RULES

_SEVERITY_RANK = {Severity.INFO: 0, Severity.WARNING: 1, Severity.ERROR: 2}
_RENDERERS: dict[str, Callable[[ScanResult], str]] = {
    "text": text_report.render,
    "json": json_report.render,
    "dot": dot_report.render,
}


class UsageError(Exception):
    pass


def _conditions(value: str | None) -> list[str]:
    if not value:
        return []
    return [c.strip() for c in value.split(",") if c.strip()]


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="graphesm",
        description="The import graph of a JavaScript code base, resolved exactly as Node.js does.",
    )
    parser.add_argument("--version", action="version", version=f"graphesm {__version__}")
    sub = parser.add_subparsers(dest="command", required=True)

    scan_p = sub.add_parser("scan", help="scan files, resolve every import, report the graph")
    scan_p.add_argument("paths", nargs="*", default=["."], metavar="PATH")
    scan_p.add_argument(
        "--entry", action="append", default=[], metavar="FILE",
        help="only what Node would load from this entry (repeatable)",
    )  # fmt: skip
    scan_p.add_argument("--conditions", "-C", metavar="NAME,...", help="add user conditions")
    scan_p.add_argument("--json", metavar="FILE", help="write graphesm/1 JSON ('-' for stdout)")
    scan_p.add_argument("--dot", metavar="FILE", help="write a Graphviz DOT graph ('-' for stdout)")
    scan_p.add_argument(
        "--format", choices=sorted(_RENDERERS), default="text", help="what to print on stdout"
    )
    scan_p.add_argument(
        "--fail-on", metavar="RULE|SEVERITY,...", default="error",
        help="exit 1 when a finding matches (default: error)",
    )  # fmt: skip
    scan_p.add_argument("--preserve-symlinks", action="store_true")

    res_p = sub.add_parser("resolve", help="resolve one specifier exactly as Node would")
    res_p.add_argument("specifier")
    res_p.add_argument("--from", dest="parent", required=True, metavar="FILE_OR_URL")
    res_p.add_argument("--conditions", "-C", metavar="NAME,...", help="add user conditions")
    res_p.add_argument("--preserve-symlinks", action="store_true")
    res_p.add_argument("--json", action="store_true", help="print a JSON object")
    return parser


def _fail_on(value: str) -> tuple[int | None, frozenset[str]]:
    threshold: int | None = None
    rules: set[str] = set()
    for item in _conditions(value):
        if item in {s.value for s in Severity}:
            rank = _SEVERITY_RANK[Severity(item)]
            threshold = rank if threshold is None else min(threshold, rank)
        elif item in RULES:
            rules.add(item)
        elif item != "none":
            known = ", ".join(sorted(RULES))
            raise UsageError(f"--fail-on: unknown rule or severity '{item}' (rules: {known})")
    return threshold, frozenset(rules)


def _write(target: str, content: str) -> None:
    if target == "-":
        sys.stdout.write(content)
        return
    try:
        Path(target).write_text(content, encoding="utf-8")
    except OSError as error:
        raise UsageError(f"{target}: cannot write: {error.strerror}") from None


def _run_scan(args: argparse.Namespace) -> int:
    threshold, fail_rules = _fail_on(args.fail_on)
    if args.json == "-" and args.dot == "-":
        raise UsageError("--json - and --dot - cannot both write to stdout")
    progress = None
    if sys.stderr.isatty():
        progress = _progress_bar()
    try:
        result = scan(
            args.paths,
            entries=args.entry,
            conditions=_conditions(args.conditions),
            preserve_symlinks=args.preserve_symlinks,
            progress=progress,
        )
    except ScanError as error:
        raise UsageError(str(error)) from None
    if args.json:
        _write(args.json, json_report.render(result))
    if args.dot:
        _write(args.dot, dot_report.render(result))
    if "-" not in (args.json, args.dot):
        sys.stdout.write(_RENDERERS[args.format](result))
    failing = [
        f
        for f in result.findings
        if f.rule in fail_rules
        or (threshold is not None and _SEVERITY_RANK[f.severity] >= threshold)
    ]
    return 1 if failing else 0


def _progress_bar() -> Callable[[int, int], None]:
    from rich.progress import Progress

    bar = Progress(transient=True)
    task = bar.add_task("scanning", total=None)
    started = [False]

    def update(done: int, total: int) -> None:
        if total >= 200 and not started[0]:
            bar.start()
            started[0] = True
        bar.update(task, completed=done, total=total)
        if done == total and started[0]:
            bar.stop()

    return update


def _run_resolve(args: argparse.Namespace) -> int:
    resolver = Resolver(
        conditions=_conditions(args.conditions), preserve_symlinks=args.preserve_symlinks
    )
    parent = to_url(args.parent)
    try:
        resolved = resolver.resolve(args.specifier, parent)
    except ResolveError as error:
        if args.json:
            payload = {
                "specifier": args.specifier,
                "parent": parent,
                "url": None,
                "format": None,
                "error": {"code": error.code, "message": error.message, "hint": error.hint},
            }
            sys.stdout.write(json.dumps(payload, indent=2, ensure_ascii=False) + "\n")
        else:
            hint = f" ({error.hint})" if error.hint else ""
            sys.stdout.write(f"{error.code}: {error.message}{hint}\n")
        return 1
    if args.json:
        payload = {
            "specifier": args.specifier,
            "parent": parent,
            "url": resolved.url,
            "format": resolved.format,
            "error": None,
        }
        sys.stdout.write(json.dumps(payload, indent=2, ensure_ascii=False) + "\n")
    else:
        sys.stdout.write(f"{resolved.url}\nformat: {resolved.format or 'null'}\n")
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    parser = _parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as exit_:
        return int(exit_.code or 0) if exit_.code in (0, None) else 2
    try:
        if args.command == "resolve":
            return _run_resolve(args)
        return _run_scan(args)
    except UsageError as error:
        sys.stderr.write(f"graphesm: {error}\n")
        return 2
    except KeyboardInterrupt:
        sys.stderr.write("graphesm: interrupted\n")
        return 2
    except Exception as error:  # the promise: never a traceback
        sys.stderr.write(f"graphesm: internal error: {type(error).__name__}: {error}\n")
        return 2


if __name__ == "__main__":
    sys.exit(main())
