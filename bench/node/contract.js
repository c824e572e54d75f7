'use strict';
// The bench contract, mirrored from dev.spindle.bench.BenchContract: same bodies, same PBKDF2
// parameters, same 100 routes with /users/:id declared last.
const crypto = require('node:crypto');

const HELLO = 'Hello, World!';
const ROUTES = 100;
const HOST = '127.0.0.1';
const PORT = Number(process.env.PORT || 8080);

/** The filler routes: a third literal, a third with a parameter, a third with a parameter and a tail. */
function fillerRoutes(count = ROUTES - 6) {
  const routes = [];
  for (let i = 0; i < count; i++) {
    if (i % 3 === 0) routes.push(`/api/resource${i}`);
    else if (i % 3 === 1) routes.push(`/api/resource${i}/:id`);
    else routes.push(`/api/resource${i}/:id/items`);
  }
  return routes;
}

/** PBKDF2-HMAC-SHA256 on libuv's thread pool (off the loop). */
function pbkdf2Hex(callback) {
  crypto.pbkdf2('password', 'saltsalt', 20000, 32, 'sha256', (err, key) => callback(err, key && key.toString('hex')));
}

/** The same on the event loop: the anti-pattern /cpu-inline measures. */
function pbkdf2HexSync() {
  return crypto.pbkdf2Sync('password', 'saltsalt', 20000, 32, 'sha256').toString('hex');
}

module.exports = { HELLO, ROUTES, HOST, PORT, fillerRoutes, pbkdf2Hex, pbkdf2HexSync };
