// Independent import extraction with @babel/parser, for tests/test_scan_differential.py.
//
// Usage: node extract_imports.mjs PARSER_PATH < files.json
// stdin: JSON array of [path, "module" | "commonjs"]; stdout: one JSON line per
// file: {"path": ..., "sites": [[kind, specifier, line, column], ...]} or
// {"path": ..., "error": message}. Conventions are graphesm's: 1-based line
// (JavaScript line terminators), column in code points, at the specifier's
// opening quote (the argument for dynamic-expr); BOM stripped; require() only
// in CommonJS files and only when `require` is not a local binding.
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";

const babel = createRequire(import.meta.url)(process.argv[2]);
const files = JSON.parse(readFileSync(0, "utf8"));

function literal(node) {
  if (!node) return undefined;
  if (node.type === "StringLiteral") return node.value;
  if (node.type === "TemplateLiteral" && node.expressions.length === 0) {
    return node.quasis[0].value.cooked;
  }
  return undefined;
}

const FUNCTION_TYPES = new Set([
  "FunctionDeclaration", "FunctionExpression", "ArrowFunctionExpression",
  "ObjectMethod", "ClassMethod", "ClassPrivateMethod", "StaticBlock",
]);

function patternNames(pattern, out) {
  if (!pattern) return out;
  switch (pattern.type) {
    case "Identifier": out.push(pattern.name); break;
    case "ObjectPattern":
      for (const p of pattern.properties) patternNames(p.type === "RestElement" ? p.argument : p.value, out);
      break;
    case "ArrayPattern": for (const e of pattern.elements) patternNames(e, out); break;
    case "AssignmentPattern": patternNames(pattern.left, out); break;
    case "RestElement": patternNames(pattern.argument, out); break;
  }
  return out;
}

// var declarations of a function body, not descending into nested functions
function varNames(node, out) {
  if (!node || typeof node.type !== "string") return;
  if (FUNCTION_TYPES.has(node.type)) return;
  if (node.type === "VariableDeclaration" && node.kind === "var") {
    for (const d of node.declarations) patternNames(d.id, out);
  }
  for (const key of Object.keys(node)) {
    if (key === "loc" || key === "leadingComments" || key === "trailingComments") continue;
    const v = node[key];
    if (Array.isArray(v)) for (const c of v) varNames(c, out);
    else if (v && typeof v.type === "string") varNames(v, out);
  }
}

function lexicalNames(statements, out) {
  for (const s of statements) {
    if (s.type === "VariableDeclaration" && s.kind !== "var") for (const d of s.declarations) patternNames(d.id, out);
    else if ((s.type === "FunctionDeclaration" || s.type === "ClassDeclaration") && s.id) out.push(s.id.name);
    else if (s.type === "ImportDeclaration") for (const sp of s.specifiers) out.push(sp.local.name);
  }
  return out;
}

function scopeDeclares(node) {
  const names = [];
  switch (node.type) {
    case "Program": varNames({ type: "Block", body: node.body }, names); lexicalNames(node.body, names); break;
    case "StaticBlock": varNames({ type: "Block", body: node.body }, names); lexicalNames(node.body, names); break;
    case "FunctionDeclaration": case "FunctionExpression": case "ArrowFunctionExpression":
    case "ObjectMethod": case "ClassMethod": case "ClassPrivateMethod":
      for (const p of node.params) patternNames(p, names);
      if (node.type === "FunctionExpression" && node.id) names.push(node.id.name);
      if (node.body.type === "BlockStatement") varNames({ type: "Block", body: node.body.body }, names);
      break;
    case "ClassExpression": if (node.id) names.push(node.id.name); break;
    case "BlockStatement": lexicalNames(node.body, names); break;
    case "SwitchStatement": for (const c of node.cases) lexicalNames(c.consequent, names); break;
    case "ForStatement": if (node.init && node.init.type === "VariableDeclaration" && node.init.kind !== "var") lexicalNames([node.init], names); break;
    case "ForInStatement": case "ForOfStatement":
      if (node.left.type === "VariableDeclaration" && node.left.kind !== "var") lexicalNames([node.left], names); break;
    case "CatchClause": patternNames(node.param, names); break;
  }
  return names.includes("require");
}

function position(code, node) {
  let start = node.start;
  let lineStart = start;
  while (lineStart > 0 && !"\n\r\u2028\u2029".includes(code[lineStart - 1])) lineStart--;
  return [node.loc.start.line, [...code.slice(lineStart, start)].length + 1];
}

function extract(code, commonjs) {
  const ast = babel.parse(code, {
    sourceType: commonjs ? "script" : "module",
    allowReturnOutsideFunction: commonjs,
    allowAwaitOutsideFunction: false,
    errorRecovery: false,
    plugins: ["jsx", ["importAttributes", { deprecatedAssertSyntax: true }]],
  });
  const sites = [];
  const add = (kind, specifier, node) => sites.push([kind, specifier, ...position(code, node)]);
  function visit(node, shadowed) {
    if (!node || typeof node.type !== "string") return;
    if (commonjs && !shadowed && scopeDeclares(node)) shadowed = true;
    switch (node.type) {
      case "ImportDeclaration": {
        const head = code.slice(node.start + "import".length, node.source.start)
          .replace(/\/\*[\s\S]*?\*\/|\/\/[^\n]*/g, "").trim();
        add(node.specifiers.length === 0 && head === "" ? "side-effect" : "static", node.source.value, node.source);
        break;
      }
      case "ExportAllDeclaration": add("export-from", node.source.value, node.source); break;
      case "ExportNamedDeclaration": if (node.source) add("export-from", node.source.value, node.source); break;
      case "CallExpression": {
        const callee = node.callee;
        const arg = node.arguments[0];
        if (callee.type === "Import") {
          const value = literal(arg);
          if (value !== undefined) add("dynamic", value, arg);
          else if (arg) add("dynamic-expr", null, arg);
        } else if (callee.type === "MemberExpression" && !callee.computed
          && callee.object.type === "MetaProperty" && callee.object.meta.name === "import"
          && callee.property.name === "resolve") {
          const value = literal(arg);
          if (value !== undefined) add("import-meta-resolve", value, arg);
        } else if (commonjs && !shadowed && callee.type === "Identifier" && callee.name === "require"
          && node.arguments.length === 1) {
          const value = literal(arg);
          if (value !== undefined) add("require", value, arg);
        }
        break;
      }
    }
    for (const key of Object.keys(node)) {
      if (key === "loc" || key === "leadingComments" || key === "trailingComments" || key === "innerComments") continue;
      const v = node[key];
      if (Array.isArray(v)) for (const c of v) visit(c, shadowed);
      else if (v && typeof v.type === "string") visit(v, shadowed);
    }
  }
  visit(ast.program, false);
  sites.sort((a, b) => a[2] - b[2] || a[3] - b[3]);
  return sites;
}

const out = [];
for (const [path, format] of files) {
  let code = readFileSync(path, "utf8");
  if (code.charCodeAt(0) === 0xfeff) code = code.slice(1);
  try {
    out.push(JSON.stringify({ path, sites: extract(code, format === "commonjs") }));
  } catch (error) {
    out.push(JSON.stringify({ path, error: String(error.message).split("\n")[0] }));
  }
}
process.stdout.write(out.join("\n") + "\n");
