"""The persistent scan cache (graphesm/cache.py) and watch mode (graphesm/watch.py).

A warm run gives byte-identical output and parses nothing; one changed file
is parsed again, alone; the same bytes at another path or under another
format hint are answered for that path and hint; a cache that is garbage,
truncated, foreign, tampered with, in the way (a directory) or shared by two
concurrent runs never changes the answer and never crashes the scan.
"""

from __future__ import annotations

import json
import multiprocessing
import os
import queue
import signal
import sqlite3
import subprocess
import sys
import threading
from pathlib import Path
from typing import Literal

import pytest

from graphesm.cache import DB_NAME, ScanCache, decode, default_directory, encode, retarget
from graphesm.model import FileScan, ImportKind, ImportSite, ParseProblem, ScanResult
from graphesm.pipeline import scan
from graphesm.report.json import render
from graphesm.scan.pool import PARALLEL_THRESHOLD, cache_namespace
from graphesm.watch import watch


def _project(root: Path, files: int = 6) -> Path:
    """A small ESM/CJS project with a package, a cycle, a syntax error and a JSON import."""
    root.mkdir(parents=True, exist_ok=True)
    (root / "package.json").write_text('{"name": "app", "type": "module"}')
    pkg = root / "node_modules" / "dep"
    pkg.mkdir(parents=True)
    (pkg / "package.json").write_text('{"name": "dep", "version": "1.0.0", "main": "main.js"}')
    (pkg / "main.js").write_text("const fs = require('fs');\nmodule.exports = { a: 1 };\n")
    src = root / "src"
    src.mkdir()
    for i in range(files):
        nxt = (i + 1) % files
        (src / f"m{i}.js").write_text(
            f"import {{ x{nxt} }} from './m{nxt}.js';\n"
            f"import dep from 'dep';\n"
            f"export const x{i} = 1;\n"
            f"const later = await import('./m{nxt}.js');\n"
        )
    (src / "legacy.cjs").write_text("const dep = require('dep');\nrequire('./missing.cjs');\n")
    (src / "data.json").write_text('{"a": 1}')
    (src / "attrs.js").write_text("import data from './data.json' with { type: 'json' };\n")
    (src / "broken.js").write_text("import a from './m0.js';\nexport const = ;\n")
    return root


def _scan(root: Path, cache: str | Literal[False], jobs: int | None = None) -> ScanResult:
    return scan([str(root)], cache=cache, jobs=jobs)


def _cache_dir(tmp_path: Path) -> str:
    return str(tmp_path / "cache")


def test_warm_run_is_identical_and_parses_nothing(tmp_path: Path) -> None:
    root = _project(tmp_path / "p")
    cache = _cache_dir(tmp_path)
    uncached = _scan(root, False)
    cold = _scan(root, cache)
    warm = _scan(root, cache)
    assert render(cold) == render(uncached)
    assert render(warm) == render(uncached)
    assert cold.stats["cache_hits"] == 0
    assert cold.stats["parsed"] == uncached.stats["parsed"] > 0
    assert warm.stats["parsed"] == 0
    assert warm.stats["cache_hits"] == cold.stats["parsed"]


