"""The resolver's string fast paths give exactly what the full procedure gives.

graphesm/resolve resolves plain relative specifiers from file: parents with
string operations (urls.resolve_relative_path, EsmResolver.fast_relative),
builds real paths folder by folder, and keys scope lookups by folder URL.
These tests pin each shortcut to its reference:

- the URL helpers against ada itself, on seeded random inputs built from the
  characters where the shortcuts hand over to ada;
- whole resolutions against a reference Resolver with every shortcut switched
  off: every differential fixture case (also under preserve_symlinks) and
  seeded random specifiers over a tree with escaped names and symlinks, same
  url, format, error code and message.

The differential suite (tests/differential/fixture_cases.py, "fast-" cases)
pins the same boundaries to real Node.
"""

from __future__ import annotations

import os
import random
from pathlib import Path
from typing import Any

import pytest
from ada_url import URL
from differential.fixture_cases import build_runtime_tree, raw_cases, restore_modes
from test_resolve_differential import FIXTURE_CASES, _materialise

from graphesm.resolve import Resolver
from graphesm.resolve.errors import ResolveError
from graphesm.resolve.package_json import file_url_folder
from graphesm.resolve.urls import (
    RELATIVE_SPECIFIER,
    decode_uri_component,
    file_href,
    file_url_path,
    path_to_file_url,
    plain_file_pathname,
    resolve_relative_path,
)

# Characters around every boundary of the shortcuts: plain ones, dots and
# slashes, the query/fragment marks, escapes, separators ada rewrites, white
# space, drive-letter punctuation, non-ASCII.
ALPHABET = "ab.../////?#%2e%2F%41%zz\\ \t:|'^`€" + "x" * 4


def _ada(spec: str, base: str | None = None) -> URL | None:
    try:
        return URL(spec, base) if base is not None else URL(spec)
    except ValueError:
        return None


def _random_text(rng: random.Random, size: int) -> str:
    return "".join(rng.choice(ALPHABET) for _ in range(rng.randint(0, size)))


PARENTS = [
    "file:///main.js",
    "file:///a/main.js",
    "file:///a/b/c/main.js",
    "file:///a/b/",
    "file:///a%20b/c%2e/main.js",
    "file:///a//b/main.js",
    "file:///C:/x/main.js",
    "file://host/a/main.js",
    "file:///a/b/main.js?q=1#f",
    "FILE:///a/./b/../c/main.js",
]


def _parent_folder(parent: str) -> str | None:
    """What EsmResolver._parent_folder computes, straight from ada."""
    parsed = _ada(parent)
    assert parsed is not None
    if not parsed.href.startswith("file:///"):
        return None
    pathname = parsed.pathname
    if pathname[1:2].isalpha() and pathname[2:3] in (":", "|") and pathname[3:4] in ("/", ""):
        return None
    return pathname[: pathname.rfind("/") + 1]


def test_resolve_relative_path_is_ada() -> None:
    rng = random.Random(20)
    checked = 0
    for _ in range(40_000):
        spec = rng.choice(["./", "../", "/", ".", ""]) + _random_text(rng, 14)
        match = RELATIVE_SPECIFIER.fullmatch(spec)
        if match is None:
            continue
        parent = rng.choice(PARENTS)
        folder = _parent_folder(parent)
        if folder is None:
            continue
        expected = _ada(spec, parent)
        assert expected is not None, spec
        rel, query, fragment = match.groups()
        pathname = resolve_relative_path(folder, rel)
        assert pathname == expected.pathname, (spec, parent)
        assert ("?" + query if query else "") == expected.search, (spec, parent)
        assert ("#" + fragment if fragment else "") == expected.hash, (spec, parent)
        suffix = ("" if query is None else "?" + query) + (
            "" if fragment is None else "#" + fragment
        )
        assert "file://" + pathname + suffix == expected.href, (spec, parent)
        checked += 1
    assert checked > 3_000


def _reference_file_url_path(url: str) -> str | None:
    parsed = _ada(url)
    if parsed is None or parsed.protocol != "file:" or parsed.hostname != "":
        return None
    if "%2f" in parsed.pathname.lower():
        return None
    try:
        return decode_uri_component(parsed.pathname)
    except ResolveError:
        return None


def test_url_string_helpers_are_ada() -> None:
    rng = random.Random(21)
    for _ in range(30_000):
        url = rng.choice(["file:///", "file:///a/", "file://h/", "file:", "FILE:///", "x:/"])
        url += _random_text(rng, 16)
        parsed = _ada(url)
        plain = plain_file_pathname(url)
        if plain is not None:
            assert parsed is not None and parsed.pathname == plain, url
        assert file_url_path(url) == _reference_file_url_path(url), url
        split = file_url_folder(url)
        if split is not None:
            folder, name = split
            assert parsed is not None, url
            assert parsed.pathname.endswith("/" + name), url
            below = _ada("./package.json", url)
            assert below is not None
            assert below.href == URL("./package.json", folder).href, url


