/**
 * The contract of the loggers, declared once and imported by the hub (`supervision`, which shares
 * the `loggers` module) and by the store process (the peer `loggers_store`, which owns the
 * database): names on the mesh, events, methods, the IPC configuration message and the shapes
 * that cross between them. The module's API (answers, options, events) is `@weble/api`'s.
 */

/** The core module on `supervision` (seed 000). */
export const LOGGERS_MODULE = 'loggers';

/** Events of the `loggers` module, exactly as seed 000 names them, plus the store's status. */
export const LoggerEvents = {
  /** `(logger)`: a logger was added (site.yaml or `insertLogger`). */
  inserted: 'loggerInserted',
  /** `(logger)`: a logger was changed. */
  updated: 'loggerUpdated',
  /** `(logger)`: a logger was removed (its stored history stays until its retention would drop it). */
  deleted: 'loggerDeleted',
  /** `(status)`: the store paused (disk full, read-only, unreadable) or resumed; see {@link StoreStatus}. */
  status: 'loggerStatus',
} as const satisfies Record<string, keyof LoggersEvents>;

/** The hub, the only peer the store answers. */
export const HUB_PEER = 'supervision';
/** The peer that owns the database (a supervised child of the supervisor). */
export const STORE_PEER = 'loggers_store';
/** The module the store peer shares (for the hub only). */
export const STORE_MODULE = 'store';
/** The IPC message type the supervisor sends the store right after spawning it. */
export const STORE_CONFIG_MESSAGE = 'weble:loggers-store';
/** Environment of the store process: the hub socket and its peer name. */
export const StoreEnv = { hub: 'WEBLE_HUB', peerName: 'WEBLE_PEER_NAME' } as const;

import type { Aggregate, HistoryPoint, HistorySeries, LoggersEvents, LoggerStoreStatus } from '@weble/api';
import { everyOf } from '../modules/every-of.js';
import { QUALITIES, type Quality } from '../modules/value-quality.js';

/** Value qualities (stored as their index in QUALITIES). */
export { QUALITIES, type Quality };

/** One value to store: `[loggerName, addressKey, timeMs, value, quality]`. */
export type SampleRow = [logger: string, key: string, t: number, value: unknown, quality: Quality];

/**
 * What `append` takes: the rows of a batch grouped by series, in columns (cheap to encode and to
 * write): `[logger, key, times, values, qualities]`. Times are float64 little-endian bytes (ms);
 * values are float64 bytes when every value of the group is a finite number, else a plain list;
 * qualities are one byte each (index in QUALITIES).
 */
export type SeriesColumns = [logger: string, key: string, t: Uint8Array, v: Uint8Array | unknown[], q: Uint8Array];

const bytesOf = (array: Float64Array | Uint8Array): Uint8Array =>
  new Uint8Array(array.buffer, array.byteOffset, array.byteLength);

/** Group rows by (logger, key) into {@link SeriesColumns}, keeping their order. */
export function toColumns(rows: readonly SampleRow[]): SeriesColumns[] {
  const groups = new Map<
    string,
    { logger: string; key: string; t: number[]; v: unknown[]; q: number[]; numeric: boolean }
  >();
  for (const [logger, key, t, v, quality] of rows) {
    const id = `${logger}\u0000${key}`;
    let group = groups.get(id);
    if (!group) groups.set(id, (group = { logger, key, t: [], v: [], q: [], numeric: true }));
    group.t.push(t);
    group.v.push(v);
    group.q.push(Math.max(0, QUALITIES.indexOf(quality)));
    if (group.numeric && !(typeof v === 'number' && Number.isFinite(v))) group.numeric = false;
  }
  return [...groups.values()].map((g) => [
    g.logger,
    g.key,
    bytesOf(Float64Array.from(g.t)),
    g.numeric ? bytesOf(Float64Array.from(g.v as number[])) : g.v,
    Uint8Array.from(g.q),
  ]);
}

/** Float64 values of bytes written by {@link toColumns} (copied when not 8-byte aligned). */
export function float64s(bytes: Uint8Array): Float64Array {
  if (bytes.byteOffset % 8 === 0) return new Float64Array(bytes.buffer, bytes.byteOffset, bytes.byteLength / 8);
  // Uint8Array's slice copies (a Buffer's own `slice` would not).
  return new Float64Array(Uint8Array.prototype.slice.call(bytes).buffer);
}

/** How `history` summarises a bucket: every {@link Aggregate} of the API. */
export const AGGREGATES = everyOf<Aggregate>()(['raw', 'avg', 'min', 'max', 'last', 'minmax']);
export type { Aggregate, HistoryPoint, HistorySeries };

/** A history query as the hub sends it to the store (validated, keys resolved). */
export interface StoreQuery {
  keys: string[];
  from: number;
  to: number;
  aggregate: Aggregate;
  /** Bucket count for aggregates; undefined for raw without maxPoints. */
  maxPoints?: number | undefined;
}

/** Retention of one logger as the store applies it. */
export interface StoreRetention {
  logger: string;
  days?: number | undefined;
  megabytes?: number | undefined;
}

/** The store's health, as `status()` answers and `loggerStatus` carries (the API's). */
export type StoreStatus = LoggerStoreStatus;

/** The IPC configuration of the store process. */
export interface StoreConfigMessage {
  type: typeof STORE_CONFIG_MESSAGE;
  /** Directory of the database (created if missing). */
  dir: string;
  /** Rows deleted per retention step (one short transaction each). */
  retentionStepRows: number;
  /** Time between two retention passes, ms. */
  retentionEveryMs: number;
  /** While paused, the store tries to write again this often, ms. */
  retryMs: number;
}

/** The methods of the store module (Node-style callbacks on the mesh). */
export const StoreMethods = {
  append: 'append',
  history: 'history',
  count: 'count',
  retention: 'retention',
  status: 'status',
} as const;

/** Largest number of raw samples `history` answers without `maxPoints`. */
export const RAW_LIMIT = 100_000;
/** Largest `maxPoints`. */
export const MAX_POINTS = 20_000;
