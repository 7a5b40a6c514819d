"""The Node.js version graphesm models, and every behaviour that depends on it.

Stage contract: one frozen `NodeProfile` per supported Node version; nothing
else in graphesm hard-codes version-dependent behaviour. Values were read off
the real binary (`require('module').builtinModules`, `node:`-only imports,
the default resolve conditions seen by a resolve hook).
"""

from __future__ import annotations

from dataclasses import dataclass

_NODE20_BUILTINS = frozenset(
    {
        "_http_agent", "_http_client", "_http_common", "_http_incoming", "_http_outgoing",
        "_http_server", "_stream_duplex", "_stream_passthrough", "_stream_readable",
        "_stream_transform", "_stream_wrap", "_stream_writable", "_tls_common", "_tls_wrap",
        "assert", "assert/strict", "async_hooks", "buffer", "child_process", "cluster",
        "console", "constants", "crypto", "dgram", "diagnostics_channel", "dns",
        "dns/promises", "domain", "events", "fs", "fs/promises", "http", "http2", "https",
        "inspector", "inspector/promises", "module", "net", "os", "path", "path/posix",
        "path/win32", "perf_hooks", "process", "punycode", "querystring", "readline",
        "readline/promises", "repl", "stream", "stream/consumers", "stream/promises",
        "stream/web", "string_decoder", "sys", "timers", "timers/promises", "tls",
        "trace_events", "tty", "url", "util", "util/types", "v8", "vm", "wasi",
        "worker_threads", "zlib",
    }
)  # fmt: skip


@dataclass(frozen=True, slots=True)
class NodeProfile:
    """What one Node version does where versions differ."""

    version: str
    # Builtins importable without the `node:` scheme (`require('module').builtinModules`).
    builtins: frozenset[str]
    # Builtins that exist only with the `node:` scheme.
    scheme_only_builtins: frozenset[str]
    # Conditions of an `import` when the caller passes none (`node`, `import`, …).
    import_conditions: tuple[str, ...]
    # Conditions of `require()` (the CommonJS loader's set).
    require_conditions: tuple[str, ...]
    # Typeless `.js` files are syntax-detected at load (format undecided at resolve).
    detect_module: bool
    # `require()` of an ES module is allowed (unless its graph has top-level await).
    require_module: bool
    # URL schemes the default ESM loader loads.
    loadable_schemes: tuple[str, ...]

    def is_builtin(self, name: str) -> bool:
        """`BuiltinModule.canBeRequiredWithoutScheme`."""
        return name in self.builtins

    def is_scheme_builtin(self, name: str) -> bool:
        """Whether `node:<name>` names a builtin."""
        return name in self.builtins or name in self.scheme_only_builtins


NODE_20 = NodeProfile(
    version="20.20.2",
    builtins=_NODE20_BUILTINS,
    scheme_only_builtins=frozenset({"test", "test/reporters", "sea"}),
    import_conditions=("node", "import", "module-sync", "node-addons"),
    require_conditions=("require", "node", "module-sync", "node-addons"),
    detect_module=True,
    require_module=True,
    loadable_schemes=("file", "data", "node"),
)

DEFAULT_PROFILE = NODE_20
