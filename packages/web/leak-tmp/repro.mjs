import { EventEmitter } from 'node:events';
import { createHash } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import v8 from 'node:v8';
import { createPeers } from '@weble/peers-core';
import { startWebServer, webSessionGrant, hashPassword } from '../dist/index.js';
const silent = { debug() {}, info() {}, warn() {}, error() {}, child() { return silent; } };
const md5 = (s) => createHash('md5').update(s).digest('hex');
const dir = mkdtempSync(join(tmpdir(), 'leak-'));
const supervision = createPeers('supervision', { logger: silent, mayAnnounce: webSessionGrant });
const gw = new EventEmitter(); gw.setMaxListeners(0);
supervision.share('gateways', Object.assign(gw, { list: (cb) => cb(null, []) }));
await supervision.listen(join(dir, 's.sock'));
setInterval(() => gw.emit('newValue a/1', 'a/1', Math.random()), 20);
const server = await startWebServer({ users: [{ username: 'admin', passwordHash: await hashPassword(md5('secret')) }], connectSource: () => ({ source: '', etag: 'x' }), hub: join(dir, 's.sock'), logger: silent });
await new Promise((r) => supervision.once('connect webserver', r));
async function http(method, body, headers = {}) {
  const res = await fetch(`${server.url}/auth`, { method, headers: { 'content-type': 'application/json', ...headers }, body: body && JSON.stringify(body) });
  return { status: res.status, body: res.status === 200 ? await res.json() : undefined };
}
async function oneSession() {
  const { body: auth } = await http('POST', { username: 'admin', password: md5('secret') });
  const p = createPeers(auth.peer, { logger: silent, callTimeoutMs: 300 });
  p.connect(`${auth.ws}?session=${auth.session}`);
  await new Promise((r) => p.once('connect supervision', r));
  const g = await p('supervision').require('gateways');
  await new Promise((r) => { const f = () => { g.removeListener('newValue a/1', f); r(); }; g.on('newValue a/1', f); });
  g.on('newValue a/1', () => {});
  const gone = new Promise((r) => server.peers.once(`disconnect ${auth.peer}`, r));
  const status = (await http('DELETE', undefined, { authorization: `Bearer ${auth.session}` })).status;
  await gone;
  await p.close();
}
const N = Number(process.argv[2] ?? 100);
const heap = () => { global.gc(); global.gc(); return process.memoryUsage().heapUsed / 2 ** 20; };
for (let round = 0; round < 4; round++) {
  for (let i = 0; i < N; i++) await oneSession();
  await new Promise((r) => setTimeout(r, 500));
  console.log(`after ${(round + 1) * N} sessions: heapUsed ${heap().toFixed(2)} MiB, listeners on gw ${gw.listenerCount('newValue a/1')}, sessions ${server.sessions.size ?? '?'}`);
  if (process.argv[3] === 'snap') v8.writeHeapSnapshot(`/tmp/w20/leak-${round}.heapsnapshot`);
}
process.exit(0);
