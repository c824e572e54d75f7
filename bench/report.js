'use strict';
// Turns a run directory of bench/run.sh (cells.jsonl, machine.txt) into markdown: the tables
// with the median of the rounds for each cell, the ratios against raw Netty, and Spindle's
// standing against the goals of the benchmark issue.
//
//   node bench/report.js bench/results/<timestamp> > results.md
const fs = require('node:fs');
const path = require('node:path');

const dir = process.argv[2];
if (!dir) {
  console.error('Usage: node bench/report.js <run directory>');
  process.exit(2);
}
const benchDir = __dirname;
const cells = fs.readFileSync(path.join(dir, 'cells.jsonl'), 'utf8')
  .split('\n').filter((line) => line.trim()).map((line) => JSON.parse(line));
const machine = fs.existsSync(path.join(dir, 'machine.txt'))
  ? fs.readFileSync(path.join(dir, 'machine.txt'), 'utf8').trim().split('\n') : [];

function version(file, pattern) {
  try {
    const match = fs.readFileSync(file, 'utf8').match(pattern);
    return match ? match[1] : '?';
  } catch {
    return '?';
  }
}
function nodeModuleVersion(name) {
  return version(path.join(benchDir, 'node', 'node_modules', name, 'package.json'), /"version":\s*"([^"]+)"/);
}
const netty = version(path.join(benchDir, '..', 'pom.xml'), /<netty\.version>([^<]+)</);
const vertx = version(path.join(benchDir, 'pom.xml'), /<vertx\.version>([^<]+)</);

const NAMES = {
  spindle: 'Spindle (production defaults)',
  netty: `raw Netty ${netty}`,
  vertx: `Vert.x-web ${vertx}`,
  'node-http': `Node http ${process.version} (cluster)`,
  fastify: `Fastify ${nodeModuleVersion('fastify')} (cluster)`,
  express: `Express ${nodeModuleVersion('express')} (cluster)`,
};
const ORDER = ['spindle', 'netty', 'vertx', 'node-http', 'fastify', 'express'];
const targets = ORDER.filter((t) => cells.some((c) => c.target === t));
const rounds = new Set(cells.map((c) => c.round)).size;

function median(values) {
  if (values.length === 0) return undefined;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}
/** The median over rounds of one value of one target's cell. */
function med(target, scenario, role, pick) {
  return median(cells.filter((c) => c.target === target && c.scenario === scenario && (role === null || c.role === role))
    .map(pick).filter((v) => typeof v === 'number' && Number.isFinite(v)));
}
const rps = (t, s, role = 'main') => med(t, s, role, (c) => c.wrk.rps);
// A run in which no request completed has no latency: it is left out of the median, and a cell
// whose every round starved shows as such.
const latency = (c, key) => (c.wrk.requests > 0 ? c.wrk.latency_us[key] / 1000 : undefined);
const p50 = (t, s, role) => med(t, s, role, (c) => latency(c, 'p50'));
const p99 = (t, s, role) => med(t, s, role, (c) => latency(c, 'p99'));
const starved = (t, s, role) => cells.some((c) => c.target === t && c.scenario === s && c.role === role)
  && cells.filter((c) => c.target === t && c.scenario === s && c.role === role).every((c) => c.wrk.requests === 0);
const startup = (t) => med(t, 'startup', null, (c) => c.startup_ms);
const rssIdle = (t) => med(t, 'startup', null, (c) => c.rss_idle_kb / 1024);
const rssLoaded = (t) => med(t, 'startup', null, (c) => c.rss_loaded_kb / 1024);

const fmtInt = (v) => (v === undefined ? '—' : Math.round(v).toLocaleString('en-US'));
const fmtMs = (v) => (v === undefined ? '—' : v < 10 ? v.toFixed(2) : v.toFixed(1));
const fmtMiB = (v) => (v === undefined ? '—' : v.toFixed(0));
const ratio = (v, base) => (v === undefined || base === undefined || base === 0 ? '—' : `${(v / base).toFixed(2)}×`);

function table(header, rows) {
  const lines = [`| ${header.join(' | ')} |`, `|${header.map((h, i) => (i === 0 ? '---' : '---:')).join('|')}|`];
  for (const row of rows) lines.push(`| ${row.join(' | ')} |`);
  return lines.join('\n');
}

const out = [];
out.push(`# Bench run ${path.basename(path.resolve(dir))}`);
out.push('');
out.push(`Each cell is the median of ${rounds} round(s); ratios are against raw Netty in the same run.`);
out.push('Spindle runs with its production defaults: metrics (Prometheus registry, per-route timers), request ids,');
out.push('deadlines, health endpoints and every other default on; access log off, as by default.');
out.push('');
for (const line of machine) out.push(`- ${line}`);
out.push('');

