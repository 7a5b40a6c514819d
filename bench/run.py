"""graphesm against the tools users would pick instead, on the same corpora, in one run.

    python3 bench/run.py                      # everything, 3 runs each
    python3 bench/run.py --runs 1 --corpora three,date-fns,synth10k --timeout 120

Steps (each skipped when already done): `npm ci` of bench/package.json into
bench/.peers/ (dependency-cruiser, madge, dpdm, skott, esbuild, es-module-lexer);
`npm ci` of bench/corpora/package.json into bench/.corpora/npm/ and copies of
three/src, lodash-es, rxjs/dist/esm and date-fns (ESM .js files) into
bench/.corpora/<name>/; bench/synth.py for synth10k and synth50k. Then every
tool runs on every corpus (min and median of --runs runs, a per-run
--timeout), its graph is parsed into (from, to) file edges relative to the
corpus root and compared with graphesm's, and bench/results.md is written.
See bench/README.md for the columns and caveats.
"""

from __future__ import annotations

import argparse
import contextlib
import datetime
import json
import os
import platform
import posixpath
import re
import shutil
import signal
import statistics
import subprocess
import sys
import sysconfig
import tempfile
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import unquote, urlsplit

BENCH = Path(__file__).resolve().parent
PEERS = BENCH / ".peers"
CORPORA = BENCH / ".corpora"
BIN = PEERS / "node_modules" / ".bin"
SYNTH_SEED = 1
CORPUS_RECIPE = "recipe 2\n"  # bump when setup_corpus copies the real packages differently
REAL = ("three", "lodash-es", "rxjs", "date-fns")
SYNTH = {"synth10k": 10_000, "synth50k": 50_000}
JS_EXT = (".js", ".mjs", ".cjs", ".jsx")
TIME = "/usr/bin/time" if os.access("/usr/bin/time", os.X_OK) else None  # GNU time, for peak RSS


def graphesm_script() -> str | None:
    """The graphesm console script of the Python running this bench (what a
    venv's bin/ holds), else the one on PATH. A version manager's shim on PATH
    (pyenv's is a shell script that starts pyenv) would add ~75 ms to every run."""
    own = Path(sysconfig.get_path("scripts")) / "graphesm"
    return str(own) if os.access(own, os.X_OK) else shutil.which("graphesm")


GRAPHESM = graphesm_script()


def compile_graphesm() -> None:
    """Write graphesm's bytecode, as `pip install` does: with PYTHONDONTWRITEBYTECODE
    set (as on these machines) an editable install would compile every module
    from source on every run (~45 ms)."""
    found = subprocess.run(
        [sys.executable, "-c", "import graphesm, os; print(os.path.dirname(graphesm.__file__))"],
        capture_output=True,
        text=True,
    )
    if found.returncode == 0:
        subprocess.run([sys.executable, "-m", "compileall", "-q", found.stdout.strip()])


def log(*a: object) -> None:
    print(*a, file=sys.stderr, flush=True)


# --------------------------------------------------------------------------- setup


def npm_ci(src: Path, dest: Path, *extra: str) -> None:
    """Copy package.json + package-lock.json from src into dest and npm ci there,
    unless dest already holds an install of exactly that lock file."""
    lock = (src / "package-lock.json").read_bytes()
    stamp = dest / "node_modules" / ".bench-lock"
    if stamp.exists() and stamp.read_bytes() == lock:
        return
    dest.mkdir(parents=True, exist_ok=True)
    for name in ("package.json", "package-lock.json"):
        shutil.copyfile(src / name, dest / name)
    log(f"npm ci in {dest.relative_to(BENCH.parent)}")
    subprocess.run(["npm", "ci", "--no-audit", "--no-fund", *extra], cwd=dest, check=True)
    stamp.write_bytes(lock)


def setup_peers() -> None:
    npm_ci(BENCH, PEERS)
    for script in (BENCH / "tools").glob("*.mjs"):  # resolve skott/es-module-lexer from .peers
        shutil.copyfile(script, PEERS / script.name)


def _copy_tree(src: Path, dest: Path, keep: Callable[[str], bool]) -> None:
    for folder, dirs, files in os.walk(src):
        dirs[:] = sorted(d for d in dirs if d != "node_modules" and not d.startswith("."))
        out = dest / Path(folder).relative_to(src)
        for name in files:
            if keep(name):
                out.mkdir(parents=True, exist_ok=True)
                shutil.copyfile(Path(folder) / name, out / name)


def _synth_files(name: str) -> int | None:
    """synth10k -> 10000, synth2000 -> 2000, anything else -> None."""
    m = re.fullmatch(r"synth(\d+)(k?)", name)
    return None if m is None else int(m[1]) * (1000 if m[2] else 1)


