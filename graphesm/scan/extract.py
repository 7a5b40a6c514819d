"""Run the queries over one source and turn the matches into records.

Stage contract: bytes in, records out (`ImportSite`, `ParseProblem` and this
module's `Extraction`); no file access, no resolution, no printing.

`extract(source, url, commonjs=...)` parses the bytes with tree-sitter, runs
imports.scm (and commonjs.scm for CommonJS files) and syntax.scm on the tree
and returns an `Extraction`: the ImportSites in source order, the syntax
errors, and the syntax signals Node's format detection needs. `Parsed` is the
same work done on demand: `scan_file` asks only for what its format needs.

Walking less of the tree: every pattern group has anchor keywords
(`queries.ANCHORS`), one of which is a token of the root node of each of its
matches. In a tree without errors every token is the literal text it stands
for, as a whole word, so every match lies inside a top-level statement where
an anchor occurs as a word, and its root node overlaps those bytes. A pass
runs its query on each such statement only (the statement node is the
cursor's root), with the byte range set from the statement's first anchor
to the end of its last: tree-sitter starts a pattern only at nodes that
intersect the range, descends only into those (and wherever a started match
still needs to go), and follows a started match to its end. So every match
is found, once, in the order of a full walk, while the walk stays on the
paths to the anchors. A tree with errors (where tree-sitter may insert
MISSING keywords) gets one full walk of every query instead.
"""

from __future__ import annotations

import heapq
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field

import tree_sitter

from graphesm.model import ImportKind, ImportSite, ParseProblem
from graphesm.scan import legacy, scope
from graphesm.scan.literals import literal_value, string_value
from graphesm.scan.positions import Positions
from graphesm.scan.queries import ANCHORS, TOP_LEVEL, cursor, parser, query_for, roles_for

BOM = b"\xef\xbb\xbf"
_KIND_PREFIX = "kind."
_FUNCTIONS = scope.FUNCTIONS - {"program"}
_ASYNC_FUNCTIONS = scope.FUNCTIONS - {"program", "class_static_block"}

# The query passes (pattern groups run together in one walk).
_IMPORTS = frozenset({"imports", "await"})
_REQUIRE = frozenset({"require"})
_MODULE_SYNTAX = frozenset({"module-syntax"})
_CJS_LEXICAL = frozenset({"cjs-lexical"})
_INCOMPATIBLE = frozenset({"return", "with"})
_EVERYTHING = _IMPORTS | _REQUIRE | _MODULE_SYNTAX | _CJS_LEXICAL | _INCOMPATIBLE

