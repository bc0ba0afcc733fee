/**
 * KNX benchmark, against Debian's knxd (a tunnelling server started here on a free UDP port) and
 * knxtool as the bus client that writes:
 * - telegrams decoded per second: the driver's datapoint codec (drivers/knx, built dist; sizes and
 *   bytes checked, coded errors) against knxultimate's own `dptlib.fromBuffer` on the same
 *   telegrams (DPT 1, 9, 14 mixed);
 * - end-to-end latency of a group write by knxtool until a mesh listener gets `newValue` (the
 *   driver process tunnelled to knxd, the listener on the hub in this process) against a bare
 *   knxultimate client in this process getting the same telegram, measured on the same writes.
 * Prints markdown tables with the ratios, and records the headline for the summary.
 */
import { execFile, spawn } from 'node:child_process';
import { createSocket } from 'node:dgram';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { spawnDriver, startTestHub, waitForEvent, waitUntil } from '@weble/driver-kit/testing';
import { decodeDpt, parseDpt } from '@weble/driver-knx';
import { KNXClient, dptlib } from 'knxultimate';
import { record } from './lib/summary.mjs';

const BIN = fileURLToPath(new URL('../../drivers/knx/dist/bin.js', import.meta.url));
const QUICK = Boolean(process.env.BENCH_QUICK);
const DECODES = QUICK ? 100_000 : 1_000_000;
const WRITES = QUICK ? 20 : 100;
const run = promisify(execFile);

// --- telegrams decoded per second ------------------------------------------------------------
const samples = [
  ['1.001', { small: true, bytes: Uint8Array.of(1) }],
  ['9.001', { small: false, bytes: Uint8Array.of(0x0c, 0x33) }],
  ['14.056', { small: false, bytes: Uint8Array.of(0x41, 0xac, 0, 0) }],
].map(([dpt, data]) => ({
  dpt,
  ours: parseDpt(dpt),
  theirs: dptlib.resolve(dpt),
  data,
  buffer: Buffer.from(data.bytes),
}));

function perSecond(decode) {
  for (let i = 0; i < 10_000; i++) decode(samples[i % 3]); // warm-up
  const start = performance.now();
  let sink = 0;
  for (let i = 0; i < DECODES; i++) sink += decode(samples[i % 3]) ? 1 : 0;
  const rate = DECODES / ((performance.now() - start) / 1000);
  return sink >= 0 ? rate : 0;
}
const oursRate = perSecond((s) => decodeDpt(s.ours, s.data));
const theirsRate = perSecond((s) => dptlib.fromBuffer(s.buffer, s.theirs));

// --- end-to-end latency ----------------------------------------------------------------------
async function freeUdpPort() {
  const socket = createSocket('udp4');
  await new Promise((resolve) => socket.bind(0, resolve));
  const { port } = socket.address();
  await new Promise((resolve) => socket.close(resolve));
  return port;
}