const has = (scenario) => cells.some((c) => c.scenario === scenario);
if (has('plaintext') || has('json') || has('routed')) {
  out.push('## Throughput (requests/s)');
  out.push('');
  out.push(table(
    ['target', 'plaintext', '× Netty', 'JSON', '× Netty', 'routed (1 of 100 routes)', '× Netty', 'routed ÷ plaintext'],
    targets.map((t) => [
      NAMES[t],
      fmtInt(rps(t, 'plaintext')), ratio(rps(t, 'plaintext'), rps('netty', 'plaintext')),
      fmtInt(rps(t, 'json')), ratio(rps(t, 'json'), rps('netty', 'json')),
      fmtInt(rps(t, 'routed')), ratio(rps(t, 'routed'), rps('netty', 'routed')),
      ratio(rps(t, 'routed'), rps(t, 'plaintext')),
    ]),
  ));
  out.push('');
}
for (const [scenario, title, cpuPath] of [
  ['mixed-offload', '`/ping` while `/cpu` load runs (PBKDF2 offloaded)', '/cpu'],
  ['mixed-inline', '`/ping` while `/cpu-inline` load runs (PBKDF2 on the event loop: the anti-pattern)', '/cpu-inline'],
]) {
  if (!has(scenario)) continue;
  out.push(`## ${title}`);
  out.push('');
  out.push(table(
    ['target', '/ping p50 ms', '/ping p99 ms', 'p99 × Netty', '/ping req/s', `${cpuPath} req/s`],
    targets.map((t) => [
      NAMES[t],
      starved(t, scenario, 'ping') ? 'no response' : fmtMs(p50(t, scenario, 'ping')),
      starved(t, scenario, 'ping') ? 'no response' : fmtMs(p99(t, scenario, 'ping')),
      ratio(p99(t, scenario, 'ping'), p99('netty', scenario, 'ping')),
      fmtInt(rps(t, scenario, 'ping')), fmtInt(rps(t, scenario, 'cpu')),
    ]),
  ));
  out.push('');
}
out.push('## Start-up and memory');
out.push('');
out.push(table(
  ['target', 'start-up to first 200 (ms)', 'RSS idle (MiB)', 'RSS after load (MiB)', 'RSS after load × Netty'],
  targets.map((t) => [
    NAMES[t], fmtInt(startup(t)), fmtMiB(rssIdle(t)), fmtMiB(rssLoaded(t)), ratio(rssLoaded(t), rssLoaded('netty')),
  ]),
));
out.push('');
out.push('Latencies are wrk\'s, over the requests that completed within the measurement: a /ping stuck behind');
out.push('on-loop work until wrk stops is not counted, so under `/cpu-inline` they are a lower bound.');
out.push('');
out.push('Start-up is process spawn to the first 200 on `/plaintext` (polled with curl every ~5 ms);');
out.push('RSS is VmRSS, summed over every process of a Node cluster.');
out.push('');

// Spindle against the goals, where the run has the numbers to judge.
if (targets.includes('spindle')) {
  const goals = [];
  const check = (label, ok, detail) => {
    if (ok !== undefined) goals.push(`- [${ok ? 'x' : ' '}] ${label}: ${detail}`);
  };
  const peers = targets.filter((t) => t !== 'spindle' && t !== 'netty');
  for (const s of ['plaintext', 'json']) {
    const sp = rps('spindle', s);
    const nt = rps('netty', s);
    const vx = rps('vertx', s);
    if (sp !== undefined && nt !== undefined) {
      check(`${s} ≥ 0.95× raw Netty`, sp >= 0.95 * nt, `${ratio(sp, nt)}`);
    }
    if (sp !== undefined && vx !== undefined) {
      check(`${s} ≥ Vert.x-web`, sp >= vx, `${fmtInt(sp)} vs ${fmtInt(vx)} req/s`);
    }
  }
  const sp99 = p99('spindle', 'mixed-offload', 'ping');
  const nt99 = p99('netty', 'mixed-offload', 'ping');
  if (sp99 !== undefined && nt99 !== undefined) {
    check('/ping p99 under offloaded load ≤ raw Netty', sp99 <= nt99, `${fmtMs(sp99)} vs ${fmtMs(nt99)} ms`);
  }
  const peer99 = peers.map((t) => [t, p99(t, 'mixed-offload', 'ping')]).filter(([, v]) => v !== undefined);
  if (sp99 !== undefined && peer99.length) {
    check('/ping p99 under offloaded load < every other peer', peer99.every(([, v]) => sp99 < v),
      peer99.map(([t, v]) => `${t} ${fmtMs(v)} ms`).join(', '));
  }
  const routed = rps('spindle', 'routed');
  const plain = rps('spindle', 'plaintext');
  if (routed !== undefined && plain !== undefined) {
    check('routed (100 routes) within 3% of plaintext', routed >= 0.97 * plain, `${ratio(routed, plain)}`);
  }
  const st = startup('spindle');
  if (st !== undefined) check('start-up to first response < 1 s', st < 1000, `${fmtInt(st)} ms`);
  const rs = rssLoaded('spindle');
  const rv = rssLoaded('vertx');
  if (rs !== undefined && rv !== undefined) {
    check('RSS after load ≤ Vert.x-web (same JVM flags)', rs <= rv, `${fmtMiB(rs)} vs ${fmtMiB(rv)} MiB`);
  }
  if (goals.length) {
    out.push('## Spindle against the goals');
    out.push('');
    out.push(...goals);
    out.push('');
  }
}

const failed = cells.filter((c) => c.wrk && Object.values(c.wrk.errors).some((n) => n > 0));
if (failed.length) {
  out.push('## Errors reported by wrk');
  out.push('');
  for (const c of failed) {
    out.push(`- round ${c.round}, ${c.target}, ${c.scenario} (${c.role}): ${JSON.stringify(c.wrk.errors)}`);
  }
  out.push('');
}
process.stdout.write(out.join('\n'));
