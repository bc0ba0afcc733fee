/**
 * Loggers benchmark (issue 15), each measure against a baseline measured in the same run:
 * - sustained ingest: rows/s through the real path the hub uses (batches of 5,000 rows, two in
 *   flight, over the mesh to the `loggers_store` process, one transaction each, summaries
 *   updated) vs a bare better-sqlite3 insert loop (same pragmas: WAL, synchronous FULL, the same
 *   batch size, one process); and the store's writer alone on the same batches in this process,
 *   to tell the write path from the process boundary;
 * - a year of 1-minute samples of one address (525,600 rows) down to 1,000 chart points (minmax),
 *   asked over the mesh, vs one GROUP BY over the raw rows in a bare better-sqlite3;
 * - bytes on disk per stored value vs the bare table;
 * - the mesh round trip (`gateways.getLastValue`) of a real site while it logs ~1,000 values/s,
 *   vs the same site with its logger disabled (alternate rounds).
 */
import { fork, spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import createPeers from '@weble/peers-core';
import {
  HUB_PEER,
  openSampleDatabase,
  SampleWriter,
  STORE_CONFIG_MESSAGE,
  STORE_MODULE,
  STORE_PEER,
  toColumns,
} from '@weble/supervisor';
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

/** Bare better-sqlite3: the same rows in transactions of BATCH into a fresh file; rows/s and bytes per row. */
function bareIngest(file) {
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
  db.close();
  return { ingest, bytes: fileBytes(file) / ROWS };
}

/** The store's writer alone, in this process, on the batches the feed sends: rows/s. */
function writerIngest(dir, batches) {
  const { db } = openSampleDatabase(dir);
  const writer = new SampleWriter(db);
  const t0 = performance.now();
  for (const batch of batches) writer.append(batch);
  const ingest = ROWS / ((performance.now() - t0) / 1000);
  db.close();
  return ingest;
}

/** The naive year query on the bare file: one GROUP BY over the raw rows (min and max per bucket). */
function bareQuery(file) {
  const db = new Database(file, { readonly: true });
  const to = START + ROWS * MINUTE;
  const q = db
    .prepare(
      'SELECT CAST((ts - @from) / @w AS INTEGER) AS b, min(value), max(value) FROM samples WHERE series = 1 AND ts >= @from AND ts <= @to GROUP BY b',
    )
    .raw();
  const t = performance.now();
  q.all({ from: START, to, w: Math.ceil((to - START) / 500) });
  const ms = performance.now() - t;
  db.close();
  return ms;
}

/** The store process under a stand-in hub named `supervision` (what the hub's feed does). */
async function startStore(dir) {
  mkdirSync(dir, { recursive: true });
  const socket = join(dir, 'hub.sock');
  const hub = createPeers(HUB_PEER, { logger: silent });
  await hub.listen({ path: socket });
  const up = new Promise((resolve) => hub.once(`connect ${STORE_PEER}`, resolve));
  const child = fork(storeBin, [], {
    env: { ...process.env, WEBLE_HUB: socket, WEBLE_PEER_NAME: STORE_PEER, WEBLE_LOG_LEVEL: 'warn' },
    stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
  });
  children.add(child);
  child.send({ type: STORE_CONFIG_MESSAGE, dir, retentionStepRows: 5000, retentionEveryMs: 3_600_000, retryMs: 1000 });
  await up;
  const call = (method, args) => hub(STORE_PEER).call(STORE_MODULE, method, args);
  return {
    call,
    async stop() {
      child.kill('SIGTERM');
      await new Promise((resolve) => child.once('exit', resolve));
      await hub.close();
    },
  };
}

/** The batches as the hub's feed sends them (built before timing: the hub builds them as values come). */
function feedBatches() {
  const batches = [];
  for (let i = 0; i < ROWS; i += BATCH) {
    const rows = [];
    for (let j = i; j < Math.min(ROWS, i + BATCH); j++)
      rows.push(['year', 'a/1', START + j * MINUTE, valueAt(j), 'good']);
    batches.push(toColumns(rows));
  }
  return batches;
}

/** One year of rows through a fresh store, as the feed sends them; rows/s and bytes per row. */
async function storeIngest(dir) {
  const store = await startStore(dir);
  const batches = feedBatches();
  // Two batches in flight, as the feed sends them.
  const t0 = performance.now();
  let next = 0;
  const lane = async () => {
    while (next < batches.length) await store.call('append', [batches[next++]]);
  };
  await Promise.all([lane(), lane()]);
  const ingest = ROWS / ((performance.now() - t0) / 1000);
  await store.stop();
  return { ingest, bytes: fileBytes(join(dir, 'history.sqlite')) / ROWS };
}

/** The year asked over the mesh from a store on `dir`: ms and points of one query. */
async function storeQuery(store) {
  const query = { keys: ['a/1'], from: START, to: START + ROWS * MINUTE, aggregate: 'minmax', maxPoints: 1000 };
  const t = performance.now();
  const [series] = await store.call('history', [query]);
  return { ms: performance.now() - t, points: series[0].points.length };
}

/** Alternate rounds of ours and the baseline (the machine is shared: medians of interleaved rounds). */
async function storeVsBare(root) {
  const rounds = quick ? 2 : 3;
  const ours = [];
  const bare = [];
  const alone = [];
  const batches = feedBatches();
  for (let r = 0; r < rounds; r++) {
    const storeDir = join(root, `store-${r}`);
    ours.push(await storeIngest(storeDir));
    bare.push(bareIngest(join(root, `bare-${r}.sqlite`)));
    alone.push(writerIngest(join(root, `writer-${r}`), batches));
    rmSync(join(root, `writer-${r}`), { recursive: true, force: true });
    if (r < rounds - 1) {
      rmSync(storeDir, { recursive: true, force: true });
      rmSync(join(root, `bare-${r}.sqlite`), { force: true });
    }
  }
  const last = rounds - 1;
  const store = await startStore(join(root, `store-${last}`));
  const queries = { ours: [], bare: [], points: 0 };
  for (let k = 0; k < 10; k++) {
    const q = await storeQuery(store);
    queries.ours.push(q.ms);
    queries.points = q.points;
    queries.bare.push(bareQuery(join(root, `bare-${last}.sqlite`)));
  }
  await store.stop();
  return {
    s: {
      ingest: median(ours.map((x) => x.ingest)),
      writer: median(alone),
      bytes: ours[last].bytes,
      queryMs: median(queries.ours),
      points: queries.points,
    },
    b: { ingest: median(bare.map((x) => x.ingest)), bytes: bare[last].bytes, queryMs: median(queries.bare) },
    rounds,
  };
}

/**
 * Mean round trip of getLastValue on a real site whose ten simulated addresses change ~1,000
 * times/s, its logger enabled and disabled in alternate rounds (same processes, same load
 * otherwise); the median round of each.
 */
async function siteRoundTrip() {
  const dir = mkdtempSync(join(tmpdir(), 'weble-bench-loggers-'));
  const keys = Array.from({ length: 10 }, (_, i) => `5/0/${i}`);
  const addresses = keys
    .map(
      (k, i) =>
        `  - { key: "${k}", gateway: 1, point: { type: number, simulate: { kind: sine, min: 0, max: 100, periodMs: ${7000 + i * 101} } } }`,
    )
    .join('\n');
  writeFileSync(
    join(dir, 'site.yaml'),
    `hub: { socket: ./run/s.sock }
gateways:
  - { id: 1, type: virtual, config: { tickMs: 10 } }
addresses:
${addresses}
loggers:
  - { name: fast, addresses: ["5/0/*"] }
`,
  );
  const sup = spawn(process.execPath, [cli, 'start', '--config', join(dir, 'site.yaml'), '--log-level', 'warn'], {
    stdio: 'ignore',
  });
  children.add(sup);
  const client = createPeers(`bench_loggers_${process.pid}`, {
    logger: silent,
    backoff: { initialMs: 20, maxMs: 200 },
  });
  client.connect(join(dir, 'run', 's.sock'));
  await new Promise((resolve) => client.once('connect supervision', resolve));
  const gateways = await client('supervision').require('gateways');
  const loggers = await client('supervision').require('loggers');
  let values = 0;
  const count = () => values++;
  for (const k of keys) gateways.on(`newValue ${k}`, count);
  while (values < 2000) await gateways.getLastValue('5/0/0'); // warm up until values flow
  const n = quick ? 500 : 1500;
  const rounds = { on: [], off: [] };
  const rates = { on: [], off: [] };
  for (let r = 0; r < 6; r++) {
    const mode = r % 2 === 0 ? 'on' : 'off';
    await loggers.updateLogger({ name: 'fast', addresses: ['5/0/*'], enabled: mode === 'on' });
    for (let i = 0; i < 200; i++) await gateways.getLastValue('5/0/0');
    values = 0;
    const t0 = performance.now();
    for (let i = 0; i < n; i++) await gateways.getLastValue('5/0/0');
    const seconds = (performance.now() - t0) / 1000;
    rounds[mode].push((seconds * 1e6) / n);
    rates[mode].push(values / seconds);
  }
  const stored = (await loggers.status()).rows;
  for (const k of keys) gateways.removeListener(`newValue ${k}`, count);
  await client.close();
  sup.kill('SIGTERM');
  await new Promise((resolve) => sup.once('exit', resolve));
  rmSync(dir, { recursive: true, force: true });
  return {
    on: { rttUs: median(rounds.on), rate: median(rates.on) },
    off: { rttUs: median(rounds.off), rate: median(rates.off) },
    stored,
  };
}

const dir = mkdtempSync(join(tmpdir(), 'weble-bench-store-'));
try {
  const { s, b, rounds } = await storeVsBare(dir);
  const rtt = await siteRoundTrip();
  const withLog = rtt.on;
  const without = rtt.off;
  const r = (x, y) => `${(x / y).toFixed(2)}x`;
  console.log(`\n## Loggers: history store (${ROWS.toLocaleString('en-US')} one-minute samples of one address)\n`);
  console.log('| measure | weble | baseline (same run) | ratio | target |');
  console.log('|---|---:|---:|---:|---|');
  console.log(
    `| sustained ingest (mesh -> store process, batches of ${BATCH}, two in flight, summaries; ` +
      `median of ${rounds} alternate rounds) | ${Math.round(s.ingest).toLocaleString('en-US')} values/s ` +
      `| ${Math.round(b.ingest).toLocaleString('en-US')} values/s (bare better-sqlite3 insert loop) ` +
      `| ${r(s.ingest, b.ingest)} | >= 0.8x |`,
  );
  console.log(
    `| the store's writer alone (this process, same batches: no mesh, no second process) ` +
      `| ${Math.round(s.writer).toLocaleString('en-US')} values/s ` +
      `| ${Math.round(b.ingest).toLocaleString('en-US')} values/s (the same baseline) | ${r(s.writer, b.ingest)} | |`,
  );
  console.log(
    `| a year down to 1,000 points (minmax, asked over the mesh, median of 10 alternate with the baseline) ` +
      `| ${s.queryMs.toFixed(1)} ms (${s.points} points) ` +
      `| ${b.queryMs.toFixed(1)} ms (GROUP BY over the raw rows, 500 buckets) | ${r(s.queryMs, b.queryMs)} | < 50 ms |`,
  );
  console.log(
    `| bytes on disk per stored value | ${s.bytes.toFixed(1)} B | ${b.bytes.toFixed(1)} B (bare rowid table + index) | ${r(s.bytes, b.bytes)} | |`,
  );
  console.log(
    `| getLastValue round trip while logging ${Math.round(withLog.rate)} values/s | ${withLog.rttUs.toFixed(0)} µs ` +
      `| ${without.rttUs.toFixed(0)} µs (same site, logger disabled, ${Math.round(without.rate)} values/s; ` +
      `alternate rounds, medians) | ${r(withLog.rttUs, without.rttUs)} | <= 1.1x |`,
  );
  record('loggers', [
    {
      measure: 'sustained ingest',
      value: s.ingest,
      unit: 'values/s',
      baseline: 'bare better-sqlite3 insert loop',
      baselineValue: b.ingest,
      better: 'higher',
      target: '>= 0.8x',
      met: s.ingest / b.ingest >= 0.8,
    },
    {
      measure: 'store writer alone (in-process)',
      value: s.writer,
      unit: 'values/s',
      baseline: 'bare better-sqlite3 insert loop',
      baselineValue: b.ingest,
      better: 'higher',
    },
    {
      measure: 'year of minute samples to 1,000 points',
      value: s.queryMs,
      unit: 'ms',
      baseline: 'GROUP BY over raw rows',
      baselineValue: b.queryMs,
      better: 'lower',
      target: '< 50 ms',
      met: s.queryMs < 50,
    },
    {
      measure: 'bytes per stored value',
      value: s.bytes,
      unit: 'B',
      baseline: 'bare rowid table + index',
      baselineValue: b.bytes,
      better: 'lower',
    },
    {
      measure: 'round trip while logging ~1,000 values/s',
      value: withLog.rttUs,
      unit: 'µs',
      baseline: 'same site, logger disabled',
      baselineValue: without.rttUs,
      better: 'lower',
      target: '<= 1.1x',
      met: withLog.rttUs / without.rttUs <= 1.1,
    },
  ]);
} finally {
  rmSync(dir, { recursive: true, force: true });
}
