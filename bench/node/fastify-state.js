'use strict';
// Fastify 5 with @fastify/session and a Redis store (connect-redis, which @fastify/session accepts), one
// worker per core.
const Fastify = require('fastify');
const { RedisStore } = require('connect-redis');
const { HELLO, HOST, PORT } = require('./contract');
const { SESSION_USER, SESSION_SECRET, redisClient, cachedGreeting } = require('./state-contract');
const { runClustered } = require('./cluster');

runClustered('fastify-state', async () => {
  const client = await redisClient();
  const app = Fastify({ logger: false });
  app.register(require('@fastify/cookie'));
  app.register(require('@fastify/session'), {
    store: new RedisStore({ client, prefix: 'bench:fastify-sess:' }),
    secret: SESSION_SECRET,
    saveUninitialized: false,
    cookie: { secure: false },
  });
  app.get('/plaintext', (req, reply) => reply.type('text/plain').send(HELLO));
  app.get('/state/cache', async () => cachedGreeting(client));
  app.post('/state/session', (req, reply) => {
    req.session.set('user', SESSION_USER);
    reply.type('text/plain').send('logged in');
  });
  app.get('/state/session', (req, reply) =>
    reply.type('text/plain').send('hello ' + (req.session.get('user') || 'guest')));
  await app.listen({ port: PORT, host: HOST });
});
