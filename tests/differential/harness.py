"""Run Node's own ES-module resolver on a batch of cases, in one node process.

`run_node(cases)` writes the cases to a JSON file and runs resolve_cases.mjs,
which registers resolve_hooks.mjs (module.register) and lets its resolve hook
call Node's default resolver (nextResolve) once per case with the case's
parentURL and conditions. Each answer is `{"url", "format"}` or
`{"error": code, "message"}`; `error` is `e.code ?? e.name`.
"""

from __future__ import annotations

import json
import subprocess
import tempfile
from collections.abc import Sequence
from pathlib import Path
from typing import Any

HERE = Path(__file__).parent
SCRIPT = HERE / "resolve_cases.mjs"

# Condition sets the suite runs under. None: Node's defaults (what a plain
# `import` gets); a list replaces the defaults exactly, like a resolve hook's
# context.conditions.
CONDITION_SETS: dict[str, list[str] | None] = {
    "default": None,
    "require": ["node", "require"],
    "browser": ["browser", "import"],
    "development": ["development", "node", "import"],
    "react-server": ["react-server", "node", "import"],
    "worker": ["worker", "import"],
    "empty": [],
}


def run_node(
    node_bin: str,
    cases: Sequence[dict[str, Any]],
    node_args: Sequence[str] = (),
    timeout: float = 120,
) -> dict[str, Any]:
    """Node's answer for each case: {"node", "defaultConditions", "results": [...]}."""
    with tempfile.TemporaryDirectory(prefix="graphesm-node-") as tmp:
        cases_file = Path(tmp) / "cases.json"
        out_file = Path(tmp) / "out.json"
        payload = [
            {
                "specifier": c["specifier"],
                "parent": c["parent"],
                "conditions": c.get("conditions"),
            }
            for c in cases
        ]
        cases_file.write_text(json.dumps(payload), encoding="utf-8")
        proc = subprocess.run(
            [node_bin, *node_args, str(SCRIPT), str(cases_file), str(out_file)],
            capture_output=True,
            text=True,
            timeout=timeout,
        )
        if proc.returncode != 0 or not out_file.is_file():
            raise RuntimeError(
                f"node harness failed (exit {proc.returncode}):\n{proc.stderr[-4000:]}"
            )
        answer: dict[str, Any] = json.loads(out_file.read_text(encoding="utf-8"))
    if len(answer["results"]) != len(cases):
        raise RuntimeError("node harness returned a different number of results")
    return answer


def graphesm_answer(
    specifier: str, parent: str, conditions: Sequence[str] | None, resolver: Any = None
) -> dict[str, Any]:
    """graphesm's answer in the harness's shape (imports graphesm lazily)."""
    from graphesm import ResolveError, resolve

    try:
        if resolver is not None:
            r = resolver.resolve(specifier, parent, conditions=conditions)
        else:
            r = resolve(specifier, parent, conditions=conditions)
    except ResolveError as e:
        return {"error": e.code, "message": str(getattr(e, "message", e))}
    except Exception as e:  # a crash is a mismatch too, with its type
        return {"crash": f"{type(e).__name__}: {e}"[:500]}
    return {"url": r.url, "format": r.format}


def node_crashed(node: dict[str, Any]) -> bool:
    """Node threw a plain JS error (URIError, TypeError) rather than an ERR_* code."""
    return "error" in node and not str(node["error"]).startswith("ERR_")


def same(node: dict[str, Any], ours: dict[str, Any]) -> bool:
    if node_crashed(node):
        # Issue 2: where Node itself crashes, a clear ResolveError (any code) is right.
        return "error" in ours
    if "error" in node:
        return ours.get("error") == node["error"]
    return (
        ours.get("url") == node["url"]
        and ours.get("format") == node["format"]
        and "error" not in ours
    )


def short(answer: dict[str, Any], limit: int = 300) -> str:
    if "error" in answer:
        text = f"error {answer['error']}: {answer.get('message', '')}"
    elif "crash" in answer:
        text = f"CRASH {answer['crash']}"
    else:
        text = f"{answer['url']} [{answer['format']}]"
    return text if len(text) <= limit else text[:limit] + "…"
