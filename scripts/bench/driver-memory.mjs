/**
 * Where an idle driver's resident memory is, for working on it (docs/memory.md): one driver of each
 * kind started as in the idle benchmark (lib/idle-drivers.mjs), and an idle bare node, their
 * `/proc/<pid>/smaps` summed by mapping: pages of the node binary (its code, touched by what runs),
 * anonymous memory (V8's heap, malloc arenas of threads), `[heap]` (the main malloc arena), shared
 * libraries and the rest. `DRIVER_NODE_OPTIONS` is given to the drivers (not the bare node) to
 * try node flags, `DRIVER_ENV` (JSON) more environment (glibc's MALLOC_* variables); `IDLE_TYPES` and `IDLE_SETTLE_MS` as for scripts/bench/idle-drivers.mjs.
 */
import { fork } from 'node:child_process';
import { startTestHub } from '@weble/driver-kit/testing';
import { KINDS, withIdleDriver } from './lib/idle-drivers.mjs';
import { smapsByKind } from './lib/smaps.mjs';

async function bareNode(settleMs) {
  const child = fork(new URL('./lib/bare-child.cjs', import.meta.url).pathname, [], { execArgv: [] });
  await new Promise((resolve) => child.once('message', resolve));
  await new Promise((resolve) => setTimeout(resolve, settleMs));
  const totals = smapsByKind(child.pid);
  child.kill('SIGKILL');
  return totals;
}

const types = process.env.IDLE_TYPES?.split(',') ?? Object.keys(KINDS);
const settleMs = Number(process.env.IDLE_SETTLE_MS ?? 5_000);
const env = {
  ...JSON.parse(process.env.DRIVER_ENV ?? '{}'),
  ...(process.env.DRIVER_NODE_OPTIONS ? { NODE_OPTIONS: process.env.DRIVER_NODE_OPTIONS } : {}),
};
const rows = {};
const hub = await startTestHub('bench_memory');
try {
  for (const type of types)
    rows[type] = await withIdleDriver(hub, type, { settleMs, env }, (child) => smapsByKind(child.pid));
} finally {
  await hub.close();
}
rows.bare = await bareNode(settleMs);
const mib = (kib) => (kib / 1024).toFixed(1);
console.log('| process | total | node binary | anon | [heap] | libs | other |');
console.log('|---|---:|---:|---:|---:|---:|---:|');
for (const [name, t] of Object.entries(rows)) {
  console.log(
    `| ${name} | ${mib(t.total)} | ${mib(t.node)} | ${mib(t.anon)} | ${mib(t.heap)} | ${mib(t.libs)} | ${mib(t.other)} |`,
  );
}
