"""DOT reporter: ScanResult -> Graphviz source (built with the ``graphviz`` package).

Stage contract
--------------
``render(result)`` is pure and deterministic (byte-identical for equal results)
and returns DOT source that the ``dot`` binary accepts.

Layout
  * local modules are grouped in one cluster per folder (their ``path``
    relative to the scan root; ``.`` for the root folder), labelled with the
    folder; the node label is the relative path, plus the URL's ``?query`` /
    ``#fragment`` so distinct module instances of one file stay distinguishable;
  * package modules are grouped in one cluster per ``name@version``; the node
    label is the package subpath (the path below ``node_modules/<name>/``);
  * ``builtin`` (``node:fs``), ``data`` and ``network`` modules are drawn
    outside clusters, each kind with its own shape and colour.
Node ids are ``m<N>`` (N = position in URL order) and ``e<N>`` for error nodes,
so no user string ever becomes a DOT identifier; the URL is in ``tooltip``.

Edges
  one DOT edge per (importer, imported, import kind); the tooltip lists every
  site ``line:column specifier``. Style by kind: ``static`` solid black,
  ``side-effect`` grey with an open arrow, ``export-from`` blue with a diamond
  head, ``dynamic`` dashed, ``require`` green with a dot head,
  ``import-meta-resolve`` dotted purple. ``dynamic-expr`` imports have no
  specifier and are not drawn.

Problems
  * an unresolved import is a red edge to an error node (one per importer,
    specifier and error code) labelled with Node's error code and the specifier;
  * edges along a ``cycle`` finding (``data.modules`` = module URLs in import
    order) are drawn bold orange;
  * modules named by a ``duplicate-instance`` finding (its location, related
    locations and any URLs listed in ``data.modules`` / ``data.urls``) get a
    double orange border.

Every label and tooltip is escaped (backslashes doubled, quotes escaped by the
``graphviz`` quoting, ``<…>`` never taken as HTML, control characters as
spaces); non-ASCII text is kept as is (DOT is UTF-8).
"""

from __future__ import annotations

import posixpath
import re
from collections.abc import Iterable, Mapping

import graphviz

from graphesm.model import Finding, ImportKind, Module, ModuleKind, Resolution, ScanResult

__all__ = ["render"]

_CONTROL = re.compile(r"[\x00-\x1f\x7f]")
_DATA_LABEL_MAX = 48

_EDGE_STYLE: Mapping[str, Mapping[str, str]] = {
    ImportKind.STATIC: {"color": "black"},
    ImportKind.SIDE_EFFECT: {"color": "gray45", "arrowhead": "onormal"},
    ImportKind.EXPORT_FROM: {"color": "royalblue3", "arrowhead": "diamond"},
    ImportKind.DYNAMIC: {"color": "black", "style": "dashed"},
    ImportKind.DYNAMIC_EXPR: {"color": "gray45", "style": "dashed"},
    ImportKind.REQUIRE: {"color": "forestgreen", "arrowhead": "dot"},
    ImportKind.IMPORT_META_RESOLVE: {"color": "purple", "style": "dotted", "arrowhead": "vee"},
}

_FORMAT_FILL: Mapping[str | None, str] = {
    "module": "#e3ecfa",
    "commonjs": "#fdf0d8",
    "json": "#e4f4e4",
    "wasm": "#efe3f7",
    "addon": "#f5e1e1",
}

_KIND_NODE_STYLE: Mapping[ModuleKind, Mapping[str, str]] = {
    ModuleKind.BUILTIN: {
        "shape": "component",
        "style": "filled",
        "fillcolor": "#dddddd",
    },
    ModuleKind.DATA: {"shape": "note", "style": "filled", "fillcolor": "#fff9c4"},
    ModuleKind.NETWORK: {
        "shape": "box",
        "style": "filled,dashed",
        "fillcolor": "#e0f7fa",
        "color": "darkcyan",
    },
}


def _text(value: str) -> str:
    """One line of user text, escaped for a DOT escString."""
    return str(graphviz.escape(_CONTROL.sub(" ", value)))


