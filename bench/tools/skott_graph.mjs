// skott's import graph through its JavaScript API (the CLI has no machine-readable
// graph output): node skott_graph.mjs CORPUS_DIR OUT.json [--cycles]
// Writes {"file": ["dependency", ...]} with paths relative to CORPUS_DIR.
// --cycles also runs useGraph().findCircularDependencies(), what
// `skott --showCircularDependencies` does.
import { writeFileSync } from "node:fs";
import skott from "skott";

const [cwd, out, flag] = process.argv.slice(2);
const instance = await skott({
  cwd,
  incremental: false,
  fileExtensions: [".js", ".mjs", ".cjs", ".jsx"],
  dependencyTracking: { thirdParty: false, builtin: false, typeOnly: false },
});
const { graph } = instance.getStructure();
const result = {};
for (const [id, node] of Object.entries(graph)) result[id] = node.adjacentTo;
let cycles = null;
if (flag === "--cycles") cycles = instance.useGraph().findCircularDependencies().length;
writeFileSync(out, JSON.stringify({ graph: result, cycles }));
