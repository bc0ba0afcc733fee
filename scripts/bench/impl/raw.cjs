'use strict';
/**
 * The floor: a raw UNIX socket relay. Frames are a 4-byte big-endian length followed by JSON.
 * Every frame says where it goes ({to} for calls and results, {topic} for events); the relay
 * JSON.parses each frame to read that and writes the original bytes to the destination socket
 * (for an event: to every socket subscribed to the topic).
 *
 * Writes are batched per tick (cork, uncork on nextTick) on every side, the same strategy as
 * weble's StreamLink, so the comparison is about protocol work, not about syscall counts.
 */
const net = require('node:net');
const { runChild, listener } = require('../lib/child.cjs');

/** Split a byte stream into frames; `onFrame(frameWithPrefix, jsonText)`. */
function frameReader(socket, onFrame) {
  let pending = null;
  socket.on('data', (chunk) => {
    const buf = pending ? Buffer.concat([pending, chunk]) : chunk;
    pending = null;
    let off = 0;
    while (buf.length - off >= 4) {
      const len = buf.readUInt32BE(off);
      const end = off + 4 + len;
      if (end > buf.length) break;
      onFrame(buf.subarray(off, end), buf.toString('utf8', off + 4, end));
      off = end;
    }
    if (off < buf.length) pending = buf.subarray(off);
  });
}

/** Write with per-tick batching. */
function batched(socket) {
  let corked = false;
  const uncork = () => {
    corked = false;
    socket.uncork();
  };
  return (buf) => {
    if (!corked) {
      corked = true;
      socket.cork();
      process.nextTick(uncork);
    }
    socket.write(buf);
  };
}

function frame(obj) {
  const body = Buffer.from(JSON.stringify(obj));
  const out = Buffer.allocUnsafe(4 + body.length);
  out.writeUInt32BE(body.length, 0);
  body.copy(out, 4);
  return out;
}

function dial(path, name) {
  return new Promise((resolve, reject) => {
    const socket = net.connect(path);
    socket.once('error', reject);
    socket.once('connect', () => {
      socket.setNoDelay?.(true);
      const write = batched(socket);
      write(frame({ hello: name }));
      resolve({ socket, write });
    });
  });
}

function hub(cfg) {
  const byName = new Map(); // name -> write
  const topics = new Map(); // topic -> write[]
  const server = net.createServer((socket) => {
    const write = batched(socket);
    frameReader(socket, (bytes, json) => {
      const msg = JSON.parse(json);
      if (msg.to !== undefined) {
        const dest = byName.get(msg.to);
        if (dest) dest(bytes);
      } else if (msg.topic !== undefined) {
        const subs = topics.get(msg.topic);
        if (subs) for (const dest of subs) dest(bytes);
      } else if (msg.hello !== undefined) {
        byName.set(msg.hello, write);
      } else if (msg.sub !== undefined) {
        if (!topics.has(msg.sub)) topics.set(msg.sub, []);
        topics.get(msg.sub).push(write);
      }
    });
    socket.on('error', () => {});
  });
  return new Promise((resolve) => server.listen(cfg.path, () => resolve({})));
}

async function server(cfg) {
  const { socket, write } = await dial(cfg.path, 'server');
  const methods = { echo: (x) => x };
  frameReader(socket, (_bytes, json) => {
    const msg = JSON.parse(json);
    write(frame({ to: msg.from, id: msg.id, result: methods[msg.method](...msg.args) }));
  });
}

async function client(cfg) {
  const { socket, write } = await dial(cfg.path, 'client');
  const pending = new Map();
  let nextId = 1;
  frameReader(socket, (_bytes, json) => {
    const msg = JSON.parse(json);
    const cb = pending.get(msg.id);
    if (!cb) return;
    pending.delete(msg.id);
    cb(msg.error ?? null, msg.result);
  });
  const call = (arg, cb) => {
    const id = nextId++;
    pending.set(id, cb);
    write(frame({ to: 'server', from: 'client', id, method: 'echo', args: [arg] }));
  };
  // Ready once a probe call comes back (the relay knows both ends).
  await new Promise((resolve) => {
    const probe = setInterval(
      () =>
        call({ id: 0 }, () => {
          clearInterval(probe);
          pending.clear();
          resolve();
        }),
      50,
    );
  });
  return { call };
}

async function publisher(cfg) {
  const { write } = await dial(cfg.path, 'publisher');
  return { publish: (p) => write(frame({ topic: 'tick', args: [p] })) };
}

async function listen(cfg) {
  const { socket, write } = await dial(cfg.path, cfg.name);
  const onEvent = listener(cfg);
  frameReader(socket, (_bytes, json) => onEvent(JSON.parse(json).args[0]));
  write(frame({ sub: 'tick' }));
}

runChild((cfg) => ({ hub, server, client, publisher, listener: listen })[cfg.kind](cfg));
