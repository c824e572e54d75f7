'use strict';
// Runs `serve` in one worker per core (os.availableParallelism(), which honours a CPU affinity
// mask, so a server pinned to one core gets one worker). The primary only supervises: it forwards
// SIGTERM/SIGINT to the workers and exits when they have.
const cluster = require('node:cluster');
const os = require('node:os');

function runClustered(name, serve) {
  if (cluster.isPrimary) {
    const workers = Number(process.env.WORKERS || os.availableParallelism());
    for (let i = 0; i < workers; i++) cluster.fork();
    let stopping = false;
    const stop = () => {
      stopping = true;
      for (const worker of Object.values(cluster.workers)) worker.process.kill('SIGTERM');
    };
    process.on('SIGTERM', stop);
    process.on('SIGINT', stop);
    cluster.on('exit', (worker, code, signal) => {
      if (!stopping) {
        console.error(`${name}: worker ${worker.process.pid} died (${signal || code}); stopping`);
        stop();
        process.exitCode = 1;
      }
      if (Object.keys(cluster.workers).length === 0) process.exit();
    });
  } else {
    serve();
    process.on('SIGTERM', () => process.exit(0));
  }
}

module.exports = { runClustered };
