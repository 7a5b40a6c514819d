"""A persistent cache of per-file scan results.

Stage contract: `ScanCache` maps an entry key to what the scanner learned
about one file's bytes (format, import sites, parse problems, top-level
await), without the file's URL or path, so that the same bytes found at
another path give the same answer re-targeted to that file (`retarget`).

- Keys: `entry_key(source, salt)` is a keyed blake2b of the file's bytes,
  where the salt (`salt(namespace, fmt)`) folds in the namespace — the
  graphesm version, a digest of the query set (.scm bytes) and of the
  scanner's own code, chosen by the caller — and the format hint given to
  `scan_file` (it changes what is extracted). Any change to either gives
  new keys, so entries written by another version are never read.
- File times: `files` maps a path to the key its bytes had, with the file's
  `signature` (device, inode, size, mtime, ctime, namespace, format hint).
  A file whose signature is unchanged is not read or hashed again. A file
  changed within the last two seconds is never recorded (a second write in
  the same clock tick could keep its times), and an edit always moves the
  ctime, which no tool can set back.
- Memos: `memos` maps a context key to one opaque blob a caller stores
  between runs (the pipeline's remembered resolutions, graphesm.memo),
  guarded by the same checksum.
- Storage: one SQLite database (`scans.sqlite3`) in WAL mode, written in
  batched transactions with a busy timeout, so concurrent runs read and
  write it safely. Values are compact JSON arrays guarded by a keyed
  checksum, decoded into records field by field: nothing in the file can
  execute code, and an entry of the wrong shape is a miss.
- Failure is never fatal: a database that is corrupt, truncated, foreign
  (other tables, other schema) or over the size limit is removed and
  rebuilt; one that cannot be opened or written (a directory in its place,
  a read-only folder, a lock held too long) makes the run go on uncached.
  No error escapes this module and nothing here prints.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import sqlite3
import time
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import orjson

from graphesm.model import FileScan, ImportKind, ImportSite, ParseProblem

SCHEMA = "graphesm-scan-cache/3"
DB_NAME = "scans.sqlite3"
# A cache file past this size is dropped and rebuilt (entries of old
# versions and of edited files are never read again, so this bounds them).
MAX_BYTES = 256 * 1024 * 1024
BUSY_TIMEOUT_SECONDS = 10.0
_LOOKUP_CHUNK = 500
# Entries are written in few, large transactions: each commit rewrites the
# B-tree pages its random keys touch (50,000 entries: ~0.5 s in one
# transaction, ~2.5 s in commits of 2,000).
_FLUSH_EVERY = 50_000
_PAGE_CACHE_KIB = 65_536
# A file modified less than this long ago is hashed, never trusted by its times.
_RACY_NS = 2_000_000_000
_KEY_SIZE = 20
_CHECK_SIZE = 8
_KINDS = {kind.value: kind for kind in ImportKind}
# SQLite primary result codes that mean the file is not a usable database.
_SQLITE_CORRUPT = 11
_SQLITE_NOTADB = 26


class _Unusable(Exception):
    """The database file exists but is not ours (foreign schema, corrupt)."""


# One import site without the file it is in: the fields of ImportSite after
# `file_url`, in order.
SiteRow = tuple[
    str | None,
    ImportKind,
    int,
    int,
    tuple[tuple[str, str], ...] | None,
    str | None,
    tuple[str, ...],
]


@dataclass(frozen=True, slots=True)
class CachedScan:
    """What the cache holds for one file's bytes: a FileScan without url/path."""

    format: str | None
    sites: tuple[SiteRow, ...]
    problems: tuple[ParseProblem, ...]
    has_top_level_await: bool


def salt(namespace: bytes, fmt: str | None) -> bytes:
    """The blake2b key for files scanned under `namespace` with format hint `fmt`."""
    hint = b"\x00" if fmt is None else fmt.encode()
    return hashlib.blake2b(namespace + b"\x01" + hint, digest_size=32).digest()


def entry_key(source: bytes, key_salt: bytes) -> bytes:
    """The cache key of a file's bytes (see `salt`)."""
    return hashlib.blake2b(source, digest_size=_KEY_SIZE, key=key_salt).digest()


