// Every import below fails the way Node fails; each one is tried on its own
// and the error code Node throws is printed.
import { retries } from '#config';

const attempts = [
  ['missing file', () => import('./missing.js')],
  ['missing extension', () => import('./util')],
  ['directory import', () => import('./lib')],
  ['package path not exported', () => import('strict-pkg/lib/internal.js')],
  ['import not defined', () => import('#nope')],
  ['invalid package target', () => import('bad-target')],
  ['unknown package', () => import('no-such-package')],
  ['unknown file extension', () => import('./types.ts')],
  ['broken package.json', () => import('broken-json')],
  ['encoded slash', () => import('./lib%2Findex.js')],
  ['unknown builtin', () => import('node:no-such-builtin')],
  ['network import', () => import('https://example.com/mod.js')],
  ['json without attributes', () => import('./data.json')],
  ['invalid attribute type', () => import('./data.json', { with: { type: 'css' } })],
];

let failures = 0;
for (const [what, load] of attempts) {
  try {
    await load();
    console.log(`${what}: loaded (unexpected)`);
  } catch (error) {
    failures += 1;
    console.log(`${what}: ${error.code}`);
  }
}
console.log(`${failures}/${attempts.length} imports failed; retries=${retries}`);
