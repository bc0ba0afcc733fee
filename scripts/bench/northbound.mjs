/**
 * Northbound benchmark (issue 18): a site (the built `weble-supervisor start`) publishing through a
 * `northbound` bridge (plain mode, MQTT 5, QoS 1, retained JSON `{value, quality, ts}` on
 * `weble/bench/1/<key>`) to Debian's mosquitto, and an MQTT.js subscriber in a process of its own
 * (MQTT 5 persistent session, QoS 1) counting what arrives.
 * The site's values come from inside a driver, as field-bus values do: `scripts/bench/lib/
 * driver-benchflood`, installed next to site.yaml like any third-party driver, reports them with
 * driver-kit's `emitValue` (`newValue <key>` to the hub, which relays them to the bridge) on 10
 * addresses, as fast as it goes (or paced, for the latency rows), once a write to its `flood` point
 * asks for them.
 * Baseline, measured in the same run against the same broker and subscriber: a bare MQTT.js
 * publisher loop in this process (MQTT 5 like the bridge, QoS 1, retained, the same JSON payloads on
 * `bench/<key>`, 256 in flight like the bridge; no mesh, no disk buffer).
 *  - values/s from the driver through the bridge vs the bare publisher loop (target >= 0.8x), over
 *    BENCH_NB_ROUNDS rounds (default 6, 2 with BENCH_QUICK=1) of BENCH_NB_VALUES values (default
 *    10,000): bare and bridge side by side in each round, in turn first, and each side's values/s
 *    its values over its time in all rounds (the machine's load drifts; short rounds in turn let
 *    both sides sample the same load). Also vs the bare loop with the bridge's MQTT.js options;
 *  - CPU time per value of each process on the path (from /proc), summed over the rounds: the
 *    publishing process (the bridge vs the bare loop), and the whole path (driver, supervisor,
 *    bridge, broker, subscriber and this process vs bare loop, broker, subscriber). On a machine
 *    whose cores are busy, values/s follow the CPU time of the whole path;
 *  - the same through the bridge with values written by a peer through `gateways.writeValue`
 *    (1,000 calls outstanding, half a round of values per round): each write is a call to the
 *    hub, a call to the driver, two answers and an audit entry in SQLite before the value exists,
 *    so the site's write path counts here;
 *  - end-to-end latency from the driver's value (its timestamp) to the subscriber, p50 and p99, at
 *    500 values/s, vs publish-to-subscriber of the bare loop at the same rate;
 *  - replay rate after an outage: values buffered while the broker was down, sent when it is back
 *    (mosquitto's restart and the reconnection included), vs the bare publisher loop;
 *  - for scale, how fast values go from the driver into the bridge's buffer while the broker is
 *    down: the first row cannot be above it.
 * Needs Debian's mosquitto (scripts/setup.sh) and the built @weble/supervisor and @weble/northbound.
 */