const dir = mkdtempSync(join(tmpdir(), 'weble-bench-knx-'));
const socket = join(dir, 'knx.sock');
const port = await freeUdpPort();
const knxd = spawn(
  'knxd',
  ['-e', '0.0.1', '-E', '0.0.2:20', '-u', socket, '-T', '-S', `224.0.23.12:${port}`, '-b', 'dummy:'],
  { stdio: 'ignore' },
);
const hub = await startTestHub();
let child;
let bare;
const latencies = { mesh: [], bare: [] };
try {
  await waitUntil(() => existsSync(socket), { timeoutMs: 5_000, what: 'knxd' });
  child = spawnDriver(BIN, {
    hub: hub.socket,
    peerName: 'driver_knx_1',
    config: {
      gateway: { id: 1, type: 'knx', config: { host: '127.0.0.1', port } },
      addresses: [{ key: 'temp', point: { ga: '1/0/6', dpt: '9.001', readOnStart: false } }],
    },
    env: { WEBLE_LOG_LEVEL: 'warn' },
  });
  await hub.waitForPeer('driver_knx_1');
  const driver = await hub.peers('driver_knx_1').require('driver');
  const online = waitForEvent(driver, 'gatewayState 1', { match: (state) => state === 'online', timeoutMs: 15_000 });
  if ((await driver.status()).state !== 'online') await online;

  bare = new KNXClient({ hostProtocol: 'TunnelUDP', ipAddr: '127.0.0.1', ipPort: port, loglevel: 'disable' });
  const connected = waitForEvent(bare, 'connected', { timeoutMs: 15_000 });
  bare.Connect();
  await connected;

  // One listener each for the whole run (adding and removing a remote listener per write would
  // race its interest against the telegram); each write waits for the next arrival on both.
  const arrivals = { mesh: [], bare: [] };
  const waiters = { mesh: [], bare: [] };
  const arrived = (side) => {
    const at = performance.now();
    const waiter = waiters[side].shift();
    if (waiter) waiter(at);
    else arrivals[side].push(at);
  };
  const next = (side) =>
    arrivals[side].length > 0
      ? Promise.resolve(arrivals[side].shift())
      : new Promise((resolve) => waiters[side].push(resolve));
  driver.on('newValue temp', () => arrived('mesh'));
  await driver.status(); // answered after the subscription: the driver has the listener
  bare.on('indication', (packet) => {
    if (packet.cEMIMessage?.dstAddress?.get() === 0x0806) arrived('bare');
  });
  for (let i = 0; i < WRITES; i++) {
    const value = 20 + (i % 50) / 10; // each write differs from the one before: a newValue each time
    const hundredths = Math.round(value * 100);
    const bytes = [0x08 | (hundredths >> 9), (hundredths >> 1) & 0xff].map((b) => b.toString(16));
    let timer;
    const timeout = new Promise(
      (_, reject) => (timer = setTimeout(() => reject(new Error(`write ${i}: no arrival within 5 s`)), 5_000)),
    );
    const both = Promise.all([next('mesh'), next('bare')]);
    const start = performance.now();
    await run('knxtool', ['groupwrite', `local:${socket}`, '1/0/6', ...bytes]);
    const [meshAt, bareAt] = await Promise.race([both, timeout]).finally(() => clearTimeout(timer));
    if (i > 0) {
      latencies.mesh.push(meshAt - start);
      latencies.bare.push(bareAt - start);
    }
  }
} finally {
  // knxd and the driver first: nothing below may leave them running.
  knxd.kill('SIGTERM');
  child?.kill();
  await Promise.race([bare?.Disconnect(), new Promise((resolve) => setTimeout(resolve, 1_000))]).catch(() => undefined);
  await hub.close();
  rmSync(dir, { recursive: true, force: true });
}

const quantile = (list, q) => [...list].sort((a, b) => a - b)[Math.min(list.length - 1, Math.floor(q * list.length))];
const fmt = (n) => (n >= 100 ? Math.round(n).toLocaleString('en-US') : n.toFixed(2));
console.log('\n### KNX: telegrams decoded per second (DPT 1, 9, 14 mixed, one process)\n');
console.log('| Decoder | telegrams/s | Ratio |');
console.log('|---|---:|---:|');
console.log(
  `| driver-knx codec (sizes checked, coded errors) | ${fmt(oursRate)} | ${(oursRate / theirsRate).toFixed(2)}x |`,
);
console.log(`| knxultimate dptlib.fromBuffer | ${fmt(theirsRate)} | 1.00x |`);
console.log(`\n### KNX: knxtool group write -> listener, ms (knxd on loopback, ${latencies.mesh.length} writes)\n`);
console.log('| Listener | median | p95 | Ratio (median) |');
console.log('|---|---:|---:|---:|');
const [meshMedian, bareMedian] = [quantile(latencies.mesh, 0.5), quantile(latencies.bare, 0.5)];
console.log(
  `| mesh listener (driver process -> hub, newValue) | ${fmt(meshMedian)} ` +
    `| ${fmt(quantile(latencies.mesh, 0.95))} | ${(meshMedian / bareMedian).toFixed(2)}x |`,
);
console.log(
  `| bare knxultimate client (indication) | ${fmt(bareMedian)} | ${fmt(quantile(latencies.bare, 0.95))} | 1.00x |`,
);
const added = latencies.mesh.map((ms, i) => ms - latencies.bare[i]);
console.log(
  `\nBoth include the start of the knxtool process. Added by the driver path (its tunnel, decode, one mesh hop), ` +
    `per write: median ${fmt(quantile(added, 0.5))} ms, p95 ${fmt(quantile(added, 0.95))} ms.`,
);
record('knx', [
  {
    measure: 'telegrams decoded/s (DPT 1, 9, 14)',
    value: oursRate,
    unit: 'telegrams/s',
    baseline: 'knxultimate dptlib',
    baselineValue: theirsRate,
    better: 'higher',
  },
  {
    measure: 'knxtool write -> newValue, median',
    value: meshMedian,
    unit: 'ms',
    baseline: 'bare knxultimate client',
    baselineValue: bareMedian,
    better: 'lower',
  },
]);
process.exit(0);
