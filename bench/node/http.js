'use strict';
// The Node baseline: node:http with a hand-written switch, no framework.
const http = require('node:http');
const { HELLO, HOST, PORT, pbkdf2Hex, pbkdf2HexSync } = require('./contract');
const { runClustered } = require('./cluster');

const TEXT = { 'Content-Type': 'text/plain; charset=utf-8' };
const JSON_TYPE = { 'Content-Type': 'application/json' };

function text(res, status, body) {
  res.writeHead(status, { ...TEXT, 'Content-Length': Buffer.byteLength(body) });
  res.end(body);
}

function handle(req, res) {
  const url = req.url;
  switch (url) {
    case '/plaintext':
      return text(res, 200, HELLO);
    case '/json': {
      const body = JSON.stringify({ message: HELLO });
      res.writeHead(200, { ...JSON_TYPE, 'Content-Length': Buffer.byteLength(body) });
      return res.end(body);
    }
    case '/ping':
      return text(res, 200, 'pong');
    case '/cpu':
      return pbkdf2Hex((err, hex) => (err ? text(res, 500, String(err)) : text(res, 200, hex)));
    case '/cpu-inline':
      return text(res, 200, pbkdf2HexSync());
    default:
      if (url.startsWith('/users/') && url.length > 7 && url.indexOf('/', 7) < 0) {
        return text(res, 200, 'user ' + url.substring(7));
      }
      return text(res, 404, 'Not Found');
  }
}

runClustered('node-http', () => http.createServer(handle).listen(PORT, HOST));
