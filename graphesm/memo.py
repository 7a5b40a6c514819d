"""Resolutions remembered between runs.

Stage contract: a successful resolution of an import — keyed by (specifier,
importer folder URL, import kind, attributes; the pipeline files every
loading kind under STATIC), answered by (URL, format) — depends only on what
the resolver read from the file system (the `Fact`s a
`graphesm.fs.RecordingFS` kept) and, through Node's load step, on the format
detected for the target file. `encode` turns a run's answers (each with the
format detected for its target) and facts into one blob for the scan cache;
`decode` gives them back, or None for a blob of the wrong shape (it never
raises). The pipeline trusts remembered answers only when every fact still
holds (`graphesm.fs.facts_hold`), and each one only while its target's
detected format is the one recorded. `context` names what else answers
depend on: the scan root, the options, the Node profile and the code that
makes them.
"""

from __future__ import annotations

import functools
import hashlib
import json
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import orjson

from graphesm.fs import FACT_QUESTIONS, Fact, digest_files
from graphesm.model import ImportKind

__all__ = ["Answer", "Remembered", "SiteKey", "context", "decode", "encode"]

# (specifier, importer folder URL, kind, attributes)
SiteKey = tuple[str, str, ImportKind, tuple[tuple[str, str], ...] | None]
_KINDS = {kind.value: kind for kind in ImportKind}
# The modules whose code decides an answer (with the scanner's, in the namespace).
_ANSWER_CODE = ("resolve", "load.py", "pipeline.py", "fs.py", "memo.py")


# (URL, format after the load step, the format detected for the target file
# that step read, or None): cheap to rebuild by the ten thousand
Answer = tuple[str, str | None, str | None]


@dataclass(frozen=True, slots=True)
class Remembered:
    facts: tuple[Fact, ...]
    answers: Mapping[SiteKey, Answer]


@functools.cache
def _code_digest() -> bytes:
    here = Path(__file__).resolve().parent
    digest = hashlib.blake2b(digest_size=16)
    for name in _ANSWER_CODE:
        found = here / name
        digest_files(digest, sorted(found.glob("*.py")) if found.is_dir() else [found])
    return digest.digest()


def context(
    namespace: bytes,
    root: str,
    conditions: Sequence[str],
    preserve_symlinks: bool,
    node_version: str,
) -> bytes:
    """The key remembered answers are stored under: one per scan root (projects
    sharing a cache folder keep apart) and set of options."""
    digest = hashlib.blake2b(namespace, digest_size=20)
    digest.update(_code_digest())
    value = [root, list(conditions), preserve_symlinks, node_version]
    digest.update(json.dumps(value, ensure_ascii=False).encode("utf-8", "surrogatepass"))
    return digest.digest()


def encode(answers: Mapping[SiteKey, Answer], facts: Iterable[Fact]) -> bytes:
    """The blob for `decode`: answers grouped by importer folder, then the facts."""
    folders: dict[str, list[list[object]]] = {}
    for (specifier, folder, kind, attributes), (url, fmt, detected) in answers.items():
        pairs = None if attributes is None else [list(pair) for pair in attributes]
        folders.setdefault(folder, []).append([specifier, kind, pairs, url, fmt, detected])
    value = [list(folders.items()), [list(fact) for fact in facts]]
    try:
        return orjson.dumps(value)
    except orjson.JSONEncodeError:  # a lone surrogate in a path: not worth remembering
        return orjson.dumps([[], []])


def _text(value: object) -> bool:
    return value is None or type(value) is str


def _answers(raw: Any) -> dict[SiteKey, Answer]:
    found: dict[SiteKey, Answer] = {}
    for folder, rows in raw:
        if type(folder) is not str or type(rows) is not list:
            raise TypeError("folder")
        for specifier, kind, attributes, url, fmt, detected in rows:
            if not (type(specifier) is str and type(url) is str and _text(fmt) and _text(detected)):
                raise TypeError("answer")
            pairs = None
            if attributes is not None:
                pairs = tuple((str(key), str(value)) for key, value in attributes)
            found[specifier, folder, _KINDS[kind], pairs] = (url, fmt, detected)
    return found


def _facts(raw: Any) -> tuple[Fact, ...]:
    facts = []
    for question, path, answer in raw:
        if question not in FACT_QUESTIONS or type(path) is not str or not _text(answer):
            raise TypeError("fact")
        facts.append((question, path, answer))
    return tuple(facts)


def decode(blob: bytes) -> Remembered | None:
    """What `encode` stored, or None when `blob` is not of that shape."""
    try:
        answers, facts = orjson.loads(blob)
        return Remembered(_facts(facts), _answers(answers))
    except (ValueError, TypeError, KeyError):
        return None