import { fork, spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import createPeers from '@weble/peers-core';
import mqtt from 'mqtt';
import { startMosquitto } from './lib/mosquitto.mjs';
import { cpuMeter } from './lib/process-cpu.mjs';
import { record } from './lib/summary.mjs';

const require = createRequire(import.meta.url);
const cli = require.resolve('@weble/supervisor/package.json').replace(/package\.json$/, 'dist/cli.js');
const VALUES = Number(process.env.BENCH_NB_VALUES ?? 10_000);
const ROUNDS = Math.max(1, Number(process.env.BENCH_NB_ROUNDS ?? (process.env.BENCH_QUICK === '1' ? 2 : 6)));
const REPLAY_VALUES = 2 * VALUES;
const LATENCY_VALUES = Number(process.env.BENCH_NB_LATENCY_VALUES ?? 2_000);
const LATENCY_RATE = 500;
const WINDOW = 256;
const KEYS = Array.from({ length: 10 }, (_, i) => `b/${i}`);
const silent = { debug() {}, warn() {}, error() {} };
const now = () => performance.timeOrigin + performance.now();
const quantile = (xs, q) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(q * xs.length))];
const until = async (what, check, ms = 120_000) => {
  const deadline = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`bench: timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 5)); // polling interval of a status check
  }
};

const broker = await startMosquitto();
const subscriber = fork(
  fileURLToPath(new URL('./lib/mqtt-subscriber.mjs', import.meta.url)),
  [broker.url, 'bench/#', 'weble/bench/#'],
  { stdio: 'inherit' },
);
await new Promise((resolve, reject) => {
  subscriber.once('message', resolve);
  subscriber.once('exit', (code) => reject(new Error(`bench: the subscriber exited with ${code}`)));
});
let jobs = 0;

/**
 * Have the subscriber count `n` messages under `prefix` whose value is at least `from` (values of
 * earlier runs that arrive late are not counted); resolves once it counts, with `done`: a promise of
 * { doneAt, latencies } (rejected after 120 s).
 */
async function collect(prefix, n, { from = 0, latencies = false } = {}) {
  const id = ++jobs;
  const answer = (ready) =>
    new Promise((resolve) => {
      const on = (m) => m.id === id && Boolean(m.ready) === ready && (subscriber.off('message', on), resolve(m));
      subscriber.on('message', on);
    });
  const ready = answer(true);
  const result = answer(false);
  subscriber.send({ id, prefix, n, from, latencies });
  await ready;
  let timer;
  const timeout = new Promise(
    (_, reject) =>
      (timer = setTimeout(
        () => reject(new Error(`bench: ${n} values under ${prefix} did not arrive in 120 s`)),
        120_000,
      )),
  );
  return { done: Promise.race([result, timeout]).finally(() => clearTimeout(timer)) };
}

/**
 * The client options the bridge sets beyond MQTT.js's defaults that change its cost per message
 * (packages/northbound/src/mqtt/client-options.ts): no keepalive timer re-armed per packet, no
 * `debug` log calls.
 */
const BRIDGE_CLIENT_TUNING = { reschedulePings: false, log: () => {} };

/**
 * The bare MQTT.js publisher loop: `n` QoS 1 retained JSON values, `WINDOW` in flight, paced at
 * `rate` (or as fast as acks allow); MQTT.js's default options, or with `tuned` the bridge's.
 */
async function bare(n, rate, latencies, tuned = false) {
  const pub = await mqtt.connectAsync(broker.url, {
    clientId: `bench-pub-${n}-${rate}`,
    protocolVersion: 5,
    ...(tuned ? BRIDGE_CLIENT_TUNING : {}),
  });
  const { done } = await collect('bench/', n, { latencies: Boolean(latencies) });
  const meter = cpuMeter({ publisher: process.pid, mosquitto: broker.pid(), subscriber: subscriber.pid });
  const t0 = now();
  let sent = 0;
  let inFlight = 0;
  await new Promise((resolve) => {
    const pump = () => {
      const due = rate ? Math.min(n, Math.floor(((now() - t0) * rate) / 1000)) : n;
      while (sent < due && inFlight < WINDOW) {
        const i = sent++;
        inFlight++;
        pub.publish(
          `bench/${KEYS[i % KEYS.length]}`,
          JSON.stringify({ value: i, quality: 'good', ts: Date.now() }),
          { qos: 1, retain: true },
          () => {
            inFlight--;
            if (sent === n && inFlight === 0) resolve();
            else pump();
          },
        );
      }
      if (sent < n && rate && inFlight < WINDOW) setTimeout(pump, 1);
    };
    pump();
  });
  const { doneAt, latencies: lat } = await done;
  const cpu = meter.stop();
  latencies?.push(...lat);
  await pub.endAsync();
  return { n, ms: doneAt - t0, cpu };
}

// ---- the site ------------------------------------------------------------------------------
const dir = mkdtempSync(join(tmpdir(), 'weble-bench-nb-'));
// The bench driver, installed next to site.yaml as a third-party driver is.
mkdirSync(join(dir, 'node_modules', '@weble'), { recursive: true });
symlinkSync(
  fileURLToPath(new URL('./lib/driver-benchflood', import.meta.url)),
  join(dir, 'node_modules', '@weble', 'driver-benchflood'),
  'dir',
);
writeFileSync(
  join(dir, 'site.yaml'),
  `hub: { socket: ./run/s.sock }
gateways:
  - { id: 1, type: benchflood, config: {} }
addresses:
${KEYS.map((k) => `  - { key: "${k}", gateway: 1, point: { type: number } }`).join('\n')}
  - { key: flood, gateway: 1, point: { type: burst } }
northbound:
  - { id: bench, brokers: ["${broker.url}"], site: bench, reconnectMs: 50, buffer: { maxMB: 256 }, publish: { addresses: ["b/*"] } }
`,
);
const supervisor = spawn(process.execPath, [cli, 'start', '--config', join(dir, 'site.yaml')], { stdio: 'ignore' });
const peers = createPeers('bench_nb_writer', { logger: silent, backoff: { initialMs: 10, maxMs: 50 } });
const joined = new Promise((resolve) => peers.once('connect supervision', resolve));
peers.connect(join(dir, 'run', 's.sock'));
const processes = async () => (await peers('supervision').call('system', 'list', [])).at(0);
const bridge = async () => (await processes())?.find((p) => p.name === 'northbound_bench')?.bridge;
// Every value differs from the address's previous one (drivers report changes only), so each is
// one value to the subscriber; the subscriber counts values from the run's first one.
let counter = 1;

/** The driver reports `n` values (from inside it, `newValue` events), paced at `rate` values/s (0: as fast as it goes). */
async function flood(n, rate) {
  const from = counter;
  counter += n;
  await peers('supervision').call('gateways', 'writeValue', ['flood', { from, count: n, rate }], { timeoutMs: 60_000 });
}

/** A peer writes `n` values into the site through `gateways.writeValue`, 1,000 outstanding, paced at `rate` values/s (0: as fast as the mesh takes them). */
async function write(n, rate) {
  const t0 = now();
  let sent = 0;
  let inFlight = 0;
  await new Promise((resolve, reject) => {
    const pump = () => {
      const due = rate ? Math.min(n, Math.floor(((now() - t0) * rate) / 1000)) : n;
      while (sent < due && inFlight < 1000) {
        sent++;
        inFlight++;
        const i = counter++;
        peers('supervision')
          .call('gateways', 'writeValue', [KEYS[i % KEYS.length], i], { timeoutMs: 60_000 })
          .then(() => {
            inFlight--;
            if (sent === n && inFlight === 0) resolve();
            else pump();
          }, reject);
      }
      if (sent < n && rate && inFlight < 1000) setTimeout(pump, 1);
    };
    pump();
  });
}

/** `n` values into the site from `source` (`flood`: the driver; `write`: a peer's writeValue calls), counted at the subscriber. */
async function throughThe(source, n, rate, latencies) {
  const list = await processes();
  const pid = (name) => list.find((p) => p.name === name)?.pid;
  const { done } = await collect('weble/bench/', n, { from: counter, latencies: Boolean(latencies) });
  const meter = cpuMeter({
    bench: process.pid,
    supervisor: supervisor.pid,
    driver: pid('driver_benchflood_1'),
    bridge: pid('northbound_bench'),
    mosquitto: broker.pid(),
    subscriber: subscriber.pid,
  });
  const t0 = now();
  await source(n, rate);
  const { doneAt, latencies: lat } = await done;
  const cpu = meter.stop();
  latencies?.push(...lat);
  return { n, ms: doneAt - t0, cpu };
}

const sum = (runs) =>
  runs.reduce((total, run) => {
    for (const [name, ms] of Object.entries(run.cpu)) total[name] = (total[name] ?? 0) + ms;
    return total;
  }, {});
/** µs of CPU per value. */
const perValue = (ms, values) => (ms * 1000) / values;
const total = (cpu) => Object.values(cpu).reduce((a, b) => a + b, 0);

try {
  await joined;
  // Values written before the bridge listens reach it only as last values (see docs/northbound.md).
  await until(
    'the bridge connected and listening',
    async () => {
      const status = await bridge();
      return status?.connected === true && status.listening === true;
    },
    60_000,
  );
  // Warm-up of all three (JIT, links, buffer files): a quarter of a round each.
  await throughThe(flood, VALUES / 4, 0);
  await throughThe(write, VALUES / 4, 0);
  await bare(VALUES / 4, 0);
  const bareRuns = [];
  const bridgeRuns = [];
  const tunedRuns = [];
  const writeRuns = [];
  // Bare and bridge side by side, in turn first (the machine's load drifts).
  for (let round = 0; round < ROUNDS; round++) {
    if (round % 2 === 0) bareRuns.push(await bare(VALUES, 0));
    bridgeRuns.push(await throughThe(flood, VALUES, 0));
    if (round % 2 === 1) bareRuns.push(await bare(VALUES, 0));
    tunedRuns.push(await bare(VALUES, 0, undefined, true));
    writeRuns.push(await throughThe(write, VALUES / 2, 0));
  }
  const bareLat = [];
  await bare(LATENCY_VALUES, LATENCY_RATE, bareLat);
  const bridgeLat = [];
  await throughThe(flood, LATENCY_VALUES, LATENCY_RATE, bridgeLat);
  // Replay: the broker down, values buffered, the broker back.
  await broker.stop();
  await until('the bridge disconnected', async () => (await bridge())?.connected === false);
  const received = (await bridge()).received;
  const w0 = now();
  await flood(REPLAY_VALUES, 0);
  await until(
    'every value received by the bridge',
    async () => ((await bridge())?.received ?? 0) >= received + REPLAY_VALUES,
  );
  const siteRate = (REPLAY_VALUES / (now() - w0)) * 1000;
  await until('every value buffered', async () => ((await bridge())?.buffered.count ?? 0) >= REPLAY_VALUES);
  const { done: replayed } = await collect('weble/bench/', REPLAY_VALUES, { from: counter - REPLAY_VALUES });
  const t0 = now();
  await broker.start();
  const replayMs = (await replayed).doneAt - t0;

  const rate = (run) => (run.n / run.ms) * 1000;
  const values = (runs) => runs.reduce((n, run) => n + run.n, 0);
  // Values/s over all the rounds of a side (its values over its time): the rounds of both sides
  // sample the same drifting load of the machine.
  const overall = (runs) => (values(runs) / runs.reduce((ms, run) => ms + run.ms, 0)) * 1000;
  const bareRate = overall(bareRuns);
  const bridgeRate = overall(bridgeRuns);
  const tunedRate = overall(tunedRuns);
  const ratios = (runs, base) => runs.map((run, i) => (rate(run) / rate(base[i])).toFixed(2)).join(', ');
  const writeRate = overall(writeRuns);
  const replayRate = (REPLAY_VALUES / replayMs) * 1000;
  const bareCpu = sum(bareRuns);
  const bridgeCpu = sum(bridgeRuns);
  const writeCpu = sum(writeRuns);
  const measured = VALUES * ROUNDS;
  const pubUs = [perValue(bridgeCpu.bridge, measured), perValue(bareCpu.publisher, measured)];
  const pathUs = [perValue(total(bridgeCpu), measured), perValue(total(bareCpu), measured)];
  const writePathUs = perValue(total(writeCpu), values(writeRuns));
  const p = (xs, q) => quantile(xs, q);
  const r = (a, b) => `${(a / b).toFixed(2)}x`;
  const us = (x) => `${x.toFixed(1)} µs`;
  const int = (x) => Math.round(x).toLocaleString('en-US');
  const bareName = `bare MQTT.js publisher loop, ${WINDOW} in flight`;
  console.log(
    `\n## Northbound: a site publishing through its bridge to mosquitto ` +
      `(MQTT 5, QoS 1, retained JSON {value, quality, ts}, both sides), ` +
      `${ROUNDS} rounds of ${VALUES.toLocaleString('en-US')} values\n`,
  );
  console.log('| measure | weble | baseline (same run, same broker and subscriber) | ratio |');
  console.log('|---|---:|---:|---:|');
  console.log(
    `| values/s to the subscriber, values reported by a driver (as fast as it reports them; all rounds) ` +
      `| ${int(bridgeRate)} | ${int(bareRate)} (${bareName}, MQTT.js defaults) | ${r(bridgeRate, bareRate)} |`,
  );
  console.log(
    `| the same vs the bare loop with the bridge's MQTT.js options (reschedulePings: false, no debug log) ` +
      `| ${int(bridgeRate)} | ${int(tunedRate)} (tuned bare loop) | ${r(bridgeRate, tunedRate)} |`,
  );
  console.log(
    `| CPU per value, the publishing process (lower is better) ` +
      `| ${us(pubUs[0])} (the bridge: mesh in, disk buffer, MQTT out) | ${us(pubUs[1])} (the bare loop) ` +
      `| ${r(pubUs[0], pubUs[1])} |`,
  );
  console.log(
    `| CPU per value, the whole path (lower is better) ` +
      `| ${us(pathUs[0])} (driver, supervisor, bridge, mosquitto, subscriber, bench) ` +
      `| ${us(pathUs[1])} (publisher, mosquitto, subscriber) | ${r(pathUs[0], pathUs[1])} |`,
  );
  console.log(
    `| values/s to the subscriber, values written by a peer through gateways.writeValue (each call audited; all rounds) ` +
      `| ${int(writeRate)} (whole path ${us(writePathUs)}/value) | ${int(bareRate)} (${bareName}) ` +
      `| ${r(writeRate, bareRate)} |`,
  );
  console.log(
    `| for scale: values/s from the driver into the bridge's buffer (broker down, the bridge only buffers) ` +
      `| ${int(siteRate)} | ${int(bareRate)} (${bareName}) | ${r(siteRate, bareRate)} |`,
  );
  console.log(
    `| latency driver value -> subscriber, p50, ${LATENCY_RATE} values/s | ${p(bridgeLat, 0.5)} ms ` +
      `| ${p(bareLat, 0.5)} ms (bare publish -> subscriber) | ${r(p(bridgeLat, 0.5) || 1, p(bareLat, 0.5) || 1)} |`,
  );
  console.log(
    `| latency driver value -> subscriber, p99, ${LATENCY_RATE} values/s | ${p(bridgeLat, 0.99)} ms ` +
      `| ${p(bareLat, 0.99)} ms (bare publish -> subscriber) | ${r(p(bridgeLat, 0.99) || 1, p(bareLat, 0.99) || 1)} |`,
  );
  console.log(
    `| replay after an outage: values/s from the disk buffer to the subscriber | ${int(replayRate)} ` +
      `| ${int(bareRate)} (${bareName}) | ${r(replayRate, bareRate)} |`,
  );
  const breakdown = (cpu, n = measured) =>
    Object.entries(cpu)
      .map(([name, ms]) => `${name} ${perValue(ms, n).toFixed(1)}`)
      .join(', ');
  console.log(
    `\nCPU µs per value by process — values from the driver: ${breakdown(bridgeCpu)}; ` +
      `values written through writeValue: ${breakdown(writeCpu, values(writeRuns))}; ` +
      `bare loop: ${breakdown(bareCpu)}; tuned bare loop: ${breakdown(sum(tunedRuns))}.`,
  );
  console.log(
    `Values/s by round — from the driver: ${bridgeRuns.map((x) => int(rate(x))).join(', ')}; ` +
      `bare: ${bareRuns.map((x) => int(rate(x))).join(', ')}; ` +
      `tuned bare: ${tunedRuns.map((x) => int(rate(x))).join(', ')}; ` +
      `written: ${writeRuns.map((x) => int(rate(x))).join(', ')}; ` +
      `driver/bare by round (side by side): ${ratios(bridgeRuns, bareRuns)}.`,
  );
  console.log(
    `(latency in whole ms: both ends stamp Date.now() on the same host; ratios of latencies use 1 ms for 0.)`,
  );
  record('northbound', [
    {
      measure: 'values/s from a driver through the bridge to a subscriber',
      value: bridgeRate,
      unit: 'values/s',
      baseline: 'bare MQTT.js publisher loop, same broker',
      baselineValue: bareRate,
      better: 'higher',
      target: '>= 0.8x',
      met: bridgeRate / bareRate >= 0.8,
    },
    {
      measure: "values/s from a driver through the bridge, vs a bare loop with the bridge's MQTT.js options",
      value: bridgeRate,
      unit: 'values/s',
      baseline: 'bare MQTT.js loop, reschedulePings false, no debug log',
      baselineValue: tunedRate,
      better: 'higher',
    },
    {
      measure: 'CPU per value, publishing process',
      value: pubUs[0],
      unit: 'µs',
      baseline: 'bare MQTT.js publisher loop',
      baselineValue: pubUs[1],
      better: 'lower',
    },
    {
      measure: 'CPU per value, whole path',
      value: pathUs[0],
      unit: 'µs',
      baseline: 'bare publisher, broker, subscriber',
      baselineValue: pathUs[1],
      better: 'lower',
    },
    {
      measure: 'values/s written through gateways.writeValue, through the bridge',
      value: writeRate,
      unit: 'values/s',
      baseline: 'bare MQTT.js publisher loop, same broker',
      baselineValue: bareRate,
      better: 'higher',
    },
    {
      measure: `latency driver -> subscriber p50 (${LATENCY_RATE}/s)`,
      value: p(bridgeLat, 0.5),
      unit: 'ms',
      baseline: 'bare publish -> subscriber',
      baselineValue: p(bareLat, 0.5),
      better: 'lower',
    },
    {
      measure: `latency driver -> subscriber p99 (${LATENCY_RATE}/s)`,
      value: p(bridgeLat, 0.99),
      unit: 'ms',
      baseline: 'bare publish -> subscriber',
      baselineValue: p(bareLat, 0.99),
      better: 'lower',
    },
    {
      measure: 'replay rate after an outage',
      value: replayRate,
      unit: 'values/s',
      baseline: 'bare MQTT.js publisher loop',
      baselineValue: bareRate,
      better: 'higher',
    },
  ]);
} finally {
  await peers.close();
  supervisor.kill('SIGTERM');
  await new Promise((r) => supervisor.once('exit', r));
  subscriber.disconnect();
  await new Promise((r) => (subscriber.exitCode !== null ? r() : subscriber.once('exit', r)));
  await broker.close();
  rmSync(dir, { recursive: true, force: true });
}
process.exit(0);