def test_warm_run_does_not_call_the_extractor(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = _project(tmp_path / "p")
    cache = _cache_dir(tmp_path)
    _scan(root, cache)
    import graphesm.scan.file as scanner

    calls: list[str] = []
    real = scanner.scan_file

    def counting(path: str, url: str, source: bytes, fmt: str | None) -> FileScan:
        calls.append(path)
        return real(path, url, source, fmt)

    monkeypatch.setattr(scanner, "scan_file", counting)
    _scan(root, cache)
    assert calls == []


def test_one_changed_file_is_parsed_again_alone(tmp_path: Path) -> None:
    root = _project(tmp_path / "p")
    cache = _cache_dir(tmp_path)
    _scan(root, cache)
    changed = root / "src" / "m2.js"
    changed.write_text(changed.read_text() + "import './m4.js';\n")
    result = _scan(root, cache)
    assert result.stats["parsed"] == 1
    assert render(result) == render(_scan(root, False))
    assert any(r.site.specifier == "./m4.js" and r.site.line == 5 for r in result.imports)


def _trust_file_times(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Trust file times at once (no racy window), and list the files read."""
    import graphesm.cache as cache_module
    import graphesm.scan.pool as pool

    monkeypatch.setattr(cache_module, "_RACY_NS", 0)
    reads: list[str] = []
    real = pool._read

    def counting(path: str, url: str, relative: str, fmt: str | None) -> bytes | FileScan:
        reads.append(relative)
        return real(path, url, relative, fmt)

    monkeypatch.setattr(pool, "_read", counting)
    return reads


def test_unchanged_files_are_not_even_read(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    root = _project(tmp_path / "p")
    cache = _cache_dir(tmp_path)
    reads = _trust_file_times(monkeypatch)
    cold = _scan(root, cache)
    assert reads
    reads.clear()
    warm = _scan(root, cache)
    assert reads == []
    assert warm.stats["parsed"] == 0
    assert render(warm) == render(cold)


def test_fresh_files_are_read_until_their_times_can_be_trusted(tmp_path: Path) -> None:
    # Without the monkeypatch, files written a moment ago are inside the racy
    # window: their times are not recorded, so each run hashes their bytes.
    root = _project(tmp_path / "p")
    cache = _cache_dir(tmp_path)
    _scan(root, cache)
    connection = sqlite3.connect(os.path.join(cache, DB_NAME))
    try:
        assert connection.execute("SELECT count(*) FROM files").fetchone() == (0,)
    finally:
        connection.close()


def test_an_edit_that_keeps_size_and_mtime_is_still_seen(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = _project(tmp_path / "p")
    cache = _cache_dir(tmp_path)
    reads = _trust_file_times(monkeypatch)
    _scan(root, cache)
    changed = root / "src" / "m2.js"
    before = changed.stat()
    text = changed.read_text()
    changed.write_text(text.replace("import dep from 'dep';", "import dep from 'xyz';"))
    os.utime(changed, ns=(before.st_atime_ns, before.st_mtime_ns))  # ctime still moves
    assert changed.stat().st_size == before.st_size
    reads.clear()
    result = _scan(root, cache)
    assert set(reads) == {"src/m2.js"}  # hashed, then parsed
    assert result.stats["parsed"] == 1
    assert any(r.site.specifier == "xyz" for r in result.imports)


def test_a_new_package_type_is_a_new_key_for_unchanged_files(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = _project(tmp_path / "p")
    cache = _cache_dir(tmp_path)
    _trust_file_times(monkeypatch)
    _scan(root, cache)
    (root / "package.json").write_text('{"name": "app", "type": "commonjs"}')
    result = _scan(root, cache)
    assert result.stats["parsed"] > 0
    assert render(result) == render(_scan(root, False))


def test_same_bytes_elsewhere_are_retargeted(tmp_path: Path) -> None:
    root = tmp_path / "p"
    (root / "a").mkdir(parents=True)
    (root / "b").mkdir()
    body = "import x from './x.js';\nrequire('./y.cjs');\nimport('z');\n"
    for name in ("a/one.js", "b/two.js", "a/three.mjs", "a/four.cjs"):
        (root / name).write_text(body)
    cache = _cache_dir(tmp_path)
    cold = _scan(root, cache)
    # same bytes under the same format hint: one parse serves both paths
    assert cold.stats["cache_hits"] == 1
    assert render(cold) == render(_scan(root, False))
    for resolution in cold.imports:
        assert resolution.site.file_url.endswith(
            ("/a/one.js", "/b/two.js", "/a/three.mjs", "/a/four.cjs")
        )
    froms = {r.site.file_url.rsplit("/", 1)[1] for r in cold.imports}
    assert froms == {"one.js", "two.js", "three.mjs", "four.cjs"}
    # the format hint is part of the key: .mjs has no require(), .cjs keeps it
    kinds = {
        r.site.file_url.rsplit("/", 1)[1]: {s.site.kind for s in cold.imports if s.site == r.site}
        for r in cold.imports
    }
    assert ImportKind.REQUIRE not in {
        r.site.kind for r in cold.imports if r.site.file_url.endswith(".mjs")
    }
    assert ImportKind.REQUIRE in {
        r.site.kind for r in cold.imports if r.site.file_url.endswith(".cjs")
    }
    assert kinds


def test_entries_follow_through_the_cache(tmp_path: Path) -> None:
    root = _project(tmp_path / "p")
    cache = _cache_dir(tmp_path)
    entry = str(root / "src" / "m0.js")
    cold = scan([str(root)], entries=[entry], cache=cache)
    warm = scan([str(root)], entries=[entry], cache=cache)
    assert render(warm) == render(cold) == render(scan([str(root)], entries=[entry]))
    assert warm.stats["parsed"] == 0


def _assert_correct_despite(root: Path, cache: str) -> None:
    expected = render(_scan(root, False))
    first = _scan(root, cache)
    assert render(first) == expected
    second = _scan(root, cache)
    assert render(second) == expected


@pytest.mark.parametrize(
    "damage",
    ["garbage", "truncated", "empty", "foreign-tables", "wrong-schema", "wrong-columns"],
)
def test_a_damaged_cache_is_ignored_and_rebuilt(tmp_path: Path, damage: str) -> None:
    root = _project(tmp_path / "p")
    cache = _cache_dir(tmp_path)
    _scan(root, cache)
    db = Path(cache) / DB_NAME
    assert db.is_file()
    if damage == "garbage":
        db.write_bytes(os.urandom(3000))
    elif damage == "truncated":
        data = db.read_bytes()
        db.write_bytes(data[: len(data) // 2 + 7])
    elif damage == "empty":
        db.write_bytes(b"")
    else:
        db.unlink()
        with sqlite3.connect(db) as connection:
            if damage == "foreign-tables":
                connection.execute("CREATE TABLE other (x)")
            elif damage == "wrong-schema":
                connection.execute("CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT)")
                connection.execute("CREATE TABLE entries (key BLOB PRIMARY KEY, data BLOB)")
                connection.execute("INSERT INTO meta VALUES ('schema', 'someone-else/9')")
            else:
                connection.execute("CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT)")
                connection.execute("CREATE TABLE entries (k BLOB, v BLOB, extra)")
                connection.execute("INSERT INTO meta VALUES ('schema', 'graphesm-scan-cache/1')")
        connection.close()
    _assert_correct_despite(root, cache)
    # rebuilt: the third run is served from the cache again
    assert _scan(root, cache).stats["parsed"] == 0


def test_tampered_entries_are_misses(tmp_path: Path) -> None:
    root = _project(tmp_path / "p")
    cache = _cache_dir(tmp_path)
    _scan(root, cache)
    with sqlite3.connect(Path(cache) / DB_NAME) as connection:
        rows = connection.execute("SELECT key, data FROM entries").fetchall()
        for number, (key, data) in enumerate(rows):
            flipped = data[:-3] + bytes([data[-3] ^ 0x01]) + data[-2:]
            damaged = b"\x00" if number == 0 else flipped
            connection.execute("UPDATE entries SET data = ? WHERE key = ?", (damaged, key))
    connection.close()
    result = _scan(root, cache)
    assert render(result) == render(_scan(root, False))
    assert result.stats["cache_hits"] == 0


def test_a_directory_where_the_database_should_be(tmp_path: Path) -> None:
    root = _project(tmp_path / "p")
    cache = _cache_dir(tmp_path)
    (Path(cache) / DB_NAME / "inside").mkdir(parents=True)
    _assert_correct_despite(root, cache)
    assert (Path(cache) / DB_NAME / "inside").is_dir()  # not ours to delete


def test_a_file_where_the_cache_folder_should_be(tmp_path: Path) -> None:
    root = _project(tmp_path / "p")
    blocker = tmp_path / "cache"
    blocker.write_text("not a folder")
    _assert_correct_despite(root, str(blocker))
    assert _scan(root, str(blocker)).stats["cache_hits"] == 0


def test_a_read_only_cache_folder(tmp_path: Path) -> None:
    root = _project(tmp_path / "p")
    cache = Path(_cache_dir(tmp_path))
    cache.mkdir()
    cache.chmod(0o500)
    try:
        _assert_correct_despite(root, str(cache))  # root may write anyway: still correct
    finally:
        cache.chmod(0o700)


def test_a_read_only_database(tmp_path: Path) -> None:
    root = _project(tmp_path / "p")
    cache = _cache_dir(tmp_path)
    _scan(root, cache)
    (root / "src" / "m1.js").write_text("import './m0.js';\n")
    db = Path(cache) / DB_NAME
    db.chmod(0o400)
    try:
        _assert_correct_despite(root, cache)
    finally:
        db.chmod(0o600)


def _concurrent_scan(root: str, cache: str, results: multiprocessing.Queue[str]) -> None:
    results.put(render(scan([root], cache=cache, jobs=1)))


def test_concurrent_runs_share_the_cache(tmp_path: Path) -> None:
    root = _project(tmp_path / "p", files=150)
    cache = _cache_dir(tmp_path)
    expected = render(_scan(root, False))
    context = multiprocessing.get_context("fork")
    results: multiprocessing.Queue[str] = context.Queue()
    workers = [
        context.Process(target=_concurrent_scan, args=(str(root), cache, results)) for _ in range(3)
    ]
    for worker in workers:
        worker.start()
    outputs = [results.get(timeout=120) for _ in workers]
    for worker in workers:
        worker.join(timeout=60)
        assert worker.exitcode == 0
    assert outputs == [expected] * len(workers)
    with sqlite3.connect(Path(cache) / DB_NAME) as connection:
        assert connection.execute("PRAGMA integrity_check").fetchone() == ("ok",)
    connection.close()
    warm = _scan(root, cache)
    assert render(warm) == expected
    assert warm.stats["parsed"] == 0


def test_the_pool_path_with_the_cache(tmp_path: Path) -> None:
    root = _project(tmp_path / "p", files=PARALLEL_THRESHOLD + 50)
    cache = _cache_dir(tmp_path)
    expected = render(_scan(root, False, jobs=2))
    cold = _scan(root, cache, jobs=2)
    assert render(cold) == expected
    for i in range(0, PARALLEL_THRESHOLD + 50, 2):  # half changed: misses again go to the pool
        path = root / "src" / f"m{i}.js"
        path.write_text(path.read_text() + "// changed\n")
    expected = render(_scan(root, False, jobs=2))
    half = _scan(root, cache, jobs=2)
    assert render(half) == expected
    assert half.stats["parsed"] == (PARALLEL_THRESHOLD + 50 + 1) // 2
    warm = _scan(root, cache, jobs=2)
    assert render(warm) == expected
    assert warm.stats["parsed"] == 0


def test_a_miss_parsed_in_process_is_read_once(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = _project(tmp_path / "p")
    reads = _trust_file_times(monkeypatch)
    cold = _scan(root, _cache_dir(tmp_path), jobs=1)
    assert reads and sorted(reads) == sorted(set(reads))
    assert render(cold) == render(_scan(root, False, jobs=1))


def test_a_cold_cache_sends_the_rest_of_the_files_unread_to_the_pool(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import graphesm.scan.pool as pool

    root = _project(tmp_path / "p", files=PARALLEL_THRESHOLD + 50)
    cache = _cache_dir(tmp_path)
    expected = render(_scan(root, False, jobs=2))
    monkeypatch.setattr(pool, "LOOKUP_CHUNK", 100)
    monkeypatch.setattr(pool, "COLD_PROBES", 100)
    reads = _trust_file_times(monkeypatch)
    cold = _scan(root, cache, jobs=2)
    assert render(cold) == expected
    # The first look-up chunk only (workers read the rest), and the package
    # file that was not walked (its format is detected on demand).
    assert len(reads) == 101 and "node_modules/dep/main.js" in reads
    reads.clear()
    warm = _scan(root, cache, jobs=2)
    assert render(warm) == expected
    assert reads == []  # the times of the files sent unread were recorded too
    assert warm.stats["parsed"] == 0


def test_a_worker_sends_a_scan_without_an_exact_encoding_as_it_is(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import graphesm.scan.pool as pool

    root = _project(tmp_path / "p")
    path = str(root / "src" / "m0.js")
    locate = pool.Locator(str(root), lambda _url: "module", lambda p: "file://" + p)
    key, payload = pool._scan_encoded(path, locate, b"namespace")
    assert key is not None and isinstance(payload, bytes)
    received = pool._received(payload, "file://" + path, "src/m0.js")
    monkeypatch.setattr(pool, "encode_exact", lambda scan: None)
    key, payload = pool._scan_encoded(path, locate, b"namespace")
    assert isinstance(payload, FileScan)
    assert pool._received(payload, "file://" + path, "src/m0.js") == received == payload


def test_another_namespace_never_reads_these_entries(tmp_path: Path) -> None:
    cache = ScanCache.open(str(tmp_path), b"version-a")
    assert cache is not None
    scanned = FileScan("file:///x.js", "x.js", "module", ())
    key = cache.key(b"source", "module")
    cache.put(key, scanned)
    cache.close()
    other = ScanCache.open(str(tmp_path), b"version-b")
    assert other is not None
    assert other.key(b"source", "module") != key
    assert other.get_many([other.key(b"source", "module")]) == {}
    assert other.key(b"source", "module") != other.key(b"source", None)
    other.close()
    assert cache_namespace() == cache_namespace()


def test_encode_decode_round_trip_and_reject_wrong_shapes() -> None:
    site = ImportSite(
        "file:///a.js",
        "./b.json",
        ImportKind.STATIC,
        3,
        7,
        (("type", "json"),),
        "with",
        ("default", "x"),
    )
    scanned = FileScan(
        "file:///a.js", "a.js", "module", (site,), (ParseProblem(1, 2, "boom"),), True
    )
    cached = decode(encode(scanned))
    assert cached is not None
    assert retarget(cached, "file:///a.js", "a.js") == scanned
    assert cached.problems == scanned.problems
    assert cached.has_top_level_await is True
    for blob in (
        b"",
        b"\xff\xfe",
        b"[]",
        b'{"a": 1}',
        b'["module", true, [[1, "static", 1, 1, null, null, []]], []]',
        b'[null, false, [["x", "nope", 1, 1, null, null, []]], []]',
        b'[null, false, [["x", "static", "1", 1, null, null, []]], []]',
        b'[null, false, [["x", "static", 1, 1, [["a"]], null, []]], []]',
        b"[null, false, [], [[1, 2]]]",
        b"[null, 1, [], []]",
        b"[" * 100000,
    ):
        assert decode(blob) is None, blob


def test_default_location(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "with" / "node_modules").mkdir(parents=True)
    (tmp_path / "without").mkdir()
    assert default_directory(str(tmp_path / "with")) == str(
        tmp_path / "with" / "node_modules" / ".cache" / "graphesm"
    )
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    assert default_directory(str(tmp_path / "without")) == str(tmp_path / "xdg" / "graphesm")
    monkeypatch.setenv("XDG_CACHE_HOME", "relative/ignored")
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    assert default_directory(str(tmp_path / "without")) == str(
        tmp_path / "home" / ".cache" / "graphesm"
    )


def test_scan_cache_none_uses_node_modules_cache(tmp_path: Path) -> None:
    root = _project(tmp_path / "p")
    scan([str(root)], cache=None)
    assert (root / "node_modules" / ".cache" / "graphesm" / DB_NAME).is_file()
    assert scan([str(root)], cache=None).stats["parsed"] == 0


def test_watch_rescans_after_a_change(tmp_path: Path) -> None:
    root = _project(tmp_path / "p")
    cache = str(root / "node_modules" / ".cache" / "graphesm")
    stop = threading.Event()
    results: queue.Queue[ScanResult | BaseException] = queue.Queue()

    def run() -> None:
        try:
            for result in watch(
                [str(root)],
                lambda: scan([str(root)], cache=cache),
                stop=stop,
                limit=3,
                debounce_ms=400,
                step_ms=50,
            ):
                results.put(result)
        except BaseException as error:  # surfaced in the test thread
            results.put(error)

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    try:
        first = results.get(timeout=60)
        assert isinstance(first, ScanResult)
        assert not any(r.site.specifier == "./added.js" for r in first.imports)
        (root / "src" / "added.js").write_text("export const added = 1;\n")
        (root / "src" / "m3.js").write_text("import { added } from './added.js';\n")
        second = results.get(timeout=60)
        assert isinstance(second, ScanResult)
        # the batch may split in two: wait for the scan that saw both writes
        while not any(
            r.site.specifier == "./added.js" and r.url is not None for r in second.imports
        ):
            second = results.get(timeout=60)
            assert isinstance(second, ScanResult)
        assert second.stats["parsed"] <= 2
    finally:
        stop.set()
        thread.join(timeout=30)
    assert not thread.is_alive()


def test_watch_ignores_cache_writes_and_stops(tmp_path: Path) -> None:
    root = _project(tmp_path / "p")
    stop = threading.Event()
    seen: list[ScanResult] = []

    def run() -> None:
        for result in watch(
            [str(root)],
            lambda: scan([str(root)], cache=None),  # writes node_modules/.cache/graphesm
            stop=stop,
            debounce_ms=200,
            step_ms=50,
        ):
            seen.append(result)

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    threading.Event().wait(2.0)
    (root / "notes.txt").write_text("not a source file")
    threading.Event().wait(1.0)
    stop.set()
    thread.join(timeout=30)
    assert not thread.is_alive()
    assert len(seen) == 1


def test_cli_watch_reprints_after_a_change(tmp_path: Path) -> None:
    root = tmp_path / "w"
    (root / "src").mkdir(parents=True)
    (root / "package.json").write_text('{"type": "module"}')
    (root / "src" / "a.js").write_text("import './b.js';\n")
    (root / "src" / "b.js").write_text("export {};\n")
    process = subprocess.Popen(
        [sys.executable, "-m", "graphesm.cli", "scan", "--watch", str(root), "--format", "json"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        assert process.stderr is not None
        assert "watching for changes" in process.stderr.readline()
        (root / "src" / "b.js").write_text("import './a.js';\n")
        assert "watching for changes" in process.stderr.readline()
        process.send_signal(signal.SIGINT)
        out, err = process.communicate(timeout=30)
    finally:
        if process.poll() is None:
            process.kill()
            process.communicate()
    assert process.returncode == 0, err
    assert err == ""
    documents = json.JSONDecoder()
    first, end = documents.raw_decode(out)
    second, _ = documents.raw_decode(out[end:].lstrip())
    assert [f["rule"] for f in first["findings"]] == []
    assert [f["rule"] for f in second["findings"]] == ["cycle"]
