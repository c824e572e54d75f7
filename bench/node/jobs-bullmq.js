// One cell of bench/jobs.sh for BullMQ: add-and-process throughput of a no-op processor at a given
// concurrency (jobs added with addBulk in bulks of 1,000 while the worker runs), then
// enqueue-to-start latency of jobs added one at a time to an idle worker. Prints one JSON line.
// Usage: node jobs-bullmq.js <redis host> <port> <jobs> <concurrency> <latency samples>
'use strict';
const { Queue, Worker } = require('bullmq');
const { performance } = require('node:perf_hooks');

const [host, port, jobsArg, concurrencyArg, samplesArg] = process.argv.slice(2);
const jobs = Number(jobsArg);
const concurrency = Number(concurrencyArg);
const samples = Number(samplesArg);
const connection = { host, port: Number(port), maxRetriesPerRequest: null };
const prefix = 'bench-' + Math.random().toString(16).slice(2, 10);
const retention = { removeOnComplete: { count: 1000 }, removeOnFail: { count: 10000 } };

async function main() {
  const throughput = new Queue('throughput', { connection, prefix, defaultJobOptions: retention });
  let done = 0;
  let resolveAll;
  const all = new Promise((resolve) => { resolveAll = resolve; });
  const worker = new Worker('throughput', async () => {
    if (++done === jobs) resolveAll();
  }, { connection, prefix, concurrency });
  await worker.waitUntilReady();
  const start = performance.now();
  for (let from = 0; from < jobs; from += 1000) {
    const bulk = [];
    for (let i = from; i < Math.min(jobs, from + 1000); i++) bulk.push({ name: 'j', data: i });
    await throughput.addBulk(bulk);
  }
  await all;
  const seconds = (performance.now() - start) / 1000;
  await worker.close();

  const latency = new Queue('latency', { connection, prefix, defaultJobOptions: retention });
  const waits = [];
  let resolveSampled;
  const sampled = new Promise((resolve) => { resolveSampled = resolve; });
  const latencyWorker = new Worker('latency', async (job) => {
    waits.push(performance.now() - job.data);
    if (waits.length === samples) resolveSampled();
  }, { connection, prefix, concurrency });
  await latencyWorker.waitUntilReady();
  for (let i = 0; i < samples; i++) await latency.add('j', performance.now());
  await sampled;
  waits.sort((a, b) => a - b);
  console.log(JSON.stringify({ target: 'bullmq', concurrency, jobs, jobsPerSec: Math.round(jobs / seconds),
    p50ms: Number(waits[Math.floor(samples / 2)].toFixed(3)), p99ms: Number(waits[Math.floor(samples * 0.99)].toFixed(3)) }));
  await latencyWorker.close();
  await throughput.obliterate({ force: true });
  await latency.obliterate({ force: true });
  await throughput.close();
  await latency.close();
}

main().then(() => process.exit(0), (e) => { console.error(e); process.exit(1); });
