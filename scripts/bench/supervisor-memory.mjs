/**
 * Where the supervisor's resident memory is, for working on it (docs/memory.md "The supervisor"): a
 * site of `BENCH_GATEWAYS` (50) virtual gateways started by the real CLI as in supervisor.mjs, its
 * `/proc/<pid>/smaps` summed by mapping once every driver is up and again after `SETTLE_MS` (8 s:
 * the supervisor compacts its heap 5 s after the site is up, and supervisor.mjs reads its RSS then),
 * against an idle bare node. To try things, given to the supervisor
 * only: `SUP_NODE_ARGS` (node flags, space-separated: `--no-opt`, `--turbo-filter=...`),
 * `SUP_NODE_OPTIONS` (NODE_OPTIONS, e.g. `--require` of a probe), `SUP_ENV` (JSON: glibc's MALLOC_*
 * variables); `SUP_CLI` runs another file of the package (`dist/cli.cjs`); `HOLD_MS` keeps the site
 * up that long after the figures, to attach gdb or read /proc/<pid>/pagemap.
 */
import { fork, spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import createPeers from '@weble/peers-core';
import { smapsByKind } from './lib/smaps.mjs';

const require = createRequire(import.meta.url);
const cli = require
  .resolve('@weble/supervisor/package.json')
  .replace(/package\.json$/, process.env.SUP_CLI ?? 'dist/cli.js');
const GATEWAYS = Number(process.env.BENCH_GATEWAYS ?? 50);
const SETTLE_MS = Number(process.env.SETTLE_MS ?? 8_000);
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

async function bareNode() {
  const child = fork(new URL('./lib/bare-child.cjs', import.meta.url).pathname, [], { execArgv: [] });
  await new Promise((resolve) => child.once('message', resolve));
  await sleep(1_000);
  const totals = smapsByKind(child.pid);
  child.kill('SIGKILL');
  return totals;
}

async function siteRows() {
  const dir = mkdtempSync(join(tmpdir(), 'weble-bench-site-'));
  const gateways = Array.from({ length: GATEWAYS }, (_, i) => `  - { id: ${i + 1}, type: virtual, config: {} }`);
  const addresses = Array.from(
    { length: GATEWAYS },
    (_, i) => `  - { key: "a/${i + 1}", gateway: ${i + 1}, point: { type: number, initial: ${i} } }`,
  );
  writeFileSync(
    join(dir, 'site.yaml'),
    `hub: { socket: ./run/s.sock }\ngateways:\n${gateways.join('\n')}\naddresses:\n${addresses.join('\n')}\nsupervision:\n  startTimeoutMs: 30000\n`,
  );
  const env = {
    ...process.env,
    ...JSON.parse(process.env.SUP_ENV ?? '{}'),
    ...(process.env.SUP_NODE_OPTIONS ? { NODE_OPTIONS: process.env.SUP_NODE_OPTIONS } : {}),
  };
  const peers = createPeers('bench_observer', { logger: { debug() {}, warn() {}, error() {} } });
  const up = new Set();
  const supervisor = spawn(
    process.execPath,
    [
      ...(process.env.SUP_NODE_ARGS?.split(' ').filter(Boolean) ?? []),
      cli,
      'start',
      '--config',
      join(dir, 'site.yaml'),
    ],
    {
      stdio: 'ignore',
      env,
    },
  );
  try {
    peers.on('connect', (name) => up.add(name));
    peers.connect(join(dir, 'run', 's.sock'));
    const deadline = Date.now() + 120_000;
    while ([...up].filter((n) => n.startsWith('driver_')).length < GATEWAYS) {
      if (Date.now() > deadline) throw new Error(`${GATEWAYS} drivers not up within 120 s`);
      await sleep(5);
    }
    await peers('supervision').call('system', 'list', []);
    const rows = { 'all up': smapsByKind(supervisor.pid) };
    if (process.env.PROBE_DIR) process.kill(supervisor.pid, 'SIGUSR2');
    await sleep(SETTLE_MS);
    rows[`after ${SETTLE_MS / 1000} s`] = smapsByKind(supervisor.pid);
    return { rows, pid: supervisor.pid };
  } finally {
    if (process.env.HOLD_MS) await sleep(Number(process.env.HOLD_MS));
    await peers.close();
    supervisor.kill('SIGTERM');
    await new Promise((resolve) => supervisor.once('exit', resolve));
    rmSync(dir, { recursive: true, force: true });
  }
}

const { rows, pid } = await siteRows();
rows['bare node'] = await bareNode();
const mib = (kib) => (kib / 1024).toFixed(1);
console.log(`supervisor pid ${pid}`);
console.log('| supervisor | total | node binary | anon | [heap] | libs | other |');
console.log('|---|---:|---:|---:|---:|---:|---:|');
for (const [name, t] of Object.entries(rows)) {
  console.log(
    `| ${name} | ${mib(t.total)} | ${mib(t.node)} | ${mib(t.anon)} | ${mib(t.heap)} | ${mib(t.libs)} | ${mib(t.other)} |`,
  );
}