def setup_corpus(name: str) -> Path:
    dest = CORPORA / name
    stamp = dest / ".bench-corpus"
    n_files = _synth_files(name)
    if n_files is None and name not in REAL:
        if dest.is_dir():  # a folder someone put there by hand
            return dest
        raise SystemExit(f"unknown corpus {name!r}")
    if n_files is not None:
        want = f"synth.py v{_synth_version()} seed={SYNTH_SEED} files={n_files}"
    else:
        want = CORPUS_RECIPE + (BENCH / "corpora" / "package-lock.json").read_text()
    if stamp.exists() and stamp.read_text() == want:
        return dest
    if dest.exists():
        shutil.rmtree(dest)
    if n_files is not None:
        log(f"generating {name}")
        sys.path.insert(0, str(BENCH))
        import synth

        synth.generate(dest, n_files, SYNTH_SEED)
    else:
        npm_ci(BENCH / "corpora", CORPORA / "npm", "--ignore-scripts")
        nm = CORPORA / "npm" / "node_modules"
        js = lambda n: n.endswith(JS_EXT)  # noqa: E731
        if name == "three":
            _copy_tree(nm / "three" / "src", dest, js)
        elif name == "lodash-es":
            _copy_tree(nm / "lodash-es", dest, js)
        elif name == "rxjs":
            _copy_tree(nm / "rxjs" / "dist" / "esm", dest, js)
        elif name == "date-fns":
            _copy_tree(nm / "date-fns", dest, lambda n: n.endswith(".js"))
            # a test helper shipped by mistake: it imports ./test/vitest and
            # ./test/sinon, which are not in the package, and esbuild then
            # refuses to build at all
            (dest / "_lib" / "test.js").unlink(missing_ok=True)
        # all four are ES modules; rxjs/dist/esm is one only for bundlers (no
        # "type": "module" above it), so the copy declares it.
        (dest / "package.json").write_text(
            json.dumps({"name": f"bench-{name}", "private": True, "type": "module"}) + "\n"
        )
    stamp.write_text(want)
    return dest


def _synth_version() -> int:
    sys.path.insert(0, str(BENCH))
    import synth

    return synth.GENERATOR_VERSION


# --------------------------------------------------------------------------- running


@dataclass
class Run:
    seconds: float | None  # None: timeout
    rss_mb: float  # peak RSS of the largest single process (wait4 ru_maxrss)
    tree_mb: float  # peak of the summed RSS of the process tree (sampled)
    rc: int | None
    stderr: str = ""


def _tree_rss_kb(pid: int) -> int:
    total, todo = 0, [pid]
    while todo:
        p = todo.pop()
        try:
            with open(f"/proc/{p}/status") as f:
                for line in f:
                    if line.startswith("VmRSS:"):
                        total += int(line.split()[1])
                        break
            for task in os.listdir(f"/proc/{p}/task"):
                with open(f"/proc/{p}/task/{task}/children") as f:
                    todo.extend(int(c) for c in f.read().split())
        except (OSError, ValueError):
            pass
    return total


def run_once(argv: list[str], cwd: Path, timeout: float, stdout: Path | None = None) -> Run:
    out = open(stdout, "wb") if stdout else subprocess.DEVNULL
    err = tempfile.TemporaryFile()
    # GNU time reports the child's ru_maxrss from a tiny parent: a child forked
    # straight from this (large) Python process would start with our RSS.
    rss_file = tempfile.NamedTemporaryFile(prefix="graphesm-bench-rss-", delete=False)
    rss_file.close()
    if TIME:
        argv = [TIME, "-f", "%M", "-o", rss_file.name, *argv]
    t0 = time.perf_counter()
    proc = subprocess.Popen(argv, cwd=cwd, stdout=out, stderr=err, start_new_session=True)
    done: dict[str, object] = {}

    def reap() -> None:
        _, status, usage = os.wait4(proc.pid, 0)
        done["t"] = time.perf_counter()
        done["status"], done["usage"] = status, usage

    waiter = threading.Thread(target=reap, daemon=True)
    waiter.start()
    peak_tree = 0
    timed_out = False
    while waiter.is_alive():
        if time.perf_counter() - t0 > timeout:
            timed_out = True
            with contextlib.suppress(ProcessLookupError):
                os.killpg(proc.pid, signal.SIGKILL)
            waiter.join()
            break
        peak_tree = max(peak_tree, _tree_rss_kb(proc.pid))
        waiter.join(0.1)
    proc.returncode = -1  # reaped by wait4 above; keep Popen from waiting again
    if stdout:
        out.close()  # type: ignore[union-attr]
    err.seek(0)
    stderr = err.read().decode(errors="replace")[-2000:]
    err.close()
    usage = done["usage"]
    rss = usage.ru_maxrss / 1024  # type: ignore[attr-defined]
    with contextlib.suppress(OSError, ValueError, IndexError):
        rss = int(Path(rss_file.name).read_text().split()[-1]) / 1024
    os.unlink(rss_file.name)
    if timed_out:
        return Run(None, rss, peak_tree / 1024, None, stderr)
    status = done["status"]
    rc = os.waitstatus_to_exitcode(status)  # type: ignore[arg-type]
    return Run(done["t"] - t0, rss, max(peak_tree / 1024, rss), rc, stderr)  # type: ignore[operator]


