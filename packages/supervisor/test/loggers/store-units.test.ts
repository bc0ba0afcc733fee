/**
 * The store's parts on a real database file in a temp dir: a batch sent twice is stored once
 * (summaries not doubled), raw and bucketed queries agree, retention deletes at most one step's
 * rows per series per call, values of every type round-trip.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { toColumns, type SampleRow } from '../../src/loggers/contract.js';
import { HistoryReader, planBuckets } from '../../src/loggers/store/history-query.js';
import { retentionStep } from '../../src/loggers/store/retention.js';
import { openSampleDatabase } from '../../src/loggers/store/sample-db.js';
import { decodeValue, encodeValue, SampleWriter } from '../../src/loggers/store/sample-writer.js';

const dir = mkdtempSync(join(tmpdir(), 'weble-store-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const rows = (key: string, start: number, step: number, count: number, value: (i: number) => unknown): SampleRow[] =>
  Array.from({ length: count }, (_, i) => ['L', key, start + i * step, value(i), 'good']);

describe('the history store on disk', () => {
  const { db } = openSampleDatabase(join(dir, 'a'));
  const writer = new SampleWriter(db);
  const reader = new HistoryReader(db);

  it('stores a resent batch once and does not double its summaries', () => {
    const batch = rows('k', 0, 1000, 600, (i) => i % 60);
    expect(writer.append(toColumns(batch))).toBe(600);
    expect(writer.append(toColumns(batch))).toBe(0);
    const avg = reader.query({ keys: ['k'], from: 0, to: 599_999, aggregate: 'avg', maxPoints: 10 })[0]!;
    expect(avg.points).toEqual(Array.from({ length: 10 }, (_, i) => [i * 60_000, 29.5]));
    const n = db.prepare('SELECT sum(n) AS n FROM rollups WHERE level = 600000').get() as { n: number };
    expect(n.n).toBe(600);
  });

  it('stores each new row once when a batch is half stored or has one time twice (chunks of 128 rows, else one by one)', () => {
    const other = openSampleDatabase(join(dir, 'b')).db;
    const writer = new SampleWriter(other);
    expect(writer.append(toColumns(rows('k', 0, 1000, 600, (i) => i % 60)))).toBe(600);
    expect(writer.append(toColumns(rows('k', 300_000, 1000, 600, (i) => (i + 300) % 60)))).toBe(300);
    const twice = rows('t', 0, 1000, 256, () => 1);
    twice[200]![2] = twice[199]![2];
    expect(writer.append(toColumns(twice))).toBe(255);
    const counts = other
      .prepare(
        "SELECT (SELECT count(*) FROM samples JOIN series s ON s.id = series WHERE s.key = 'k') AS k, " +
          "(SELECT sum(n) FROM rollups r JOIN series s ON s.id = r.series WHERE level = 600000 AND s.key = 't') AS t",
      )
      .get();
    expect(counts).toEqual({ k: 900, t: 255 });
    other.close();
  });

  it('answers the same min and max from raw samples and from summaries', () => {
    writer.append(toColumns(rows('s', 0, 1000, 7200, (i) => (i === 5000 ? -50 : Math.sin(i / 100)))));
    const fromRaw = reader.query({ keys: ['s'], from: 0, to: 7_199_999, aggregate: 'minmax', maxPoints: 20_000 })[0]!;
    const fromSummary = reader.query({ keys: ['s'], from: 0, to: 7_199_999, aggregate: 'minmax', maxPoints: 4 })[0]!;
    expect(planBuckets(0, 7_199_999, 2)).toEqual({ level: 600_000, start: 0, width: 3_600_000 });
    const min = (points: Array<[number, unknown, unknown?]>) =>
      points.reduce((m, p) => Math.min(m, p[1] as number), Infinity);
    expect(min(fromRaw.points)).toBe(-50);
    expect(min(fromSummary.points)).toBe(-50);
    expect(fromSummary.points.find((p) => p[1] === -50)![0]).toBe(5_000_000);
  });

  it('deletes at most stepRows per series per retention step', () => {
    writer.append(toColumns(rows('r', 0, 1, 2500, (i) => i)));
    writer.append(toColumns(rows('r', Date.now(), 1, 10, (i) => i)));
    const counts: number[] = [];
    for (let deleted = -1; deleted !== 0;)
      counts.push((deleted = retentionStep(db, [{ logger: 'L', days: 1 }], 1000, Date.now())));
    expect(Math.max(...counts)).toBeLessThanOrEqual(3000); // three old series (k, s, r), 1,000 each at most
    expect(reader.count(['r'], 0, Number.MAX_SAFE_INTEGER)).toBe(10);
    expect(reader.count(['k', 's'], 0, Number.MAX_SAFE_INTEGER)).toBe(0);
  });

  it('round-trips numbers, booleans (as 0/1), strings, objects and null', () => {
    for (const v of [1.5, 'on', { a: [1, 2] }, null])
      expect(decodeValue(encodeValue(v).value, encodeValue(v).text)).toEqual(v);
    expect(decodeValue(encodeValue(true).value, encodeValue(true).text)).toBe(1);
  });
});
