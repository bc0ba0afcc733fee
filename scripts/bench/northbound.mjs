/**
 * Northbound benchmark (issue 18): a site (the built `weble-supervisor start`, a virtual gateway with
 * 10 addresses) publishing through a `northbound` bridge to Debian's mosquitto, an MQTT.js subscriber
 * (QoS 1) counting what arrives. Baselines measured in the same run against the same broker and
 * subscriber: a bare MQTT.js publisher loop (QoS 1, retained, the same JSON payloads, 256 in flight
 * like the bridge).
 *  - values/s through the bridge (values written into the site as fast as the mesh takes them) vs
 *    the bare publisher loop (target >= 0.8x);
 *  - end-to-end latency from the driver's value to the subscriber, p50 and p99, at 500 values/s,
 *    vs publish-to-subscriber of the bare loop at the same rate;
 *  - replay rate after an outage: values buffered while the broker was down, sent when it is back,
 *    vs the bare publisher loop;
 *  - for scale, how fast the site itself takes values (writes through the mesh to the virtual
 *    driver) while the bridge only buffers: the first row cannot be above it.
 * Needs Debian's mosquitto (scripts/setup.sh) and the built @weble/supervisor and @weble/northbound.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import createPeers from '@weble/peers-core';
import mqtt from 'mqtt';
import { startMosquitto } from './lib/mosquitto.mjs';
import { record } from './lib/summary.mjs';

const require = createRequire(import.meta.url);
const cli = require.resolve('@weble/supervisor/package.json').replace(/package\.json$/, 'dist/cli.js');
const VALUES = Number(process.env.BENCH_NB_VALUES ?? 20_000);
const LATENCY_VALUES = Number(process.env.BENCH_NB_LATENCY_VALUES ?? 2_000);
const LATENCY_RATE = 500;
const WINDOW = 256;
const KEYS = Array.from({ length: 10 }, (_, i) => `b/${i}`);
const silent = { debug() {}, warn() {}, error() {} };
const quantile = (xs, q) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(q * xs.length))];
const until = async (what, check, ms = 120_000) => {
  const deadline = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`bench: timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 5)); // polling interval of a status check
  }
};

const broker = await startMosquitto();
const received = [];
let onMessage = () => {};
const sub = await mqtt.connectAsync(broker.url, { clientId: 'bench-sub', clean: false, protocolVersion: 5, properties: { sessionExpiryInterval: 600 }, resubscribe: false, reconnectPeriod: 50 });
await sub.subscribeAsync(['bench/#', 'weble/bench/#'], { qos: 1 });
sub.on('message', (topic, payload) => onMessage(topic, payload));

/**
 * Count messages under `prefix` whose value is at least `from` (values of earlier runs that arrive
 * late are not counted) until `n`; resolves with the elapsed ms from `t0` (rejects after 120 s with
 * the count so far). Both sides' payloads are parsed alike.
 */
function collect(prefix, n, t0, latencies, from = 0) {
  let count = 0;
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`bench: ${count} of ${n} values under ${prefix} arrived in 120 s`)), 120_000);
    onMessage = (topic, payload) => {
      if (!topic.startsWith(prefix)) return;
      const { value, ts } = JSON.parse(payload.toString());
      if (value < from) return;
      latencies?.push(Date.now() - ts);
      if (++count !== n) return;
      clearTimeout(timer);
      resolve(performance.now() - t0);
    };
  });
}