# --------------------------------------------------------------------------- graphs


@dataclass
class Graph:
    modules: set[str] = field(default_factory=set)
    edges: set[tuple[str, str]] = field(default_factory=set)
    note: str = ""


def _local(path: str | None) -> str | None:
    """A tool's module id -> root-relative POSIX path without ?query/#fragment,
    or None for anything outside the corpus (packages, builtins, unresolved)."""
    if not path:
        return None
    path = path.split("?", 1)[0].split("#", 1)[0]
    if path.startswith(("node:", "(disabled)")) or "node_modules/" in path:
        return None
    path = posixpath.normpath(path.replace(os.sep, "/"))
    if path.startswith("../") or path == ".." or path.startswith("/"):
        return None
    return path


def _from_adjacency(adj: dict[str, list[str]]) -> Graph:
    g = Graph()
    for src, deps in adj.items():
        s = _local(src)
        if s is None:
            continue
        g.modules.add(s)
        for d in deps:
            t = _local(d)
            if t is not None:
                g.modules.add(t)
                g.edges.add((s, t))
    return g


def _url_path(url: str | None, root: str) -> str | None:
    if not url or not url.startswith("file:"):
        return None
    path = unquote(urlsplit(url).path)
    if not path.startswith(root):
        return None
    return _local(path[len(root) :])


@dataclass
class Detail:
    """graphesm's own records, used to explain where a peer differs."""

    edge_kinds: dict[tuple[str, str], set[str]] = field(default_factory=dict)
    unresolved: dict[str, list[tuple[str, str]]] = field(
        default_factory=dict
    )  # from -> [(spec, code)]


def parse_graphesm(out: Path, root: Path) -> tuple[Graph, Detail]:
    doc = json.loads(out.read_text())
    r = str(root.resolve()) + "/"
    g, d = Graph(), Detail()
    for m in doc["modules"]:
        p = _url_path(m["url"], r)
        if p is not None:
            g.modules.add(p)
    for imp in doc["imports"]:
        s = _url_path(imp["from"], r)
        if s is None:
            continue
        if imp["error"]:
            d.unresolved.setdefault(s, []).append((imp["specifier"] or "", imp["error"]["code"]))
            continue
        t = _url_path(imp["to"], r)
        if t is None:
            continue
        g.edges.add((s, t))
        tags = d.edge_kinds.setdefault((s, t), set())
        tags.add(imp["kind"])
        if "?" in (imp["to"] or "") or "#" in (imp["to"] or ""):
            tags.add("query")
        if t.endswith(".json"):
            tags.add("json")
    return g, d


def parse_madge(out: Path, root: Path) -> Graph:
    return _from_adjacency(json.loads(out.read_text()))


def parse_depcruise(out: Path, root: Path) -> Graph:
    doc = json.loads(out.read_text())
    g = Graph()
    for m in doc["modules"]:
        if m.get("coreModule") or m.get("couldNotResolve"):
            continue
        s = _local(m["source"])
        if s is None:
            continue
        g.modules.add(s)
        for dep in m.get("dependencies", []):
            if dep.get("coreModule") or dep.get("couldNotResolve"):
                continue
            t = _local(dep.get("resolved"))
            if t is not None:
                g.edges.add((s, t))
    return g


def parse_dpdm(out: Path, root: Path) -> Graph:
    tree = json.loads(out.read_text())["tree"]
    return _from_adjacency(
        {
            src: [d["id"] for d in deps if d.get("id")]
            for src, deps in tree.items()
            if deps is not None
        }
        | {src: [] for src, deps in tree.items() if deps is None}
    )


def parse_skott(out: Path, root: Path) -> Graph:
    return _from_adjacency(json.loads(out.read_text())["graph"])


def parse_esbuild(out: Path, root: Path) -> Graph:
    inputs = json.loads(out.read_text())["inputs"]
    return _from_adjacency(
        {
            src: [i["path"] for i in v.get("imports", []) if not i.get("external")]
            for src, v in inputs.items()
        }
    )


