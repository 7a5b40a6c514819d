"""Resolutions remembered between runs (graphesm.memo) are never stale.

A warm run reuses the previous run's successful resolutions only while every
file-system fact they were derived from still holds and each target's
detected format is unchanged. Each case below changes the fixture project
(tests/fixtures/memo/project) after a cached run in one way that moves a
resolution, and checks that the next cached run says exactly what a run
without any cache says.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest

from graphesm import memo
from graphesm.fs import RealFS, RecordingFS, facts_hold
from graphesm.model import ImportKind
from graphesm.pipeline import scan
from graphesm.report.json import render
from graphesm.resolve import Resolver

FIXTURE = Path(__file__).parent / "fixtures" / "memo" / "project"


def _project(tmp_path: Path) -> Path:
    root = tmp_path / "project"
    shutil.copytree(FIXTURE, root)
    os.symlink("../targets/one", root / "src" / "link")
    return root


def _write(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text)


def _delete_target(root: Path) -> None:
    (root / "src" / "b.js").unlink()


def _create_missing_target(root: Path) -> None:
    _write(root / "src" / "later.js", "export default 'later';\n")


def _target_becomes_folder(root: Path) -> None:
    (root / "src" / "b.js").unlink()
    _write(root / "src" / "b.js" / "index.js", "export default 'b';\n")


def _nearer_package(root: Path) -> None:
    pkg = root / "src" / "node_modules" / "dep"
    _write(pkg / "package.json", '{"name": "dep", "exports": {".": "./near.js"}}')
    _write(pkg / "near.js", "export default 'near';\n")


def _exports_change(root: Path) -> None:
    _write(
        root / "node_modules" / "dep" / "package.json",
        '{"name": "dep", "exports": {".": "./other.js", "./alt": "./alt.js"}}',
    )


def _subpath_unexported(root: Path) -> None:
    _write(
        root / "node_modules" / "dep" / "package.json", '{"name": "dep", "exports": "./main.js"}'
    )


def _scope_type_change(root: Path) -> None:
    _write(root / "lib" / "package.json", '{"name": "lib", "type": "commonjs"}')


def _detected_syntax_change(root: Path) -> None:
    _write(root / "lib" / "x.js", "exports.x = 'cjs';\n")


def _symlink_retarget(root: Path) -> None:
    link = root / "src" / "link"
    link.unlink()
    os.symlink("../targets/two", link)


def _content_edit(root: Path) -> None:
    _write(root / "src" / "b.js", "export default 'b, edited';\nimport './a.js';\n")


def _questions_to_the_resolver(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The specifiers Resolver.resolve is asked about from now on."""
    asked: list[str] = []
    real = Resolver.resolve

    def counting(self: Resolver, specifier: str, parent: str, conditions: object = None) -> object:
        asked.append(specifier)
        return real(self, specifier, parent, conditions)  # type: ignore[arg-type]

    monkeypatch.setattr(Resolver, "resolve", counting)
    return asked


CHANGES: dict[str, Callable[[Path], None]] = {
    "deleted-target-fails-to-resolve": _delete_target,
    "created-file-now-resolves": _create_missing_target,
    "file-replaced-by-folder": _target_becomes_folder,
    "nearer-node_modules-package-shadows": _nearer_package,
    "exports-target-changed": _exports_change,
    "subpath-no-longer-exported": _subpath_unexported,
    "scope-type-changed": _scope_type_change,
    "syntax-detected-format-changed": _detected_syntax_change,
    "symlink-retargeted": _symlink_retarget,
    "content-edit-keeps-resolutions": _content_edit,
}


@pytest.mark.parametrize("change", CHANGES.values(), ids=CHANGES.keys())
def test_cached_run_after_a_change_equals_an_uncached_run(
    tmp_path: Path, change: Callable[[Path], None]
) -> None:
    root = _project(tmp_path)
    cache = str(tmp_path / "cache")
    before = render(scan([str(root)], cache=cache))
    assert render(scan([str(root)], cache=cache)) == before  # served from the memo
    change(root)
    uncached = render(scan([str(root)], cache=False))
    assert uncached != before or change is _content_edit
    assert render(scan([str(root)], cache=cache)) == uncached
    assert render(scan([str(root)], cache=cache)) == uncached


def test_warm_run_asks_the_resolver_only_about_failures(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = _project(tmp_path)
    cache = str(tmp_path / "cache")
    scan([str(root)], cache=cache)
    asked = _questions_to_the_resolver(monkeypatch)
    scan([str(root)], cache=cache)
    assert asked == ["./later.js"]  # the one import that does not resolve


def test_projects_sharing_a_cache_folder_keep_their_own_memos(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    first, second = _project(tmp_path / "a"), _project(tmp_path / "b")
    cache = str(tmp_path / "cache")
    scan([str(first)], cache=cache)
    scan([str(second)], cache=cache)
    asked = _questions_to_the_resolver(monkeypatch)
    scan([str(first)], cache=cache)
    assert asked == ["./later.js"]


def test_recording_fs_facts_hold_until_the_tree_changes(tmp_path: Path) -> None:
    root = _project(tmp_path)
    fs = RecordingFS(RealFS())
    assert fs.stat(str(root / "src" / "b.js")) == "file"
    assert fs.lstat(str(root / "src" / "link")) == "link"
    assert fs.read_bytes(str(root / "package.json")) is not None
    assert fs.stat(str(root / "src" / "later.js")) is None
    assert fs.realpath(str(root / "src" / "link")) == str(root / "targets" / "one")
    facts = fs.facts()
    assert [question for question, _, _ in facts] == ["stat", "lstat", "read", "stat", "realpath"]
    assert facts_hold(facts, RealFS())
    _create_missing_target(root)
    assert not facts_hold(facts, RealFS())


@pytest.mark.parametrize(
    "blob",
    [b"", b"not json", b"[]", b'[[], [["ask", "/x", null]]]', b'[[["/f/", [[1]]]], []]'],
    ids=["empty", "not-json", "wrong-shape", "unknown-question", "bad-answer-row"],
)
def test_damaged_memo_is_ignored(blob: bytes) -> None:
    assert memo.decode(blob) is None


def test_memo_round_trips() -> None:
    key = ("./b.js", "file:///p/src/", ImportKind.STATIC, (("type", "json"),))
    answers: dict[memo.SiteKey, memo.Answer] = {key: ("file:///p/src/b.js", "module", "module")}
    facts = [("lstat", "/p/src/b.js", "file"), ("read", "/p/package.json", None)]
    remembered = memo.decode(memo.encode(answers, facts))
    assert remembered is not None
    assert dict(remembered.answers) == answers
    assert list(remembered.facts) == facts
