'use strict';

// Computed keys hide the names from cjs-module-lexer: ESM gets a default export only.
const key = ['th', 'eme'].join('');

module.exports = {
  [key]: 'dark',
  ['local' + 'e']: 'en-GB',
};