# --------------------------------------------------------------------------- tools


@dataclass
class Tool:
    name: str
    argv: Callable[[Path, Path], list[str]]  # (corpus root, output file) -> argv
    parse: Callable[[Path, Path], Graph] | None
    stdout_is_output: bool = False
    what: str = ""


def peer_tools() -> list[Tool]:
    b = lambda n: str(BIN / n)  # noqa: E731
    return [
        Tool(
            "madge",
            lambda r, o: [
                b("madge"),
                "--json",
                "--no-spinner",
                "--extensions",
                "js,mjs,cjs,jsx",
                ".",
            ],
            parse_madge,
            True,
            "madge --json --no-spinner --extensions js,mjs,cjs,jsx .",
        ),
        Tool(
            "depcruise",
            lambda r, o: [b("depcruise"), "--no-config", "--output-type", "json", "."],
            parse_depcruise,
            True,
            "depcruise --no-config --output-type json .",
        ),
        Tool(
            "depcruise+cycles",
            lambda r, o: [
                b("depcruise"),
                "--config",
                str(BENCH / "depcruise-cycles.cjs"),
                "--output-type",
                "json",
                ".",
            ],
            parse_depcruise,
            True,
            "depcruise --config bench/depcruise-cycles.cjs --output-type json . (the no-circular rule of `depcruise --init`)",
        ),
        Tool(
            "dpdm",
            lambda r, o: [
                b("dpdm"),
                "--no-tree",
                "--no-warning",
                "--output",
                str(o),
                "./**/*.{js,mjs,cjs,jsx}",
            ],
            parse_dpdm,
            False,
            "dpdm --no-tree --no-warning --output OUT './**/*.{js,mjs,cjs,jsx}' (circular detection on, its default)",
        ),
        Tool(
            "skott",
            lambda r, o: ["node", str(PEERS / "skott_graph.mjs"), ".", str(o)],
            parse_skott,
            False,
            "skott JavaScript API (bench/tools/skott_graph.mjs): getStructure().graph, incremental off",
        ),
        Tool(
            "skott+cycles",
            lambda r, o: ["node", str(PEERS / "skott_graph.mjs"), ".", str(o), "--cycles"],
            parse_skott,
            False,
            "the same plus useGraph().findCircularDependencies() (= skott --showCircularDependencies)",
        ),
        Tool(
            "esbuild",
            lambda r, o: [
                b("esbuild"),
                "--bundle",
                "--splitting",
                f"--metafile={o}",
                "--platform=node",
                "--format=esm",
                f"--outdir={o}.out",
                "--packages=external",
                "--log-level=error",
                "./**/*.js",
            ],
            parse_esbuild,
            False,
            "esbuild './**/*.js' --bundle --splitting --metafile=OUT --platform=node --format=esm --outdir=DIR --packages=external",
        ),
    ]


def graphesm_help() -> str:
    assert GRAPHESM is not None
    return subprocess.run([GRAPHESM, "scan", "--help"], capture_output=True, text=True).stdout


# --------------------------------------------------------------------------- measuring


@dataclass
class Row:
    corpus: str
    tool: str
    runs: list[Run]
    graph: Graph | None = None
    error: str = ""

    @property
    def times(self) -> list[float]:
        return [r.seconds for r in self.runs if r.seconds is not None]

    @property
    def timed_out(self) -> bool:
        return any(r.seconds is None for r in self.runs)


def measure(
    tool: str,
    argv_for: Callable[[Path], list[str]],
    root: Path,
    n: int,
    timeout: float,
    parse: Callable[[Path, Path], Graph] | None,
    stdout_is_output: bool,
    work: Path,
    before: Callable[[int], None] | None = None,
) -> Row:
    runs: list[Run] = []
    out = work / f"{tool}.out"
    for i in range(n):
        for stale in (out, Path(f"{out}.out")):
            if stale.is_dir():
                shutil.rmtree(stale)
            elif stale.exists():
                stale.unlink()
        if before:
            before(i)
        run = run_once(argv_for(out), root, timeout, out if stdout_is_output else None)
        runs.append(run)
        state = "timeout" if run.seconds is None else f"{run.seconds:.2f}s rc={run.rc}"
        log(f"  {root.name:10} {tool:18} run {i + 1}/{n}: {state}, {run.rss_mb:.0f} MB")
        if run.seconds is None:
            break  # one timeout is enough: do not burn N x timeout
    row = Row(root.name, tool, runs)
    last = runs[-1]
    if last.seconds is None:
        row.error = "timeout"
    elif parse is not None:
        try:
            row.graph = parse(out, root)
        except (OSError, ValueError, KeyError, TypeError) as exc:
            row.error = f"rc={last.rc}, no graph ({type(exc).__name__}: {exc}); stderr: {last.stderr.strip()[-300:]}"
    return row


