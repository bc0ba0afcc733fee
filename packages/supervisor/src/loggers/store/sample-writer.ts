/**
 * Writes batches of samples in one transaction each: the raw rows (a resent batch is ignored row
 * by row, so a batch acknowledged late is never counted twice) and the 10-minute and 6-hour
 * summaries of numeric values that make long-range queries fast. Rows go in {@link CHUNK} at a
 * time through one multi-row INSERT when none of them can be stored already (times strictly
 * increasing, none stored in their range); otherwise one by one.
 */
import { float64s, type SeriesColumns } from '../contract.js';
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
  if (typeof value === 'number')
    return Number.isFinite(value) ? { value, text: null } : { value: null, text: String(value) };
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

/** Rows per multi-row INSERT (5 parameters each; SQLite allows 32,766). */
export const CHUNK = 128;

export class SampleWriter {
  private readonly seriesIds = new Map<string, number>();
  private readonly findSeries;
  private readonly addSeries;
  private readonly insert;
  private readonly upsert;
  private readonly write;
  private readonly insertChunk;
  private readonly anyStored;
  /** The parameters of one {@link CHUNK}, reused. */
  private readonly params: Array<number | string | null> = new Array(CHUNK * 5);

  constructor(db: SampleDatabase) {
    this.findSeries = db.prepare<[string, string], { id: number }>(
      'SELECT id FROM series WHERE logger = ? AND key = ?',
    );
    this.addSeries = db.prepare<[string, string]>('INSERT INTO series (logger, key) VALUES (?, ?)');
    this.insert = db.prepare<[number, number, number | null, string | null, number]>(
      'INSERT OR IGNORE INTO samples (series, ts, value, text, quality) VALUES (?, ?, ?, ?, ?)',
    );
    this.insertChunk = db.prepare(
      `INSERT INTO samples (series, ts, value, text, quality) VALUES ${Array.from({ length: CHUNK }, () => '(?, ?, ?, ?, ?)').join(', ')}`,
    );
    this.anyStored = db
      .prepare<[number, number, number]>('SELECT 1 FROM samples WHERE series = ? AND ts BETWEEN ? AND ? LIMIT 1')
      .pluck();
    this.upsert = db.prepare<[Bucket]>(
      `INSERT INTO rollups (level, series, bucket, n, sum, min, min_ts, max, max_ts, last, last_ts)
       VALUES (@level, @series, @bucket, @n, @sum, @min, @minTs, @max, @maxTs, @last, @lastTs)
       ON CONFLICT (level, series, bucket) DO UPDATE SET
         n = n + excluded.n, sum = sum + excluded.sum,
         min_ts = CASE WHEN excluded.min < min THEN excluded.min_ts ELSE min_ts END, min = min(min, excluded.min),
         max_ts = CASE WHEN excluded.max > max THEN excluded.max_ts ELSE max_ts END, max = max(max, excluded.max),
         last = CASE WHEN excluded.last_ts >= last_ts THEN excluded.last ELSE last END, last_ts = max(last_ts, excluded.last_ts)`,
    );
    this.write = db.transaction((batch: readonly SeriesColumns[]): number => {
      let inserted = 0;
      for (const group of batch) inserted += this.writeSeries(group);
      return inserted;
    });
  }

  /** Write a batch in one transaction; returns how many rows were new. */
  append(batch: readonly SeriesColumns[]): number {
    return this.write(batch);
  }

  private writeSeries([logger, key, timeBytes, valueColumn, qualities]: SeriesColumns): number {
    const series = this.seriesId(logger, key);
    const times = float64s(timeBytes);
    const values = valueColumn instanceof Uint8Array ? float64s(valueColumn) : valueColumn;
    // The open bucket of each level; flushed when a value falls into another one.
    const open: Array<Bucket | undefined> = ROLLUP_LEVELS.map(() => undefined);
    const summarize = (t: number, value: number): void => {
      for (let l = 0; l < ROLLUP_LEVELS.length; l++) {
        const level = ROLLUP_LEVELS[l]!;
        const bucket = Math.floor(t / level);
        const b = open[l];
        if (b && b.bucket === bucket) {
          b.n++;
          b.sum += value;
          // Plain assignments: this runs per value and level (a destructuring swap allocates).
          if (value < b.min) {
            b.min = value;
            b.minTs = t;
          }
          if (value > b.max) {
            b.max = value;
            b.maxTs = t;
          }
          if (t >= b.lastTs) {
            b.last = value;
            b.lastTs = t;
          }
          continue;
        }
        if (b) this.upsert.run(b);
        open[l] = {
          level,
          series,
          bucket,
          n: 1,
          sum: value,
          min: value,
          minTs: t,
          max: value,
          maxTs: t,
          last: value,
          lastTs: t,
        };
      }
    };
    let inserted = 0;
    for (let start = 0; start < times.length; start += CHUNK) {
      const end = Math.min(times.length, start + CHUNK);
      const whole = end - start === CHUNK && this.allNew(series, times, start, end);
      const params = this.params;
      for (let i = start; i < end; i++) {
        const t = Math.trunc(times[i]!);
        const raw = values[i];
        // Finite numbers (nearly every value) without the allocation of encodeValue.
        let value: number | null;
        let text: string | null = null;
        if (typeof raw === 'number' && Number.isFinite(raw)) value = raw;
        else ({ value, text } = encodeValue(raw));
        if (whole) {
          const p = (i - start) * 5;
          params[p] = series;
          params[p + 1] = t;
          params[p + 2] = value;
          params[p + 3] = text;
          params[p + 4] = qualities[i] ?? 0;
        } else if (this.insert.run(series, t, value, text, qualities[i] ?? 0).changes === 0) continue;
        inserted++;
        if (value !== null) summarize(t, value);
      }
      if (whole) this.insertChunk.run(params);
    }
    for (const b of open) if (b) this.upsert.run(b);
    return inserted;
  }

  /** Whether rows `start..end` can all be new: times strictly increasing, none stored in their range. */
  private allNew(series: number, times: Float64Array, start: number, end: number): boolean {
    for (let i = start + 1; i < end; i++) if (!(Math.trunc(times[i]!) > Math.trunc(times[i - 1]!))) return false;
    return this.anyStored.get(series, Math.trunc(times[start]!), Math.trunc(times[end - 1]!)) === undefined;
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
