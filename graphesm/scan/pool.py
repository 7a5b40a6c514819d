"""Scan many files, in parallel when it pays.

Stage contract: `scan_paths(paths, root, jobs)` returns one `FileScan` per
path, in the order given, exactly as `scan_file` would in this process. With
`jobs > 1` and enough files, the work goes to a process pool in batches; each
worker compiles the queries once and keeps its own package.json cache for the
format lookups. Reading failures become `FileScan.error`, never exceptions.
"""

from __future__ import annotations

import os
import posixpath
from collections.abc import Callable, Sequence
from concurrent.futures import ProcessPoolExecutor

from graphesm.model import FileScan
from graphesm.scan.detect import package_format
from graphesm.scan.file import scan_file
from graphesm.scan.queries import load_queries

# Below this many files a pool costs more (worker start-up) than it saves.
PARALLEL_THRESHOLD = 400
BATCH_SIZE = 64

PackageType = Callable[[str], str]
ToUrl = Callable[[str], str]

_worker_package_type: PackageType | None = None
_worker_to_url: ToUrl | None = None


def default_jobs() -> int:
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1


def scan_one(path: str, root: str, package_type: PackageType, to_url: ToUrl) -> FileScan:
    url = to_url(path)
    relative = posixpath.relpath(path, root)
    fmt = package_format(url, package_type=package_type)
    try:
        with open(path, "rb") as handle:
            source = handle.read()
    except OSError as error:
        reason = error.strerror or type(error).__name__
        return FileScan(url, relative, fmt, (), error=f"cannot read file: {reason}")
    return scan_file(relative, url, source, fmt)


def _init_worker(package_type_factory: Callable[[], PackageType], to_url: ToUrl) -> None:
    global _worker_package_type, _worker_to_url
    _worker_package_type = package_type_factory()
    _worker_to_url = to_url
    load_queries()


def _scan_batch(paths: list[str], root: str) -> list[FileScan]:
    assert _worker_package_type is not None and _worker_to_url is not None
    return [scan_one(p, root, _worker_package_type, _worker_to_url) for p in paths]


def scan_paths(
    paths: Sequence[str],
    root: str,
    *,
    jobs: int,
    package_type: PackageType,
    package_type_factory: Callable[[], PackageType],
    to_url: ToUrl,
    progress: Callable[[int], None] | None = None,
) -> list[FileScan]:
    """FileScans of paths, in order; parallel over `jobs` processes for large inputs."""
    if jobs <= 1 or len(paths) < PARALLEL_THRESHOLD:
        results = []
        for path in paths:
            results.append(scan_one(path, root, package_type, to_url))
            if progress is not None:
                progress(1)
        return results
    batches = [list(paths[i : i + BATCH_SIZE]) for i in range(0, len(paths), BATCH_SIZE)]
    out: list[FileScan] = []
    with ProcessPoolExecutor(
        max_workers=jobs, initializer=_init_worker, initargs=(package_type_factory, to_url)
    ) as pool:
        for batch in pool.map(_scan_batch, batches, [root] * len(batches)):
            out.extend(batch)
            if progress is not None:
                progress(len(batch))
    return out