def _label(*lines: str) -> str:
    """A multi-line DOT label (``\\n`` separated), never taken as an HTML label."""
    label: str = graphviz.nohtml("\\n".join(_text(line) for line in lines))
    return label


def _suffix(url: str) -> str:
    """The ``?query#fragment`` part of a URL, or ''."""
    cut = [i for i in (url.find("?"), url.find("#")) if i >= 0]
    return url[min(cut) :] if cut else ""


def _folder(module: Module) -> str:
    folder = posixpath.dirname(module.path or "")
    return folder or "."


def _package_subpath(module: Module) -> str:
    path = module.path or module.url
    if module.package is not None:
        marker = f"node_modules/{module.package.name}/"
        index = path.rfind(marker)
        if index >= 0:
            return path[index + len(marker) :]
    return path


def _package_key(module: Module) -> str:
    if module.package is None:
        return "(unknown package)"
    version = module.package.version
    return f"{module.package.name}@{version}" if version else module.package.name


def _node_label(module: Module) -> str:
    if module.kind is ModuleKind.LOCAL:
        return _label((module.path or module.url) + _suffix(module.url))
    if module.kind is ModuleKind.PACKAGE:
        return _label(_package_subpath(module) + _suffix(module.url))
    if module.kind is ModuleKind.DATA and len(module.url) > _DATA_LABEL_MAX:
        return _label(module.url[: _DATA_LABEL_MAX - 1] + "…")
    return _label(module.url)


def _node_attrs(module: Module, duplicated: bool) -> dict[str, str]:
    attrs: dict[str, str] = {"label": _node_label(module), "tooltip": _label(module.url)}
    if module.kind in _KIND_NODE_STYLE:
        attrs.update(_KIND_NODE_STYLE[module.kind])
    else:
        attrs.update(
            {
                "shape": "box",
                "style": "rounded,filled",
                "fillcolor": _FORMAT_FILL.get(module.format, "white"),
            }
        )
    if duplicated:
        attrs.update({"peripheries": "2", "color": "darkorange", "penwidth": "2"})
    return attrs


def _cycle_edges(findings: Iterable[Finding]) -> set[tuple[str, str]]:
    edges: set[tuple[str, str]] = set()
    for finding in findings:
        if finding.rule != "cycle":
            continue
        modules = finding.data.get("modules")
        if not isinstance(modules, list | tuple):
            continue
        urls = [u for u in modules if isinstance(u, str)]
        if len(urls) > 1 and urls[0] == urls[-1]:
            urls = urls[:-1]
        for index, url in enumerate(urls):
            edges.add((url, urls[(index + 1) % len(urls)]))
    return edges


def _duplicate_modules(findings: Iterable[Finding]) -> set[str]:
    urls: set[str] = set()
    for finding in findings:
        if finding.rule != "duplicate-instance":
            continue
        urls.add(finding.location.url)
        urls.update(location.url for location in finding.related)
        for key in ("modules", "urls"):
            listed = finding.data.get(key)
            if isinstance(listed, list | tuple):
                urls.update(u for u in listed if isinstance(u, str))
    return urls


def _site_line(resolution: Resolution) -> str:
    site = resolution.site
    return f"{site.line}:{site.column} {site.specifier if site.specifier is not None else '?'}"


def _first_line(message: str | None) -> str:
    return message.splitlines()[0] if message else ""


def _sort_key(resolution: Resolution) -> tuple[str, int, int, str, str]:
    site = resolution.site
    return (site.file_url, site.line, site.column, str(site.kind), site.specifier or "")


