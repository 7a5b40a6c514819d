"""The named exports Node sees on a CommonJS module (cjs-module-lexer rules).

Stage contract: `lex_cjs(source)` is a pure function from the bytes of one
CommonJS file to `CjsExports(exports, reexports)`, the same two lists that
cjs-module-lexer 1.4 (the lexer Node 20 uses when an ES module imports a
CommonJS one) returns for that source. `export_names(path, read, resolve)`
adds Node's recursion (`cjsPreparseModuleExports`): `default`, the file's own
names, and the names of every reexport that resolves (with the require
resolver) to a `.js`/`.cjs` file or an unknown extension. Files are read only
through the `read` callback; nothing is printed.

The lexer is a token matcher without scope analysis; the tree-sitter query
`queries/javascript/cjs_exports.scm` selects candidate nodes and the
functions below apply the lexer's token rules to them: which shapes count,
where a match bails out, and that `module.exports = …` clears the reexports
found so far. Known differences (measured by tests/test_cjs_exports_differential.py):
sources on which the lexer itself throws (its regex/division guess fails) give
no names in Node but are parsed here; unicode-escaped identifiers.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache

import tree_sitter

from graphesm.scan.extract import decode
from graphesm.scan.literals import string_value
from graphesm.scan.queries import LANGUAGE, parser, queries_dir

Node = tree_sitter.Node

__all__ = ["CjsExports", "export_names", "lex_cjs"]


@dataclass(frozen=True, slots=True)
class CjsExports:
    """What cjs-module-lexer returns for one source: names and reexport specifiers."""

    exports: frozenset[str]
    reexports: tuple[str, ...]


@cache
def _query() -> tree_sitter.Query:
    # Compiled once and kept for the life of the process (see graphesm/scan/queries.py).
    text = (queries_dir() / "javascript" / "cjs_exports.scm").read_text(encoding="utf-8")
    return tree_sitter.Query(LANGUAGE, text)


def _text(node: Node) -> str:
    raw = node.text
    return raw.decode("utf-8") if raw is not None else ""


def _children(node: Node) -> list[Node]:
    return [child for child in node.named_children if child.type != "comment"]


_IDENT_TYPES = frozenset(
    {"identifier", "this", "super", "true", "false", "null", "undefined", "property_identifier"}
)


def _is_ident_char(char: str, start: bool) -> bool:
    if char in "$_":
        return True
    if start:
        return char.isidentifier()
    return ("a" + char).isidentifier() or char in "\u200c\u200d"


def _leading_identifier(text: str) -> str | None:
    """The identifier token the lexer's `identifier()` reads at the start of text."""
    if not text or not _is_ident_char(text[0], True):
        return None
    end = 1
    while end < len(text) and _is_ident_char(text[end], False):
        end += 1
    if end < len(text) and text[end] == "\\":
        return None
    return text[:end]


def _string(node: Node) -> str | None:
    """The lexer's decode(): the string's value, None for lone surrogates."""
    text = _text(node)
    value = string_value(text)
    if "\ufffd" in value and "\ufffd" not in text and "\\ufffd" not in text.lower():
        return None
    return value


def _is_exports(node: Node) -> bool:
    """`exports` or `module.exports` (EXPORTS_IDENTIFIER)."""
    if node.type == "identifier":
        return _text(node) == "exports"
    if node.type == "member_expression":
        obj, prop = node.child_by_field_name("object"), node.child_by_field_name("property")
        return (
            obj is not None
            and prop is not None
            and obj.type == "identifier"
            and _text(obj) == "module"
            and _text(prop) == "exports"
        )
    return False


def _is_module_exports(node: Node) -> bool:
    return node.type == "member_expression" and _is_exports(node)


