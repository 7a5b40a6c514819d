"""Is a `require(...)` call the free CommonJS `require`?

Scope analysis for the `@binding` captures of commonjs.scm: each declaration
of a binding named `require` is mapped to the node of the scope it declares
into (var: nearest function or the program; let/const/class/function
declarations: nearest block; parameters and a named function expression's
own name: that function; catch parameter: the catch clause). A call is
shadowed when one of its ancestors is such a scope. Only `require` bindings
and calls are ever walked, never the whole tree.
"""

from __future__ import annotations

from collections.abc import Iterable

import tree_sitter

FUNCTIONS = frozenset(
    {
        "function_declaration",
        "function_expression",
        "generator_function_declaration",
        "generator_function",
        "arrow_function",
        "method_definition",
        "class_static_block",
        "program",
    }
)
BLOCKS = FUNCTIONS | {
    "statement_block",
    "for_statement",
    "for_in_statement",
    "switch_body",
    "catch_clause",
    "class_body",
}
_PATTERNS = frozenset(
    {
        "object_pattern",
        "array_pattern",
        "pair_pattern",
        "assignment_pattern",
        "rest_pattern",
        "object_assignment_pattern",
        "shorthand_property_identifier_pattern",
        "identifier",
    }
)


def _enclosing(node: tree_sitter.Node, kinds: frozenset[str]) -> tree_sitter.Node | None:
    current = node.parent
    while current is not None and current.type not in kinds:
        current = current.parent
    return current


def declared_scope(binding: tree_sitter.Node) -> tree_sitter.Node | None:
    """The scope node `binding` declares into, or None if it declares nothing."""
    node = binding
    parent = node.parent
    # climb out of destructuring patterns
    while parent is not None and parent.type in _PATTERNS:
        if parent.type == "assignment_pattern" and parent.child_by_field_name("left") != node:
            return None  # the default value, an expression
        if parent.type == "pair_pattern" and parent.child_by_field_name("value") != node:
            return None  # the key
        node, parent = parent, parent.parent
    if parent is None:
        return None
    kind = parent.type
    if kind == "variable_declarator":
        if parent.child_by_field_name("name") != node:
            return None
        declaration = parent.parent
        if declaration is not None and declaration.type == "variable_declaration":
            return _enclosing(declaration, FUNCTIONS)
        return _enclosing(parent, BLOCKS)
    if kind == "formal_parameters":
        return parent.parent
    if kind == "arrow_function":
        return parent
    if kind in ("function_expression", "generator_function", "class"):
        return parent  # the name is visible inside the function/class only
    if kind in ("function_declaration", "generator_function_declaration", "class_declaration"):
        return _enclosing(parent, BLOCKS)
    if kind == "catch_clause":
        return parent
    if kind == "for_in_statement":
        declaration_kind = parent.child_by_field_name("kind")
        if declaration_kind is None:
            return None  # `for (require of x)` assigns, it does not declare
        if declaration_kind.type == "var":
            return _enclosing(parent, FUNCTIONS)
        return parent
    if kind in ("import_clause", "namespace_import", "import_specifier"):
        return _enclosing(parent, frozenset({"program"}))
    return None


def shadowing_scopes(bindings: Iterable[tree_sitter.Node]) -> set[int]:
    """Node ids of every scope in which `require` is a local binding."""
    scopes: set[int] = set()
    for binding in bindings:
        scope = declared_scope(binding)
        if scope is not None:
            scopes.add(scope.id)
    return scopes


def is_shadowed(call_argument: tree_sitter.Node, scopes: set[int]) -> bool:
    """Whether the call whose argument this is sits inside a shadowing scope."""
    if not scopes:
        return False
    current = call_argument.parent
    while current is not None:
        if current.id in scopes:
            return True
        current = current.parent
    return False
