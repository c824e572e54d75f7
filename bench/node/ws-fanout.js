'use strict';
// Fan-out target for bench/fanout.sh: Node's `ws`, one process (how `ws` is normally run; spreading
// sockets over cores needs an adapter such as Redis between the processes). Every text message a
// client sends is sent to every connected client, as Spindle's FanOutServer does.
const { WebSocketServer } = require('ws');

const port = Number(process.env.PORT || 8080);
const wss = new WebSocketServer({ host: '127.0.0.1', port, path: '/fanout', perMessageDeflate: false });
wss.on('connection', (socket) => {
  socket.on('message', (data, isBinary) => {
    for (const client of wss.clients) {
      if (client.readyState === 1) {
        client.send(data, { binary: isBinary });
      }
    }
  });
});
wss.on('listening', () => console.log(`ws fan-out listening on ${port}`));
