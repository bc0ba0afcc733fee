/**
 * Idle RSS of one driver process of each kind (virtual, Modbus, BACnet, serial), each started as
 * the supervisor starts it (the built bin, config over IPC) against a test hub and a simulated
 * device, connected and polling 10 points once a second, measured after `settleMs`; and of an
 * idle bare Node process over the same time, the baseline (the same `bare-child.cjs` as the
 * supervisor benchmark's).
 */
import { fork } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { spawnDriver, startTestHub } from '@weble/driver-kit/testing';
import { startBacnetSim, startModbusSim, startSerialSim } from './field-devices.mjs';

const require = createRequire(import.meta.url);
const binOf = (type) => join(dirname(require.resolve(`@weble/driver-${type}/package.json`)), 'dist', 'bin.cjs');
const POINTS = 10;
const keys = (prefix) => Array.from({ length: POINTS }, (_, i) => `${prefix}/${i}`);

/** Resident set size of `pid`, bytes (0 once gone). */
export function rss(pid) {
  try {
    return Number(readFileSync(`/proc/${pid}/statm`, 'utf8').split(' ')[1]) * 4096;
  } catch {
    return 0;
  }
}

/** Each kind: its simulated device, and the gateway config and addresses for it. */
export const KINDS = {
  virtual: {
    start: async () => ({ stop() {} }),
    config: () => ({ tickMs: 1_000 }),
    addresses: () =>
      keys('v').map((key, i) => ({
        key,
        point: { type: 'number', initial: i, simulate: { kind: 'sine', min: 0, max: 10, periodMs: 60_000 } },
      })),
  },
  modbus: {
    start: () => startModbusSim({ size: 100 }),
    config: (sim) => ({ transport: 'tcp', host: '127.0.0.1', port: sim.port, pollMs: 1_000 }),
    addresses: () => keys('m').map((key, i) => ({ key, point: { table: 'holding', address: i * 2 } })),
  },
  bacnet: {
    start: () => startBacnetSim({ instance: 7101, extraObjects: POINTS }),
    config: (sim) => ({
      port: 0,
      interface: '127.0.0.1',
      broadcastAddress: `127.255.255.255:${sim.port}`,
      pollMs: 1_000,
    }),
    addresses: () =>
      keys('b').map((key, i) => ({ key, point: { device: 7101, object: `analog-value:${100 + i}`, cov: false } })),
  },
  serial: {
    start: () => startSerialSim({ intervalMs: 1_000 }),
    config: (sim) => ({ path: sim.path }),
    addresses: () => [{ key: 's/temp', point: { type: 'number', read: { regex: '^TEMP=(?<value>-?[0-9.]+)$' } } }],
  },
};

/**
 * The `weble:config` fields the supervisor sends for `gateway` and `addresses`: the gateway config
 * and points as the driver package's `./schema` outputs them (defaults filled in) and
 * `validatedBy`, the package that validated them (packages/supervisor/src/supervisor.ts), so the
 * driver runs as under a supervisor: without loading its schemas (docs/memory.md). With
 * `BENCH_DRIVER_VALIDATES=1`, the config as written and no `validatedBy`: the driver validates.
 */
function asSupervisorSends(type, gateway, addresses) {
  if (process.env.BENCH_DRIVER_VALIDATES === '1') return { gateway, addresses };
  const { schema } = require(`@weble/driver-${type}/schema`);
  const { name, version } = require(`@weble/driver-${type}/package.json`);
  return {
    gateway: { ...gateway, config: schema.configSchema.parse(gateway.config) },
    addresses: addresses.map((address) => ({ ...address, point: schema.pointSchema.parse(address.point) })),
    validatedBy: `${name}@${version}`,
  };
}

/** RSS (bytes) of one idle driver of `type` after `settleMs`. */
const idleDriver = (hub, type, settleMs) => withIdleDriver(hub, type, { settleMs }, (child) => rss(child.pid));

/**
 * Starts one driver of `type` on its simulated device, lets it poll for `settleMs`, then returns
 * what `measure(child)` returns (the driver still running) and stops both. `env` is added to the
 * driver's environment (scripts/bench/driver-memory.mjs passes NODE_OPTIONS through it).
 */
export async function withIdleDriver(hub, type, { settleMs, env = {} }, measure) {
  const kind = KINDS[type];
  const device = await kind.start();
  const peerName = `driver_${type}_1`;
  const child = spawnDriver(binOf(type), {
    hub: hub.socket,
    peerName,
    config: asSupervisorSends(type, { id: 1, type, config: kind.config(device) }, kind.addresses()),
    env: { WEBLE_LOG_LEVEL: 'warn', ...env },
  });
  try {
    await hub.waitForPeer(peerName, 30_000);
    await new Promise((resolve) => setTimeout(resolve, settleMs)); // a measurement window, not a synchronisation
    if (!child.alive) throw new Error(`${peerName} exited: ${child.stderr}`);
    return await measure(child);
  } finally {
    child.process.kill('SIGTERM');
    await child.exited;
    await hub.waitForPeerGone(peerName).catch(() => undefined);
    await device.stop();
  }
}

/** RSS (bytes) of a bare Node process idle for `settleMs`. */
async function idleBareNode(settleMs) {
  const child = fork(new URL('./bare-child.cjs', import.meta.url).pathname, [], { execArgv: [] });
  await new Promise((resolve) => child.once('message', resolve));
  await new Promise((resolve) => setTimeout(resolve, settleMs));
  const bytes = rss(child.pid);
  child.kill('SIGKILL');
  return bytes;
}

/** `{ bare, drivers: { virtual, modbus, bacnet, serial } }`, bytes. */
export async function measureIdleDrivers({ settleMs = 5_000, types = Object.keys(KINDS) } = {}) {
  const hub = await startTestHub('bench_idle');
  try {
    const drivers = {};
    for (const type of types) drivers[type] = await idleDriver(hub, type, settleMs);
    return { bare: await idleBareNode(settleMs), drivers };
  } finally {
    await hub.close();
  }
}