def _member_name(target: Node) -> str | None:
    """The export name of `exports.x` / `exports['x']` / `module.exports.x`, else None."""
    obj = target.child_by_field_name("object")
    if obj is None or not _is_exports(obj):
        return None
    if target.type == "member_expression":
        prop = target.child_by_field_name("property")
        if prop is None or prop.type != "property_identifier":
            return None
        if any(child.type == "optional_chain" for child in target.children):
            return None
        return _leading_identifier(_text(prop))
    index = target.child_by_field_name("index")
    if index is None or index.type != "string":
        return None
    return _string(index)


def _require_specifier(node: Node) -> str | None:
    """`require('x')` exactly (REQUIRE): its specifier, else None."""
    if node.type != "call_expression":
        return None
    fn, args = node.child_by_field_name("function"), node.child_by_field_name("arguments")
    if fn is None or args is None or fn.type != "identifier" or _text(fn) != "require":
        return None
    inner = _children(args)
    if len(inner) != 1 or inner[0].type != "string" or _text(args).rstrip()[-2:-1] == ",":
        return None
    return _string(inner[0])


def _leading_require(node: Node) -> str | None:
    """The require('x') call that starts `node`'s text (the lexer stops reading there)."""
    start = node.start_byte
    current: Node | None = node
    while current is not None and current.start_byte == start:
        found = _require_specifier(current)
        if found is not None:
            return found
        current = current.named_children[0] if current.named_children else None
    return None


