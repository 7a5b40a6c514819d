const { init, parse } = require(process.argv[2]);
const fs = require('fs');
const files = JSON.parse(fs.readFileSync(0, 'utf8'));
const out = {};
for (const f of files) {
  try { const r = parse(fs.readFileSync(f, 'utf8')); out[f] = { exports: r.exports, reexports: r.reexports }; }
  catch (e) { out[f] = { error: String(e.message).split('\n')[0] }; }
}
process.stdout.write(JSON.stringify(out));
