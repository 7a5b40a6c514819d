// Typeless .js in a package without "type": CommonJS.
const { add } = require('./math.cjs');

module.exports = function total(values) {
  return values.reduce(add, 0);
};
