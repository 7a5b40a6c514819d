; CommonJS require(): graphesm scanner query, run on CommonJS files only.
;
;   @kind.require  the single literal argument of a call of `require`
;                  (a string, a template without substitutions, or one of
;                  those in parentheses); whether that `require` is the free
;                  CommonJS binding is decided by scope analysis of the
;                  @binding captures below (graphesm/scan/scope.py).
;   @binding       an identifier that declares a binding named `require`;
;                  the declaring construct decides its scope (var: function,
;                  let/const/class: block, parameter: function, ...).
;
; The scanner runs these patterns only on the top-level statements where the
; word `require` occurs (graphesm/scan/queries.py, ANCHORS): the root node of
; every pattern here must contain the identifier it compares with "require".

((call_expression
   function: (identifier) @_fn
   arguments: [
     (arguments . (_) @kind.require .)
     (arguments . (comment)+ . (_) @kind.require .)
     (arguments . (_) @kind.require . (comment)+ .)
     (arguments . (comment)+ . (_) @kind.require . (comment)+ .)
   ])
  (#eq? @_fn "require")
  (#match? @kind.require "^[(\\s]*('([^'\\\\\\r\\n]|\\\\[\\s\\S])*'|\"([^\"\\\\\\r\\n]|\\\\[\\s\\S])*\"|`([^`\\\\$]|\\\\[\\s\\S]|\\$(?!\\{))*`)[)\\s]*$"))

; --- declarations of a binding named `require` ---------------------------

([
  (variable_declarator name: (identifier) @binding)
  (formal_parameters (identifier) @binding)
  (arrow_function parameter: (identifier) @binding)
  (function_declaration name: (identifier) @binding)
  (generator_function_declaration name: (identifier) @binding)
  (function_expression name: (identifier) @binding)
  (generator_function name: (identifier) @binding)
  (class_declaration name: (identifier) @binding)
  (class name: (identifier) @binding)
  (catch_clause parameter: (identifier) @binding)
  (for_in_statement kind: _ left: (identifier) @binding)
  (shorthand_property_identifier_pattern) @binding
  (pair_pattern value: (identifier) @binding)
  (array_pattern (identifier) @binding)
  (assignment_pattern left: (identifier) @binding)
  (rest_pattern (identifier) @binding)
  (import_clause (identifier) @binding)
  (namespace_import (identifier) @binding)
  (import_specifier alias: (identifier) @binding)
  (import_specifier !alias name: (identifier) @binding)
 ]
  (#eq? @binding "require"))
