'use strict';

// cjs-module-lexer sees these assignments: ESM can import { add, VERSION }.
exports.add = (a, b) => a + b;
exports.VERSION = '1.2.3';