Captures = dict[str, list[tree_sitter.Node]]
# Roles of the patterns whose match is an import site (`require` has scope analysis first).
_KINDS = {_KIND_PREFIX + kind.value: kind for kind in ImportKind if kind is not ImportKind.REQUIRE}
# Roles of the helper patterns of imports.scm, about the statement of @source.
_NAMES = frozenset({"name.default", "name.namespace", "name.named", "attributes", "options"})
_AWAIT = "signal.await"
_MODULE_SYNTAX_ROLE = "signal.module-syntax"
_CJS_LEXICAL_ROLE = "signal.cjs-lexical"
_RETURN = "signal.return"
_WITH = "signal.with"
_WRAPPER_NAMES = TOP_LEVEL["cjs-lexical"]
_WORD_BYTES = frozenset(b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_$")


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
    if source.isascii():
        return source
    try:
        source.decode("utf-8")
    except UnicodeDecodeError:
        return source.decode("utf-8", errors="replace").encode("utf-8")
    return source


def _text(node: tree_sitter.Node) -> str:
    raw = node.text
    return raw.decode("utf-8") if raw is not None else ""


def _unwrap(node: tree_sitter.Node) -> tree_sitter.Node:
    """The literal inside parentheses (the position babel and editors report)."""
    while node.type == "parenthesized_expression":
        inner = [child for child in node.named_children if child.type != "comment"]
        if len(inner) != 1:
            break
        node = inner[0]
    return node


def _literal(node: tree_sitter.Node) -> str | None:
    """`literal_value` of the node's text, without decoding escapes when there are none."""
    raw = node.text
    if (
        raw is not None
        and len(raw) >= 2
        and raw[0] in b"'\""
        and raw[-1] == raw[0]
        and b"\\" not in raw
        and raw.isascii()
    ):
        return raw[1:-1].decode("ascii")  # a plain quoted string: its body is its value
    return literal_value(_text(node))


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
    """The nearest ancestor of `node` of one of `kinds`."""
    current = node.parent
    while current is not None:
        if current.type in kinds:
            return current
        current = current.parent
    return None


def _is_async(function: tree_sitter.Node) -> bool:
    return any(child.type == "async" for child in function.children)


def _attach(role: str, captures: Captures, sites: dict[int, _Site]) -> None:
    site = sites.get(captures["source"][0].start_byte)
    if site is None:
        return
    node = captures[role][0]
    if role == "name.default":
        site.names.append("default")
    elif role == "name.namespace":
        site.names.append("*")
    elif role == "name.named":
        site.names.append(string_value(_text(node)) if node.type == "string" else _text(node))
    elif role == "attributes":
        site.attributes, site.syntax = object_pairs(node), "with"
    else:  # options
        found = _options(node)
        if found is not None:
            site.attributes, site.syntax = found


def _anchors(groups: frozenset[str]) -> tuple[bytes, ...]:
    return tuple(dict.fromkeys(anchor for group in sorted(groups) for anchor in ANCHORS[group]))


_PASS_ANCHORS = {
    groups: _anchors(groups) for groups in (_IMPORTS, _REQUIRE, _MODULE_SYNTAX, _INCOMPATIBLE)
}


class Parsed:
    """One parsed source; the query passes run when their answer is asked for.

    Each pass runs at most once; a tree with errors gets one full walk of
    every query on the first question instead (see the module docstring).
    """

    __slots__ = (
        "_attached",
        "_bindings",
        "_calls",
        "_clauses",
        "_done",
        "_exact",
        "_extras",
        "_nested_returns",
        "_problems",
        "_signals",
        "_sites",
        "_top_awaits",
        "_tree",
        "positions",
        "root",
        "source",
        "url",
    )

    def __init__(self, source: bytes, url: str, *, full_walk: bool = False) -> None:
        """Parse `source`; `full_walk` makes every pass a full walk (for verification)."""
        source = decode(source, url)
        tree = parser().parse(source)
        clauses: dict[int, legacy.Clause] = {}
        if tree.root_node.has_error and (b"assert" in source or b"with" in source):
            repaired, clauses = legacy.repair(source, tree.root_node)
            if clauses:
                source = repaired
                tree = parser().parse(source)
        self._tree = tree
        self.root = tree.root_node
        self.source = source
        self.url = url
        self.positions = Positions(source)
        self._clauses = clauses
        self._exact = not full_walk and not self.root.has_error
        self._done: set[frozenset[str]] = set()
        self._problems: tuple[ParseProblem, ...] | None = None
        self._sites: dict[int, _Site] = {}
        self._extras: list[tuple[str, Captures]] = []
        self._calls: list[tree_sitter.Node] = []
        self._bindings: list[tree_sitter.Node] = []
        self._signals: dict[str, list[tree_sitter.Node]] = {}  # by role
        self._attached = False
        self._top_awaits: list[tree_sitter.Node] | None = None
        self._nested_returns = 0  # the first this many _returns are inside a function

    @property
    def attribute_clauses(self) -> int:
        """How many attribute clauses legacy.repair blanked out before parsing."""
        return len(self._clauses)

    # --- running the queries ---------------------------------------------

    def _consume(self, role: str, captures: Captures) -> None:
        """File one match under its pattern's role (see queries.roles_for)."""
        kind = _KINDS.get(role)
        if kind is not None:
            node = captures[role][0]
            self._sites[node.start_byte] = _Site(kind, node)
        elif role in _NAMES:
            self._extras.append((role, captures))
        elif role == "kind.require":
            self._calls.extend(captures[role])
        elif role == "binding":
            self._bindings.extend(captures[role])
        else:
            found = self._signals.get(role)
            if found is None:
                found = self._signals[role] = []
            found.append(captures[role][0])

    def _signal(self, role: str) -> list[tree_sitter.Node]:
        return self._signals.get(role) or []

    def _hits(self, anchors: tuple[bytes, ...]) -> list[int]:
        """Sorted offsets of the anchors as whole words: not followed by [A-Za-z0-9_$]
        (tree-sitter lexes a keyword, or an identifier, only as a whole word)."""
        source = self.source
        size = len(source)
        hits: list[int] = []
        for anchor in anchors:
            width = len(anchor)
            at = source.find(anchor)
            while at >= 0:
                after = at + width
                if after >= size or source[after] not in _WORD_BYTES:
                    hits.append(at)
                at = source.find(anchor, at + 1)
        hits.sort()
        return hits

    def _words(self, anchor: bytes) -> Iterator[int]:
        """`_hits((anchor,))`, found as they are asked for."""
        source = self.source
        size, width = len(source), len(anchor)
        at = source.find(anchor)
        while at >= 0:
            after = at + width
            if after >= size or source[after] not in _WORD_BYTES:
                yield at
            at = source.find(anchor, at + 1)

    def _runs(
        self, anchors: tuple[bytes, ...], *, lazy: bool = False
    ) -> Iterator[tuple[tree_sitter.Node, int, int]]:
        """(statement, start, end): each top-level statement holding an anchor, in
        order, with a byte range from its first anchor past the end of its last.

        `lazy` searches the source only as far as the statements asked for reach.
        """
        root = self.root
        width = max(map(len, anchors))  # a wider range only walks a little more
        hits: Iterable[int]
        if lazy:
            hits = heapq.merge(*(self._words(anchor) for anchor in anchors))
        else:
            hits = self._hits(anchors)
        statement: tree_sitter.Node | None = None
        start = last = end = -1
        for at in hits:
            if at < end:
                last = at
                continue
            if statement is not None:
                yield statement, start, last + width
            statement = root.first_child_for_byte(at)
            if statement is None:
                return
            start = last = at
            end = max(statement.end_byte, at + 1)
        if statement is not None:
            yield statement, start, last + width

    def _run(self, groups: frozenset[str], enough: Callable[[], bool] | None = None) -> None:
        """Run the pass of `groups` once (until `enough()` holds, if given)."""
        if groups in self._done:
            return
        self._done.add(groups)
        if not self._exact:
            self._walk_everything()
            return
        roles = roles_for(groups)
        consume = self._consume
        if groups == _CJS_LEXICAL:
            if any(name in self.source for name in _WRAPPER_NAMES):
                for index, captures in cursor(groups, top_level=True).matches(self.root):
                    consume(roles[index], captures)
            return
        runner = cursor(groups)
        sites, extras = self._sites, self._extras
        for statement, start, end in self._runs(_PASS_ANCHORS[groups], lazy=enough is not None):
            runner.set_byte_range(start, end)
            for index, captures in runner.matches(statement):
                role = roles[index]
                # the two commonest roles inline, the rest through _consume
                kind = _KINDS.get(role)
                if kind is not None:
                    node = captures[role][0]
                    sites[node.start_byte] = _Site(kind, node)
                elif role in _NAMES:
                    extras.append((role, captures))
                else:
                    consume(role, captures)
            if enough is not None and enough():
                return

    def _walk_everything(self) -> None:
        self._done.update((_IMPORTS, _REQUIRE, _MODULE_SYNTAX, _CJS_LEXICAL, _INCOMPATIBLE))
        roles = roles_for(_EVERYTHING)
        for index, captures in tree_sitter.QueryCursor(query_for(_EVERYTHING)).matches(self.root):
            self._consume(roles[index], captures)

    # --- what the file imports -------------------------------------------

    def sites(self, *, commonjs: bool) -> tuple[ImportSite, ...]:
        """The ImportSites in source order; `require()` calls too when `commonjs`."""
        if not self._attached:
            self._attached = True
            self._run(_IMPORTS)
            for role, captures in self._extras:
                _attach(role, captures, self._sites)
            for start, clause in self._clauses.items():
                site = self._sites.get(start)
                if site is not None:
                    site.attributes, site.syntax = _clause_pairs(clause.object_text), clause.keyword
        sites = self._sites
        if commonjs and b"require" in self.source:
            self._run(_REQUIRE)
            shadowing = scope.shadowing_scopes(self._bindings)
            sites = dict(sites)
            for call in self._calls:
                if not scope.is_shadowed(call, shadowing):
                    sites[call.start_byte] = _Site(ImportKind.REQUIRE, call)
        return tuple([self._record(sites[start]) for start in sorted(sites)])

    def _record(self, site: _Site) -> ImportSite:
        target = site.node
        kind = site.kind
        specifier: str | None = None
        if kind is not ImportKind.DYNAMIC_EXPR:
            if target.type == "parenthesized_expression":
                target = _unwrap(target)
            specifier = _literal(target)
        line, column = self.positions.of(target)
        return ImportSite(
            file_url=self.url,
            specifier=specifier,
            kind=kind,
            line=line,
            column=column,
            attributes=site.attributes,
            attributes_syntax=site.syntax,
            names=tuple(site.names),
        )

    @property
    def problems(self) -> tuple[ParseProblem, ...]:
        """The syntax errors: outermost ERROR nodes and MISSING nodes."""
        if self._problems is None:
            self._problems = _problems(self.root, self.positions) if self.root.has_error else ()
        return self._problems

    # --- syntax signals ----------------------------------------------------

    def _in_function(self, node: tree_sitter.Node) -> bool:
        """Whether a function (not the program) encloses `node`, looked for from the root."""
        current: tree_sitter.Node | None = self.root
        while current is not None:
            current = current.child_with_descendant(node)
            if current is None:
                return _inside(node, _FUNCTIONS) is not None
            if current == node:
                return False
            if current.type in _FUNCTIONS:
                return True
        return False

    @property
    def top_level_await(self) -> bool:
        """Whether an `await` (or `for await`) sits outside every function."""
        self._run(_IMPORTS)
        if self._top_awaits is not None:
            return bool(self._top_awaits)
        return any(not self._in_function(node) for node in self._signal(_AWAIT))

    def _first(self, nodes: list[tree_sitter.Node]) -> tuple[int, int] | None:
        if not nodes:
            return None
        return self.positions.of(min(nodes, key=lambda node: node.start_byte))

    def _module_syntax(self) -> tree_sitter.Node | None:
        self._run(_MODULE_SYNTAX, enough=lambda: _MODULE_SYNTAX_ROLE in self._signals)
        nodes = self._signal(_MODULE_SYNTAX_ROLE)
        return min(nodes, key=lambda node: node.start_byte) if nodes else None

    @property
    def module_syntax_at(self) -> tuple[int, int] | None:
        """The first import/export declaration or `import.meta`."""
        node = self._module_syntax()
        return self.positions.of(node) if node is not None else None

    @property
    def cjs_retry_at(self) -> tuple[int, int] | None:
        """The first top-level await or top-level let/const/class of a wrapper name."""
        self._run(_IMPORTS)
        if self._top_awaits is None:
            self._top_awaits = [
                node for node in self._signal(_AWAIT) if not self._in_function(node)
            ]
        self._run(_CJS_LEXICAL)
        return self._first(self._top_awaits + self._signal(_CJS_LEXICAL_ROLE))

    @property
    def cjs_retry_first(self) -> tuple[int, int] | None:
        """`cjs_retry_at` if it comes before `module_syntax_at` (or there is none).

        Format detection needs no more: the earlier of the two decides.
        """
        module_syntax = self._module_syntax()
        if module_syntax is None:
            return self.cjs_retry_at
        limit = module_syntax.start_byte
        self._run(_IMPORTS)
        nodes = [
            node
            for node in self._signal(_AWAIT)
            if node.start_byte < limit and not self._in_function(node)
        ]
        source = self.source
        if any(source.find(name, 0, limit + len(name) - 1) >= 0 for name in _WRAPPER_NAMES):
            self._run(_CJS_LEXICAL)
            nodes += [node for node in self._signal(_CJS_LEXICAL_ROLE) if node.start_byte < limit]
        return self._first(nodes)

    @property
    def esm_incompatible(self) -> bool:
        """A `with`, a top-level `return`, or an await in a non-async function."""
        self._run(_IMPORTS)
        for node in self._signal(_AWAIT):
            function = _inside(node, _FUNCTIONS)
            if function is not None and (
                function.type not in _ASYNC_FUNCTIONS or not _is_async(function)
            ):
                return True
        self._run(_INCOMPATIBLE, enough=self._incompatible)
        return self._incompatible()

    def _incompatible(self) -> bool:
        if _WITH in self._signals:
            return True
        returns = self._signal(_RETURN)
        while self._nested_returns < len(returns):
            if not self._in_function(returns[self._nested_returns]):
                return True
            self._nested_returns += 1
        return False

    def extraction(self, *, commonjs: bool) -> Extraction:
        """Everything at once (see `extract`)."""
        module_syntax_at = self.module_syntax_at
        return Extraction(
            sites=self.sites(commonjs=commonjs),
            problems=self.problems,
            has_top_level_await=self.top_level_await,
            has_module_syntax=module_syntax_at is not None,
            module_syntax_at=module_syntax_at,
            cjs_retry_at=self.cjs_retry_at,
            esm_incompatible=self.esm_incompatible,
            attribute_clauses=self.attribute_clauses,
        )


def extract(source: bytes, url: str, *, commonjs: bool) -> Extraction:
    """Every import site of one file (see the module docstring)."""
    return Parsed(source, url).extraction(commonjs=commonjs)