def bench_corpus(
    root: Path, args: argparse.Namespace, help_text: str
) -> tuple[list[Row], Detail | None, dict]:
    rows: list[Row] = []
    work = Path(tempfile.mkdtemp(prefix=f"graphesm-bench-{root.name}-"))
    n, timeout = args.runs, args.timeout
    has_cache_dir = "--cache-dir" in help_text
    has_no_cache = "--no-cache" in help_text
    extra = [f"--jobs={args.jobs}"] if args.jobs and "--jobs" in help_text else []
    assert GRAPHESM is not None
    base = [GRAPHESM, "scan", ".", "--fail-on", "none", *extra]
    detail = None
    floor_info: dict = {}
    try:
        # the floor: read + lex with es-module-lexer
        if "floor" in args.tools:
            row = measure(
                "floor (read+lex)",
                lambda o: ["node", str(PEERS / "floor.mjs"), "."],
                root,
                n,
                timeout,
                None,
                True,
                work,
            )
            with contextlib.suppress(OSError, ValueError):
                floor_info = json.loads((work / "floor (read+lex).out").read_text())
            rows.append(row)
        # graphesm cold
        cache = work / "cache"

        def cold_argv(o: Path) -> list[str]:
            if has_cache_dir:
                shutil.rmtree(cache, ignore_errors=True)
                return [*base, "--cache-dir", str(cache), "--json", str(o)]
            if has_no_cache:
                return [*base, "--no-cache", "--json", str(o)]
            return [*base, "--json", str(o)]

        g_row = measure("graphesm", cold_argv, root, n, timeout, None, False, work)
        if not g_row.error:
            try:
                g_row.graph, detail = parse_graphesm(work / "graphesm.out", root)
            except (OSError, ValueError, KeyError) as exc:
                g_row.error = f"no graph: {exc}; {g_row.runs[-1].stderr[-300:]}"
        rows.append(g_row)
        if has_cache_dir and not g_row.error:
            warm = lambda o: [*base, "--cache-dir", str(cache), "--json", str(o)]  # noqa: E731
            run_once(warm(work / "prime.json"), root, timeout)  # fill the cache
            rows.append(measure("graphesm warm", warm, root, n, timeout, None, False, work))
            victim = sorted(p for p in root.rglob("*.js") if "node_modules" not in p.parts)[0]
            original = victim.read_bytes()

            def touch(i: int) -> None:
                victim.write_bytes(original + f"\n// bench edit {time.time_ns()}\n".encode())

            try:
                rows.append(
                    measure(
                        "graphesm 1 changed",
                        warm,
                        root,
                        n,
                        timeout,
                        None,
                        False,
                        work,
                        before=touch,
                    )
                )
            finally:
                victim.write_bytes(original)
        for tool in peer_tools():
            if tool.name not in args.tools:
                continue
            rows.append(
                measure(
                    tool.name,
                    lambda o, t=tool: t.argv(root, o),
                    root,
                    n,
                    timeout,
                    tool.parse,
                    tool.stdout_is_output,
                    work,
                )
            )
        if args.pairs and has_cache_dir and not g_row.error:
            floor_info["ratios"] = paired_ratios(args, root, work, cold_argv, warm, peer_rows=rows)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return rows, detail, floor_info


def paired_ratios(
    args: argparse.Namespace,
    root: Path,
    work: Path,
    cold: Callable[[Path], list[str]],
    warm: Callable[[Path], list[str]],
    peer_rows: list[Row],
) -> dict[str, list[float]]:
    """The target ratios from interleaved runs: warm ÷ floor, 1 changed ÷ warm,
    and cold ÷ the fastest peer that finished."""
    k, timeout = args.pairs, args.timeout
    out = work / "pair.json"
    ratios: dict[str, list[float]] = {}
    if "floor" in args.tools:
        floor = ["node", str(PEERS / "floor.mjs"), "."]
        ratios["warm ÷ floor"] = interleaved(
            "warm ÷ floor", lambda: warm(out), lambda: floor, root, k, timeout
        )
    victim = sorted(p for p in root.rglob("*.js") if "node_modules" not in p.parts)[0]
    original = victim.read_bytes()
    try:
        ratios["1 changed ÷ warm"] = interleaved(
            "warm ÷ 1 changed",
            lambda: warm(out),
            lambda: warm(out),
            root,
            k,
            timeout,
            # the edit lands before the second run of each pair; the first,
            # run with the previous edit already cached, is the warm one
            before_b=lambda: victim.write_bytes(original + f"\n// {time.time_ns()}\n".encode()),
        )
    finally:
        victim.write_bytes(original)
    ratios["1 changed ÷ warm"] = [1 / r for r in ratios["1 changed ÷ warm"] if r]
    peers = {t.name for t in peer_tools()}
    finished = [r for r in peer_rows if r.tool in peers and r.times and not r.timed_out]
    if finished:
        fastest = min(finished, key=lambda r: min(r.times))
        tool = next(t for t in peer_tools() if t.name == fastest.tool)
        peer_out = work / "peer.out"

        def clean_peer() -> None:  # as in measure(): each run writes its output afresh
            for stale in (peer_out, Path(f"{peer_out}.out")):
                if stale.is_dir():
                    shutil.rmtree(stale)
                elif stale.exists():
                    stale.unlink()

        ratios[f"cold ÷ {tool.name}"] = interleaved(
            f"cold ÷ {tool.name}",
            lambda: cold(out),
            lambda: tool.argv(root, peer_out),
            root,
            k,
            timeout,
            before_b=clean_peer,
        )
    return ratios


