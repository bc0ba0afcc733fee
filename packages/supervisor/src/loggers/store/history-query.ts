/**
 * History queries: raw samples of a range (bounded), or one summary per bucket (avg, min, max,
 * last, or min and max at their own times so spikes survive downsampling). Buckets of 10 minutes
 * or more are computed from the 10-minute or 6-hour summaries (their edges then fall on those
 * boundaries), shorter ones from the raw samples; either way SQLite does the grouping, so memory stays
 * bounded by the number of points asked for.
 */
import {
  MAX_POINTS,
  QUALITIES,
  RAW_LIMIT,
  type Aggregate,
  type HistoryPoint,
  type HistorySeries,
  type StoreQuery,
} from '../contract.js';
import { LoggersCode, LoggersError } from '../errors.js';
import { ROLLUP_LEVELS, type SampleDatabase } from './sample-db.js';
import { decodeValue } from './sample-writer.js';

/** Buckets used when an aggregate is asked for without `maxPoints`. */
export const DEFAULT_BUCKETS = 1_000;

/** How a bucketed query reads: the table, its time expression and its columns per summary. */
interface Source {
  table: 'samples' | 'rollups';
  where: string;
  time: string;
  avg: string;
  min: [value: string, time: string];
  max: [value: string, time: string];
  last: [value: string, time: string];
}

const RAW_SOURCE: Source = {
  table: 'samples',
  where: 'value IS NOT NULL AND ts >= @from AND ts <= @to',
  time: 'ts',
  avg: 'avg(value)',
  min: ['value', 'ts'],
  max: ['value', 'ts'],
  last: ['value', 'ts'],
};

function rollupSource(): Source {
  return {
    table: 'rollups',
    where: 'level = @level AND bucket >= @fromBucket AND bucket <= @toBucket',
    time: '(bucket * @level)',
    avg: 'sum(sum) / sum(n)',
    min: ['min', 'min_ts'],
    max: ['max', 'max_ts'],
    last: ['last', 'last_ts'],
  };
}

/** The buckets of a query: their width and where the first starts, and which summary level feeds them. */
export function planBuckets(
  from: number,
  to: number,
  buckets: number,
): { level: number; start: number; width: number } {
  let width = Math.max(1, Math.ceil((to - from + 1) / buckets));
  const level = [...ROLLUP_LEVELS].reverse().find((l) => width >= l) ?? 0;
  if (level === 0) return { level, start: from, width };
  width = Math.ceil(width / level) * level;
  return { level, start: Math.floor(from / level) * level, width };
}

export class HistoryReader {
  constructor(private readonly db: SampleDatabase) {}

  /** Series ids of an address key (one per logger that recorded it). */
  private seriesOf(key: string): number[] {
    return this.db
      .prepare<[string], { id: number }>('SELECT id FROM series WHERE key = ?')
      .all(key)
      .map((r) => r.id);
  }

  /** Answer a query for each of its keys. */
  query(q: StoreQuery): HistorySeries[] {
    return q.keys.map((key) => this.one(key, q));
  }

  /** Samples of `keys` between `from` and `to` (counted by SQLite, nothing loaded). */
  count(keys: string[], from: number, to: number): number {
    let total = 0;
    for (const key of keys) {
      const ids = this.seriesOf(key);
      if (ids.length === 0) continue;
      const sql = `SELECT count(*) AS n FROM samples WHERE series IN (${ids.join(',')}) AND ts >= ? AND ts <= ?`;
      total += this.db.prepare<[number, number], { n: number }>(sql).get(from, to)?.n ?? 0;
    }
    return total;
  }