class _Lexer:
    def __init__(self, source: bytes) -> None:
        self.source = source
        self.exports: set[str] = set()
        self.unsafe: set[str] = set()
        self.reexports: list[str] = []
        self.star_bindings: dict[str, str] = {}

    def add(self, name: str | None) -> None:
        if name is not None:
            self.exports.add(name)

    def reexport(self, specifier: str | None) -> None:
        if specifier is not None and specifier not in self.reexports:
            self.reexports.append(specifier)

    def char_after(self, node: Node) -> str:
        end = node.end_byte
        return self.source[end : end + 1].decode("latin-1")

    # --- EXPORTS_MEMBER and MODULE_EXPORTS assignments -------------------------

    def assignment(self, node: Node) -> None:
        left, right = node.child_by_field_name("left"), node.child_by_field_name("right")
        if left is None:
            return
        if _is_module_exports(left):
            if right is not None:
                self.module_exports_assign(right)
            return
        self.add(_member_name(left))

    def compare(self, node: Node) -> None:
        left = node.child_by_field_name("left")
        if left is not None and not _is_module_exports(left):
            self.add(_member_name(left))

    def module_exports_assign(self, right: Node) -> None:
        self.reexports.clear()
        if right.type == "object":
            self.literal(right)
        elif _text(right).startswith("require"):
            self.reexport(_leading_require(right))

    def literal(self, obj: Node) -> None:
        """EXPORTS_LITERAL: stop at the first property the lexer cannot read."""
        for prop in _children(obj):
            if prop.type == "shorthand_property_identifier":
                self.add(_leading_identifier(_text(prop)))
                continue
            if prop.type == "pair":
                key, value = prop.child_by_field_name("key"), prop.child_by_field_name("value")
                if key is None or value is None:
                    return
                if key.type == "property_identifier":
                    name = _leading_identifier(_text(key))
                    if name is None or name != _text(key):
                        return
                elif key.type == "string":
                    name = _string(key)
                else:
                    return
                value_ident = _leading_identifier(_text(value))
                if value_ident is None:
                    return
                self.add(name)
                # The lexer reads no whitespace after the value identifier.
                if value_ident != _text(value) or self.char_after(value) not in ",}":
                    return
                continue
            if prop.type == "method_definition":
                self.add(_leading_identifier(_text(prop)))
                return
            if prop.type == "spread_element":
                inner = _children(prop)
                if not inner or inner[0].start_byte != prop.start_byte + 3:
                    return
                argument = inner[0]
                specifier = _require_specifier(argument)
                if specifier is not None:
                    self.reexport(specifier)
                elif argument.type != "identifier":
                    return
                continue
            return

    # --- Object.defineProperty(exports, 'x', {...}) ----------------------------

    def define(self, node: Node) -> None:
        args_node = node.child_by_field_name("arguments")
        if args_node is None:
            return
        args = _children(args_node)
        if len(args) < 2 or not _is_exports(args[0]) or args[1].type != "string":
            return
        name = _string(args[1])
        if self._define_ok(args_node, args):
            self.add(name)
        elif name is not None:
            self.unsafe.add(name)

    def _define_ok(self, args_node: Node, args: list[Node]) -> bool:
        if len(args) < 3 or args[2].type != "object":
            return False
        props = _children(args[2])
        if props and _pair_key(props[0]) == "enumerable":
            value = props[0].child_by_field_name("value")
            if value is None or value.type != "true" or len(props) < 2:
                return False
            props = props[1:]
        if not props:
            return False
        first = props[0]
        if first.type == "pair" and _pair_key(first) == "value":
            return True
        if not _getter(first, None):
            return False
        # `get … }` must close the descriptor (optional comma), then the call.
        return first is props[-1] and len(args) == 3 and _closes_call(args_node, args[2])

    # --- Babel: Object.keys(_x).forEach(function (key) { … }) ------------------

    def keys(self, node: Node) -> None:
        statement = node.parent
        if statement is None or statement.type != "expression_statement":
            return
        if statement.parent is None or statement.parent.type != "program":
            return
        fn = node.child_by_field_name("function")
        args_node = node.child_by_field_name("arguments")
        keys_call = fn.child_by_field_name("object") if fn is not None else None
        keys_args = keys_call.child_by_field_name("arguments") if keys_call else None
        if args_node is None or keys_args is None:
            return
        ids = _children(keys_args)
        callbacks = _children(args_node)
        if len(ids) != 1 or ids[0].type != "identifier" or len(callbacks) != 1:
            return
        callback = callbacks[0]
        if callback.type != "function_expression" or callback.child_by_field_name("name"):
            return
        if not _closes_call(args_node, callback):
            return
        params = callback.child_by_field_name("parameters")
        body = callback.child_by_field_name("body")
        if params is None or body is None or _text(callback).startswith("async"):
            return
        param_list = _children(params)
        if len(param_list) != 1 or param_list[0].type != "identifier":
            return
        source_id, key = _text(ids[0]), _text(param_list[0])
        if _star_body(_children(body), source_id, key) and source_id in self.star_bindings:
            self.reexport(self.star_bindings[source_id])

    # --- TypeScript: __export(require('x')), __exportStar(require('x'), exports)

    def star(self, node: Node) -> None:
        if not _at_top_level(node):
            return
        fn, args = node.child_by_field_name("function"), node.child_by_field_name("arguments")
        if fn is None or args is None:
            return
        name = fn if fn.type == "identifier" else fn.child_by_field_name("property")
        if name is None or args.start_byte != name.end_byte:
            return
        inner = _children(args)
        if not inner or inner[0].start_byte != args.start_byte + 1:
            return
        self.reexport(_leading_require(inner[0]))

    # --- var _x = require('x') at the top level ---------------------------------

    def binding(self, node: Node) -> None:
        declarators = [c for c in _children(node) if c.type == "variable_declarator"]
        if not declarators:
            return
        value = declarators[0].child_by_field_name("value")
        name = declarators[0].child_by_field_name("name")
        if value is None or name is None or name.type != "identifier":
            return
        start = value
        specifier = _leading_require(value)
        if specifier is None and value.type == "call_expression":
            fn = value.child_by_field_name("function")
            args = value.child_by_field_name("arguments")
            if fn is not None and args is not None and _text(fn) == "_interopRequireWildcard":
                inner = _children(args)
                if inner and inner[0].start_byte == args.start_byte + 1:
                    specifier = _leading_require(inner[0])
        if specifier is None:
            return
        prefix = self.source[node.start_byte : start.start_byte].decode("utf-8", "replace")
        match = re.fullmatch(r"(?:var|let|const) +([^\s=]+) *= *", prefix)
        if match is not None and match.group(1) == _text(name):
            self.star_bindings[_text(name)] = specifier


