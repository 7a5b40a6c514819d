// The floor: read every .js/.mjs/.cjs/.jsx file under a folder (skipping
// node_modules and hidden folders, as graphesm does) and lex it with
// es-module-lexer. node floor.mjs CORPUS_DIR -> one JSON line on stdout.
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { init, parse } from "es-module-lexer";

const root = process.argv[2];
const t0 = performance.now();
await init;
let files = 0, bytes = 0, imports = 0, failed = 0;
function walk(dir) {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (entry.name.startsWith(".") || entry.name === "node_modules") continue;
    const path = join(dir, entry.name);
    if (entry.isDirectory()) walk(path);
    else if (/\.(m|c)?jsx?$/.test(entry.name)) {
      const source = readFileSync(path, "utf8");
      files++;
      bytes += source.length;
      try {
        imports += parse(source)[0].length;
      } catch {
        failed++;
      }
    }
  }
}
walk(root);
const ms = performance.now() - t0;
console.log(JSON.stringify({ files, bytes, imports, failed, ms }));
