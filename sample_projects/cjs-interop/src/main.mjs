import { createRequire } from 'node:module';
import { add, VERSION } from './math.cjs';
import settings from './settings.cjs';
import total from './legacy.js';
import { detected } from './detected.js';
import dualEsm from 'dual-pkg';

const require = createRequire(import.meta.url);
const dualCjs = require('dual-pkg');

console.log('math.cjs named exports:', add(2, 3), VERSION);
console.log('settings.cjs default export:', settings.theme, settings.locale);
console.log('legacy.js (commonjs):', total([1, 2, 3]));
console.log('detected.js:', detected);
console.log('dual-pkg import/require:', dualEsm.flavour, dualCjs.flavour, dualEsm === dualCjs);

try {
  await import('./broken-named.mjs');
} catch (error) {
  console.log('broken-named.mjs:', error.name, error.message.split('\n')[0]);
}
