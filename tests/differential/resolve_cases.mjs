// Differential oracle: Node's own ES-module resolver, one process for all cases.
//
// Usage: node resolve_cases.mjs CASES.json OUT.json
//   CASES.json: [{specifier, parent (URL string), conditions: [..] | null}, ...]
//   OUT.json:   {node, defaultConditions, results: [{url, format} | {error, message}]}
//
// How: module.register() installs resolve_hooks.mjs on the hooks thread; one
// synchronous import.meta.resolve(PROBE) makes that hook run every case through
// nextResolve (Node's default resolver, with {...context, parentURL, conditions}),
// so each answer carries the format as well as the URL or the error code.
import { register } from 'node:module';
import { resolve as resolvePath } from 'node:path';
import { pathToFileURL } from 'node:url';

const [casesFile, outFile] = process.argv.slice(2);
if (!casesFile || !outFile) {
  console.error('usage: node resolve_cases.mjs CASES.json OUT.json');
  process.exit(2);
}
const hooks = new URL('./resolve_hooks.mjs', import.meta.url);
register(hooks, {
  data: { casesFile: resolvePath(casesFile), outFile: resolvePath(outFile) },
});
import.meta.resolve('graphesm-probe:run');
