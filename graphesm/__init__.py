"""graphesm: the import graph of a JavaScript code base, resolved exactly as Node.js does.

Public API: `resolve()` and `Resolver` (the Node-faithful resolver),
`ResolveError`, `scan()` and `ScanResult` (the whole pipeline).
"""

from __future__ import annotations

from graphesm.model import Resolved, ScanResult
from graphesm.resolve import Resolver, resolve
from graphesm.resolve.errors import ResolveError

__version__ = "0.1.0"

__all__ = ["ResolveError", "Resolved", "Resolver", "ScanResult", "__version__", "resolve"]
