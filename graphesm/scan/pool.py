"""Scan many files, in parallel when it pays, through the persistent cache.

Stage contract: `scan_paths(paths, root, jobs)` returns one `FileScan` per
path, in the order given, exactly as `scan_file` would in this process. With
`jobs > 1` and enough files, the work goes to a process pool in batches; each
worker compiles the queries once and keeps its own package.json cache for the
format lookups. Reading failures become `FileScan.error`, never exceptions.

With a `ScanCache` (graphesm.cache, opened by `open_cache`), this process
looks every file up in batches, by its recorded times or else by the hash of
its bytes; only the misses are parsed (in process, or by the pool once there
are enough of them, the pool starting while the look-ups go on). Once
`COLD_PROBES` files were hashed without a hit, the cache is taken to be cold
for this tree and the rest go to the pool unread. Workers never open the
cache: they return each miss with the key of the bytes they parsed, in the
cache's encoding, and this process writes the entries. `ScanCounters`
counts parses and cache hits.
"""

from __future__ import annotations

import functools
import hashlib
import os
import posixpath
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Literal

import graphesm
from graphesm.cache import (
    ScanCache,
    cached_form,
    decode,
    default_directory,
    encode_exact,
    entry_key,
    retarget,
    salt,
    signature,
)
from graphesm.fs import digest_files
from graphesm.model import FileScan
from graphesm.scan.detect import package_format
from graphesm.scan.queries import queries_dir

if TYPE_CHECKING:
    from concurrent.futures import Future, ProcessPoolExecutor

# Below this many files a pool costs more (worker start-up) than it saves.
PARALLEL_THRESHOLD = 400
BATCH_SIZE = 64

PackageType = Callable[[str], str]
ToUrl = Callable[[str], str]
# path -> (file URL, root-relative path, format settled without parsing or None)
Locate = Callable[[str], tuple[str, str, str | None]]

_worker_package_type: PackageType | None = None
_worker_to_url: ToUrl | None = None
_worker_namespace: bytes | None = None
_worker_locators: dict[str, Locate] = {}
# Files read and hashed per cache look-up query.
LOOKUP_CHUNK = 1024
# After this many files hashed without one cache hit, the cache is taken to
# know nothing of this tree: the remaining files whose times are not on
# record go to the pool unread (their workers hash them).
COLD_PROBES = 256
# What a worker returns for one miss: the key of the bytes it parsed (None
# when the file could not be read) and the scan, in the cache's encoding
# when it has one (cheaper to send than a pickled FileScan, and ready to store).
Parsed = tuple[bytes | None, bytes | FileScan]


_SAFE_NAME = re.compile(r"[A-Za-z0-9._~-]+")


def root_relative(path: str, root: str) -> str:
    """`posixpath.relpath(path, root)` for absolute normalised paths, by slicing
    when `path` lies under `root`."""
    prefix = root.rstrip("/") + "/"
    return path[len(prefix) :] if path.startswith(prefix) else posixpath.relpath(path, root)


class Locator:
    """Each file's URL, root-relative path and settled format, with the work
    shared between the files of one folder (its URL, its package scope)."""

    def __init__(self, root: str, package_type: PackageType, to_url: ToUrl) -> None:
        self._root = root
        self._package_type = package_type
        self._to_url = to_url
        self._folder_urls: dict[str, str] = {}
        self._formats: dict[tuple[str, str], str | None] = {}

    def __call__(self, path: str) -> tuple[str, str, str | None]:
        folder, _, name = path.rpartition("/")
        if _SAFE_NAME.fullmatch(name):  # characters a file: URL keeps as they are
            base = self._folder_urls.get(folder)
            if base is None:
                base = self._folder_urls[folder] = self._to_url(folder + "/")
            url = base + name
        else:
            url = self._to_url(path)
        relative = root_relative(path, self._root)
        # The format hangs on the extension and the folder's package scope only.
        key = (folder, posixpath.splitext(name)[1])
        if key in self._formats:
            fmt = self._formats[key]
        else:
            fmt = self._formats[key] = package_format(url, package_type=self._package_type)
        return url, relative, fmt


@dataclass(slots=True)
class ScanCounters:
    """How many files were parsed, and how many came from the cache instead."""

    parsed: int = 0
    cache_hits: int = 0


CacheSetting = str | None | Literal[False]


