'use strict';
// Express 5 with its defaults (ETag on, as shipped), x-powered-by off, the 100 routes.
const express = require('express');
const { HELLO, HOST, PORT, fillerRoutes, pbkdf2Hex, pbkdf2HexSync } = require('./contract');
const { runClustered } = require('./cluster');

const TEXT = 'text/plain; charset=utf-8';

runClustered('express', () => {
  const app = express();
  app.disable('x-powered-by');
  app.get('/plaintext', (req, res) => res.type(TEXT).send(HELLO));
  app.get('/json', (req, res) => res.json({ message: HELLO }));
  app.get('/ping', (req, res) => res.type(TEXT).send('pong'));
  app.get('/cpu', (req, res, next) => pbkdf2Hex((err, hex) => (err ? next(err) : res.type(TEXT).send(hex))));
  app.get('/cpu-inline', (req, res) => res.type(TEXT).send(pbkdf2HexSync()));
  for (const route of fillerRoutes()) {
    app.get(route, (req, res) => res.type(TEXT).send(route));
  }
  app.get('/users/:id', (req, res) => res.type(TEXT).send('user ' + req.params.id));
  app.listen(PORT, HOST);
});