def _pair_key(node: Node) -> str | None:
    if node.type != "pair":
        return None
    key = node.child_by_field_name("key")
    return _text(key) if key is not None and key.type == "property_identifier" else None


def _getter(prop: Node, expected: tuple[str, str] | None) -> bool:
    """`get: function [name] () { return X; }` or `get () { return X; }`.

    X is IDENT, IDENT.IDENT or IDENT['str'] (expected None), or exactly
    ID[key] when `expected` is (ID, key) (the Object.keys form).
    """
    if prop.type == "pair" and _pair_key(prop) == "get":
        fn = prop.child_by_field_name("value")
        if fn is None or fn.type != "function_expression":
            return False
        if _text(fn).startswith("async") or any(c.type == "*" for c in fn.children):
            return False
    elif prop.type == "method_definition":
        name = prop.child_by_field_name("name")
        if name is None or _text(name) != "get" or not _text(prop).startswith("get"):
            return False
        fn = prop
    else:
        return False
    params, body = fn.child_by_field_name("parameters"), fn.child_by_field_name("body")
    if params is None or body is None or _children(params):
        return False
    statements = _children(body)
    if len(statements) != 1 or statements[0].type != "return_statement":
        return False
    returned = _children(statements[0])
    if len(returned) != 1:
        return False
    value = returned[0]
    if expected is not None:
        return _is_index(value, *expected)
    if value.type in _IDENT_TYPES:
        return True
    obj = value.child_by_field_name("object")
    if obj is None or obj.type not in _IDENT_TYPES:
        return False
    if any(c.type == "optional_chain" for c in value.children):
        return False
    if value.type == "member_expression":
        prop_node = value.child_by_field_name("property")
        return prop_node is not None and prop_node.type == "property_identifier"
    if value.type == "subscript_expression":
        index = value.child_by_field_name("index")
        return index is not None and index.type == "string"
    return False


def _is_index(node: Node, obj_name: str, key: str) -> bool:
    """`obj_name[key]` (or, for obj_name None-like 'exports', EXPORTS_IDENTIFIER[key])."""
    if node.type != "subscript_expression":
        return False
    obj, index = node.child_by_field_name("object"), node.child_by_field_name("index")
    if obj is None or index is None or index.type != "identifier" or _text(index) != key:
        return False
    if obj_name == "exports":
        return _is_exports(obj)
    return obj.type == "identifier" and _text(obj) == obj_name


def _closes_call(args_node: Node, last: Node) -> bool:
    """`last` is followed directly (comments aside) by the call's `)`."""
    sibling = last.next_sibling
    while sibling is not None and sibling.type == "comment":
        sibling = sibling.next_sibling
    return sibling is not None and sibling.type == ")"


def _at_top_level(node: Node) -> bool:
    """No enclosing parenthesis, brace or template substitution (lexer depth 0)."""
    parent = node.parent
    while parent is not None and parent.type != "program":
        if parent.type not in ("expression_statement", "sequence_expression"):
            return False
        parent = parent.parent
    return True


def _is_string(node: Node | None, value: str) -> bool:
    return node is not None and node.type == "string" and _string(node) == value


def _compare(node: Node | None, key: str, operator: str, value: str) -> bool:
    if node is None or node.type != "binary_expression":
        return False
    left, op = node.child_by_field_name("left"), node.child_by_field_name("operator")
    right = node.child_by_field_name("right")
    return (
        left is not None
        and left.type == "identifier"
        and _text(left) == key
        and op is not None
        and op.type == operator
        and _is_string(right, value)
    )


def _condition(statement: Node) -> Node | None:
    if statement.type != "if_statement" or statement.child_by_field_name("alternative"):
        return None
    condition = statement.child_by_field_name("condition")
    inner = _children(condition) if condition is not None else []
    return inner[0] if len(inner) == 1 else None


