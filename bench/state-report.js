'use strict';
// Turns a bench/state.sh run (cells.jsonl, meta.txt) into a Markdown table: the median of the
// rounds per target and scenario, requests/s and p99, with ratios to Spindle.
const fs = require('node:fs');
const path = require('node:path');

const dir = process.argv[2];
const cells = fs.readFileSync(path.join(dir, 'cells.jsonl'), 'utf8').trim().split('\n').map((line) => JSON.parse(line));
const median = (values) => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
};
const names = { spindle: 'Spindle', vertx: 'Vert.x-web 5.0.7', express: 'Express 5 + express-session + connect-redis',
  fastify: 'Fastify 5 + @fastify/session + connect-redis' };
const targets = [...new Set(cells.map((c) => c.target))];
const cell = (target, scenario) => {
  const runs = cells.filter((c) => c.target === target && c.scenario === scenario);
  const errors = runs.reduce((sum, c) => sum + Object.values(c.wrk.errors).reduce((a, b) => a + b, 0), 0);
  return { rps: median(runs.map((c) => c.wrk.rps)), p99: median(runs.map((c) => c.wrk.latency_us.p99)) / 1000, errors };
};
const out = [];
out.push('```', fs.readFileSync(path.join(dir, 'meta.txt'), 'utf8').trim(), '```', '');
out.push('| target | session read req/s | × Spindle | p99 ms | cache hit req/s | × Spindle | p99 ms | errors |');
out.push('|---|---:|---:|---:|---:|---:|---:|---:|');
const base = { session: cell('spindle', 'session'), cache: cell('spindle', 'cache') };
for (const target of targets) {
  const s = cell(target, 'session');
  const c = cell(target, 'cache');
  const ratio = (x, b) => (b && b.rps ? (x.rps / b.rps).toFixed(2) + '×' : 'n/a');
  out.push(`| ${names[target] || target} | ${Math.round(s.rps).toLocaleString('en')} | ${ratio(s, base.session)} | `
    + `${s.p99.toFixed(2)} | ${Math.round(c.rps).toLocaleString('en')} | ${ratio(c, base.cache)} | ${c.p99.toFixed(2)} | `
    + `${s.errors + c.errors} |`);
}
console.log(out.join('\n'));
