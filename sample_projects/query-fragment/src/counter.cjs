// CommonJS: Node's CJS cache is keyed by file path, so a ?query on the
// importing URL makes a new ESM facade but the same module.exports object.
let hits = 0;

module.exports = {
  hit() {
    hits += 1;
    return hits;
  },
};