  private one(key: string, q: StoreQuery): HistorySeries {
    const base = { key, from: q.from, to: q.to, aggregate: q.aggregate };
    const ids = this.seriesOf(key);
    if (ids.length === 0) return { ...base, points: [] };
    const list = ids.join(',');
    if (q.aggregate === 'raw') {
      const limit = Math.min(q.maxPoints ?? RAW_LIMIT, RAW_LIMIT);
      const sql = `SELECT ts, value, text, quality FROM samples WHERE series IN (${list}) AND ts >= ? AND ts <= ? ORDER BY ts LIMIT ?`;
      const rows = this.db
        .prepare(sql)
        .raw()
        .all(q.from, q.to, limit + 1) as Array<[number, number | null, string | null, number]>;
      if (rows.length <= limit)
        return {
          ...base,
          points: rows.map(([t, v, text, quality]) => [t, decodeValue(v, text), QUALITIES[quality] ?? 'good']),
        };
      if (q.maxPoints === undefined) {
        throw new LoggersError(
          LoggersCode.RANGE_TOO_LARGE,
          `history ${JSON.stringify(key)}: more than ${RAW_LIMIT} samples between ${new Date(q.from).toISOString()} ` +
            `and ${new Date(q.to).toISOString()}; pass maxPoints (at most ${MAX_POINTS}) or a shorter range`,
        );
      }
      // Too many raw samples for maxPoints: min and max per bucket, two points a bucket.
      return { ...base, points: this.bucketed(list, q.from, q.to, Math.max(1, Math.floor(q.maxPoints / 2)), 'minmax') };
    }
    const buckets =
      q.aggregate === 'minmax'
        ? Math.max(1, Math.floor((q.maxPoints ?? DEFAULT_BUCKETS * 2) / 2))
        : (q.maxPoints ?? DEFAULT_BUCKETS);
    return { ...base, points: this.bucketed(list, q.from, q.to, buckets, q.aggregate) };
  }

  private bucketed(
    list: string,
    from: number,
    to: number,
    buckets: number,
    aggregate: Exclude<Aggregate, 'raw'>,
  ): HistoryPoint[] {
    const plan = planBuckets(from, to, buckets);
    const source = plan.level === 0 ? RAW_SOURCE : rollupSource();
    const params = {
      from,
      to,
      start: plan.start,
      width: plan.width,
      level: plan.level,
      fromBucket: plan.level ? Math.floor(from / plan.level) : 0,
      toBucket: plan.level ? Math.floor(to / plan.level) : 0,
    };
    const bucketOf = `CAST((${source.time} - @start) / @width AS INTEGER)`;
    const base = `FROM ${source.table} WHERE series IN (${list}) AND ${source.where} GROUP BY b ORDER BY b`;
    const select = (columns: string): Array<[number, number, number]> =>
      this.db.prepare(`SELECT ${bucketOf} AS b, ${columns} ${base}`).raw().all(params) as Array<
        [number, number, number]
      >;
    const at = (b: number): number => plan.start + b * plan.width;
    switch (aggregate) {
      case 'avg':
        return select(source.avg).map(([b, v]) => [at(b), v]);
      case 'min':
        return select(`min(${source.min[0]})`).map(([b, v]) => [at(b), v]);
      case 'max':
        return select(`max(${source.max[0]})`).map(([b, v]) => [at(b), v]);
      case 'last':
        // SQLite: with a single max(), the other columns come from the row holding that max.
        return select(`max(${source.last[1]}) AS t, ${source.last[0]}`).map(([b, , v]) => [at(b), v]);
      case 'minmax': {
        const lows = select(`min(${source.min[0]}) AS v, ${source.min[1]}`);
        const highs = select(`max(${source.max[0]}) AS v, ${source.max[1]}`);
        const points: HistoryPoint[] = [];
        for (let i = 0; i < lows.length; i++) {
          const [, lo, loT] = lows[i]!;
          const [, hi, hiT] = highs[i]!;
          if (loT === hiT) points.push([loT, lo]);
          else if (loT < hiT) points.push([loT, lo], [hiT, hi]);
          else points.push([hiT, hi], [loT, lo]);
        }
        return points;
      }
    }
  }
}
