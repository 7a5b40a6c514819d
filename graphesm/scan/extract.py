"""Run the queries over one source and turn the matches into records.

`extract(source, url, commonjs=...)` parses the bytes with tree-sitter, runs
imports.scm (and commonjs.scm for CommonJS files) and syntax.scm on the tree
and returns an `Extraction`: the ImportSites in source order, the syntax
errors, and the syntax signals Node's format detection needs.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field

import tree_sitter

from graphesm.model import ImportKind, ImportSite, ParseProblem
from graphesm.scan import legacy, scope
from graphesm.scan.literals import literal_value, string_value
from graphesm.scan.positions import Positions
from graphesm.scan.queries import load_queries, parser

BOM = b"\xef\xbb\xbf"
_KIND_PREFIX = "kind."
_ASYNC_FUNCTIONS = scope.FUNCTIONS - {"program", "class_static_block"}


@dataclass(frozen=True, slots=True)
class Extraction:
    """What one parse of one source yields.

    Positions are 1-based (line, column in characters). The signal fields
    feed `detect.syntax_format` (Node's detection for typeless .js files):
    `module_syntax_at` is the first import/export declaration or
    `import.meta`, `cjs_retry_at` the first construct that fails only as
    CommonJS (top-level await, top-level let/const/class of a CommonJS
    wrapper name), `esm_incompatible` whether something valid only in
    CommonJS is present (top-level return, with, await in a plain function).
    """

    sites: tuple[ImportSite, ...]
    problems: tuple[ParseProblem, ...] = ()
    has_top_level_await: bool = False
    has_module_syntax: bool = False
    module_syntax_at: tuple[int, int] | None = None
    cjs_retry_at: tuple[int, int] | None = None
    esm_incompatible: bool = False
    attribute_clauses: int = field(default=0, compare=False)


def decode(source: bytes, url: str) -> bytes:
    """The source without its BOM, as UTF-8.

    Node reads a module as UTF-8 and replaces invalid bytes with U+FFFD, then
    parses what it got; so does graphesm (a binary file then fails to parse).
    """
    if source.startswith(BOM):
        source = source[len(BOM) :]
    try:
        source.decode("utf-8")
    except UnicodeDecodeError:
        return source.decode("utf-8", errors="replace").encode("utf-8")
    return source


def _text(node: tree_sitter.Node) -> str:
    raw = node.text
    return raw.decode("utf-8") if raw is not None else ""


def _matches(
    query: tree_sitter.Query, root: tree_sitter.Node
) -> Iterator[dict[str, list[tree_sitter.Node]]]:
    for _, captures in tree_sitter.QueryCursor(query).matches(root):
        yield captures


def _unwrap(node: tree_sitter.Node) -> tree_sitter.Node:
    """The literal inside parentheses (the position babel and editors report)."""
    while node.type == "parenthesized_expression":
        inner = [child for child in node.named_children if child.type != "comment"]
        if len(inner) != 1:
            break
        node = inner[0]
    return node


def _key(node: tree_sitter.Node) -> str | None:
    if node.type in ("property_identifier", "identifier"):
        return _text(node)
    if node.type == "string":
        return string_value(_text(node))
    return None


def object_pairs(node: tree_sitter.Node) -> tuple[tuple[str, str], ...]:
    """Sorted (key, value) pairs of an object literal whose values are literals."""
    pairs: list[tuple[str, str]] = []
    for pair in node.named_children:
        if pair.type != "pair":
            continue
        key_node, value_node = pair.child_by_field_name("key"), pair.child_by_field_name("value")
        if key_node is None or value_node is None:
            continue
        key, value = _key(key_node), literal_value(_text(value_node))
        if key is not None and value is not None:
            pairs.append((key, value))
    return tuple(sorted(pairs))


def _options(node: tree_sitter.Node) -> tuple[tuple[tuple[str, str], ...], str] | None:
    """The attributes in import()'s options object: `{ with: {...} }` or `{ assert: {...} }`."""
    for pair in node.named_children:
        if pair.type != "pair":
            continue
        key_node, value_node = pair.child_by_field_name("key"), pair.child_by_field_name("value")
        if key_node is None or value_node is None or value_node.type != "object":
            continue
        key = _key(key_node)
        if key in ("with", "assert"):
            return object_pairs(value_node), key
    return None


def _clause_pairs(text: bytes) -> tuple[tuple[str, str], ...]:
    tree = parser().parse(b"(" + text + b")")
    found = tree.root_node.descendant_for_byte_range(1, 1 + len(text))
    while found is not None and found.type != "object":
        found = found.parent
    return object_pairs(found) if found is not None else ()


@dataclass(slots=True)
class _Site:
    kind: ImportKind
    node: tree_sitter.Node
    names: list[str] = field(default_factory=list)
    attributes: tuple[tuple[str, str], ...] | None = None
    syntax: str | None = None


def _problems(root: tree_sitter.Node, positions: Positions) -> tuple[ParseProblem, ...]:
    """ParseProblems for the outermost ERROR nodes and every MISSING node."""
    found: list[ParseProblem] = []
    stack = [root]
    while stack:
        node = stack.pop()
        if node.is_missing:
            line, column = positions.of(node)
            what = node.type if node.is_named else f"'{node.type}'"
            found.append(ParseProblem(line, column, f"missing {what}"))
            continue
        if node.is_error:
            line, column = positions.of(node)
            found.append(ParseProblem(line, column, "syntax error"))
            continue
        stack.extend(child for child in node.children if child.has_error)
    return tuple(sorted(set(found), key=lambda p: (p.line, p.column, p.message)))


def _inside(node: tree_sitter.Node, kinds: frozenset[str]) -> tree_sitter.Node | None:
    current = node.parent
    while current is not None:
        if current.type in kinds:
            return current
        current = current.parent
    return None


def _is_async(function: tree_sitter.Node) -> bool:
    return any(child.type == "async" for child in function.children)


def extract(source: bytes, url: str, *, commonjs: bool) -> Extraction:
    """Every import site of one file (see the module docstring)."""
    source = decode(source, url)
    queries = load_queries()
    tree = parser().parse(source)
    clauses: dict[int, legacy.Clause] = {}
    if tree.root_node.has_error and (b"assert" in source or b"with" in source):
        repaired, clauses = legacy.repair(source, tree.root_node)
        if clauses:
            source = repaired
            tree = parser().parse(source)
    root = tree.root_node
    positions = Positions(source)

    sites: dict[int, _Site] = {}
    extras: list[dict[str, list[tree_sitter.Node]]] = []
    for captures in _matches(queries.imports, root):
        for name, nodes in captures.items():
            if name.startswith(_KIND_PREFIX):
                node = nodes[0]
                sites[node.start_byte] = _Site(ImportKind(name[len(_KIND_PREFIX) :]), node)
                break
        else:
            extras.append(captures)
    for captures in extras:
        _attach(captures, sites)
    for start, clause in clauses.items():
        site = sites.get(start)
        if site is not None:
            site.attributes, site.syntax = _clause_pairs(clause.object_text), clause.keyword

    if commonjs:
        calls: list[tree_sitter.Node] = []
        bindings: list[tree_sitter.Node] = []
        for captures in _matches(queries.commonjs, root):
            if "binding" in captures:
                bindings.extend(captures["binding"])
            else:
                calls.extend(captures["kind.require"])
        shadowing = scope.shadowing_scopes(bindings)
        for call in calls:
            if not scope.is_shadowed(call, shadowing):
                sites[call.start_byte] = _Site(ImportKind.REQUIRE, call)

    records = []
    for start in sorted(sites):
        site = sites[start]
        target = site.node
        specifier: str | None = None
        if site.kind is not ImportKind.DYNAMIC_EXPR:
            target = _unwrap(target)
            specifier = literal_value(_text(target))
        line, column = positions.of(target)
        records.append(
            ImportSite(
                file_url=url,
                specifier=specifier,
                kind=site.kind,
                line=line,
                column=column,
                attributes=site.attributes,
                attributes_syntax=site.syntax,
                names=tuple(site.names),
            )
        )

    signals = _signals(root, positions, queries.syntax)
    return Extraction(
        sites=tuple(records),
        problems=_problems(root, positions) if root.has_error else (),
        has_top_level_await=signals.top_level_await,
        has_module_syntax=signals.module_syntax_at is not None,
        module_syntax_at=signals.module_syntax_at,
        cjs_retry_at=signals.cjs_retry_at,
        esm_incompatible=signals.esm_incompatible,
        attribute_clauses=len(clauses),
    )


def _attach(captures: dict[str, list[tree_sitter.Node]], sites: dict[int, _Site]) -> None:
    source = captures["source"][0]
    site = sites.get(source.start_byte)
    if site is None:
        return
    if "name.default" in captures:
        site.names.append("default")
    elif "name.namespace" in captures:
        site.names.append("*")
    elif "name.named" in captures:
        name = captures["name.named"][0]
        site.names.append(string_value(_text(name)) if name.type == "string" else _text(name))
    elif "attributes" in captures:
        site.attributes, site.syntax = object_pairs(captures["attributes"][0]), "with"
    elif "options" in captures:
        found = _options(captures["options"][0])
        if found is not None:
            site.attributes, site.syntax = found


@dataclass(slots=True)
class _Signals:
    module_syntax_at: tuple[int, int] | None = None
    cjs_retry_at: tuple[int, int] | None = None
    top_level_await: bool = False
    esm_incompatible: bool = False


def _signals(root: tree_sitter.Node, positions: Positions, query: tree_sitter.Query) -> _Signals:
    found = _Signals()

    def first(current: tuple[int, int] | None, node: tree_sitter.Node) -> tuple[int, int]:
        here = positions.of(node)
        return here if current is None or here < current else current

    for captures in _matches(query, root):
        for name, nodes in captures.items():
            node = nodes[0]
            if name == "signal.module-syntax":
                found.module_syntax_at = first(found.module_syntax_at, node)
            elif name == "signal.cjs-lexical":
                found.cjs_retry_at = first(found.cjs_retry_at, node)
            elif name == "signal.await":
                function = _inside(node, scope.FUNCTIONS - {"program"})
                if function is None:
                    found.top_level_await = True
                    found.cjs_retry_at = first(found.cjs_retry_at, node)
                elif function.type not in _ASYNC_FUNCTIONS or not _is_async(function):
                    found.esm_incompatible = True
            elif name == "signal.return":
                if _inside(node, scope.FUNCTIONS - {"program"}) is None:
                    found.esm_incompatible = True
            elif name == "signal.with":
                found.esm_incompatible = True
    return found