def interleaved(
    label: str,
    a: Callable[[], list[str]],
    b: Callable[[], list[str]],
    root: Path,
    rounds: int,
    timeout: float,
    before_b: Callable[[], object] | None = None,
) -> list[float]:
    """A ÷ B per round, the two run in turn (A B A B ...): on a machine whose
    speed drifts, a ratio of neighbouring runs holds where separate blocks of
    runs do not."""
    ratios: list[float] = []
    for i in range(rounds):
        first = run_once(a(), root, timeout)
        if before_b:
            before_b()
        second = run_once(b(), root, timeout)
        if first.seconds is None or second.seconds is None or not second.seconds:
            log(f"  {root.name:10} {label}: round {i + 1} timed out")
            return ratios
        ratios.append(first.seconds / second.seconds)
        log(f"  {root.name:10} {label}: round {i + 1}/{rounds}: {ratios[-1]:.2f}")
    return ratios


# --------------------------------------------------------------------------- report


def _explain(tool: Graph, ref: Graph, detail: Detail | None) -> list[str]:
    """Categorised differences of a peer's graph from graphesm's."""
    lines: list[str] = []
    missing = ref.edges - tool.edges
    extra = tool.edges - ref.edges
    if detail is not None and missing:
        cats: dict[str, list[tuple[str, str]]] = {}
        for e in sorted(missing):
            kinds = detail.edge_kinds.get(e, set())
            for key in (
                "query",
                "json",
                "dynamic",
                "export-from",
                "side-effect",
                "static",
                "require",
            ):
                if key in kinds:
                    break
            else:
                key = "other"
            cats.setdefault(key, []).append(e)
        for key, es in sorted(cats.items(), key=lambda kv: -len(kv[1])):
            lines.append(
                f"missing {len(es)} edge(s) that graphesm found, kind {key}; e.g. {es[0][0]} -> {es[0][1]}"
            )
    if extra:
        cats = {}
        for s, t in sorted(extra):
            key = "other"
            for spec, code in detail.unresolved.get(s, []) if detail else []:
                if spec.startswith("."):
                    base = posixpath.normpath(posixpath.join(posixpath.dirname(s), spec))
                    if t in (base + ".js", base + "/index.js", base + ".mjs", base + ".cjs", base):
                        key = f"Node throws {code} for this specifier (bundler-style resolution: extension or index.js added)"
                        break
                elif not spec.startswith("/"):
                    key = f"bare specifier, Node: {code}"
            cats.setdefault(key, []).append((s, t))
        for key, es in sorted(cats.items(), key=lambda kv: -len(kv[1])):
            lines.append(f"extra {len(es)} edge(s): {key}; e.g. {es[0][0]} -> {es[0][1]}")
    if missing:
        has_out = {s for s, _ in tool.edges}
        lost = {s for s, _ in missing if s not in has_out}
        if lost:
            lines.append(
                f"{len(lost)} file(s) have no outgoing edge at all in this tool's graph but do in graphesm's "
                f"(the tool skipped or could not parse them); e.g. {sorted(lost)[0]}"
            )
    miss_m = ref.modules - tool.modules
    extra_m = tool.modules - ref.modules
    if miss_m:
        json_n = sum(1 for m in miss_m if m.endswith(".json"))
        lines.append(f"missing {len(miss_m)} module(s) ({json_n} .json); e.g. {sorted(miss_m)[0]}")
    if extra_m:
        lines.append(f"extra {len(extra_m)} module(s); e.g. {sorted(extra_m)[0]}")
    return lines