def signature(stat: os.stat_result, tag: str, fmt: str | None) -> str | None:
    """What must be unchanged for a file to still hold the bytes last hashed at
    its path (device, inode, size, mtime and ctime in ns, plus the tag of the
    namespace and the format hint its key was salted with); None when the file
    changed too recently to tell (a later write could keep the same times, as
    racy git entries can)."""
    if time.time_ns() - max(stat.st_mtime_ns, stat.st_ctime_ns) < _RACY_NS:
        return None
    return (
        f"{stat.st_dev}:{stat.st_ino}:{stat.st_size}:{stat.st_mtime_ns}:{stat.st_ctime_ns}"
        f":{tag}:{fmt}"
    )


def namespace_tag(namespace: bytes) -> str:
    """The short form of a namespace that file signatures carry."""
    return hashlib.blake2b(namespace, digest_size=8).hexdigest()


def default_directory(root: str) -> str:
    """`node_modules/.cache/graphesm` under the root when node_modules exists
    there (the ecosystem's habit), else the user cache folder."""
    modules = os.path.join(root, "node_modules")
    if os.path.isdir(modules):
        return os.path.join(modules, ".cache", "graphesm")
    base = os.environ.get("XDG_CACHE_HOME", "")
    if not os.path.isabs(base):
        base = os.path.join(os.path.expanduser("~"), ".cache")
    return os.path.join(base, "graphesm")


def retarget(cached: CachedScan, url: str, path: str) -> FileScan:
    """The FileScan of the file at url/path whose bytes gave `cached`."""
    return FileScan(
        url=url,
        path=path,
        format=cached.format,
        sites=tuple([ImportSite(url, *row) for row in cached.sites]),
        problems=cached.problems,
        has_top_level_await=cached.has_top_level_await,
    )


def cached_form(scan: FileScan) -> CachedScan:
    """What the cache would hold for `scan`."""
    rows = tuple(
        (s.specifier, s.kind, s.line, s.column, s.attributes, s.attributes_syntax, s.names)
        for s in scan.sites
    )
    return CachedScan(scan.format, rows, scan.problems, scan.has_top_level_await)


def encode(scan: FileScan) -> bytes:
    """The compact JSON form of a FileScan, without its url and path."""
    exact = encode_exact(scan)
    if exact is not None:
        return exact
    # A lone surrogate: the standard encoder keeps it (and `decode` will not
    # read it back, so such an entry is a miss).
    return json.dumps(_value(scan), separators=(",", ":"), ensure_ascii=False).encode(
        "utf-8", "surrogatepass"
    )


def encode_exact(scan: FileScan) -> bytes | None:
    """`encode(scan)` when `decode` reads it back as `cached_form(scan)`; None
    for the rare scan that holds a lone surrogate."""
    try:
        return orjson.dumps(_value(scan))
    except orjson.JSONEncodeError:
        return None


def _value(scan: FileScan) -> list[object]:
    sites = [
        [
            s.specifier,
            s.kind.value,
            s.line,
            s.column,
            None if s.attributes is None else [list(pair) for pair in s.attributes],
            s.attributes_syntax,
            list(s.names),
        ]
        for s in scan.sites
    ]
    problems = [[p.line, p.column, p.message] for p in scan.problems]
    return [scan.format, scan.has_top_level_await, sites, problems]


def _is_str(value: object) -> bool:
    return type(value) is str


def _is_int(value: object) -> bool:
    return type(value) is int  # not bool


def _pairs(raw: object) -> tuple[tuple[str, str], ...] | None:
    if raw is None:
        return None
    if type(raw) is not list:
        raise TypeError("attributes")
    pairs = []
    for pair in raw:
        if type(pair) is not list or len(pair) != 2 or not (_is_str(pair[0]) and _is_str(pair[1])):
            raise TypeError("attribute pair")
        pairs.append((pair[0], pair[1]))
    return tuple(pairs)


