"""Find the JavaScript files under the scan paths.

Every `.js .mjs .cjs .jsx` file under each path, in sorted order, without
descending into `node_modules` or hidden folders below a path (a path given
explicitly is always scanned). Directory symlinks are followed once per real
directory, so loops end; unreadable directories are skipped and reported.
"""

from __future__ import annotations

import os
from collections.abc import Iterable

EXTENSIONS = frozenset({".js", ".mjs", ".cjs", ".jsx"})


def _skipped(name: str) -> bool:
    return name == "node_modules" or name.startswith(".")


def walk(
    paths: Iterable[str], *, root: str, real: bool = False
) -> tuple[list[str], list[tuple[str, str]]]:
    """(files, problems): absolute file paths, and (path, one-line problem) pairs.

    Relative `paths` are taken from `root`. With `real`, each file is given
    by its real path (symlinks resolved), as Node names modules.
    """
    files: set[str] = set()
    problems: list[tuple[str, str]] = []
    seen_dirs: set[str] = set()
    for given in paths:
        start = os.path.normpath(os.path.join(root, given))
        if os.path.isfile(start):
            files.add(os.path.realpath(start) if real else start)
            continue
        if not os.path.isdir(start):
            problems.append((start, "no such file or directory"))
            continue
        stack = [start]
        while stack:
            folder = stack.pop()
            real_folder = os.path.realpath(folder)
            if real_folder in seen_dirs:
                continue
            seen_dirs.add(real_folder)
            try:
                entries = sorted(os.scandir(folder), key=lambda entry: entry.name)
            except OSError as error:
                problems.append((folder, f"cannot read directory: {error.strerror or error}"))
                continue
            for entry in entries:
                try:
                    is_dir = entry.is_dir()
                    is_file = not is_dir and entry.is_file()
                except OSError:
                    is_dir = is_file = False
                if (
                    not is_dir
                    and not is_file
                    and entry.is_symlink()
                    and os.path.splitext(entry.name)[1] in EXTENSIONS
                ):
                    problems.append((entry.path, "broken symbolic link (dangling, or a loop)"))
                    continue
                if is_dir:
                    if not _skipped(entry.name):
                        stack.append(entry.path)
                elif is_file and os.path.splitext(entry.name)[1] in EXTENSIONS:
                    if real and (folder != real_folder or entry.is_symlink()):
                        files.add(os.path.realpath(entry.path))
                    else:
                        files.add(entry.path)
    return sorted(files), sorted(problems)
