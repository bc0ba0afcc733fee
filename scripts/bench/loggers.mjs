/**
 * Loggers benchmark (issue 15), each measure against a baseline measured in the same run:
 * - sustained ingest: rows/s through the real path the hub uses (batches of 5,000 rows, one in
 *   flight, over the mesh to the `loggers_store` process, one transaction each, summaries
 *   updated) vs a bare better-sqlite3 insert loop (same pragmas, same batch size, one process);
 * - a year of 1-minute samples of one address (525,600 rows) down to 1,000 chart points (minmax),
 *   asked over the mesh, vs one GROUP BY over the raw rows in a bare better-sqlite3;
 * - bytes on disk per stored value vs the bare table;
 * - the mesh round trip (`gateways.getLastValue`) of a real site while it logs ~1,000 values/s,
 *   vs the same site without a logger.
 */
import { fork, spawn } from 'node:child_process';
import { mkdtempSync, rmSync, statSync, existsSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import createPeers from '@weble/peers-core';
import { HUB_PEER, STORE_CONFIG_MESSAGE, STORE_MODULE, STORE_PEER, toColumns } from '@weble/supervisor';
import { record } from './lib/summary.mjs';

const require = createRequire(import.meta.url);
const supervisorDir = require.resolve('@weble/supervisor/package.json').replace(/package\.json$/, '');
const Database = createRequire(supervisorDir)('better-sqlite3');
const cli = join(supervisorDir, 'dist', 'cli.js');
const storeBin = join(supervisorDir, 'dist', 'loggers-store.js');
const quick = process.env.BENCH_QUICK === '1';
const ROWS = quick ? 105_120 : 525_600; // a year of minute samples (a fifth with BENCH_QUICK)
const BATCH = 5_000;
const MINUTE = 60_000;
const START = Date.UTC(2025, 0, 1);
const silent = { debug() {}, info() {}, warn() {}, error() {} };
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const valueAt = (i) => (i === Math.floor(ROWS * 0.6) ? 1000 : Math.sin(i / 500) * 10);
const fileBytes = (file) => ['', '-wal'].reduce((n, s) => n + (existsSync(file + s) ? statSync(file + s).size : 0), 0);
const children = new Set();
process.on('exit', () => children.forEach((c) => c.kill('SIGKILL')));

/** Bare better-sqlite3: the same rows in transactions of BATCH, then the naive year query. */
function bare(dir) {
  const file = join(dir, 'bare.sqlite');
  const db = new Database(file);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = FULL');
  db.exec('CREATE TABLE samples (series INTEGER NOT NULL, ts INTEGER NOT NULL, value REAL)');
  db.exec('CREATE INDEX samples_series_ts ON samples (series, ts)');
  const insert = db.prepare('INSERT INTO samples (series, ts, value) VALUES (?, ?, ?)');
  const write = db.transaction((from, to) => {
    for (let i = from; i < to; i++) insert.run(1, START + i * MINUTE, valueAt(i));
  });
  const t0 = performance.now();
  for (let i = 0; i < ROWS; i += BATCH) write(i, Math.min(ROWS, i + BATCH));
  const ingest = ROWS / ((performance.now() - t0) / 1000);
  db.pragma('wal_checkpoint(TRUNCATE)');
  const bytes = fileBytes(file) / ROWS;
  const to = START + ROWS * MINUTE;
  const width = Math.ceil((to - START) / 500);
  const q = db.prepare('SELECT CAST((ts - @from) / @w AS INTEGER) AS b, min(value), max(value) FROM samples WHERE series = 1 AND ts >= @from AND ts <= @to GROUP BY b').raw();
  const times = [];
  for (let k = 0; k < 5; k++) {
    const t = performance.now();
    q.all({ from: START, to, w: width });
    times.push(performance.now() - t);
  }
  db.close();
  return { ingest, bytes, queryMs: median(times) };
}

/** The store process under a stand-in hub named `supervision` (what the hub's feed does). */
async function store(dir) {
  const socket = join(dir, 'hub.sock');
  const hub = createPeers(HUB_PEER, { logger: silent });
  await hub.listen({ path: socket });
  const up = new Promise((resolve) => hub.once(`connect ${STORE_PEER}`, resolve));
  const child = fork(storeBin, [], { env: { ...process.env, WEBLE_HUB: socket, WEBLE_PEER_NAME: STORE_PEER, WEBLE_LOG_LEVEL: 'warn' }, stdio: ['ignore', 'ignore', 'inherit', 'ipc'] });
  children.add(child);
  child.send({ type: STORE_CONFIG_MESSAGE, dir: join(dir, 'store'), retentionStepRows: 5000, retentionEveryMs: 3_600_000, retryMs: 1000 });
  await up;
  const call = (method, args) => hub(STORE_PEER).call(STORE_MODULE, method, args);
  // The batches as the hub's feed sends them (built before timing: the hub builds them as values come).
  const batches = [];
  for (let i = 0; i < ROWS; i += BATCH) {
    const rows = [];
    for (let j = i; j < Math.min(ROWS, i + BATCH); j++) rows.push(['year', 'a/1', START + j * MINUTE, valueAt(j), 'good']);
    batches.push(toColumns(rows));
  }
  const t0 = performance.now();
  for (const batch of batches) await call('append', [batch]);
  const ingest = ROWS / ((performance.now() - t0) / 1000);
  const query = { keys: ['a/1'], from: START, to: START + ROWS * MINUTE, aggregate: 'minmax', maxPoints: 1000 };
  const times = [];
  let points = 0;
  for (let k = 0; k < 20; k++) {
    const t = performance.now();
    const [series] = await call('history', [query]);
    times.push(performance.now() - t);
    points = series[0].points.length;
  }
  const [status] = await call('status', []);
  child.kill('SIGTERM');
  await new Promise((resolve) => child.once('exit', resolve));
  await hub.close();
  const file = join(dir, 'store', 'history.sqlite');
  return { ingest, queryMs: median(times), points, bytes: fileBytes(file) / ROWS, rows: status.rows };
}

/** Mean round trip of getLastValue on a real site, with or without a logger of ~1,000 values/s. */
async function siteRoundTrip(withLogger) {
  const dir = mkdtempSync(join(tmpdir(), 'weble-bench-loggers-'));
  const keys = Array.from({ length: 10 }, (_, i) => `5/0/${i}`);
  const addresses = keys.map((k, i) => `  - { key: "${k}", gateway: 1, point: { type: number, simulate: { kind: sine, min: 0, max: 100, periodMs: ${7000 + i * 101} } } }`).join('\n');
  writeFileSync(join(dir, 'site.yaml'), `hub: { socket: ./run/s.sock }
gateways:
  - { id: 1, type: virtual, config: { tickMs: 10 } }
addresses:
${addresses}
${withLogger ? 'loggers:\n  - { name: fast, addresses: ["5/0/*"] }\n' : ''}`);
  const sup = spawn(process.execPath, [cli, 'start', '--config', join(dir, 'site.yaml'), '--log-level', 'warn'], { stdio: 'ignore' });
  children.add(sup);
  const client = createPeers(`bench_loggers_${process.pid}`, { logger: silent, backoff: { initialMs: 20, maxMs: 200 } });
  client.connect(join(dir, 'run', 's.sock'));
  await new Promise((resolve) => client.once('connect supervision', resolve));
  const gateways = await client('supervision').require('gateways');
  let values = 0;
  const count = () => values++;
  for (const k of keys) gateways.on(`newValue ${k}`, count);
  // Warm up until values flow (and, with a logger, the store is up and writing).
  while (values < 2000) await gateways.getLastValue('5/0/0');
  const n = quick ? 1000 : 3000;
  values = 0;
  const t0 = performance.now();
  for (let i = 0; i < n; i++) await gateways.getLastValue('5/0/0');
  const seconds = (performance.now() - t0) / 1000;
  const rttUs = (seconds * 1e6) / n;
  const rate = values / seconds;
  let stored = 0;
  if (withLogger) stored = (await (await client('supervision').require('loggers')).status()).rows;
  for (const k of keys) gateways.removeListener(`newValue ${k}`, count);
  await client.close();
  sup.kill('SIGTERM');
  await new Promise((resolve) => sup.once('exit', resolve));
  rmSync(dir, { recursive: true, force: true });
  return { rttUs, rate, stored };
}

const dir = mkdtempSync(join(tmpdir(), 'weble-bench-store-'));
try {
  const b = bare(dir);
  const s = await store(dir);
  const without = await siteRoundTrip(false);
  const withLog = await siteRoundTrip(true);
  const r = (x, y) => `${(x / y).toFixed(2)}x`;
  console.log(`\n## Loggers: history store (${ROWS.toLocaleString('en-US')} one-minute samples of one address)\n`);
  console.log('| measure | weble | baseline (same run) | ratio | target |');
  console.log('|---|---:|---:|---:|---|');
  console.log(`| sustained ingest (mesh -> store process, batches of ${BATCH}, summaries) | ${Math.round(s.ingest).toLocaleString('en-US')} values/s | ${Math.round(b.ingest).toLocaleString('en-US')} values/s (bare better-sqlite3 insert loop) | ${r(s.ingest, b.ingest)} | >= 0.8x |`);
  console.log(`| a year down to 1,000 points (minmax, asked over the mesh, median of 20) | ${s.queryMs.toFixed(1)} ms (${s.points} points) | ${b.queryMs.toFixed(1)} ms (GROUP BY over the raw rows, 500 buckets) | ${r(s.queryMs, b.queryMs)} | < 50 ms |`);
  console.log(`| bytes on disk per stored value | ${s.bytes.toFixed(1)} B | ${b.bytes.toFixed(1)} B (bare rowid table + index) | ${r(s.bytes, b.bytes)} | |`);
  console.log(`| getLastValue round trip while logging ${Math.round(withLog.rate)} values/s | ${withLog.rttUs.toFixed(0)} µs | ${without.rttUs.toFixed(0)} µs (same site, no logger, ${Math.round(without.rate)} values/s) | ${r(withLog.rttUs, without.rttUs)} | <= 1.1x |`);
  record('loggers', [
    { measure: 'sustained ingest', value: s.ingest, unit: 'values/s', baseline: 'bare better-sqlite3 insert loop', baselineValue: b.ingest, better: 'higher', target: '>= 0.8x', met: s.ingest / b.ingest >= 0.8 },
    { measure: 'year of minute samples to 1,000 points', value: s.queryMs, unit: 'ms', baseline: 'GROUP BY over raw rows', baselineValue: b.queryMs, better: 'lower', target: '< 50 ms', met: s.queryMs < 50 },
    { measure: 'bytes per stored value', value: s.bytes, unit: 'B', baseline: 'bare rowid table + index', baselineValue: b.bytes, better: 'lower' },
    { measure: 'round trip while logging ~1,000 values/s', value: withLog.rttUs, unit: 'µs', baseline: 'same site without logger', baselineValue: without.rttUs, better: 'lower', target: '<= 1.1x', met: withLog.rttUs / without.rttUs <= 1.1 },
  ]);
} finally {
  rmSync(dir, { recursive: true, force: true });
}
