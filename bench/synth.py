"""Deterministic synthetic ES-module project for the benchmark.

    python3 bench/synth.py OUT_DIR --files 10000 [--seed 1]

Same seed and file count give byte-identical trees. Layout:

    package.json                {"type": "module"}
    src/dNNN/mNNNNN.js          100 modules per folder
    data/cNNNN.json             one JSON file per 50 modules

Each module i exports `f_i` and `C_i` and has about 5 imports (3 to 7). The
modules of a folder are split into 16 layers by position; an import goes to a
lower layer of the same folder 70% of the time and of the same or an earlier
folder 30%, so import chains stay short as in real code (the first layer
imports nothing).
3% of imports go back up to a higher layer of the same folder, which closes
cycles inside folders (strongly connected parts of up to 100 modules). Import kinds: named static import 78%, `export {…} from` 8%,
`export * from` 3%, side-effect import 2%, literal dynamic `import()` 9%.
1% of static imports carry a query string (`./mNNNNN.js?v=2`, a separate
module instance for Node), 10% of modules import a JSON file with
`with { type: 'json' }`, 5% import a `node:` builtin. File sizes are
log-normal around 4 KB (about 1-12 KB) of ordinary-looking code.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import random
from pathlib import Path

PER_DIR = 100
JSON_EVERY = 50
GENERATOR_VERSION = 2
LEVELS = 16

_WORDS = [
    "value",
    "item",
    "index",
    "count",
    "total",
    "state",
    "cache",
    "entry",
    "node",
    "edge",
    "buffer",
    "offset",
    "length",
    "result",
    "options",
    "config",
    "handler",
    "source",
    "target",
    "record",
    "token",
    "scope",
    "queue",
    "stack",
    "limit",
    "range",
    "window",
    "frame",
    "batch",
    "chunk",
    "delta",
]


def level(i: int) -> int:
    """Layer 0..LEVELS-1 by position in its folder: non-cycle imports go to a
    lower layer, so import chains are at most LEVELS long, as in real code."""
    return (i % PER_DIR) * LEVELS // PER_DIR


def module_path(i: int) -> str:
    return f"src/d{i // PER_DIR:03d}/m{i:05d}.js"


def rel(from_path: str, to_path: str) -> str:
    r = os.path.relpath(to_path, os.path.dirname(from_path)).replace(os.sep, "/")
    return r if r.startswith("../") else "./" + r


def _filler(rng: random.Random, i: int, n: int, used: list[str]) -> str:
    a, b, c = rng.sample(_WORDS, 3)
    call = f"{used[n % len(used)]}({a}, {n})" if used else f"{a} + {n}"
    return (
        f"\n/**\n * Computes the {a} of a {b} for {c} #{n}.\n"
        f" * @param {{object}} {a}\n * @returns {{number}}\n */\n"
        f"export function {a}_{b}_{i}_{n}({a}, {b} = {{}}) {{\n"
        f"  let {c} = 0;\n"
        f"  for (let k = 0; k < {rng.randint(2, 64)}; k++) {{\n"
        f"    if (({a} ?? 0) > k && {b}.{c} !== undefined) {{\n"
        f"      {c} += k * {rng.randint(1, 997)};\n"
        f"    }} else {{\n"
        f"      {c} -= typeof {call} === 'number' ? 1 : 0;\n"
        f"    }}\n"
        f"  }}\n"
        f"  const label = `{b}-${{{c}}}-{rng.choice(_WORDS)}`;\n"
        f"  return label.length + {c};\n"
        f"}}\n"
    )


def module_source(rng: random.Random, i: int, n_files: int, n_json: int) -> str:
    me = module_path(i)
    lines: list[str] = []
    dynamic: list[str] = []
    used: list[str] = []
    targets: set[int] = set()
    base = i - i % PER_DIR
    top = min(base + PER_DIR, n_files)
    for _ in range(rng.randint(3, 7)):
        for _attempt in range(10):
            if rng.random() < 0.03:  # a cycle: back to a higher level of the same folder
                lo, hi = i + 1, top - 1
                if lo > hi:
                    continue
                j = rng.randint(lo, hi)
            elif level(i) == 0:
                continue  # leaves import nothing else
            elif rng.random() < 0.7:  # a lower level of the same folder
                j = base + rng.randrange(level(i) * PER_DIR // LEVELS)
            else:  # a lower level of this or an earlier folder
                j = rng.randrange(i // PER_DIR + 1) * PER_DIR
                j += rng.randrange(level(i) * PER_DIR // LEVELS)
                if j >= n_files or j == i:
                    continue
            if j not in targets:
                targets.add(j)
                break
        else:
            continue
        spec = rel(me, module_path(j))
        roll = rng.random()
        if roll < 0.78:
            if rng.random() < 0.01:
                spec += f"?v={rng.randint(1, 3)}"
            names = [f"f_{j}"] + ([f"C_{j}"] if rng.random() < 0.5 else [])
            lines.append(f"import {{ {', '.join(names)} }} from '{spec}';")
            used.append(f"f_{j}")
        elif roll < 0.86:
            lines.append(f"export {{ f_{j} as f_{j}_via_{i} }} from '{spec}';")
        elif roll < 0.89:
            lines.append(f"export * from '{spec}';")
        elif roll < 0.91:
            lines.append(f"import '{spec}';")
        else:
            dynamic.append(spec)
    if rng.random() < 0.10 and n_json:
        c = rng.randrange(n_json)
        lines.append(
            f"import config{c} from '{rel(me, f'data/c{c:04d}.json')}' with {{ type: 'json' }};"
        )
    if rng.random() < 0.05:
        lines.append("import { readFile } from 'node:fs/promises';")
    out = [f"// Module {i} of a synthetic benchmark project (generated).", *lines, ""]
    out.append(f"export const C_{i} = {{ id: {i}, name: 'm{i:05d}', weight: {rng.random():.6f} }};")
    out.append(f"export function f_{i}(x) {{\n  return typeof x === 'number' ? x + {i} : {i};\n}}")
    for n, spec in enumerate(dynamic):
        out.append(
            f"\nexport async function load{n}() {{\n"
            f"  const mod = await import('{spec}');\n  return Object.keys(mod).length;\n}}"
        )
    # log-normal size around 4 KB, clipped to 1-12 KB
    size = min(12_000, max(1_000, int(rng.lognormvariate(math.log(3_700), 0.45))))
    text = "\n".join(out) + "\n"
    n = 0
    while len(text) < size:
        text += _filler(rng, i, n, used)
        n += 1
    return text


def generate(out: Path, n_files: int, seed: int = 1) -> None:
    out.mkdir(parents=True, exist_ok=True)
    (out / "package.json").write_text(
        json.dumps({"name": f"synth{n_files}", "private": True, "type": "module"}, indent=2) + "\n"
    )
    n_json = max(1, n_files // JSON_EVERY)
    (out / "data").mkdir(exist_ok=True)
    for c in range(n_json):
        (out / "data" / f"c{c:04d}.json").write_text(
            json.dumps({"name": f"c{c}", "scale": c % 7 + 1, "tags": ["a", "b"]}) + "\n"
        )
    rng = random.Random(seed)
    for i in range(n_files):
        path = out / module_path(i)
        if i % PER_DIR == 0:
            path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(module_source(rng, i, n_files, n_json))


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("out", type=Path)
    ap.add_argument("--files", type=int, default=10_000)
    ap.add_argument("--seed", type=int, default=1)
    a = ap.parse_args()
    generate(a.out, a.files, a.seed)


if __name__ == "__main__":
    main()
