"""Command line: `graphesm scan` and `graphesm resolve`.

Stage contract: `main(argv) -> int` parses arguments, reads the configuration
file (graphesm.toml at the scan root, or --config) and the baseline, runs the
pipeline or the resolver, applies per-rule severities and the baseline, hands
the result to the reporters, writes files and stdout, and picks the exit
code: 0 clean, 1 a finding at or above --fail-on (default: any `error`) that
the baseline does not accept, or a failed resolution, 2 a usage error, a bad
configuration or baseline file, or an internal failure. It is the only module
that prints. Bad input never produces a traceback: one line on stderr naming
the file and the problem. Command-line flags override the configuration file.
"""

from __future__ import annotations

import argparse
import gc
import json
import os
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import NoReturn

from graphesm import __version__
from graphesm import baseline as baseline_file
from graphesm.config import (
    CONFIG_NAME,
    Config,
    ConfigError,
    FailOn,
    apply_severities,
    failing,
    parse_config,
    parse_fail_on,
)
from graphesm.globs import GlobError, compile_glob
from graphesm.model import ScanResult
from graphesm.pipeline import ScanError, scan
from graphesm.report import json as json_report
from graphesm.report import text as text_report
from graphesm.resolve import Resolver, to_url
from graphesm.resolve.errors import ResolveError

FORMATS = ("dot", "github", "json", "sarif", "text")


def _render(fmt: str, result: ScanResult) -> str:
    """`result` rendered by the reporter for `fmt`. The reporters a plain scan
    does not use are imported when asked for: start-up time counts on every run."""
    if fmt == "text":
        return text_report.render(result)
    if fmt == "json":
        return json_report.render(result)
    if fmt == "dot":
        from graphesm.report import dot

        return dot.render(result)
    if fmt == "sarif":
        from graphesm.report import sarif

        return sarif.render(result)
    from graphesm.report import github

    return github.render(result)


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
    scan_p.add_argument("--sarif", metavar="FILE", help="write a SARIF 2.1.0 log ('-' for stdout)")
    scan_p.add_argument(
        "--format", choices=FORMATS, default="text",
        help="what to print on stdout (github: GitHub Actions annotations)",
    )  # fmt: skip
    scan_p.add_argument(
        "--fail-on", metavar="RULE|SEVERITY,...", default=None,
        help="exit 1 when a finding matches (default: error; 'none' never fails)",
    )  # fmt: skip
    scan_p.add_argument(
        "--config", metavar="FILE",
        help=f"configuration file (default: {CONFIG_NAME} at the scan root, if present)",
    )  # fmt: skip
    scan_p.add_argument(
        "--no-config", action="store_true", help=f"ignore {CONFIG_NAME} at the scan root"
    )
    scan_p.add_argument(
        "--baseline", metavar="FILE", help="accept the findings recorded in FILE; fail on new ones"
    )
    scan_p.add_argument(
        "--write-baseline", metavar="FILE",
        help="record today's findings in FILE (they are accepted: exit 0)",
    )  # fmt: skip
    scan_p.add_argument(
        "--include", action="append", default=None, metavar="GLOB",
        help="scan only walked files matching GLOB (repeatable)",
    )  # fmt: skip
    scan_p.add_argument(
        "--exclude", action="append", default=None, metavar="GLOB",
        help="skip walked files matching GLOB (repeatable)",
    )  # fmt: skip
    scan_p.add_argument("--preserve-symlinks", action="store_true")
    scan_p.add_argument(
        "--jobs", "-j", type=int, metavar="N", help="parallel scan processes (default: all cores)"
    )
    scan_p.add_argument(
        "--all-cycles",
        action="store_true",
        help="list every elementary cycle of each component (bounded) in the cycle findings",
    )
    scan_p.add_argument(
        "--no-cache", action="store_true", help="parse every file (no persistent scan cache)"
    )
    scan_p.add_argument(
        "--cache-dir", metavar="DIR",
        help="scan cache folder (default: node_modules/.cache/graphesm, else the user cache)",
    )  # fmt: skip
    scan_p.add_argument(
        "--watch", action="store_true", help="scan again and re-print whenever files change"
    )

    res_p = sub.add_parser("resolve", help="resolve one specifier exactly as Node would")
    res_p.add_argument("specifier")
    res_p.add_argument("--from", dest="parent", required=True, metavar="FILE_OR_URL")
    res_p.add_argument("--conditions", "-C", metavar="NAME,...", help="add user conditions")
    res_p.add_argument("--preserve-symlinks", action="store_true")
    res_p.add_argument("--json", action="store_true", help="print a JSON object")
    return parser


def _write(target: str, content: str | bytes) -> None:
    data = content.encode("utf-8") if isinstance(content, str) else content
    if target == "-":
        buffer = getattr(sys.stdout, "buffer", None)
        if buffer is None:  # a text-only stream (an embedding program's)
            sys.stdout.write(data.decode("utf-8", "surrogateescape"))
            return
        sys.stdout.flush()
        buffer.write(data)
        buffer.flush()
        return
    try:
        Path(target).write_bytes(data)
    except OSError as error:
        raise UsageError(f"{target}: cannot write: {error.strerror}") from None


def _read(path: str, what: str) -> str:
    try:
        return Path(path).read_text(encoding="utf-8")
    except FileNotFoundError:
        raise UsageError(f"{path}: {what} not found") from None
    except (OSError, UnicodeDecodeError) as error:
        reason = error.strerror if isinstance(error, OSError) else "not UTF-8 text"
        raise UsageError(f"{path}: cannot read {what}: {reason}") from None