def _row(raw: Any) -> SiteRow:
    # Unpacking checks the length (a JSON object would unpack its keys, which
    # the int checks then reject); join raises TypeError unless every name is a str.
    specifier, kind, line, column, attributes, syntax, names = raw
    if (
        type(line) is not int
        or type(column) is not int
        or type(names) is not list
        or not (specifier is None or type(specifier) is str)
        or not (syntax is None or type(syntax) is str)
    ):
        raise TypeError("site fields")
    "".join(names)
    pairs = None if attributes is None else _pairs(attributes)
    return (specifier, _KINDS[kind], line, column, pairs, syntax, tuple(names))


def _problem(raw: object) -> ParseProblem:
    if type(raw) is not list or len(raw) != 3:
        raise TypeError("problem")
    line, column, message = raw
    if not (_is_int(line) and _is_int(column) and _is_str(message)):
        raise TypeError("problem fields")
    return ParseProblem(line, column, message)


def decode(blob: bytes) -> CachedScan | None:
    """The CachedScan held in `blob`, or None when it is not one (never raises)."""
    try:
        value = orjson.loads(blob)
        if type(value) is not list or len(value) != 4:
            return None
        fmt, tla, sites, problems = value
        if type(tla) is not bool or type(sites) is not list or type(problems) is not list:
            return None
        if fmt is not None and type(fmt) is not str:
            return None
        return CachedScan(
            format=fmt,
            sites=tuple(_row(raw) for raw in sites),
            problems=tuple(_problem(raw) for raw in problems),
            has_top_level_await=tla,
        )
    except (ValueError, TypeError, KeyError, IndexError, RecursionError):
        return None


def _check(key: bytes, data: bytes) -> bytes:
    return hashlib.blake2b(data, digest_size=_CHECK_SIZE, key=key).digest()


def _checked(key: bytes, data: object) -> bytes | None:
    """The payload of a stored value whose checksum matches `key`, else None."""
    if not isinstance(data, bytes) or len(data) < _CHECK_SIZE:
        return None
    payload = data[_CHECK_SIZE:]
    return payload if data[:_CHECK_SIZE] == _check(key, payload) else None


def _is_corruption(error: sqlite3.Error) -> bool:
    code = getattr(error, "sqlite_errorcode", None)
    if isinstance(code, int):
        return code & 0xFF in (_SQLITE_CORRUPT, _SQLITE_NOTADB)
    text = str(error).lower()
    return "malformed" in text or "not a database" in text


def _remove_database(path: str) -> None:
    """Remove a database file we own and its WAL companions (regular files only)."""
    for name in (path, path + "-wal", path + "-shm", path + "-journal"):
        with contextlib.suppress(OSError):
            if os.path.isfile(name) and not os.path.islink(name):
                os.unlink(name)


def _prepare(connection: sqlite3.Connection) -> None:
    """Create the schema when the database is new; raise _Unusable when it is not ours."""
    connection.execute(f"PRAGMA busy_timeout = {int(BUSY_TIMEOUT_SECONDS * 1000)}")
    mode = connection.execute("PRAGMA journal_mode = WAL").fetchone()
    if mode is None or str(mode[0]).lower() != "wal":
        raise sqlite3.OperationalError("WAL mode unavailable")
    connection.execute("PRAGMA synchronous = NORMAL")
    connection.execute(f"PRAGMA cache_size = -{_PAGE_CACHE_KIB}")
    tables = {row[0] for row in connection.execute("SELECT name FROM sqlite_master")}
    if not tables:
        connection.execute("BEGIN IMMEDIATE")
        try:
            connection.execute(
                "CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)"
            )
            connection.execute(
                "CREATE TABLE IF NOT EXISTS entries"
                " (key BLOB PRIMARY KEY, data BLOB NOT NULL) WITHOUT ROWID"
            )
            connection.execute(
                "CREATE TABLE IF NOT EXISTS files"
                " (path TEXT PRIMARY KEY, signature TEXT NOT NULL, key BLOB NOT NULL) WITHOUT ROWID"
            )
            connection.execute(
                "CREATE TABLE IF NOT EXISTS memos (context BLOB PRIMARY KEY, data BLOB NOT NULL)"
            )
            connection.execute("INSERT OR IGNORE INTO meta VALUES ('schema', ?)", (SCHEMA,))
            connection.execute("COMMIT")
        except BaseException:
            with contextlib.suppress(sqlite3.Error):
                connection.execute("ROLLBACK")
            raise
        tables = {row[0] for row in connection.execute("SELECT name FROM sqlite_master")}
    if not {"meta", "entries", "files", "memos"} <= tables:
        raise _Unusable("foreign tables")
    row = connection.execute("SELECT value FROM meta WHERE key = 'schema'").fetchone()
    if row is None or row[0] != SCHEMA:
        raise _Unusable("foreign schema")
    columns = [r[1] for r in connection.execute("PRAGMA table_info(entries)")]
    if columns != ["key", "data"]:
        raise _Unusable("foreign entries table")


