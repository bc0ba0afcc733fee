// Federation benchmark (issue 10), on the built dist: `node packages/peers-core/scripts/bench-federation.mjs`.
//
// 1. Added latency per relay site: a chain of hub processes site-0 - site-1 - ... - site-N over
//    loopback TLS (one process each); the driver process is a peer of site-0 and makes sequential
//    calls to `supervision@site-k` for k = 1..N. The added latency per site hop is the slope.
//    The baseline is the direct site link (k = 1) of the same run.
// 2. Joining: SITES (default 20) in-process hubs, each linked to two well-known hubs picked at
//    random among the earlier ones, settle time 100 ms; the time until every hub is `joined`,
//    reaches every site and agrees on the responsibility ring (for each of 100 values exactly one
//    hub is responsible), then the same again without the hub that leaves (the one with most links).
// Environment: HOPS (default 4), CALLS (default 2000), SITES (default 20).
// The headline rows go to `pnpm bench`'s summary (scripts/bench/lib/summary.mjs, name `federation`).
import { fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import selfsigned from 'selfsigned';
import { createPeers } from '../dist/index.js';
import { record } from '../../../scripts/bench/lib/summary.mjs';

const SECRET = 'benchmark federation secret';
const silent = { debug() {}, warn() {}, error() {} };

function certificate() {
  const pems = selfsigned.generate([{ name: 'commonName', value: 'bench' }], {
    days: 1,
    keySize: 2048,
    algorithm: 'sha256',
    extensions: [{ name: 'subjectAltName', altNames: [{ type: 7, ip: '127.0.0.1' }] }],
  });
  return { cert: pems.cert, key: pems.private };
}

async function hub(site, tls, wellKnownPeers, settleMs = 1000) {
  const peers = createPeers('supervision', { site, logger: silent, backoff: { initialMs: 20, maxMs: 500 } });
  peers.share('echo', { echo: (x, cb) => cb(null, x) });
  const federation = await peers.federate({
    listen: { host: '127.0.0.1', port: 0 },
    secret: SECRET,
    tls,
    wellKnownPeers,
    settleMs,
  });
  return { site, peers, federation, at: { host: '127.0.0.1', port: federation.port } };
}

// ---- child process: one hub of the chain ----------------------------------------------------
if (process.argv[2] === 'child') {
  process.on('message', async (m) => {
    const h = await hub(m.site, m.tls, m.wellKnownPeers);
    process.send({ port: h.at.port });
    process.on('disconnect', () => process.exit(0));
  });
} else {
  await main();
}

function until(condition, ms, what) {
  return new Promise((resolve, reject) => {
    const deadline = Date.now() + ms;
    const check = () => {
      if (condition()) return resolve();
      if (Date.now() > deadline) return reject(new Error(`timed out waiting for ${what}`));
      setTimeout(check, 5);
    };
    check();
  });
}

async function relayLatency(tls) {
  const hops = Number(process.env.HOPS ?? 4);
  const calls = Number(process.env.CALLS ?? 2000);
  const children = [];
  let previous;
  // site-N is started first so that each next one can dial the one before.
  for (let i = hops; i >= 1; i--) {
    const child = fork(fileURLToPath(import.meta.url), ['child'], { stdio: 'inherit' });
    children.push(child);
    const ready = new Promise((resolve) => child.once('message', resolve));
    child.send({ site: `site-${i}`, tls, wellKnownPeers: previous ? [previous] : [] });
    previous = { host: '127.0.0.1', port: (await ready).port };
  }
  const origin = await hub('site-0', tls, [previous]);
  await until(() => origin.federation.sites().length === hops, 20_000, 'the chain');
  const rows = [];
  for (let k = 1; k <= hops; k++) {
    const target = origin.peers(`supervision@site-${k}`);
    for (let i = 0; i < 200; i++) await target.call('echo', 'echo', [i]);
    const t0 = process.hrtime.bigint();
    for (let i = 0; i < calls; i++) await target.call('echo', 'echo', [i]);
    rows.push({ sites: k, us: Number(process.hrtime.bigint() - t0) / 1000 / calls });
  }
  await origin.peers.close();
  for (const c of children) c.kill();
  return rows;
}

async function joining(tls) {
  const n = Number(process.env.SITES ?? 20);
  const hubs = [];
  const t0 = Date.now();
  for (let i = 0; i < n; i++) {
    const known = new Set();
    for (let k = 0; k < Math.min(i, 2); k++) known.add(hubs[Math.floor(Math.random() * i)].at);
    hubs.push(await hub(`site-${i}`, tls, [...known], 100));
  }
  const started = Date.now() - t0;
  const values = Array.from({ length: 100 }, (_, i) => `value-${i}`);
  // A stable ring: within each group of hubs that reach each other, every value has exactly one responsible hub.
  const ringStable = (list) => {
    const groups = new Map();
    for (const h of list) {
      const key = [h.site, ...h.federation.sites()].sort().join(',');
      if (!groups.has(key)) groups.set(key, []);
      groups.get(key).push(h);
    }
    for (const [key, group] of groups) {
      if (group.length !== key.split(',').length) return false;
      for (const v of values) if (group.filter((h) => h.federation.isResponsibleFor(v)).length !== 1) return false;
    }
    return true;
  };
  const all = (list) =>
    list.every((h) => h.federation.status() === 'joined' && h.federation.sites().length === list.length - 1) &&
    ringStable(list);
  await until(() => all(hubs), 60_000, 'every hub joined');
  const joined = Date.now() - t0;
  const leaving = hubs.reduce((a, b) => (b.federation.neighbours().length > a.federation.neighbours().length ? b : a));
  const rest = hubs.filter((h) => h !== leaving);
  const leftLinks = leaving.federation.neighbours().length;
  const t1 = Date.now();
  await leaving.peers.close();
  // Without the hub that left the tree may split: each part settles on its own.
  await until(
    () =>
      rest.every((h) => h.federation.status() !== 'unbalanced' && !h.federation.sites().includes(leaving.site)) &&
      ringStable(rest),
    60_000,
    'stable again',
  );
  const stable = Date.now() - t1;
  for (const h of rest) await h.peers.close();
  return { n, started, joined, leftLinks, stable };
}

async function main() {
  const tls = certificate();
  const rows = await relayLatency(tls);
  const base = rows[0].us;
  console.log(
    '\n## Federation: round trip to supervision@site-k from a hub of site-0 (chain over loopback TLS, a process per site)\n',
  );
  console.log('| sites away | mean round trip (µs) | added vs 1 site (µs) |');
  console.log('|---:|---:|---:|');
  for (const r of rows) console.log(`| ${r.sites} | ${r.us.toFixed(1)} | ${(r.us - base).toFixed(1)} |`);
  const slope = rows.length > 1 ? (rows[rows.length - 1].us - base) / (rows.length - 1) : 0;
  console.log(`\nAdded latency per relay site (round trip, both directions): ${slope.toFixed(1)} µs`);
  const j = await joining(tls);
  console.log(`\n## Federation: ${j.n} in-process hubs joining, each through two earlier ones (settle time 100 ms)\n`);
  console.log(
    `- hubs started (listen, TLS) in ${j.started} ms; every hub joined, reaching every site, one ring, after ${j.joined} ms`,
  );
  console.log(
    `- the hub with most links (${j.leftLinks}) leaves: every other hub settled again (joined or lonely) ` +
      `on a stable ring after ${j.stable} ms (includes the 100 ms settle time)`,
  );
  const far = rows[rows.length - 1];
  record('federation', [
    {
      measure: `round trip to a site ${far.sites - 1} relay hop(s) away`,
      value: far.us,
      unit: 'µs',
      baseline: 'direct site link, same run',
      baselineValue: base,
      better: 'lower',
    },
    {
      measure: 'added latency per relay hop (round trip)',
      value: slope,
      unit: 'µs',
      baseline: 'direct site link round trip',
      baselineValue: base,
      better: 'lower',
    },
    {
      measure: `${j.n} sites joined, one stable ring`,
      value: j.joined,
      unit: 'ms',
      baseline: 'settle time (quiet period)',
      baselineValue: 100,
      better: 'lower',
    },
    {
      measure: `stable ring again after the hub with ${j.leftLinks} links leaves`,
      value: j.stable,
      unit: 'ms',
      baseline: 'settle time (quiet period)',
      baselineValue: 100,
      better: 'lower',
    },
  ]);
  process.exit(0);
}
