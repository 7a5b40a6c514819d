"""The file-system seam.

Stage contract: the resolver and the scanner touch the disk only through a
`FileSystem`. `RealFS` is the operating system; `MemoryFS` is an in-memory tree
(files, folders and symlinks) for unit tests; `RecordingFS` wraps another and
keeps every answer it gave as a `Fact`, so that a result derived from them can
be reused while `facts_hold` (the file system still answers the same).
Paths are absolute POSIX strings.
Nothing here raises for a missing or unreadable entry: `stat` says None and
`read_bytes` says None, exactly as Node's internal stat and JSON readers do.
"""

from __future__ import annotations

import hashlib
import os
import posixpath
import stat as stat_module
from collections.abc import Iterable, Mapping
from typing import Literal, Protocol

EntryKind = Literal["file", "dir"]
LinkKind = Literal["file", "dir", "link"]
# (question, path, answer): "stat"/"lstat" -> the kind, "read" -> a digest of
# the bytes, "realpath" -> the real path; None where the answer was none (or,
# for realpath, an OSError).
Fact = tuple[str, str, str | None]
FACT_QUESTIONS = frozenset({"stat", "lstat", "read", "realpath"})


class FileSystem(Protocol):
    def stat(self, path: str) -> EntryKind | None:
        """Kind of the entry at path, following symlinks; None when missing or broken."""

    def read_bytes(self, path: str) -> bytes | None:
        """Contents of a regular file, or None when it is missing, a folder or unreadable."""

    def lstat(self, path: str) -> LinkKind | None:
        """Kind of the entry at path itself: "link" for a symlink (the folders
        leading to it are followed); None when missing or unreachable."""

    def realpath(self, path: str) -> str:
        """Canonical path with every symlink resolved; raises OSError on a loop."""


class RealFS:
    """The operating system's file system."""

    def stat(self, path: str) -> EntryKind | None:
        try:
            st = os.stat(path)
        except (OSError, ValueError):
            return None
        if stat_module.S_ISDIR(st.st_mode):
            return "dir"
        return "file"

    def lstat(self, path: str) -> LinkKind | None:
        try:
            mode = os.lstat(path).st_mode
        except (OSError, ValueError):
            return None
        if stat_module.S_ISLNK(mode):
            return "link"
        if stat_module.S_ISDIR(mode):
            return "dir"
        return "file"

    def read_bytes(self, path: str) -> bytes | None:
        try:
            with open(path, "rb") as handle:
                return handle.read()
        except (OSError, ValueError):
            return None

    def realpath(self, path: str) -> str:
        return os.path.realpath(path, strict=True)


class MemoryFS:
    """An in-memory tree: `files` maps paths to contents, `symlinks` paths to targets.

    Folders exist implicitly as the parents of files and symlinks, or
    explicitly through `dirs`. Symlink targets may be relative to the link.
    """

    def __init__(
        self,
        files: Mapping[str, str | bytes],
        symlinks: Mapping[str, str] | None = None,
        dirs: tuple[str, ...] = (),
    ) -> None:
        self._files = {
            posixpath.normpath(p): (c.encode() if isinstance(c, str) else c)
            for p, c in files.items()
        }
        self._links = {posixpath.normpath(p): t for p, t in (symlinks or {}).items()}
        self._dirs: set[str] = {"/"}
        for path in (*self._files, *self._links, *dirs):
            parent = path if path in dirs else posixpath.dirname(path)
            while parent not in self._dirs:
                self._dirs.add(parent)
                parent = posixpath.dirname(parent)

    def _resolve(self, path: str, depth: int = 0) -> str:
        if depth > 40:
            raise OSError(40, "Too many levels of symbolic links", path)
        parts = [p for p in posixpath.normpath(path).split("/") if p]
        current = "/"
        for index, part in enumerate(parts):
            candidate = posixpath.join(current, part)
            if candidate in self._links:
                target = posixpath.join(current, self._links[candidate])
                rest = parts[index + 1 :]
                return self._resolve(posixpath.join(target, *rest), depth + 1)
            current = candidate
        return current

    def stat(self, path: str) -> EntryKind | None:
        try:
            real = self._resolve(path)
        except OSError:
            return None
        if real in self._files:
            return "file"
        if real in self._dirs:
            return "dir"
        return None

    def lstat(self, path: str) -> LinkKind | None:
        normal = posixpath.normpath(path)
        if normal == "/":
            return "dir"
        folder, name = posixpath.split(normal)
        try:
            entry = posixpath.join(self._resolve(folder), name)
        except OSError:
            return None
        if entry in self._links:
            return "link"
        if entry in self._files:
            return "file"
        if entry in self._dirs:
            return "dir"
        return None

    def read_bytes(self, path: str) -> bytes | None:
        try:
            return self._files.get(self._resolve(path))
        except OSError:
            return None

    def realpath(self, path: str) -> str:
        real = self._resolve(path)
        if real not in self._files and real not in self._dirs:
            raise FileNotFoundError(2, "No such file or directory", path)
        return real


class Digest(Protocol):
    def update(self, data: bytes, /) -> None: ...


def digest_files(digest: Digest, paths: Iterable[str | os.PathLike[str]]) -> None:
    """Feed each file's name and bytes to `digest` (a marker for an unreadable one):
    how cache keys fold in the code and queries they depend on."""
    for path in paths:
        digest.update(os.path.basename(path).encode() + b"\x00")
        try:
            with open(path, "rb") as handle:
                digest.update(handle.read())
        except OSError:
            digest.update(b"\xff")


def _digest(data: bytes | None) -> str | None:
    return None if data is None else hashlib.blake2b(data, digest_size=16).hexdigest()


class RecordingFS:
    """A FileSystem that keeps, per question, the answer `inner` gave (`facts`)."""

    def __init__(self, inner: FileSystem) -> None:
        self.inner = inner
        self.answers: dict[tuple[str, str], str | None] = {}

    def stat(self, path: str) -> EntryKind | None:
        kind = self.inner.stat(path)
        self.answers["stat", path] = kind
        return kind

    def lstat(self, path: str) -> LinkKind | None:
        kind = self.inner.lstat(path)
        self.answers["lstat", path] = kind
        return kind

    def read_bytes(self, path: str) -> bytes | None:
        data = self.inner.read_bytes(path)
        self.answers["read", path] = _digest(data)
        return data

    def realpath(self, path: str) -> str:
        try:
            real = self.inner.realpath(path)
        except OSError:
            self.answers["realpath", path] = None
            raise
        self.answers["realpath", path] = real
        return real

    def facts(self) -> list[Fact]:
        """Every question asked so far with its answer, in the order first asked."""
        return [(question, path, answer) for (question, path), answer in self.answers.items()]


def answer(fs: FileSystem, question: str, path: str) -> str | None:
    """What `fs` answers now to a Fact's question (ValueError for an unknown one)."""
    if question == "lstat":
        return fs.lstat(path)
    if question == "stat":
        return fs.stat(path)
    if question == "read":
        return _digest(fs.read_bytes(path))
    if question == "realpath":
        try:
            return fs.realpath(path)
        except OSError:
            return None
    raise ValueError(f"unknown file-system question {question!r}")


def facts_hold(facts: Iterable[Fact], fs: FileSystem) -> bool:
    """True when `fs` still gives every recorded answer."""
    return all(answer(fs, question, path) == recorded for question, path, recorded in facts)