class ScanCache:
    """An open scan cache; see the module docstring. Not shared across processes:
    each process opens its own (pool workers never touch it)."""

    def __init__(self, connection: sqlite3.Connection, path: str, namespace: bytes) -> None:
        self._connection: sqlite3.Connection | None = connection
        self.path = path
        self.namespace = namespace
        self.tag = namespace_tag(namespace)
        self._salts: dict[str | None, bytes] = {}
        self._pending: list[tuple[bytes, bytes]] = []
        self._pending_files: list[tuple[str, str, bytes]] = []
        self._pending_memos: list[tuple[bytes, bytes]] = []
        self._corrupt = False

    @classmethod
    def open(cls, directory: str, namespace: bytes) -> ScanCache | None:
        """The cache in `directory` (created as needed), or None when it cannot be used."""
        try:
            os.makedirs(directory, exist_ok=True)
        except OSError:
            return None
        path = os.path.join(directory, DB_NAME)
        with contextlib.suppress(OSError):
            if os.path.isfile(path) and os.path.getsize(path) > MAX_BYTES:
                _remove_database(path)
        for attempt in range(2):
            connection: sqlite3.Connection | None = None
            try:
                connection = sqlite3.connect(
                    path, timeout=BUSY_TIMEOUT_SECONDS, isolation_level=None
                )
                _prepare(connection)
                return cls(connection, path, namespace)
            except (_Unusable, sqlite3.Error, OSError) as error:
                if connection is not None:
                    with contextlib.suppress(sqlite3.Error):
                        connection.close()
                rebuild = isinstance(error, _Unusable) or (
                    isinstance(error, sqlite3.DatabaseError) and _is_corruption(error)
                )
                if attempt or not rebuild:
                    return None
                _remove_database(path)
        return None

    @property
    def usable(self) -> bool:
        return self._connection is not None

    def salt(self, fmt: str | None) -> bytes:
        found = self._salts.get(fmt)
        if found is None:
            found = self._salts[fmt] = salt(self.namespace, fmt)
        return found

    def key(self, source: bytes, fmt: str | None) -> bytes:
        return entry_key(source, self.salt(fmt))

    def _select_in(self, query: str, values: Sequence[object]) -> list[tuple[object, ...]]:
        """Rows of `query` (whose `IN ({})` takes the values) for all `values`, in chunks."""
        assert self._connection is not None
        rows: list[tuple[object, ...]] = []
        for start in range(0, len(values), _LOOKUP_CHUNK):
            chunk = values[start : start + _LOOKUP_CHUNK]
            marks = ",".join("?" * len(chunk))
            rows += self._connection.execute(query.format(marks), chunk).fetchall()
        return rows

    def get_many(self, keys: Sequence[bytes]) -> dict[bytes, CachedScan]:
        """The entries found for `keys` (missing, invalid or unreadable ones left out)."""
        found: dict[bytes, CachedScan] = {}
        if self._connection is None or not keys:
            return found
        try:
            rows = self._select_in(
                "SELECT key, data FROM entries WHERE key IN ({})", list(dict.fromkeys(keys))
            )
        except sqlite3.Error as error:
            self._fail(error)
            return found
        for key, data in rows:
            entry = self._entry(key, data)
            if entry is not None and isinstance(key, bytes):
                found[key] = entry
        return found

    def known_keys(self, signed: Sequence[tuple[str, str]]) -> dict[str, bytes]:
        """Entry keys of the (path, signature) pairs whose file is as last recorded."""
        found: dict[str, bytes] = {}
        if self._connection is None or not signed:
            return found
        wanted = dict(signed)
        try:
            rows = self._select_in(
                "SELECT path, signature, key FROM files WHERE path IN ({})", list(wanted)
            )
        except sqlite3.Error as error:
            self._fail(error)
            return found
        for path, recorded, key in rows:
            if isinstance(path, str) and wanted.get(path) == recorded and isinstance(key, bytes):
                found[path] = key
        return found

    def remember(self, path: str, file_signature: str, key: bytes) -> None:
        """Record that the file at `path`, while it has `file_signature`, has key `key`."""
        if self._connection is not None:
            self._pending_files.append((path, file_signature, key))

    def memo(self, context: bytes) -> bytes | None:
        """The blob last stored under `context`, or None (missing, damaged, unreadable)."""
        if self._connection is None:
            return None
        try:
            row = self._connection.execute(
                "SELECT data FROM memos WHERE context = ?", (context,)
            ).fetchone()
        except sqlite3.Error as error:
            self._fail(error)
            return None
        return None if row is None else _checked(context, row[0])

    def put_memo(self, context: bytes, data: bytes) -> None:
        """Store `data` under `context` (written with the next flush)."""
        if self._connection is not None:
            self._pending_memos.append((context, _check(context, data) + data))

    def _entry(self, key: object, data: object) -> CachedScan | None:
        if not isinstance(key, bytes):
            return None
        checked = _checked(key, data)
        return None if checked is None else decode(checked)

    def put(self, key: bytes, scan: FileScan) -> None:
        """Remember a FileScan (not one with `error`: its message names the file)."""
        if self._connection is None or scan.error is not None:
            return
        self.put_encoded(key, encode(scan))

    def put_encoded(self, key: bytes, data: bytes) -> None:
        """Remember the `encode`d form of a FileScan without `error`."""
        if self._connection is None:
            return
        self._pending.append((key, _check(key, data) + data))
        if len(self._pending) >= _FLUSH_EVERY:
            self.flush()

    def flush(self) -> None:
        """Write pending entries in one transaction; a lock held too long drops them."""
        pending, self._pending = self._pending, []
        files, self._pending_files = self._pending_files, []
        memos, self._pending_memos = self._pending_memos, []
        if self._connection is None or not (pending or files or memos):
            return
        try:
            self._connection.execute("BEGIN IMMEDIATE")
            try:
                self._connection.executemany(
                    "INSERT OR REPLACE INTO entries (key, data) VALUES (?, ?)", pending
                )
                self._connection.executemany(
                    "INSERT OR REPLACE INTO files (path, signature, key) VALUES (?, ?, ?)", files
                )
                self._connection.executemany(
                    "INSERT OR REPLACE INTO memos (context, data) VALUES (?, ?)", memos
                )
                self._connection.execute("COMMIT")
            except BaseException:
                with contextlib.suppress(sqlite3.Error):
                    self._connection.execute("ROLLBACK")
                raise
        except sqlite3.Error as error:
            self._fail(error)

    def _fail(self, error: sqlite3.Error) -> None:
        """Stop using the database for this run; a corrupt one is removed on close."""
        if isinstance(error, sqlite3.DatabaseError) and _is_corruption(error):
            self._corrupt = True
            self.close()
            return
        # Busy/locked or read-only: keep reading, but stop trying to write.
        if isinstance(error, sqlite3.OperationalError) and self._writes_failed(error):
            self._pending = []
            self._pending_files = []
            self._pending_memos = []
            return
        self.close()

    @staticmethod
    def _writes_failed(error: sqlite3.OperationalError) -> bool:
        text = str(error).lower()
        return "locked" in text or "busy" in text or "readonly" in text or "read-only" in text

    def close(self) -> None:
        """Flush and close; never raises. A database found corrupt is removed."""
        connection = self._connection
        if connection is None:
            if self._corrupt:
                _remove_database(self.path)
                self._corrupt = False
            return
        if (self._pending or self._pending_files or self._pending_memos) and not self._corrupt:
            self.flush()
            connection = self._connection
        self._connection = None
        if connection is not None:
            with contextlib.suppress(sqlite3.Error):
                connection.close()
        if self._corrupt:
            _remove_database(self.path)
            self._corrupt = False
