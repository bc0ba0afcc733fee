/**
 * Writes batches of samples in one transaction each: the raw rows (a resent batch is ignored row
 * by row, so a batch acknowledged late is never counted twice) and the minute and hour summaries
 * of numeric values that make long-range queries fast.
 */
import { QUALITIES, type SampleRow } from '../contract.js';
import { ROLLUP_LEVELS, type SampleDatabase } from './sample-db.js';

interface Bucket {
  level: number;
  series: number;
  bucket: number;
  n: number;
  sum: number;
  min: number;
  minTs: number;
  max: number;
  maxTs: number;
  last: number;
  lastTs: number;
}

/** A value as stored: a number (booleans as 0/1) in `value`, anything else as JSON in `text`. */
export function encodeValue(value: unknown): { value: number | null; text: string | null } {
  if (typeof value === 'number') return Number.isFinite(value) ? { value, text: null } : { value: null, text: String(value) };
  if (typeof value === 'boolean') return { value: value ? 1 : 0, text: null };
  return { value: null, text: JSON.stringify(value ?? null) };
}

/** The inverse of {@link encodeValue}. */
export function decodeValue(value: number | null, text: string | null): unknown {
  if (value !== null) return value;
  if (text === null) return null;
  try {
    return JSON.parse(text);
  } catch {
    return text; // NaN, Infinity
  }
}

export class SampleWriter {
  private readonly seriesIds = new Map<string, number>();
  private readonly findSeries;
  private readonly addSeries;
  private readonly insert;
  private readonly upsert;
  private readonly write;

  constructor(db: SampleDatabase) {
    this.findSeries = db.prepare<[string, string], { id: number }>('SELECT id FROM series WHERE logger = ? AND key = ?');
    this.addSeries = db.prepare<[string, string]>('INSERT INTO series (logger, key) VALUES (?, ?)');
    this.insert = db.prepare<[number, number, number | null, string | null, number]>(
      'INSERT OR IGNORE INTO samples (series, ts, value, text, quality) VALUES (?, ?, ?, ?, ?)',
    );
    this.upsert = db.prepare(
      `INSERT INTO rollups (level, series, bucket, n, sum, min, min_ts, max, max_ts, last, last_ts)
       VALUES (@level, @series, @bucket, @n, @sum, @min, @minTs, @max, @maxTs, @last, @lastTs)
       ON CONFLICT (level, series, bucket) DO UPDATE SET
         n = n + excluded.n, sum = sum + excluded.sum,
         min_ts = CASE WHEN excluded.min < min THEN excluded.min_ts ELSE min_ts END, min = min(min, excluded.min),
         max_ts = CASE WHEN excluded.max > max THEN excluded.max_ts ELSE max_ts END, max = max(max, excluded.max),
         last = CASE WHEN excluded.last_ts >= last_ts THEN excluded.last ELSE last END, last_ts = max(last_ts, excluded.last_ts)`,
    );
    this.write = db.transaction((rows: readonly SampleRow[]): number => {
      const buckets = new Map<string, Bucket>();
      let inserted = 0;
      for (const [logger, key, t, raw, quality] of rows) {
        const series = this.seriesId(logger, key);
        const { value, text } = encodeValue(raw);
        const q = Math.max(0, QUALITIES.indexOf(quality));
        if (this.insert.run(series, Math.trunc(t), value, text, q).changes === 0) continue;
        inserted++;
        if (value !== null) for (const level of ROLLUP_LEVELS) addToBucket(buckets, level, series, Math.trunc(t), value);
      }
      for (const bucket of buckets.values()) this.upsert.run(bucket);
      return inserted;
    });
  }

  /** Write `rows` in one transaction; returns how many were new. */
  append(rows: readonly SampleRow[]): number {
    return this.write(rows);
  }

  private seriesId(logger: string, key: string): number {
    const name = `${logger}\u0000${key}`;
    let id = this.seriesIds.get(name);
    if (id === undefined) {
      id = this.findSeries.get(logger, key)?.id ?? Number(this.addSeries.run(logger, key).lastInsertRowid);
      this.seriesIds.set(name, id);
    }
    return id;
  }
}

function addToBucket(buckets: Map<string, Bucket>, level: number, series: number, t: number, v: number): void {
  const bucket = Math.floor(t / level);
  const id = `${level}:${series}:${bucket}`;
  const b = buckets.get(id);
  if (!b) {
    buckets.set(id, { level, series, bucket, n: 1, sum: v, min: v, minTs: t, max: v, maxTs: t, last: v, lastTs: t });
    return;
  }
  b.n++;
  b.sum += v;
  if (v < b.min) [b.min, b.minTs] = [v, t];
  if (v > b.max) [b.max, b.maxTs] = [v, t];
  if (t >= b.lastTs) [b.last, b.lastTs] = [v, t];
}
