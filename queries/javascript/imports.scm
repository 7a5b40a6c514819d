; ES-module imports: graphesm scanner query (tree-sitter-javascript).
;
; Conventions read by graphesm/scan (capture names carry the meaning, so the
; Python side holds no pattern indices):
;   @kind.<kind>   the node whose position is the site: the string literal,
;                  or the argument of a non-literal import(); <kind> is the
;                  import kind (static, side-effect, export-from, dynamic,
;                  dynamic-expr, import-meta-resolve).
;   @source        the source string of the statement a helper pattern is about.
;   @name.default / @name.namespace / @name.named
;                  imported or re-exported names of the statement of @source.
;   @attributes    the `with {...}` object of the import statement of @source
;                  (re-export attributes and the legacy `assert {...}` form
;                  are read by graphesm/scan/legacy.py).
;   @options       the second argument of import(@source, ...).
;
; The scanner runs these patterns only on the top-level statements where an
; anchor keyword occurs (graphesm/scan/queries.py, ANCHORS): the root node of
; every pattern here must contain an `import` or a `from` token.
;
; "Literal" below means a string, a template literal without substitutions,
; or either of those wrapped in parentheses; the regular expression is the
; same in the "dynamic" and "dynamic-expr" patterns, once with #match? and
; once with #not-match?, so exactly one kind applies to each argument.

; --- import declarations -------------------------------------------------

; import x from 's'; import {a} from 's'; import * as ns from 's'; import {} from 's'
((import_statement (import_clause) source: (string) @kind.static))

; import 's'
([
   (import_statement "import" . source: (string) @kind.side-effect)
   (import_statement "import" . (comment)+ . source: (string) @kind.side-effect)
 ])

; names: default binding, namespace, named (identifier or string name)
((import_statement (import_clause (identifier) @name.default) source: (string) @source))
((import_statement (import_clause (namespace_import) @name.namespace) source: (string) @source))
((import_statement
   (import_clause (named_imports (import_specifier name: _ @name.named)))
   source: (string) @source))

; import ... from 's' with { type: 'json' }
((import_statement source: (string) @source (import_attribute (object) @attributes)))

; --- re-exports ----------------------------------------------------------

; export * from 's'; export * as ns from 's'; export {a as b} from 's'
((export_statement source: (string) @kind.export-from))

((export_statement "*" @name.namespace source: (string) @source))
((export_statement (namespace_export) @name.namespace source: (string) @source))
((export_statement (export_clause (export_specifier name: _ @name.named)) source: (string) @source))

; Attributes on re-exports (`export ... from 's' with {...}`) and the legacy
; `assert {...}` form are not in this grammar version: graphesm/scan/legacy.py
; blanks those clauses out before parsing and reads the objects itself.

; --- import() ------------------------------------------------------------

((call_expression
   function: (import)
   arguments: [
     (arguments . (_) @kind.dynamic)
     (arguments . (comment)+ . (_) @kind.dynamic)
   ])
  (#match? @kind.dynamic "^[(\\s]*('([^'\\\\\\r\\n]|\\\\[\\s\\S])*'|\"([^\"\\\\\\r\\n]|\\\\[\\s\\S])*\"|`([^`\\\\$]|\\\\[\\s\\S]|\\$(?!\\{))*`)[)\\s]*$"))

((call_expression
   function: (import)
   arguments: [
     (arguments . (_) @kind.dynamic-expr)
     (arguments . (comment)+ . (_) @kind.dynamic-expr)
   ])
  (#not-match? @kind.dynamic-expr "^/[*/]")
  (#not-match? @kind.dynamic-expr "^[(\\s]*('([^'\\\\\\r\\n]|\\\\[\\s\\S])*'|\"([^\"\\\\\\r\\n]|\\\\[\\s\\S])*\"|`([^`\\\\$]|\\\\[\\s\\S]|\\$(?!\\{))*`)[)\\s]*$"))

; import('s', { with: { type: 'json' } }) -- the options object
((call_expression
   function: (import)
   arguments: [
     (arguments . (_) @source . (object) @options)
     (arguments . (comment)+ . (_) @source . (object) @options)
     (arguments . (_) @source . (comment)+ . (object) @options)
     (arguments . (comment)+ . (_) @source . (comment)+ . (object) @options)
   ])
  (#not-match? @source "^/[*/]"))

; --- import.meta.resolve('s') ---------------------------------------------

((call_expression
   function: (member_expression
     object: (meta_property "import")
     property: (property_identifier) @_resolve)
   arguments: [
     (arguments . (_) @kind.import-meta-resolve)
     (arguments . (comment)+ . (_) @kind.import-meta-resolve)
   ])
  (#eq? @_resolve "resolve")
  (#match? @kind.import-meta-resolve "^[(\\s]*('([^'\\\\\\r\\n]|\\\\[\\s\\S])*'|\"([^\"\\\\\\r\\n]|\\\\[\\s\\S])*\"|`([^`\\\\$]|\\\\[\\s\\S]|\\$(?!\\{))*`)[)\\s]*$"))
