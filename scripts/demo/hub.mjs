// The demo hub: `supervision`, sharing `system` and an in-memory `gateways` module.
import { EventEmitter } from 'node:events';
import os from 'node:os';
import createPeers from '@weble/peers-core';
import { exitWithParent } from './exit-with-parent.mjs';

const socket = process.argv[2];
const peers = createPeers('supervision');
const values = new Map();
const gateways = new EventEmitter();
Object.assign(gateways, {
  writeValue(key, value, cb) {
    if (typeof key !== 'string') return cb(Object.assign(new TypeError(`writeValue: key must be a string, got ${typeof key}`), { code: 'BAD_KEY' }));
    const date = new Date();
    values.set(key, { value, date });
    gateways.emit(`newValue ${key}`, key, value, String(value), date);
    peers.peerEvents().emit(`newValue ${key}`, key, value, String(value), date);
    cb(null);
  },
  getLastValue(key, cb) {
    const last = values.get(key);
    cb(null, last ? last.value : null, last ? last.date : null);
  },
});
peers.share('gateways', gateways);
peers.share('system', {
  totalmem: (cb) => cb(null, os.totalmem()),
  freemem: (cb) => cb(null, os.freemem()),
  uptime: (cb) => cb(null, process.uptime()),
});
peers.on('connect', (name) => console.log(`hub: ${name} joined (${peers.connectedPeers().join(', ')})`));
peers.on('disconnect', (name) => console.log(`hub: ${name} left`));
peers.on('error', (name, err) => console.log(`hub: error from ${name}: ${err.code} ${err.message}`));
await peers.listen(socket);
console.log(`hub: supervision listening on ${socket}`);
process.send?.({ ready: true });
exitWithParent(() => peers.close());