def test_file_href_is_ada() -> None:
    rng = random.Random(22)
    for _ in range(20_000):
        path = "/" + _random_text(rng, 16).replace("?", "q").replace("#", "h")
        path = os.path.normpath(path)
        if path.startswith("//"):
            continue
        expected = _ada(path_to_file_url(path))
        assert expected is not None
        assert file_href(path) == expected.href, path


# -- whole resolutions: shortcuts on versus off ---------------------------------------


def _reference(**options: Any) -> Resolver:
    """A Resolver with every shortcut switched off: the full procedure."""
    resolver = Resolver(**options)
    resolver.esm.fast_relative = lambda specifier, parent_url: None  # type: ignore[method-assign]
    resolver.esm._realpath_by_folder = lambda path: None  # type: ignore[method-assign]
    resolver.packages.scope_config = resolver.packages._scope_config  # type: ignore[method-assign]
    return resolver


def _answer(resolver: Resolver, specifier: str, parent: str, conditions: Any = None) -> Any:
    try:
        found = resolver.resolve(specifier, parent, conditions)
    except ResolveError as error:
        return ("error", error.code, str(error))
    return ("ok", found.url, found.format)


def _takes_fast_path(resolver: Resolver, specifier: str, parent: str) -> bool:
    try:
        return resolver.esm.fast_relative(specifier, parent) is not None
    except ResolveError:  # the format lookup of a file in a broken scope
        return True


@pytest.fixture(scope="module")
def runtime_tree(tmp_path_factory: pytest.TempPathFactory) -> Any:
    root = tmp_path_factory.mktemp("fastpath-runtime")
    build_runtime_tree(root)
    yield root
    restore_modes(root)


@pytest.mark.parametrize("preserve_symlinks", [False, True])
def test_fixture_cases_same_with_and_without_shortcuts(
    runtime_tree: Path, preserve_symlinks: bool
) -> None:
    assert raw_cases()
    shared = Resolver(preserve_symlinks=preserve_symlinks)
    taken = 0
    differ = []
    for cid, spec, parent, conds in FIXTURE_CASES:
        s, p = _materialise(spec, parent, runtime_tree)
        taken += _takes_fast_path(Resolver(preserve_symlinks=preserve_symlinks), s, p)
        expected = _answer(_reference(preserve_symlinks=preserve_symlinks), s, p, conds)
        fresh = _answer(Resolver(preserve_symlinks=preserve_symlinks), s, p, conds)
        # With caches shared over many cases an error message may name an
        # earlier importer (the reader keeps the first broken read): compare codes.
        kept = _answer(shared, s, p, conds)
        if fresh != expected or (
            kept != expected if expected[0] == "ok" else kept[:2] != expected[:2]
        ):
            differ.append((cid, expected, fresh, kept))
    assert not differ, differ[:10]
    assert taken > 100


def _random_tree(root: Path) -> list[str]:
    """Files and folders with escaped names and symlinks; returns parent URLs."""
    files = [
        "package.json",
        "p/main.js",
        "p/x.js",
        "p/.x.js",
        "p/a/x.js",
        "p/a/b/x.mjs",
        "a b/main.js",
        "a b/x.js",
        "a b/a/x.js",
        "€/main.js",
        "€/x.js",
        "q%41/x.js",
        "q%41/main.js",
        "c/package.json",
        "c/x.js",
        "c/main.js",
    ]
    for rel in files:
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        text = '{"type": "commonjs"}' if rel == "c/package.json" else "export {};\n"
        path.write_text('{"type": "module"}' if rel == "package.json" else text)
    os.symlink("x.js", root / "p/ln.js")
    os.symlink("a", root / "p/lna")
    os.symlink("../a b", root / "p/lsp")
    os.symlink("nowhere.js", root / "p/dangling.js")
    return [path_to_file_url(str(root / rel)) for rel in files if rel.endswith("main.js")] + [
        path_to_file_url(str(root / "p/lna/x.js")),
        path_to_file_url(str(root / "p/lsp/x.js")) + "?v=1",
    ]


def test_random_specifiers_same_with_and_without_shortcuts(tmp_path: Path) -> None:
    parents = _random_tree(tmp_path)
    rng = random.Random(23)
    folders = ["a", "b", "..", ".", "", "lna", "lsp", "p", "a b", "a%20b", "€", "%E2%82%AC"]
    folders += ["q%41", "q%2541", "c", "%2e", "x.js"]
    names = ["x.js", "x.js", "x.js", "main.js", "ln.js", "x.mjs", ".x.js", "dangling.js", "lna"]
    for preserve_symlinks in (False, True):
        fast = Resolver(preserve_symlinks=preserve_symlinks)
        reference = _reference(preserve_symlinks=preserve_symlinks)
        taken = 0
        for _ in range(4_000):
            spec = rng.choice(["./", "./", "../", "./../", "../../"])
            spec += "".join(rng.choice(folders) + "/" for _ in range(rng.randint(0, 2)))
            spec += rng.choice(names)
            spec += rng.choice(["", "", "?v=1", "#f", "?", "#", "?a#b", "/"])
            parent = rng.choice(parents)
            taken += _takes_fast_path(fast, spec, parent)
            assert _answer(fast, spec, parent) == _answer(reference, spec, parent), (spec, parent)
        assert taken > 250
