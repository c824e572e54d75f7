// Medians per (target, concurrency) of bench/jobs.sh's results.jsonl, as a Markdown table.
'use strict';
const fs = require('node:fs');
const rows = fs.readFileSync(process.argv[2], 'utf8').trim().split('\n').map((line) => JSON.parse(line));
const median = (values) => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
};
const cells = new Map();
for (const row of rows) {
  const key = `${row.concurrency}|${row.target}`;
  if (!cells.has(key)) cells.set(key, []);
  cells.get(key).push(row);
}
const levels = [...new Set(rows.map((r) => r.concurrency))].sort((a, b) => a - b);
const out = ['| concurrency | target | jobs/s | × BullMQ | enqueue→start p50 ms | p99 ms | rounds |', '|---:|---|---:|---:|---:|---:|---:|'];
for (const c of levels) {
  const bull = cells.get(`${c}|bullmq`) || [];
  const bullRate = bull.length ? median(bull.map((r) => r.jobsPerSec)) : NaN;
  const names = { spindle: 'Spindle', 'spindle-base': 'Spindle (before)', bullmq: 'BullMQ' };
  for (const target of ['spindle', 'spindle-base', 'bullmq']) {
    const list = cells.get(`${c}|${target}`) || [];
    if (!list.length) continue;
    const rate = median(list.map((r) => r.jobsPerSec));
    out.push(`| ${c} | ${names[target]} | ${Math.round(rate).toLocaleString('en-US')} | ` +
      `${(rate / bullRate).toFixed(2)}× | ${median(list.map((r) => r.p50ms)).toFixed(2)} | ` +
      `${median(list.map((r) => r.p99ms)).toFixed(2)} | ${list.length} |`);
  }
}
console.log(out.join('\n'));