/** The bare MQTT.js publisher loop: `n` QoS 1 retained JSON values, `WINDOW` in flight, paced at `rate` (or as fast as acks allow). */
async function bare(n, rate, latencies) {
  const pub = await mqtt.connectAsync(broker.url, { clientId: `bench-pub-${n}-${rate}` });
  const t0 = performance.now();
  const done = collect('bench/', n, t0, latencies);
  let sent = 0;
  let inFlight = 0;
  await new Promise((resolve) => {
    const pump = () => {
      const due = rate ? Math.min(n, Math.floor(((performance.now() - t0) * rate) / 1000)) : n;
      while (sent < due && inFlight < WINDOW) {
        const i = sent++;
        inFlight++;
        pub.publish(`bench/${KEYS[i % KEYS.length]}`, JSON.stringify({ value: i, quality: 'good', ts: Date.now() }), { qos: 1, retain: true }, () => {
          inFlight--;
          if (sent === n && inFlight === 0) resolve();
          else pump();
        });
      }
      if (sent < n && rate && inFlight < WINDOW) setTimeout(pump, 1);
    };
    pump();
  });
  const ms = await done;
  await pub.endAsync();
  return ms;
}

// ---- the site ------------------------------------------------------------------------------
const dir = mkdtempSync(join(tmpdir(), 'weble-bench-nb-'));
writeFileSync(
  join(dir, 'site.yaml'),
  `hub: { socket: ./run/s.sock }
gateways:
  - { id: 1, type: virtual, config: { tickMs: 1000 } }
addresses:
${KEYS.map((k) => `  - { key: "${k}", gateway: 1, point: { type: number } }`).join('\n')}
northbound:
  - { id: bench, brokers: ["${broker.url}"], site: bench, reconnectMs: 50, buffer: { maxMB: 256 } }
`,
);
const supervisor = spawn(process.execPath, [cli, 'start', '--config', join(dir, 'site.yaml')], { stdio: 'ignore' });
const peers = createPeers('bench_nb_writer', { logger: silent, backoff: { initialMs: 10, maxMs: 50 } });
const joined = new Promise((resolve) => peers.once('connect supervision', resolve));
peers.connect(join(dir, 'run', 's.sock'));
const bridge = async () => (await peers('supervision').call('system', 'list', [])).at(0)?.find((p) => p.name === 'northbound_bench')?.bridge;
// Every value written differs from the address's previous one (the virtual driver reports changes
// only, and its numbers start at 0), so each write is one value to the subscriber.
let counter = 1;

