"""network-import: measured Node 20.20 behaviour (see graphesm/checks/network.py).

Without flags Node refuses every http:/https: import with
ERR_UNSUPPORTED_ESM_URL_SCHEME (checked here with node, no network needed);
with --experimental-network-imports, http: is allowed only for loopback hosts
(measured by hand: localhost, 127.0.0.2 and [::1] get as far as connecting,
http://example.com and http://0.0.0.0 throw ERR_NETWORK_IMPORT_DISALLOWED).
"""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from graphesm.checks.network import is_loopback
from graphesm.model import Severity
from graphesm.pipeline import scan

SOURCE = (
    "import 'https://example.com/a.js';\n"
    "import 'http://example.com/b.js';\n"
    "import 'http://localhost:8080/c.js';\n"
)


def test_loopback_hosts() -> None:
    assert all(map(is_loopback, ["localhost", "127.0.0.1", "127.0.0.2", "[::1]"]))
    assert not any(map(is_loopback, ["0.0.0.0", "example.com", "localhost.example"]))


@pytest.mark.node
def test_network_imports(node_bin: str, tmp_path: Path) -> None:
    entry = tmp_path / "main.mjs"
    entry.write_text(SOURCE, encoding="utf-8")
    run = subprocess.run([node_bin, str(entry)], capture_output=True, text=True)
    assert "ERR_UNSUPPORTED_ESM_URL_SCHEME" in run.stderr
    result = scan([str(tmp_path)])
    found = {
        str(f.data["specifier"]): f.severity for f in result.findings if f.rule == "network-import"
    }
    assert found == {
        "https://example.com/a.js": Severity.WARNING,
        "http://example.com/b.js": Severity.ERROR,
        "http://localhost:8080/c.js": Severity.WARNING,
    }