@functools.cache
def cache_namespace() -> bytes:
    """What cache entries depend on besides a file's bytes: graphesm's version,
    the query set (.scm bytes) and the scanner's own code (model and scan
    modules), so that a changed query or extractor never reads old entries."""
    digest = hashlib.blake2b(digest_size=32)
    digest.update(graphesm.__version__.encode() + b"\x00")
    sources = sorted((queries_dir() / "javascript").glob("*.scm"))
    here = Path(__file__).resolve().parent
    sources += [*sorted(here.glob("*.py")), here.parent / "model.py", here.parent / "cache.py"]
    digest_files(digest, sources)
    return digest.digest()


def open_cache(setting: CacheSetting, root: str) -> ScanCache | None:
    """The scan cache for a scan of `root`: False disables it, None picks the
    default folder (graphesm.cache.default_directory), a string names one."""
    if setting is False:
        return None
    directory = default_directory(root) if setting is None else setting
    return ScanCache.open(directory, cache_namespace())


def default_jobs() -> int:
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1


def _read(path: str, url: str, relative: str, fmt: str | None) -> bytes | FileScan:
    try:
        with open(path, "rb") as handle:
            return handle.read()
    except OSError as error:
        reason = error.strerror or type(error).__name__
        return FileScan(url, relative, fmt, (), error=f"cannot read file: {reason}")


def scan_one(
    path: str,
    locate: Locate,
    *,
    cache: ScanCache | None = None,
    counters: ScanCounters | None = None,
) -> FileScan:
    """The FileScan of one file, from the cache when it holds these bytes."""
    url, relative, fmt = locate(path)
    sig = _signature(path, cache, fmt) if cache is not None else None
    if cache is not None and sig is not None:
        known = cache.known_keys([(path, sig)]).get(path)
        hit = cache.get_many([known]).get(known) if known is not None else None
        if hit is not None:
            if counters is not None:
                counters.cache_hits += 1
            return retarget(hit, url, relative)
    source = _read(path, url, relative, fmt)
    if isinstance(source, FileScan):
        return source
    key = b""
    if cache is not None:
        key = cache.key(source, fmt)
        if sig is not None:
            cache.remember(path, sig, key)
        hit = cache.get_many([key]).get(key)
        if hit is not None:
            if counters is not None:
                counters.cache_hits += 1
            return retarget(hit, url, relative)
    scanned = _parse(relative, url, source, fmt)
    if counters is not None:
        counters.parsed += 1
    if cache is not None:
        cache.put(key, scanned)
    return scanned


def _scan_keyed(
    path: str, locate: Locate, namespace: bytes | None
) -> tuple[bytes | None, FileScan]:
    """(key of the bytes parsed, FileScan): a miss, parsed here or in a worker."""
    url, relative, fmt = locate(path)
    source = _read(path, url, relative, fmt)
    if isinstance(source, FileScan):
        return None, source
    key = entry_key(source, salt(namespace, fmt)) if namespace is not None else None
    return key, _parse(relative, url, source, fmt)


def _scan_encoded(path: str, locate: Locate, namespace: bytes | None) -> Parsed:
    """`_scan_keyed`, with the scan in its cache encoding when it has one."""
    key, scanned = _scan_keyed(path, locate, namespace)
    encoded = encode_exact(scanned) if key is not None and scanned.error is None else None
    return key, scanned if encoded is None else encoded


def _parse(relative: str, url: str, source: bytes, fmt: str | None) -> FileScan:
    # The parser side (tree-sitter, extraction) loads with the first miss.
    from graphesm.scan.file import scan_file

    return scan_file(relative, url, source, fmt)


def _init_worker(
    package_type_factory: Callable[[], PackageType], to_url: ToUrl, namespace: bytes | None = None
) -> None:
    global _worker_package_type, _worker_to_url, _worker_namespace
    _worker_package_type = package_type_factory()
    _worker_to_url = to_url
    _worker_namespace = namespace
    _worker_locators.clear()


def _worker_locate(root: str) -> Locate:
    found = _worker_locators.get(root)
    if found is None:
        assert _worker_package_type is not None and _worker_to_url is not None
        found = _worker_locators[root] = Locator(root, _worker_package_type, _worker_to_url)
    return found