def _fmt(x: float | None, digits: int = 2) -> str:
    return "—" if x is None else f"{x:.{digits}f}"


def _machine() -> str:
    cpu = "?"
    try:
        for line in open("/proc/cpuinfo"):
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    node = subprocess.run(["node", "--version"], capture_output=True, text=True).stdout.strip()
    gv = subprocess.run([GRAPHESM or "graphesm", "--version"], capture_output=True, text=True)
    return (
        f"{datetime.datetime.now().astimezone():%Y-%m-%d %H:%M %Z}; nproc {os.cpu_count()} "
        f"({len(os.sched_getaffinity(0))} usable); CPU {cpu}; "
        f"RAM {os.sysconf('SC_PAGE_SIZE') * os.sysconf('SC_PHYS_PAGES') / 2**30:.1f} GiB; "
        f"Python {platform.python_version()}; Node {node}; "
        f"{(gv.stdout or gv.stderr).strip() or 'graphesm ?'} (git {_git_rev()})"
    )


def _git_rev() -> str:
    r = subprocess.run(
        ["git", "rev-parse", "--short", "HEAD"], cwd=BENCH, capture_output=True, text=True
    )
    dirty = subprocess.run(
        ["git", "status", "--porcelain", "--", "graphesm"],
        cwd=BENCH.parent,
        capture_output=True,
        text=True,
    ).stdout.strip()
    return r.stdout.strip() + ("+uncommitted changes" if dirty else "")


def ratio_lines(all_rows: list[tuple[Path, list[Row], Detail | None, dict]]) -> list[str]:
    """The interleaved target ratios (paired_ratios) as a Markdown table."""
    lines = [
        "## Target ratios from interleaved runs",
        "",
        "Each ratio is taken between two neighbouring runs (A B A B ...), so a drift "
        "in the machine's speed cancels out; median, min and max over the pairs.",
        "",
        "| corpus | ratio | pairs | median | min | max |",
        "|---|---|---:|---:|---:|---:|",
    ]
    found = False
    for root, _, _, info in all_rows:
        for label, ratios in info.get("ratios", {}).items():
            if ratios:
                found = True
                lines.append(
                    f"| {root.name} | {label} | {len(ratios)} | {statistics.median(ratios):.2f} "
                    f"| {min(ratios):.2f} | {max(ratios):.2f} |"
                )
    return [*lines, ""] if found else []


def write_results(
    all_rows: list[tuple[Path, list[Row], Detail | None, dict]], args: argparse.Namespace
) -> str:
    peers = json.loads((BENCH / "package.json").read_text())["dependencies"]
    md = [
        "# graphesm benchmark results",
        "",
        f"Machine: {_machine()}.",
        "",
        f"Command: `python3 bench/run.py {' '.join(args.argv)}` — {args.runs} run(s) per cell, "
        f"timeout {args.timeout:.0f} s per run. Peers: "
        + ", ".join(f"{k} {v}" for k, v in sorted(peers.items()))
        + ".",
        "",
    ]
    if args.note:
        md += [f"**Note:** {args.note}", ""]
    md += [
        "| corpus | files | MB | tool | min s | median s | × graphesm | peak RSS MB (largest process / tree) | modules | edges | same graph as graphesm |",
        "|---|---:|---:|---|---:|---:|---:|---:|---:|---:|---|",
    ]
    notes: list[str] = []
    for root, rows, detail, floor in all_rows:
        ref = next((r for r in rows if r.tool == "graphesm"), None)
        ref_min = min(ref.times) if ref and ref.times else None
        files = floor.get("files", "?")
        mb = f"{floor['bytes'] / 1e6:.1f}" if "bytes" in floor else "?"
        for r in rows:
            t_min = min(r.times) if r.times and not r.error else None
            if r.error == "timeout":
                t_min_s, t_med_s = f"timeout (>{args.timeout:.0f})", "—"
            elif r.error and not r.times:
                t_min_s, t_med_s = "failed", "—"
            else:
                t_min_s, t_med_s = (
                    _fmt(min(r.times) if r.times else None),
                    _fmt(statistics.median(r.times) if r.times else None),
                )
            ratio = (
                _fmt(t_min / ref_min)
                if t_min and ref_min
                else (
                    "≥" + _fmt(args.timeout / ref_min) if r.error == "timeout" and ref_min else "—"
                )
            )
            rss = max((x.rss_mb for x in r.runs), default=0)
            tree = max((x.tree_mb for x in r.runs), default=0)
            g = r.graph
            same = "—"
            if g is not None and ref is not None and ref.graph is not None and r is not ref:
                same = (
                    "yes"
                    if (g.modules == ref.graph.modules and g.edges == ref.graph.edges)
                    else "no (see below)"
                )
                diffs = _explain(g, ref.graph, detail)
                if diffs:
                    notes.append(f"- **{root.name} / {r.tool}**: " + "; ".join(diffs))
            if r.error and r.error != "timeout":
                why = " ".join(r.error.split()).replace("|", "\\|")
                notes.append(f"- **{root.name} / {r.tool}** failed: {why}")
            if r.tool.startswith("graphesm") or r.tool.startswith("floor"):
                mods = (
                    str(len(g.modules))
                    if g
                    else ("—" if r.tool != "floor (read+lex)" else str(files))
                )
            else:
                mods = str(len(g.modules)) if g else "—"
            edges = (
                str(len(g.edges))
                if g
                else (
                    "—" if r.tool != "floor (read+lex)" else f"{floor.get('imports', '?')} imports"
                )
            )
            md.append(
                f"| {root.name} | {files} | {mb} | {r.tool} | {t_min_s} | {t_med_s} | {ratio} | "
                f"{rss:.0f} / {tree:.0f} | {mods} | {edges} | {same} |"
            )
    md += [
        "",
        "modules / edges: files inside the corpus (JS and JSON) and (from, to) file pairs between them, "
        "query strings and fragments stripped, packages, builtins and unresolved imports left out. "
        "× graphesm: this row's min over graphesm's cold min on the same corpus.",
        "",
        *ratio_lines(all_rows),
        "## Where the graphs differ from graphesm's",
        "",
        *(notes or ["- nowhere"]),
        "",
        "## Invocations",
        "",
        "- graphesm: `graphesm scan . --fail-on none --json OUT`, the console script of the Python that runs the bench "
        "(cold: fresh cache dir per run if `--cache-dir` "
        "exists, else `--no-cache` if it exists; warm: the same cache again; 1 changed: one file edited before each run)",
        "- floor (read+lex): `node bench/tools/floor.mjs .` (es-module-lexer over every .js/.mjs/.cjs/.jsx file)",
        *(f"- {t.name}: `{t.what}`" for t in peer_tools()),
        "",
    ]
    text = "\n".join(md)
    return text


