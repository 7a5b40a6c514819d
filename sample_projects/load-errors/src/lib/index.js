export const lib = 'only reachable as ./lib/index.js';
