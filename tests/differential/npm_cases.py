"""Subpath specifiers for the real npm packages (tests/npm/package.json).

For each package: the bare name, every key of its `exports` map (pattern keys
expanded against the files that exist, through every string target the key
can lead to), and a few subpaths that are not exported or do not exist.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

PACKAGES = [
    "react",
    "react-dom",
    "preact",
    "vue",
    "zod",
    "uuid",
    "nanoid",
    "chalk",
    "supports-color",
    "graphql",
    "solid-js",
    "@reduxjs/toolkit",
    "undici",
    "ws",
    "express",
    "immer",
    "rxjs",
    "date-fns",
    "lodash-es",
    "three",
    "@babel/parser",
    "es-module-lexer",
    "cjs-module-lexer",
]
MAX_EXPANSIONS_PER_KEY = 40


def _targets(value: Any) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, list):
        return [t for item in value for t in _targets(item)]
    if isinstance(value, dict):
        return [t for item in value.values() for t in _targets(item)]
    return []


def _files(pkg_dir: Path) -> list[str]:
    out = []
    for dirpath, dirnames, filenames in os.walk(pkg_dir):
        dirnames[:] = sorted(d for d in dirnames if d != "node_modules")
        for f in sorted(filenames):
            out.append(os.path.relpath(os.path.join(dirpath, f), pkg_dir).replace(os.sep, "/"))
    return out


def package_specifiers(node_modules: Path, name: str) -> list[str]:
    pkg_dir = node_modules / name
    pj = json.loads((pkg_dir / "package.json").read_text(encoding="utf-8"))
    exports = pj.get("exports")
    files = _files(pkg_dir)
    specs: list[str] = [
        name,
        f"{name}/package.json",
        f"{name}/does-not-exist",
        f"{name}/does-not-exist.js",
    ]
    if isinstance(pj.get("main"), str):
        specs.append(f"{name}/{pj['main'].removeprefix('./')}")
    keys: list[str] = []
    if isinstance(exports, dict) and exports and all(k.startswith(".") for k in exports):
        keys = list(exports)
        for key in keys:
            if "*" not in key:
                specs.append(name if key == "." else name + key[1:])
                continue
            prefix, _, suffix = key.partition("*")
            found: list[str] = []
            for target in _targets(exports[key]):
                if "*" not in target or not target.startswith("./"):
                    continue
                t_prefix, _, t_suffix = target[2:].partition("*")
                t_suffix = t_suffix.split("*")[0]
                for f in files:
                    if (
                        f.startswith(t_prefix)
                        and f.endswith(t_suffix)
                        and len(f) >= len(t_prefix) + len(t_suffix)
                    ):
                        star = (
                            f[len(t_prefix) : len(f) - len(t_suffix)]
                            if t_suffix
                            else f[len(t_prefix) :]
                        )
                        if star:
                            found.append(star)
            for star in sorted(set(found))[:MAX_EXPANSIONS_PER_KEY]:
                specs.append(name + prefix[1:] + star + suffix)
            specs.append(name + prefix[1:] + "no-such-thing" + suffix)
    # some files that exist but are (maybe) not exported, with and without extension
    sample = [f for f in files if f.endswith((".js", ".mjs", ".cjs", ".json"))][
        :: max(1, len(files) // 8)
    ][:8]
    for f in sample:
        specs.append(f"{name}/{f}")
        stem = f.rsplit(".", 1)[0]
        specs.append(f"{name}/{stem}")
    seen: set[str] = set()
    return [s for s in specs if not (s in seen or seen.add(s))]
