/**
 * Supervisor benchmark (issue 4): a 50-gateway site of virtual drivers started by the real CLI.
 * Measures the time until all 50 drivers are up (joined the mesh), the supervisor's RSS and the
 * drivers' total RSS, and crash-to-up latency after a SIGKILL. Baselines measured in the same
 * run: 50 bare Node processes forked in sequence until each says ready, the RSS of a bare Node
 * process, and the fork-to-ready time of one bare Node process. Then the idle RSS of one driver of
 * each kind (virtual, Modbus, BACnet, serial) connected to a simulated device, each against an idle
 * bare Node process measured over the same time (lib/idle-drivers.mjs). BENCH_IDLE=0 leaves that out.
 */
import { fork, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import createPeers from '@weble/peers-core';
import { measureIdleDrivers } from './lib/idle-drivers.mjs';
import { record } from './lib/summary.mjs';

const require = createRequire(import.meta.url);
const cli = require.resolve('@weble/supervisor/package.json').replace(/package\.json$/, 'dist/cli.js');
const GATEWAYS = Number(process.env.BENCH_GATEWAYS ?? 50);
const CRASHES = 5;
/** The supervisor's and drivers' RSS are read this long after all drivers are up. */
const SETTLE_MS = 8_000;
const children = new Set();
const cleanup = () => children.forEach((c) => c.kill('SIGKILL'));
process.on('exit', cleanup);

const rss = (pid) => {
  try {
    return Number(readFileSync(`/proc/${pid}/statm`, 'utf8').split(' ')[1]) * 4096;
  } catch {
    return 0;
  }
};
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const mib = (b) => `${(b / 2 ** 20).toFixed(1)} MiB`;

function bareNode() {
  return new Promise((resolve) => {
    const start = performance.now();
    const child = fork(new URL('./lib/bare-child.cjs', import.meta.url).pathname, [], { execArgv: [] });
    children.add(child);
    child.once('message', () => resolve({ child, ms: performance.now() - start }));
  });
}

async function baseline() {
  const start = performance.now();
  const procs = [];
  for (let i = 0; i < GATEWAYS; i++) procs.push(await bareNode());
  const allMs = performance.now() - start;
  const oneRss = median(procs.map((p) => rss(p.child.pid)));
  const oneStart = median(procs.map((p) => p.ms));
  for (const p of procs) {
    p.child.kill('SIGKILL');
    children.delete(p.child);
  }
  return { allMs, oneRss, oneStart };
}

async function site() {
  const dir = mkdtempSync(join(tmpdir(), 'weble-bench-site-'));
  const gateways = Array.from({ length: GATEWAYS }, (_, i) => `  - { id: ${i + 1}, type: virtual, config: {} }`).join(
    '\n',
  );
  const addresses = Array.from(
    { length: GATEWAYS },
    (_, i) => `  - { key: "a/${i + 1}", gateway: ${i + 1}, point: { type: number, initial: ${i} } }`,
  ).join('\n');
  writeFileSync(
    join(dir, 'site.yaml'),
    `hub: { socket: ./run/s.sock }\ngateways:\n${gateways}\naddresses:\n${addresses}\n` +
      `supervision:\n  startTimeoutMs: 30000\n  restart: { initialMs: 100, maxMs: 1000, maxRestarts: 100 }\n`,
  );
  const peers = createPeers('bench_observer', {
    logger: { debug() {}, warn() {}, error() {} },
    backoff: { initialMs: 10, maxMs: 50 },
  });
  const up = new Map();
  const start = performance.now();
  const supervisor = spawn(process.execPath, [cli, 'start', '--config', join(dir, 'site.yaml')], { stdio: 'ignore' });
  children.add(supervisor);
  peers.on('connect', (name) => up.set(name, performance.now()));
  peers.connect(join(dir, 'run', 's.sock'));
  await new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('50 drivers not up within 120 s')), 120_000);
    const check = () => {
      if ([...up.keys()].filter((n) => n.startsWith('driver_')).length >= GATEWAYS) {
        clearTimeout(timer);
        resolve();
      } else setTimeout(check, 5);
    };
    check();
  });
  const allUpMs = Math.max(...[...up].filter(([n]) => n.startsWith('driver_')).map(([, t]) => t)) - start;
  const supervisorRssAtUp = rss(supervisor.pid);
  // The site's steady state: the supervisor compacts start-up's garbage 5 s after the site is up
  // (its COMPACT_AFTER_START_MS); a settling time, not a synchronisation.
  await new Promise((resolve) => setTimeout(resolve, SETTLE_MS));
  // Read before the supervisor answers the benchmark's own question (the list reads 50 /proc files).
  const supervisorRss = rss(supervisor.pid);
  const [list] = await peers('supervision').call('system', 'list', []);
  const driversRss = list.reduce((sum, p) => sum + (p.rss ?? 0), 0);
  const latencies = [];
  for (let i = 0; i < CRASHES; i++) {
    const name = `driver_virtual_${i + 1}`;
    const pid = list.find((p) => p.name === name).pid;
    const back = new Promise((resolve) => {
      const on = (n) => {
        if (n !== name) return;
        peers.removeListener('connect', on);
        resolve(performance.now());
      };
      peers.on('connect', on);
    });
    const t0 = performance.now();
    process.kill(pid, 'SIGKILL');
    latencies.push((await back) - t0);
  }
  await peers.close();
  supervisor.kill('SIGTERM');
  await new Promise((r) => supervisor.once('exit', r));
  children.delete(supervisor);
  rmSync(dir, { recursive: true, force: true });
  return { allUpMs, supervisorRss, supervisorRssAtUp, driversRss, restartMs: median(latencies) };
}

