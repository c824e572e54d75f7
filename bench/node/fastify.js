'use strict';
// Fastify with its defaults (logger off), the 100 routes, and a response schema on /json, which
// is Fastify's documented fast path for serialisation.
const Fastify = require('fastify');
const { HELLO, HOST, PORT, fillerRoutes, pbkdf2Hex, pbkdf2HexSync } = require('./contract');
const { runClustered } = require('./cluster');

const TEXT = 'text/plain; charset=utf-8';

runClustered('fastify', () => {
  const app = Fastify({ logger: false });
  app.get('/plaintext', (req, reply) => reply.type(TEXT).send(HELLO));
  app.get('/json', {
    schema: { response: { 200: { type: 'object', properties: { message: { type: 'string' } } } } },
  }, (req, reply) => reply.send({ message: HELLO }));
  app.get('/ping', (req, reply) => reply.type(TEXT).send('pong'));
  app.get('/cpu', (req, reply) => {
    pbkdf2Hex((err, hex) => (err ? reply.send(err) : reply.type(TEXT).send(hex)));
    return reply;
  });
  app.get('/cpu-inline', (req, reply) => reply.type(TEXT).send(pbkdf2HexSync()));
  for (const route of fillerRoutes()) {
    app.get(route, (req, reply) => reply.type(TEXT).send(route));
  }
  app.get('/users/:id', (req, reply) => reply.type(TEXT).send('user ' + req.params.id));
  app.listen({ port: PORT, host: HOST }).catch((err) => {
    console.error(err);
    process.exit(1);
  });
});
