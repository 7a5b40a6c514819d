"""Watch mode: scan again whenever the files the scan depends on change.

Stage contract: `watch(paths, rescan)` yields `rescan()` once for the tree
as it is, then again after every batch of relevant changes under `paths`
(watchfiles: inotify/FSEvents, debounced). Relevant changes are to
JavaScript sources (`.js .mjs .cjs .jsx`) and JSON files (package.json
steers resolution and formats, JSON modules are imports); the scan cache's
own writes (`ignore` folders, any `node_modules/.cache/`) and version
control folders never trigger a scan. The watcher starts before the first
scan, so nothing changed during it is missed. Iteration ends when `stop`
is set, after `limit` results, or when the caller stops iterating; a
change the caller cares about is never dropped, only merged into the next
scan. Ctrl-C (KeyboardInterrupt) propagates to the caller after the
watcher is closed. Nothing here prints or logs: the CLI renders each result.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Callable, Iterator, Sequence
from typing import TypeVar

import watchfiles

T = TypeVar("T")

WATCHED_SUFFIXES = (".js", ".mjs", ".cjs", ".jsx", ".json")
# How often the watcher wakes to check `stop` when nothing changes (ms).
POLL_MS = 250


def _relevant(ignore: Sequence[str]) -> Callable[[watchfiles.Change, str], bool]:
    prefixes = tuple(os.path.join(os.path.realpath(folder), "") for folder in ignore)

    def relevant(_change: watchfiles.Change, path: str) -> bool:
        if not path.endswith(WATCHED_SUFFIXES):
            return False
        if "/node_modules/.cache/" in path or "/.git/" in path:
            return False
        return not (prefixes and os.path.realpath(path).startswith(prefixes))

    return relevant


def watch(
    paths: Sequence[str],
    rescan: Callable[[], T],
    *,
    stop: threading.Event | None = None,
    limit: int | None = None,
    ignore: Sequence[str] = (),
    debounce_ms: int = 1600,
    step_ms: int = 50,
) -> Iterator[T]:
    """The first scan, then one per batch of relevant changes (see the module docstring).

    `debounce_ms`/`step_ms` are watchfiles' grouping: a batch ends once no
    change came for `step_ms`, or after `debounce_ms` at most.
    """
    if limit is not None and limit <= 0:
        return
    roots = [os.path.abspath(p) for p in (paths or (".",))]
    changes = watchfiles.watch(
        *roots,
        watch_filter=_relevant(ignore),
        stop_event=stop,
        debounce=debounce_ms,
        step=step_ms,
        rust_timeout=POLL_MS,
        yield_on_timeout=True,
        raise_interrupt=True,
    )
    try:
        next(changes, None)  # starts the watcher (returns on the first time-out)
        produced = 0
        while True:
            if stop is not None and stop.is_set():
                return
            yield rescan()
            produced += 1
            if limit is not None and produced >= limit:
                return
            for batch in changes:
                if stop is not None and stop.is_set():
                    return
                if batch:
                    break
            else:
                return
    finally:
        changes.close()
