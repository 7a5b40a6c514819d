; Syntax signals for Node's module-format detection of typeless .js files
; (graphesm/scan/detect.py). Each pattern captures @signal.<name>:
;   module-syntax  import/export declarations and import.meta: V8 fails to
;                  compile them as CommonJS with an "ESM syntax" error.
;   await          an await expression or `for await`; top-level ones make
;                  Node retry as ES module, ones in non-async functions are
;                  errors in both formats.
;   cjs-lexical    a top-level let/const/class of a CommonJS wrapper name
;                  (require, module, exports, __filename, __dirname).
;   return         a return statement; at top level it is valid only in CommonJS.
;   with           a with statement, invalid in (strict) ES modules.
;
; The scanner runs each signal's patterns only on the top-level statements
; where its anchor keywords occur (graphesm/scan/queries.py, ANCHORS: the
; pattern's root node must contain one as a token); cjs-lexical is rooted at
; `program` and runs on the top level only (TOP_LEVEL).

((import_statement) @signal.module-syntax)
((export_statement) @signal.module-syntax)
((meta_property "import") @signal.module-syntax)

((await_expression) @signal.await)
((for_in_statement "await") @signal.await)

((program
   [
     (lexical_declaration (variable_declarator name: (identifier) @signal.cjs-lexical))
     (class_declaration name: (identifier) @signal.cjs-lexical)
   ])
  (#any-of? @signal.cjs-lexical "require" "module" "exports" "__filename" "__dirname"))

((return_statement) @signal.return)
((with_statement) @signal.with)
