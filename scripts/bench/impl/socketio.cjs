'use strict';
/**
 * socket.io 4.8 with acknowledgements, over TCP loopback (socket.io-client dials URLs, not UNIX
 * socket paths). WebSocket transport only, no long-polling. The hub relays
 * emit('call', to, arg, ack) to the target socket and returns its ack; fan-out uses a room.
 */
const http = require('node:http');
const { Server } = require('socket.io');
const { io } = require('socket.io-client');
const { runChild, listener } = require('../lib/child.cjs');

function hub() {
  const httpServer = http.createServer();
  const server = new Server(httpServer, { transports: ['websocket'], serveClient: false });
  const byName = new Map();
  server.on('connection', (socket) => {
    socket.on('register', (name, ack) => {
      byName.set(name, socket);
      ack();
    });
    socket.on('call', (to, arg, ack) => byName.get(to).emit('call', arg, (err, result) => ack(err, result)));
    socket.on('sub', (topic, ack) => {
      socket.join(topic);
      ack();
    });
    socket.on('pub', (topic, arg) => server.to(topic).emit(topic, arg));
  });
  return new Promise((resolve) =>
    httpServer.listen(0, '127.0.0.1', () => resolve({ info: { port: httpServer.address().port } })),
  );
}

function connect(cfg) {
  return new Promise((resolve, reject) => {
    const socket = io(`http://127.0.0.1:${cfg.port}`, { transports: ['websocket'], reconnection: false });
    socket.once('connect', () => resolve(socket));
    socket.once('connect_error', reject);
  });
}

async function server(cfg) {
  const socket = await connect(cfg);
  socket.on('call', (arg, ack) => ack(null, arg));
  await new Promise((resolve) => socket.emit('register', 'server', resolve));
}

async function client(cfg) {
  const socket = await connect(cfg);
  return { call: (arg, cb) => socket.emit('call', 'server', arg, cb) };
}

async function publisher(cfg) {
  const socket = await connect(cfg);
  return { publish: (p) => socket.emit('pub', 'tick', p) };
}

async function listen(cfg) {
  const socket = await connect(cfg);
  socket.on('tick', listener(cfg));
  await new Promise((resolve) => socket.emit('sub', 'tick', resolve));
}

runChild((cfg) => ({ hub, server, client, publisher, listener: listen })[cfg.kind](cfg));
