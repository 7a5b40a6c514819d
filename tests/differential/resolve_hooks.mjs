// Hooks module for resolve_cases.mjs (runs on Node's hooks thread).
//
// When the main thread resolves the magic specifier PROBE, this hook reads the
// case file named in `initialize` data, calls Node's own default resolver
// (`nextResolve`) once per case with the case's parentURL and conditions, and
// writes one result per case to the output file. Any other specifier goes
// straight through to Node's resolver.
import { readFileSync, writeFileSync } from 'node:fs';

export const PROBE = 'graphesm-probe:run';
let options;

export function initialize(data) {
  options = data;
}

export async function resolve(specifier, context, nextResolve) {
  if (specifier !== PROBE) return nextResolve(specifier, context);
  const defaultConditions = [...context.conditions];
  const cases = JSON.parse(readFileSync(options.casesFile, 'utf8'));
  const results = [];
  for (const c of cases) {
    const ctx = {
      parentURL: c.parent,
      importAttributes: c.importAttributes ?? {},
      // null: Node's defaults; an array replaces them exactly. Always a fresh
      // array: Node's hook chain merges the context passed to nextResolve
      // back into `context`, so context.conditions is not stable across calls.
      conditions: [...(c.conditions ?? defaultConditions)],
    };
    try {
      const r = await nextResolve(c.specifier, ctx);
      results.push({ url: r.url, format: r.format ?? null });
    } catch (e) {
      results.push({ error: e?.code ?? e?.name ?? String(e), message: String(e?.message ?? e) });
    }
  }
  writeFileSync(options.outFile, JSON.stringify({
    node: process.version,
    defaultConditions,
    results,
  }));
  return { url: 'data:text/javascript,', shortCircuit: true };
}