const base = await baseline();
const sup = await site();
const idle =
  process.env.BENCH_IDLE === '0'
    ? undefined
    : await measureIdleDrivers({ settleMs: process.env.BENCH_QUICK ? 2_000 : 5_000 });
console.log(`\n## Supervisor: a ${GATEWAYS}-gateway site of virtual drivers (weble-supervisor start)\n`);
console.log('| measure | weble | baseline (same run) | ratio |');
console.log('|---|---:|---:|---:|');
console.log(
  `| all ${GATEWAYS} drivers up (joined the mesh) | ${(sup.allUpMs / 1000).toFixed(2)} s ` +
    `| ${(base.allMs / 1000).toFixed(2)} s (${GATEWAYS} bare node processes forked one by one until ready) ` +
    `| ${(sup.allUpMs / base.allMs).toFixed(2)}x |`,
);
console.log(
  `| supervisor RSS with ${GATEWAYS} drivers, ${SETTLE_MS / 1000} s after all up (when all up: ${mib(sup.supervisorRssAtUp)}) ` +
    `| ${mib(sup.supervisorRss)} ` +
    `| ${mib(base.oneRss)} (one idle bare node process) | ${(sup.supervisorRss / base.oneRss).toFixed(2)}x |`,
);
console.log(
  `| mean driver RSS | ${mib(sup.driversRss / GATEWAYS)} | ${mib(base.oneRss)} (one idle bare node process) ` +
    `| ${(sup.driversRss / GATEWAYS / base.oneRss).toFixed(2)}x |`,
);
console.log(
  `| crash-to-up after SIGKILL (median of ${CRASHES}; a first exit is restarted at once) ` +
    `| ${sup.restartMs.toFixed(0)} ms | ${base.oneStart.toFixed(0)} ms (fork to ready of a bare node process) ` +
    `| ${(sup.restartMs / base.oneStart).toFixed(2)}x |`,
);
const idleRows = Object.entries(idle?.drivers ?? {}).map(([type, bytes]) => ({ type, bytes }));
for (const { type, bytes } of idleRows) {
  console.log(
    `| idle ${type} driver RSS (10 points polled each second, simulated device) | ${mib(bytes)} ` +
      `| ${mib(idle.bare)} (an idle bare node process, same time) | ${(bytes / idle.bare).toFixed(2)}x |`,
  );
}
record('supervisor', [
  ...idleRows.map(({ type, bytes }) => ({
    measure: `idle ${type} driver RSS`,
    value: bytes / 2 ** 20,
    unit: 'MiB',
    baseline: 'an idle bare node process',
    baselineValue: idle.bare / 2 ** 20,
    better: 'lower',
  })),
  {
    measure: `all ${GATEWAYS} drivers up`,
    value: sup.allUpMs / 1000,
    unit: 's',
    baseline: `${GATEWAYS} bare node processes forked until ready`,
    baselineValue: base.allMs / 1000,
    better: 'lower',
  },
  {
    measure: `supervisor RSS with ${GATEWAYS} drivers`,
    value: sup.supervisorRss / 2 ** 20,
    unit: 'MiB',
    baseline: 'one idle bare node process',
    baselineValue: base.oneRss / 2 ** 20,
    better: 'lower',
  },
  {
    measure: 'mean driver RSS',
    value: sup.driversRss / GATEWAYS / 2 ** 20,
    unit: 'MiB',
    baseline: 'one idle bare node process',
    baselineValue: base.oneRss / 2 ** 20,
    better: 'lower',
  },
  {
    measure: 'crash-to-up after SIGKILL (median)',
    value: sup.restartMs,
    unit: 'ms',
    baseline: 'fork to ready of a bare node process',
    baselineValue: base.oneStart,
    better: 'lower',
  },
]);
cleanup();
process.exit(0);
