'use strict';
// The state routes of the bench contract (dev.spindle.bench.BenchContract), backed by the one local
// Redis every target shares: POST /state/session stores user "bench" in the session, GET
// /state/session reads it back ("hello bench"), GET /state/cache answers the cached
// {"message":"Hello, World!"} from Redis (loaded once, JSON-decoded and re-encoded per request).
const { createClient } = require('redis');
const { HELLO } = require('./contract');

const SESSION_USER = 'bench';
const SESSION_SECRET = 'spindle-bench-session-secret-0001';
const CACHE_KEY = 'bench:node-cache:greeting';

/** One connected client per worker, as connect-redis's documentation sets it up. */
async function redisClient() {
  const client = createClient({ url: process.env.REDIS_URL });
  client.on('error', (err) => console.error('redis:', err.message));
  await client.connect();
  return client;
}

/** The cached greeting: GET, and on a miss load and SET with a TTL. */
async function cachedGreeting(client) {
  const raw = await client.get(CACHE_KEY);
  if (raw !== null) return JSON.parse(raw);
  const value = { message: HELLO };
  await client.set(CACHE_KEY, JSON.stringify(value), { EX: 3600 });
  return value;
}

module.exports = { SESSION_USER, SESSION_SECRET, redisClient, cachedGreeting };
