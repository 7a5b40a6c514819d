; CommonJS export shapes: graphesm query for graphesm/scan/cjs_exports.py.
;
; Node's ESM loader finds the named exports of a CommonJS module with
; cjs-module-lexer, a token matcher with no scope analysis. These patterns
; only select candidate nodes; graphesm/scan/cjs_exports.py applies the
; lexer's exact token rules to them (order, spacing, bail-outs).
;
;   @assign    an assignment whose target is a member/subscript expression
;              (`exports.x =`, `exports['x'] =`, `module.exports.x =`,
;              `module.exports =`)
;   @compare   `exports.x == …` / `=== …`: the lexer only looks at the first
;              `=` after the name, so comparisons count too
;   @define    a call of `Object.defineProperty(…)`
;   @keys      a call `Object.keys(ID).forEach(function (k) { … })`
;              (Babel's `export *` output)
;   @star      `__export(require(…))` / `__exportStar(require(…), exports)`
;              (TypeScript's `export *` output), also as `tslib.__exportStar`
;   @binding   a `var`/`let`/`const` declaration directly in the program
;              (`var _x = require('x')` feeds @keys)

(assignment_expression
  left: [(member_expression) (subscript_expression)]) @assign

(binary_expression
  left: [(member_expression) (subscript_expression)]
  operator: ["==" "==="]) @compare

((call_expression
   function: (member_expression
     object: (identifier) @_object
     property: (property_identifier) @_method)) @define
  (#eq? @_object "Object")
  (#eq? @_method "defineProperty"))

((call_expression
   function: (member_expression
     object: (call_expression
       function: (member_expression
         object: (identifier) @_o
         property: (property_identifier) @_k))
     property: (property_identifier) @_each)) @keys
  (#eq? @_o "Object")
  (#eq? @_k "keys")
  (#eq? @_each "forEach"))

((call_expression
   function: [
     (identifier) @_star
     (member_expression property: (property_identifier) @_star)
   ]) @star
  (#match? @_star "^__export(Star)?$"))

(program [(variable_declaration) (lexical_declaration)] @binding)