def update_readme(results: str) -> None:
    readme = BENCH / "README.md"
    if not readme.exists():
        return
    text = readme.read_text()
    start, end = "<!-- results:start -->", "<!-- results:end -->"
    if start not in text or end not in text:
        return
    body = results.split("\n", 2)[2]  # without the title
    head, rest = text.split(start, 1)
    _, tail = rest.split(end, 1)
    readme.write_text(f"{head}{start}\n{body}\n{end}{tail}")


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument(
        "--runs", type=int, default=3, help="runs per cell (min and median are reported)"
    )
    ap.add_argument(
        "--timeout", type=float, default=600, help="seconds per run before it counts as a timeout"
    )
    ap.add_argument(
        "--corpora",
        default=",".join([*REAL, *SYNTH]),
        help="comma-separated: " + ",".join([*REAL, *SYNTH]),
    )
    all_tools = [
        "floor",
        "madge",
        "depcruise",
        "depcruise+cycles",
        "dpdm",
        "skott",
        "skott+cycles",
        "esbuild",
    ]
    ap.add_argument(
        "--tools",
        default=",".join(all_tools),
        help="comma-separated peers (graphesm always runs): " + ",".join(all_tools),
    )
    ap.add_argument(
        "--jobs", type=int, default=0, help="pass --jobs N to graphesm (0: its default)"
    )
    ap.add_argument(
        "--pairs",
        type=int,
        default=5,
        help="interleaved rounds for the target ratios (warm ÷ floor, 1 changed ÷ warm, "
        "cold ÷ fastest peer); 0 skips them",
    )
    ap.add_argument("--out", type=Path, default=BENCH / "results.md")
    ap.add_argument("--note", default="", help="a caveat written above the table")
    ap.add_argument(
        "--no-readme", action="store_true", help="do not copy the table into bench/README.md"
    )
    args = ap.parse_args(argv)
    args.argv = argv
    args.tools = set(args.tools.split(","))
    if GRAPHESM is None:
        log("graphesm is not installed (pip install -e . first)")
        return 2
    setup_peers()
    compile_graphesm()
    corpora = [setup_corpus(c) for c in args.corpora.split(",") if c]
    help_text = graphesm_help()
    results = []
    for root in corpora:
        log(f"corpus {root.name}")
        results.append((root, *bench_corpus(root, args, help_text)))
    text = write_results(results, args)
    args.out.write_text(text)
    if not args.no_readme and args.out == BENCH / "results.md":
        update_readme(text)
    log(f"wrote {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
