'use strict';

// require() of an ES module (synchronous, no top-level await in the graph).
const { greet } = require('./greeter.mjs');
const dual = require('dual-pkg');

console.log(greet('interop'), dual.flavour);