def _scan_root(paths: Sequence[str]) -> str:
    """The folder the scan is rooted at (where graphesm.toml is looked up)."""
    folders = [
        os.path.abspath(p) if os.path.isdir(p) else os.path.dirname(os.path.abspath(p))
        for p in paths or ["."]
    ]
    return os.path.commonpath(folders)


def _config(args: argparse.Namespace) -> Config:
    if args.config:
        name = args.config
    elif args.no_config:
        return Config()
    else:
        name = os.path.join(_scan_root(args.paths), CONFIG_NAME)
        if not os.path.isfile(name):
            return Config()
    try:
        return parse_config(_read(name, "configuration file"), name)
    except ConfigError as error:
        raise UsageError(str(error)) from None


def _globs(flag: str, values: list[str] | None) -> tuple[str, ...] | None:
    if values is None:
        return None
    for pattern in values:
        try:
            compile_glob(pattern)
        except GlobError as error:
            raise UsageError(f"{flag}: {error}") from None
    return tuple(values)


def _policy(args: argparse.Namespace, config: Config) -> FailOn:
    if args.fail_on is not None:
        try:
            return parse_fail_on(_conditions(args.fail_on) or ["none"])
        except ValueError as error:
            raise UsageError(f"--fail-on: {error}") from None
    return config.fail_on or parse_fail_on(["error"])


def _load_baseline(path: str) -> baseline_file.Baseline:
    try:
        return baseline_file.parse(_read(path, "baseline"))
    except baseline_file.BaselineError as error:
        raise UsageError(f"{path}: bad baseline: {error}") from None


def _run_watch(args: argparse.Namespace) -> int:
    """`scan --watch`: a full scan and report per change batch, until Ctrl-C."""
    from graphesm.watch import watch  # watchfiles: only for --watch

    code = 0
    ignore = [args.cache_dir] if args.cache_dir else []
    try:
        for outcome in watch(args.paths, lambda: _run_scan(args), ignore=ignore):
            code = outcome
            sys.stdout.flush()
            sys.stderr.write("graphesm: watching for changes (Ctrl-C to stop)\n")
    except KeyboardInterrupt:
        pass
    return code


def _run_scan(args: argparse.Namespace) -> int:
    config = _config(args)
    policy = _policy(args, config)
    include = _globs("--include", args.include)
    exclude = _globs("--exclude", args.exclude)
    stdout_targets = [flag for flag in ("json", "dot", "sarif") if getattr(args, flag) == "-"]
    if len(stdout_targets) > 1:
        shown = " and ".join(f"--{flag} -" for flag in stdout_targets)
        raise UsageError(f"{shown} cannot all write to stdout")
    if args.jobs is not None and args.jobs < 1:
        raise UsageError(f"--jobs: expected a positive number of processes, got {args.jobs}")
    baseline_path: str | None = args.baseline or config.baseline
    accepted = _load_baseline(baseline_path) if baseline_path else None
    conditions = _conditions(args.conditions)
    progress = None
    if sys.stderr.isatty():
        progress = _progress_bar()
    try:
        result = scan(
            args.paths,
            entries=args.entry or list(config.entries or ()),
            conditions=conditions if args.conditions else list(config.conditions or ()),
            preserve_symlinks=args.preserve_symlinks,
            progress=progress,
            include=include if include is not None else (config.include or ()),
            exclude=exclude if exclude is not None else (config.exclude or ()),
            cache=False if args.no_cache else args.cache_dir,
            jobs=args.jobs,
            all_cycles=args.all_cycles,
        )
    except ScanError as error:
        raise UsageError(str(error)) from None
    result = apply_severities(result, config.severities)
    if args.write_baseline:
        _write(args.write_baseline, baseline_file.render(result))
        sys.stderr.write(
            f"graphesm: {args.write_baseline}: recorded {len(result.findings)} finding(s)\n"
        )
    elif accepted is not None and baseline_path is not None:
        outcome = baseline_file.apply(result, accepted)
        result = outcome.result
        _report_baseline(baseline_path, outcome)
    if args.json:
        _write(args.json, json_report.render_bytes(result))
    if args.dot:
        _write(args.dot, _render("dot", result))
    if args.sarif:
        _write(args.sarif, _render("sarif", result))
    if not stdout_targets:
        sys.stdout.write(_render(args.format, result))
    if args.write_baseline:
        return 0  # the findings just recorded are accepted
    return 1 if failing(result, policy) else 0


def _report_baseline(path: str, outcome: baseline_file.Outcome) -> None:
    sys.stderr.write(
        f"graphesm: {path}: {outcome.suppressed} finding(s) suppressed by the baseline\n"
    )
    if outcome.stale:
        sys.stderr.write(
            f"graphesm: {path}: {len(outcome.stale)} baseline entr"
            f"{'y no longer occurs' if len(outcome.stale) == 1 else 'ies no longer occur'} "
            "(update it with --write-baseline):\n"
        )
        for entry in outcome.stale:
            sys.stderr.write(f"  {entry.path}: {entry.rule}: {entry.message}\n")


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
        if args.watch:
            return _run_watch(args)
        # One scan, then exit: the records it makes hold no reference cycles,
        # so the cyclic collector's passes over them are pure cost.
        gc.disable()
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


def entry() -> NoReturn:
    """The `graphesm` console script: main(), then exit at once. A scan leaves
    millions of records behind; freeing them one by one at interpreter exit
    would cost a tenth of a second for nothing (every file is closed and the
    cache committed by then, and the output is flushed here)."""
    code = main()
    try:
        sys.stdout.flush()
        sys.stderr.flush()
    except (OSError, ValueError):  # a closed pipe or stream: nothing left to say
        code = code or 1
    os._exit(code)


if __name__ == "__main__":
    entry()