def render(result: ScanResult) -> str:
    """Render ``result`` as Graphviz DOT source (see the module docstring)."""
    dot = graphviz.Digraph("graphesm")
    dot.attr(rankdir="LR", fontname="Helvetica", compound="true", newrank="true")
    dot.attr("node", fontname="Helvetica", fontsize="10")
    dot.attr("edge", fontname="Helvetica", fontsize="9")

    modules = sorted(result.modules, key=lambda m: m.url)
    ids: dict[str, str] = {m.url: f"m{index}" for index, m in enumerate(modules)}
    duplicated = _duplicate_modules(result.findings)

    extra: list[str] = []

    def node_id(url: str) -> str:
        """Id for a URL, adding a plain node for a URL that is not among the modules."""
        if url not in ids:
            ids[url] = f"m{len(ids)}"
            extra.append(url)
        return ids[url]

    local: dict[str, list[Module]] = {}
    packages: dict[str, list[Module]] = {}
    others: list[Module] = []
    for module in modules:
        if module.kind is ModuleKind.LOCAL:
            local.setdefault(_folder(module), []).append(module)
        elif module.kind is ModuleKind.PACKAGE:
            packages.setdefault(_package_key(module), []).append(module)
        else:
            others.append(module)

    cluster_index = 0
    for title, group, style in [
        *((folder, local[folder], "local") for folder in sorted(local)),
        *((key, packages[key], "package") for key in sorted(packages)),
    ]:
        with dot.subgraph(name=f"cluster_{cluster_index}") as sub:
            cluster_index += 1
            sub.attr(label=_label(title), tooltip=_label(title))
            if style == "package":
                sub.attr(style="filled", fillcolor="#f4f0fa", color="#9a86c2")
            else:
                sub.attr(style="rounded", color="gray60")
            for module in group:
                sub.node(ids[module.url], **_node_attrs(module, module.url in duplicated))
    for module in others:
        dot.node(ids[module.url], **_node_attrs(module, module.url in duplicated))

    cycle = _cycle_edges(result.findings)
    edges: dict[tuple[str, str, str], list[Resolution]] = {}
    errors: dict[tuple[str, str, str], list[Resolution]] = {}
    for resolution in sorted(result.imports, key=_sort_key):
        site = resolution.site
        if resolution.url is not None:
            edges.setdefault((site.file_url, resolution.url, str(site.kind)), []).append(resolution)
        elif resolution.error_code is not None and site.specifier is not None:
            key = (site.file_url, site.specifier, resolution.error_code)
            errors.setdefault(key, []).append(resolution)

    edge_lines: list[tuple[str, str, dict[str, str]]] = []
    for (source, target, kind), sites in sorted(edges.items()):
        attrs = dict(_EDGE_STYLE.get(kind, {}))
        attrs["tooltip"] = _label(kind, *(_site_line(r) for r in sites))
        if (source, target) in cycle:
            attrs.update({"color": "darkorange", "penwidth": "2.5", "style": "bold"})
            if kind in (ImportKind.DYNAMIC, ImportKind.DYNAMIC_EXPR):
                attrs["style"] = "bold,dashed"
        load_errors = sorted({r.error_code for r in sites if r.error_code is not None})
        if load_errors:
            # Resolved, but Node refuses to load it (e.g. https:, a .ts file).
            attrs.update({"color": "red", "fontcolor": "red3", "label": _label(*load_errors)})
        edge_lines.append((node_id(source), node_id(target), attrs))

    for index, ((source, specifier, code), sites) in enumerate(sorted(errors.items())):
        error_id = f"e{index}"
        dot.node(
            error_id,
            label=_label(code, specifier),
            tooltip=_label(_first_line(sites[0].message) or code),
            shape="box",
            style="filled",
            color="red",
            fontcolor="red3",
            fillcolor="#fdecea",
        )
        kinds = sorted({str(r.site.kind) for r in sites})
        attrs = dict(_EDGE_STYLE.get(kinds[0], {}))
        attrs.update(
            {
                "color": "red",
                "fontcolor": "red3",
                "tooltip": _label(", ".join(kinds), *(_site_line(r) for r in sites)),
            }
        )
        edge_lines.append((node_id(source), error_id, attrs))

    for url in extra:
        dot.node(ids[url], label=_label(url), tooltip=_label(url), shape="box", style="dotted")
    for source_id, target_id, attrs in edge_lines:
        dot.edge(source_id, target_id, **attrs)
    text: str = dot.source
    return text
