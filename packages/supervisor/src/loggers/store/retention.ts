/**
 * Retention in bounded steps: each step deletes at most `stepRows` samples per series in one short
 * transaction, so the store never stalls on one long delete; the caller runs steps until one
 * deletes nothing, yielding to its event loop between them.
 */
import type { StoreRetention } from '../contract.js';
import { ROLLUP_LEVELS, type SampleDatabase } from './sample-db.js';

const DAY_MS = 86_400_000;

/** Bytes the database uses (pages in use, not free ones). */
export function usedBytes(db: SampleDatabase): number {
  const pageSize = Number(db.pragma('page_size', { simple: true }));
  const pages =
    Number(db.pragma('page_count', { simple: true })) - Number(db.pragma('freelist_count', { simple: true }));
  return pages * pageSize;
}

/** Samples stored in all. */
export function totalRows(db: SampleDatabase): number {
  return (db.prepare('SELECT count(*) AS n FROM samples').get() as { n: number }).n;
}

/** One retention step over every logger; returns the samples deleted (0: nothing left to do). */
export function retentionStep(
  db: SampleDatabase,
  loggers: readonly StoreRetention[],
  stepRows: number,
  now: number,
): number {
  const seriesOf = db.prepare<[string], { id: number }>('SELECT id FROM series WHERE logger = ?');
  const nth = db.prepare<[number, number, number], { ts: number }>(
    'SELECT ts FROM samples WHERE series = ? AND ts < ? ORDER BY ts LIMIT 1 OFFSET ?',
  );
  const removeUpTo = db.prepare<[number, number]>('DELETE FROM samples WHERE series = ? AND ts <= ?');
  const removeBefore = db.prepare<[number, number]>('DELETE FROM samples WHERE series = ? AND ts < ?');
  const removeRollups = db.prepare<[number, number, number]>(
    'DELETE FROM rollups WHERE level = ? AND series = ? AND bucket < ?',
  );
  const countOf = db.prepare<[number], { n: number; first: number | null }>(
    'SELECT count(*) AS n, min(ts) AS first FROM samples WHERE series = ?',
  );
  let deleted = 0;
  const step = db.transaction(() => {
    const total = totalRows(db);
    const perRow = total > 0 ? usedBytes(db) / total : 0;
    for (const logger of loggers) {
      const ids = seriesOf.all(logger.logger).map((r) => r.id);
      for (const id of ids) {
        let cutoff = logger.days !== undefined ? now - logger.days * DAY_MS : -Infinity;
        if (logger.megabytes !== undefined && perRow > 0) {
          // Size per logger: its share of rows times the bytes a row takes on average.
          const allowed = Math.floor((logger.megabytes * 1_000_000) / perRow / Math.max(1, ids.length));
          const { n } = countOf.get(id) ?? { n: 0 };
          if (n > allowed)
            cutoff = Math.max(cutoff, nth.get(id, Number.MAX_SAFE_INTEGER, n - allowed)?.ts ?? -Infinity);
        }
        if (cutoff === -Infinity) continue;
        const last = nth.get(id, cutoff, stepRows - 1);
        deleted += (last ? removeUpTo.run(id, last.ts) : removeBefore.run(id, cutoff)).changes;
        for (const level of ROLLUP_LEVELS) removeRollups.run(level, id, Math.floor(cutoff / level));
      }
    }
  });
  step();
  return deleted;
}
