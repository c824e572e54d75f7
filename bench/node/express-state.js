'use strict';
// Express 5 with express-session and connect-redis (the guide's production shape), one worker per core.
const express = require('express');
const session = require('express-session');
const { RedisStore } = require('connect-redis');
const { HELLO, HOST, PORT } = require('./contract');
const { SESSION_USER, SESSION_SECRET, redisClient, cachedGreeting } = require('./state-contract');
const { runClustered } = require('./cluster');

runClustered('express-state', async () => {
  const client = await redisClient();
  const app = express();
  app.get('/plaintext', (req, res) => res.type('text/plain').send(HELLO));
  app.get('/state/cache', async (req, res) => res.json(await cachedGreeting(client)));
  app.use('/state/session', session({
    store: new RedisStore({ client, prefix: 'bench:express-sess:' }),
    secret: SESSION_SECRET,
    resave: false,
    saveUninitialized: false,
    cookie: { secure: false },
  }));
  app.post('/state/session', (req, res) => {
    req.session.user = SESSION_USER;
    res.type('text/plain').send('logged in');
  });
  app.get('/state/session', (req, res) => res.type('text/plain').send('hello ' + (req.session.user || 'guest')));
  app.listen(PORT, HOST);
});