def _new_pool(
    jobs: int,
    package_type_factory: Callable[[], PackageType],
    to_url: ToUrl,
    namespace: bytes | None,
) -> ProcessPoolExecutor:
    from concurrent.futures import ProcessPoolExecutor  # loads only when a pool pays

    return ProcessPoolExecutor(
        max_workers=jobs,
        initializer=_init_worker,
        initargs=(package_type_factory, to_url, namespace),
    )


def _scan_batch(paths: list[str], root: str) -> list[FileScan]:
    locate = _worker_locate(root)
    return [scan_one(p, locate) for p in paths]


def _scan_encoded_batch(paths: list[str], root: str) -> list[Parsed]:
    locate = _worker_locate(root)
    return [_scan_encoded(p, locate, _worker_namespace) for p in paths]


def scan_paths(
    paths: Sequence[str],
    root: str,
    *,
    jobs: int,
    package_type: PackageType,
    package_type_factory: Callable[[], PackageType],
    to_url: ToUrl,
    progress: Callable[[int], None] | None = None,
    cache: ScanCache | None = None,
    counters: ScanCounters | None = None,
) -> list[FileScan]:
    """FileScans of paths, in order; parallel over `jobs` processes for large inputs."""
    if cache is not None:
        return _scan_cached(
            paths,
            root,
            jobs=jobs,
            package_type=package_type,
            package_type_factory=package_type_factory,
            to_url=to_url,
            progress=progress,
            cache=cache,
            counters=counters if counters is not None else ScanCounters(),
        )
    if counters is not None:
        counters.parsed += len(paths)
    if jobs <= 1 or len(paths) < PARALLEL_THRESHOLD:
        results = []
        locate = Locator(root, package_type, to_url)
        for path in paths:
            results.append(scan_one(path, locate))
            if progress is not None:
                progress(1)
        return results
    batches = [list(paths[i : i + BATCH_SIZE]) for i in range(0, len(paths), BATCH_SIZE)]
    out: list[FileScan] = []
    with _new_pool(jobs, package_type_factory, to_url, None) as pool:
        for batch in pool.map(_scan_batch, batches, [root] * len(batches)):
            out.extend(batch)
            if progress is not None:
                progress(len(batch))
    return out


