/**
 * Alarms benchmark (issue 17): the hub's value throughput with N alarms defined vs the same site
 * without alarms, measured in the same run. Two real supervisors (`weble-supervisor start`), each
 * with one gateway of ADDRESSES addresses whose driver is this script (the gateway is disabled, so
 * the supervisor starts no process for it and this script joins the mesh as `driver_virtual_1`,
 * sharing a `driver` module): site A has ALARMS high alarms on those addresses (values stay
 * within the limits: the cost of evaluating, not of raising), site B none. Each round sends
 * VALUES values as fast as the link takes them and ends with a call on the same link, answered
 * once the hub has handled every value before it; the hub's CPU time (utime + stime of the
 * supervisor) over the round gives its cost per value. Alternate rounds, medians.
 */
import { spawn } from 'node:child_process';
import { EventEmitter } from 'node:events';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setImmediate as tick } from 'node:timers/promises';
import createPeers from '@weble/peers-core';
import { record } from './lib/summary.mjs';

const require = createRequire(import.meta.url);
const cli = require.resolve('@weble/supervisor/package.json').replace(/package\.json$/, 'dist/cli.js');
const quick = process.env.BENCH_QUICK === '1';
const ADDRESSES = 1000;
const ALARMS = Number(process.env.BENCH_ALARMS ?? 1000);
const VALUES = quick ? 20_000 : 100_000;
const ROUNDS = quick ? 2 : 5;
const CHUNK = 500;
const silent = { debug() {}, info() {}, warn() {}, error() {} };
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const children = new Set();
process.on('exit', () => children.forEach((c) => c.kill('SIGKILL')));
const keyOf = (i) => `b/${i}`;

/** CPU ms (user + system) of process `pid` so far. */
function cpuMs(pid) {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
  return ((Number(fields[11]) + Number(fields[12])) * 1000) / 100; // clock ticks of 10 ms
}

/** A supervisor on a site with the bench gateway and `alarms` alarms; this script is its driver. */
async function startSite(alarms) {
  const dir = mkdtempSync(join(tmpdir(), 'weble-bench-alarms-'));
  const addresses = Array.from(
    { length: ADDRESSES },
    (_, i) => `  - { key: "${keyOf(i)}", gateway: 1, point: { type: number } }`,
  ).join('\n');
  const definitions = Array.from(
    { length: alarms },
    (_, i) =>
      `  - { id: a${i}, address: "${keyOf(i % ADDRESSES)}", kind: high, limit: ${1000 + (i % 7)}, hysteresis: 1 }`,
  ).join('\n');
  writeFileSync(
    join(dir, 'site.yaml'),
    `hub: { socket: ./run/s.sock }
gateways:
  - { id: 1, type: virtual, enabled: false, config: {} }
addresses:
${addresses}
${alarms > 0 ? `alarms:\n${definitions}\n` : ''}`,
  );
  const sup = spawn(process.execPath, [cli, 'start', '--config', join(dir, 'site.yaml'), '--log-level', 'warn'], {
    stdio: 'ignore',
  });
  children.add(sup);
  const events = new EventEmitter();
  events.setMaxListeners(0);
  const driver = Object.assign(events, {
    status: (cb) => cb(null, { state: 'online' }),
    addresses: (cb) => cb(null, []),
    read: (key, cb) => cb(null, 0),
    write: (key, value, cb) => cb(null),
  });
  const peer = createPeers('driver_virtual_1', { logger: silent, backoff: { initialMs: 20, maxMs: 200 } });
  peer.share('driver', driver);
  peer.connect(join(dir, 'run', 's.sock'));
  await new Promise((resolve) => peer.once('connect supervision', resolve));
  // The hub listens to every address of its gateway once it has seen this driver join.
  while (
    events.listenerCount(`newValue ${keyOf(ADDRESSES - 1)}`) === 0 ||
    events.listenerCount(`newValue ${keyOf(0)}`) === 0
  )
    await new Promise((r) => setTimeout(r, 20)); // polling the hub's subscriptions at start-up
  const listed = (await peer('supervision').call('alarms', 'listAlarms', []))[0];
  if (listed.length !== alarms) throw new Error(`site has ${listed.length} alarms, expected ${alarms}`);
  let n = 0;
  return {
    alarms,
    async round() {
      const t0 = performance.now();
      const c0 = cpuMs(sup.pid);
      const date = new Date();
      for (let sent = 0; sent < VALUES; sent += CHUNK) {
        for (let j = 0; j < CHUNK; j++) {
          const i = (sent + j) % ADDRESSES;
          const value = (n++ % 900) + 0.5; // within every limit
          events.emit(`newValue ${keyOf(i)}`, keyOf(i), value, String(value), date);
        }
        await tick();
      }
      // Answered after every value before it on this link was handled by the hub.
      await peer('supervision').call('gateways', 'getLastValue', [keyOf(0)]);
      const seconds = (performance.now() - t0) / 1000;
      return { rate: VALUES / seconds, cpuUsPerValue: ((cpuMs(sup.pid) - c0) * 1000) / VALUES };
    },
    async stop() {
      const stats = (await peer('supervision').call('alarms', 'listAlarms', []))[0];
      if (stats.some((a) => a.state !== 'cleared'))
        throw new Error('an alarm was raised during the bench: values must stay within the limits');
      await peer.close();
      sup.kill('SIGTERM');
      await new Promise((resolve) => sup.once('exit', resolve));
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

const withAlarms = await startSite(ALARMS);
const without = await startSite(0);
try {
  await withAlarms.round(); // warm-up
  await without.round();
  const a = [];
  const b = [];
  for (let r = 0; r < ROUNDS; r++) {
    a.push(await withAlarms.round());
    b.push(await without.round());
  }
  const rateA = median(a.map((x) => x.rate));
  const rateB = median(b.map((x) => x.rate));
  const cpuA = median(a.map((x) => x.cpuUsPerValue));
  const cpuB = median(b.map((x) => x.cpuUsPerValue));
  const fmt = (x) => Math.round(x).toLocaleString('en-US');
  console.log(
    `\n## Alarms: the hub's value path with ${ALARMS.toLocaleString('en-US')} alarms ` +
      `on ${ADDRESSES.toLocaleString('en-US')} addresses ` +
      `(${VALUES.toLocaleString('en-US')} values per round, median of ${ROUNDS} alternate rounds)\n`,
  );
  console.log('| measure | with alarms | without alarms (same run) | ratio | target |');
  console.log('|---|---:|---:|---:|---|');
  console.log(
    `| value throughput through the hub | ${fmt(rateA)} values/s | ${fmt(rateB)} values/s | ${(rateA / rateB).toFixed(2)}x | >= 0.9x |`,
  );
  console.log(
    `| hub CPU per value | ${cpuA.toFixed(1)} µs | ${cpuB.toFixed(1)} µs | ${(cpuA / cpuB).toFixed(2)}x | <= 1.1x |`,
  );
  record('alarms', [
    {
      measure: `value throughput, ${ALARMS} alarms`,
      value: rateA,
      unit: 'values/s',
      baseline: 'same site, no alarms',
      baselineValue: rateB,
      better: 'higher',
      target: '>= 0.9x',
      met: rateA / rateB >= 0.9,
    },
    {
      measure: `hub CPU per value, ${ALARMS} alarms`,
      value: cpuA,
      unit: 'µs',
      baseline: 'same site, no alarms',
      baselineValue: cpuB,
      better: 'lower',
      target: '<= 1.1x',
      met: cpuA / cpuB <= 1.1,
    },
  ]);
} finally {
  await withAlarms.stop();
  await without.stop();
}