/** Write `n` values into the site, `window` outstanding, paced at `rate` values/s (0: as fast as the mesh takes them). */
async function write(n, rate) {
  const t0 = performance.now();
  let sent = 0;
  let inFlight = 0;
  await new Promise((resolve, reject) => {
    const pump = () => {
      const due = rate ? Math.min(n, Math.floor(((performance.now() - t0) * rate) / 1000)) : n;
      while (sent < due && inFlight < 1000) {
        sent++;
        inFlight++;
        const i = counter++;
        peers('supervision').call('gateways', 'writeValue', [KEYS[i % KEYS.length], i], { timeoutMs: 60_000 }).then(() => {
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

async function throughThe(n, rate, latencies) {
  const t0 = performance.now();
  const done = collect('weble/bench/', n, t0, latencies, counter);
  await write(n, rate);
  return done;
}

try {
  await joined;
  // Values written before the bridge listens reach it only as last values (see docs/northbound.md).
  await until('the bridge connected and listening', async () => {
    const status = await bridge();
    return status?.connected === true && status.listening === true;
  }, 60_000);
  await throughThe(1000, 0); // warm-up: JIT, links, buffer files
  await bare(1000, 0);
  const bareMs = await bare(VALUES, 0);
  const bridgeMs = await throughThe(VALUES, 0);
  const bareLat = [];
  await bare(LATENCY_VALUES, LATENCY_RATE, bareLat);
  const bridgeLat = [];
  await throughThe(LATENCY_VALUES, LATENCY_RATE, bridgeLat);
  // Replay: the broker down, values buffered, the broker back.
  await broker.stop();
  await until('the bridge disconnected', async () => (await bridge())?.connected === false);
  const w0 = performance.now();
  await write(VALUES, 0);
  const siteRate = (VALUES / (performance.now() - w0)) * 1000;
  await until('every value buffered', async () => ((await bridge())?.buffered.count ?? 0) >= VALUES);
  const t0 = performance.now();
  const replayed = collect('weble/bench/', VALUES, t0, undefined, counter - VALUES);
  await broker.start();
  const replayMs = await replayed;

  const bareRate = (VALUES / bareMs) * 1000;
  const bridgeRate = (VALUES / bridgeMs) * 1000;
  const replayRate = (VALUES / replayMs) * 1000;
  const p = (xs, q) => quantile(xs, q);
  const r = (a, b) => `${(a / b).toFixed(2)}x`;
  console.log(`\n## Northbound: a site publishing through its bridge to mosquitto (QoS 1, retained JSON), ${VALUES.toLocaleString('en-US')} values\n`);
  console.log('| measure | weble | baseline (same run, same broker and subscriber) | ratio |');
  console.log('|---|---:|---:|---:|');
  console.log(`| values/s to the subscriber (site written as fast as it takes) | ${Math.round(bridgeRate).toLocaleString('en-US')} | ${Math.round(bareRate).toLocaleString('en-US')} (bare MQTT.js publisher loop, ${WINDOW} in flight) | ${r(bridgeRate, bareRate)} |`);
  console.log(`| for scale: values/s the site takes (writes through the mesh to the driver; broker down, the bridge only buffers) | ${Math.round(siteRate).toLocaleString('en-US')} | ${Math.round(bareRate).toLocaleString('en-US')} (bare MQTT.js publisher loop) | ${r(siteRate, bareRate)} |`);
  console.log(`| latency driver value -> subscriber, p50, ${LATENCY_RATE} values/s | ${p(bridgeLat, 0.5)} ms | ${p(bareLat, 0.5)} ms (bare publish -> subscriber) | ${r(p(bridgeLat, 0.5) || 1, p(bareLat, 0.5) || 1)} |`);
  console.log(`| latency driver value -> subscriber, p99, ${LATENCY_RATE} values/s | ${p(bridgeLat, 0.99)} ms | ${p(bareLat, 0.99)} ms (bare publish -> subscriber) | ${r(p(bridgeLat, 0.99) || 1, p(bareLat, 0.99) || 1)} |`);
  console.log(`| replay after an outage: values/s from the disk buffer to the subscriber | ${Math.round(replayRate).toLocaleString('en-US')} | ${Math.round(bareRate).toLocaleString('en-US')} (bare MQTT.js publisher loop) | ${r(replayRate, bareRate)} |`);
  console.log(`\n(latency in whole ms: both ends stamp Date.now() on the same host; ratios of latencies use 1 ms for 0.)`);
  record('northbound', [
    { measure: 'values/s through the bridge to a subscriber', value: bridgeRate, unit: 'values/s', baseline: 'bare MQTT.js publisher loop, same broker', baselineValue: bareRate, better: 'higher', target: '>= 0.8x', met: bridgeRate / bareRate >= 0.8 },
    { measure: `latency driver -> subscriber p50 (${LATENCY_RATE}/s)`, value: p(bridgeLat, 0.5), unit: 'ms', baseline: 'bare publish -> subscriber', baselineValue: p(bareLat, 0.5), better: 'lower' },
    { measure: `latency driver -> subscriber p99 (${LATENCY_RATE}/s)`, value: p(bridgeLat, 0.99), unit: 'ms', baseline: 'bare publish -> subscriber', baselineValue: p(bareLat, 0.99), better: 'lower' },
    { measure: 'replay rate after an outage', value: replayRate, unit: 'values/s', baseline: 'bare MQTT.js publisher loop', baselineValue: bareRate, better: 'higher' },
  ]);
} finally {
  await peers.close();
  supervisor.kill('SIGTERM');
  await new Promise((r) => supervisor.once('exit', r));
  await sub.endAsync(true);
  await broker.close();
  rmSync(dir, { recursive: true, force: true });
}
process.exit(0);