def _scan_cached(
    paths: Sequence[str],
    root: str,
    *,
    jobs: int,
    package_type: PackageType,
    package_type_factory: Callable[[], PackageType],
    to_url: ToUrl,
    progress: Callable[[int], None] | None,
    cache: ScanCache,
    counters: ScanCounters,
) -> list[FileScan]:
    """scan_paths through the cache: look every file up here, parse the misses."""
    results: list[FileScan | None] = [None] * len(paths)
    located: list[tuple[str, str, str | None]] = [("", "", None)] * len(paths)
    misses: list[int] = []
    pending: list[int] = []
    # Misses with the same key as an earlier miss (the same bytes twice, as
    # npm trees hold): parsed once, then retargeted.
    first_of: dict[bytes, int] = {}
    copies: list[tuple[int, bytes]] = []
    parsed_keys: dict[int, bytes | None] = {}
    # Files sent to the pool unread, with the signature taken before (a
    # change after it shows in the next run's signature).
    unread: dict[int, str | None] = {}
    hashed = 0
    submitted: list[tuple[list[int], Future[list[Parsed]]]] = []
    pool: ProcessPoolExecutor | None = None
    parallel = jobs > 1 and len(paths) >= PARALLEL_THRESHOLD
    locate = Locator(root, package_type, to_url)

    def submit(indices: list[int]) -> None:
        assert pool is not None
        batch = [paths[i] for i in indices]
        submitted.append((indices, pool.submit(_scan_encoded_batch, batch, root)))

    def settle(
        index: int, key: bytes | None, scanned: FileScan, encoded: bytes | None = None
    ) -> None:
        results[index] = scanned
        parsed_keys[index] = key
        if key is None:  # not read
            return
        counters.parsed += 1
        if encoded is not None:
            cache.put_encoded(key, encoded)
        else:
            cache.put(key, scanned)
        sig = unread.get(index)
        if sig is not None:
            cache.remember(paths[index], sig, key)

    try:
        for start in range(0, len(paths), LOOKUP_CHUNK):
            keys: dict[int, bytes] = {}
            # Without a pool, misses are parsed from the bytes this look-up read.
            sources: dict[int, bytes] = {}
            chunk = range(start, min(start + LOOKUP_CHUNK, len(paths)))
            signed: dict[int, str | None] = {}
            for index in chunk:
                located[index] = locate(paths[index])
                signed[index] = _signature(paths[index], cache, located[index][2])
            # Files unchanged since their key was recorded are not read again.
            known = cache.known_keys(
                [(paths[index], sig) for index, sig in signed.items() if sig is not None]
            )
            cold = parallel and hashed >= COLD_PROBES and not counters.cache_hits
            skipped = 0
            for index in chunk:
                path = paths[index]
                known_key = known.get(path)
                if known_key is None:
                    if cold:
                        unread[index] = signed[index]
                        misses.append(index)
                        skipped += 1
                        continue
                    url, relative, fmt = located[index]
                    source = _read(path, url, relative, fmt)
                    if isinstance(source, FileScan):
                        results[index] = source
                        continue
                    known_key = cache.key(source, fmt)
                    hashed += 1
                    if not parallel:
                        sources[index] = source
                    sig = signed[index]
                    if sig is not None:  # taken before the read: a later change shows
                        cache.remember(path, sig, known_key)
                keys[index] = known_key
            found = cache.get_many(list(keys.values()))
            done = len(chunk) - len(keys) - skipped
            for index, key in keys.items():
                hit = found.get(key)
                if hit is None:
                    if key in first_of:
                        copies.append((index, key))
                    else:
                        first_of[key] = index
                        misses.append(index)
                    continue
                done += 1
                counters.cache_hits += 1
                results[index] = retarget(hit, *located[index][:2])
            if progress is not None and done:
                progress(done)
            if not parallel:
                for index in misses:
                    read = sources.get(index)
                    if read is None:  # known by its times, but its entry is gone
                        settle(index, *_scan_keyed(paths[index], locate, cache.namespace))
                        continue
                    url, relative, fmt = located[index]
                    settle(index, keys[index], _parse(relative, url, read, fmt))
                if progress is not None and misses:
                    progress(len(misses))
                misses = []
            if parallel and pool is None and len(misses) >= PARALLEL_THRESHOLD:
                # Enough work to pay for the pool: start it now, while look-ups go on.
                pool = _new_pool(jobs, package_type_factory, to_url, cache.namespace)
                pending, misses = misses, []
            elif pool is not None:
                pending += misses
                misses = []
            while pool is not None and len(pending) >= BATCH_SIZE:
                submit(pending[:BATCH_SIZE])
                pending = pending[BATCH_SIZE:]
        if pool is not None and pending:
            submit(pending)
        for index in misses:  # a pool would not pay for these few: parse them here
            settle(index, *_scan_keyed(paths[index], locate, cache.namespace))
            if progress is not None:
                progress(1)
        for indices, future in submitted:
            for index, (miss_key, payload) in zip(indices, future.result(), strict=True):
                scanned = _received(payload, *located[index][:2])
                if scanned is None:  # not expected: parse it again here
                    settle(index, *_scan_keyed(paths[index], locate, cache.namespace))
                else:
                    encoded = payload if isinstance(payload, bytes) else None
                    settle(index, miss_key, scanned, encoded)
            if progress is not None:
                progress(len(indices))
        for index, key in copies:
            first = results[first_of[key]]
            if first is not None and first.error is None and parsed_keys.get(first_of[key]) == key:
                results[index] = retarget(cached_form(first), *located[index][:2])
                counters.cache_hits += 1
            else:  # the first copy changed while we read it: parse this one on its own
                settle(index, *_scan_keyed(paths[index], locate, cache.namespace))
            if progress is not None:
                progress(1)
    finally:
        if pool is not None:
            pool.shutdown(cancel_futures=True)
    cache.flush()
    return [scan for scan in results if scan is not None]


def _received(payload: bytes | FileScan, url: str, relative: str) -> FileScan | None:
    """The FileScan a worker sent for the file at url/relative."""
    if isinstance(payload, FileScan):
        return payload
    cached = decode(payload)
    return None if cached is None else retarget(cached, url, relative)


def _signature(path: str, cache: ScanCache, fmt: str | None) -> str | None:
    try:
        stat = os.stat(path)
    except OSError:
        return None
    return signature(stat, cache.tag, fmt)