def _returns(statement: Node) -> bool:
    consequence = statement.child_by_field_name("consequence")
    return (
        consequence is not None
        and consequence.type == "return_statement"
        and not _children(consequence)
    )


def _has_own_call(node: Node | None, key: str) -> bool:
    """`Object[.prototype].hasOwnProperty.call(IDENT, key)`."""
    if node is None or node.type != "call_expression":
        return False
    fn, args = node.child_by_field_name("function"), node.child_by_field_name("arguments")
    if fn is None or args is None:
        return False
    text = re.sub(r"\s+", "", _text(fn))
    if text not in ("Object.prototype.hasOwnProperty.call", "Object.hasOwnProperty.call"):
        return False
    inner = _children(args)
    return (
        len(inner) == 2
        and inner[0].type == "identifier"
        and inner[1].type == "identifier"
        and _text(inner[1]) == key
    )


def _star_body(statements: list[Node], source_id: str, key: str) -> bool:
    """The body grammar of EXPORT_STAR_LIB (cjs-module-lexer README)."""
    if not statements:
        return False
    first = _condition(statements[0])
    if first is None:
        return False
    if first.type == "binary_expression" and _text_op(first) == "||":
        left, right = first.child_by_field_name("left"), first.child_by_field_name("right")
        if not (
            _compare(left, key, "===", "default")
            and _compare(right, key, "===", "__esModule")
            and _returns(statements[0])
        ):
            return False
        rest = statements[1:]
        if rest and _condition(rest[0]) is not None and _has_own_call(_condition(rest[0]), key):
            if not _returns(rest[0]):
                return False
            rest = rest[1:]
        if rest and _condition(rest[0]) is not None:
            if not (_in_guard(_condition(rest[0]), source_id, key) and _returns(rest[0])):
                return False
            rest = rest[1:]
        return len(rest) == 1 and _star_assign(rest[0], source_id, key)
    if len(statements) != 1:
        return False
    if first.type == "binary_expression" and _text_op(first) == "&&":
        left, right = first.child_by_field_name("left"), first.child_by_field_name("right")
        if not _compare(left, key, "!==", "default") or right is None:
            return False
        if right.type != "unary_expression" or not _text(right).startswith("!"):
            return False
        negated = _children(right)
        call = negated[0] if negated else None
        if not (_has_own_call(call, key) or _has_own_method(call, key)):
            return False
    elif not _compare(first, key, "!==", "default"):
        return False
    consequence = statements[0].child_by_field_name("consequence")
    return consequence is not None and _star_assign(consequence, source_id, key)


def _text_op(node: Node) -> str:
    op = node.child_by_field_name("operator")
    return op.type if op is not None else ""


def _has_own_method(node: Node | None, key: str) -> bool:
    """`IDENT.hasOwnProperty(key)`."""
    if node is None or node.type != "call_expression":
        return False
    fn, args = node.child_by_field_name("function"), node.child_by_field_name("arguments")
    if fn is None or args is None or fn.type != "member_expression":
        return False
    obj, prop = fn.child_by_field_name("object"), fn.child_by_field_name("property")
    inner = _children(args)
    return (
        obj is not None
        and obj.type == "identifier"
        and prop is not None
        and _text(prop) == "hasOwnProperty"
        and len(inner) == 1
        and inner[0].type == "identifier"
        and _text(inner[0]) == key
    )


def _in_guard(node: Node | None, source_id: str, key: str) -> bool:
    """`key in exports && exports[key] === source_id[key]`."""
    if node is None or node.type != "binary_expression" or _text_op(node) != "&&":
        return False
    left, right = node.child_by_field_name("left"), node.child_by_field_name("right")
    if left is None or right is None or left.type != "binary_expression":
        return False
    if _text_op(left) != "in" or right.type != "binary_expression" or _text_op(right) != "===":
        return False
    in_left, in_right = left.child_by_field_name("left"), left.child_by_field_name("right")
    if in_left is None or _text(in_left) != key or in_right is None or not _is_exports(in_right):
        return False
    a, b = right.child_by_field_name("left"), right.child_by_field_name("right")
    return (
        a is not None
        and b is not None
        and _is_index(a, "exports", key)
        and _is_index(b, source_id, key)
    )


