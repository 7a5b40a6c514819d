// Load one entry the way the findings differential suite compares it:
// `await import(entry)` and print one JSON line on stdout:
//   {"outcome": "loaded" | <error.code ?? error.name>, "evaluations": {path: count}}
// Modules that count their evaluations push their file path to
// globalThis.evaluations. A top-level await that never settles prints nothing
// and node exits with code 13 (the suite calls that outcome "unsettled").
import { pathToFileURL } from 'node:url';

let outcome = 'loaded';
try {
  await import(pathToFileURL(process.argv[2]).href);
} catch (error) {
  outcome = error?.code ?? error?.name ?? String(error);
}
const evaluations = {};
for (const path of globalThis.evaluations ?? []) evaluations[path] = (evaluations[path] ?? 0) + 1;
console.log(JSON.stringify({ outcome, evaluations }));