def _star_assign(statement: Node, source_id: str, key: str) -> bool:
    """`exports[key] = source_id[key]` or the defineProperty getter form."""
    if statement.type != "expression_statement":
        return False
    inner = _children(statement)
    if len(inner) != 1:
        return False
    expression = inner[0]
    if expression.type == "assignment_expression":
        left, right = (
            expression.child_by_field_name("left"),
            expression.child_by_field_name("right"),
        )
        return (
            left is not None
            and right is not None
            and _is_index(left, "exports", key)
            and _is_index(right, source_id, key)
        )
    if expression.type != "call_expression" or not _text(expression).startswith("Object"):
        return False
    fn, args_node = (
        expression.child_by_field_name("function"),
        expression.child_by_field_name("arguments"),
    )
    if fn is None or args_node is None or re.sub(r"\s+", "", _text(fn)) != "Object.defineProperty":
        return False
    args = _children(args_node)
    if len(args) != 3 or not _is_exports(args[0]) or _text(args[1]) != key:
        return False
    if args[2].type != "object" or not _closes_call(args_node, args[2]):
        return False
    props = _children(args[2])
    if len(props) != 2 or _pair_key(props[0]) != "enumerable":
        return False
    return _getter(props[1], (source_id, key))


_HANDLERS: dict[str, Callable[[_Lexer, Node], None]] = {
    "assign": _Lexer.assignment,
    "compare": _Lexer.compare,
    "define": _Lexer.define,
    "keys": _Lexer.keys,
    "star": _Lexer.star,
    "binding": _Lexer.binding,
}


def lex_cjs(source: bytes) -> CjsExports:
    """cjs-module-lexer's `parse(source)` for one CommonJS file (see module docstring)."""
    source = decode(source, "")
    tree = parser().parse(source)
    events: list[tuple[int, int, str, Node]] = []
    for _, captures in tree_sitter.QueryCursor(_query()).matches(tree.root_node):
        for name, nodes in captures.items():
            if name in _HANDLERS:
                node = nodes[0]
                events.append((node.start_byte, -node.end_byte, name, node))
    lexer = _Lexer(source)
    seen: set[tuple[int, int, str]] = set()
    for start, end, name, node in sorted(events, key=lambda e: (e[0], e[1], e[2])):
        if (start, end, name) in seen:
            continue
        seen.add((start, end, name))
        _HANDLERS[name](lexer, node)
    return CjsExports(frozenset(lexer.exports - lexer.unsafe), tuple(lexer.reexports))


def export_names(
    path: str,
    read: Callable[[str], bytes | None],
    resolve: Callable[[str, str], str | None],
    _seen: set[str] | None = None,
) -> frozenset[str]:
    """The export names Node 20 gives the ESM facade of a CommonJS file.

    Node's `cjsPreparseModuleExports`: `default`, the lexer's names, and for
    each reexport that `resolve(specifier, from_path)` turns into a path ending
    in `.js`/`.cjs` (or an extension require() does not know), that file's
    names, recursively (each file once).
    """
    seen = _seen if _seen is not None else set()
    seen.add(path)
    source = read(path)
    if source is None:
        return frozenset({"default"})
    lexed = lex_cjs(source)
    names = {"default", *lexed.exports}
    for specifier in lexed.reexports:
        target = resolve(specifier, path)
        if target is None or target in seen or not _recursed_extension(target):
            continue
        names |= export_names(target, read, resolve, seen)
    return frozenset(names)


def _recursed_extension(path: str) -> bool:
    name = path.rsplit("/", 1)[-1]
    ext = name[name.rfind(".") :] if "." in name.lstrip(".") else ""
    return ext in (".js", ".cjs") or ext not in (".json", ".node", ".mjs")
