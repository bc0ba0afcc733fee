/**
 * The messages between the hub's {@link AlarmStore} and the alarm store worker thread, declared
 * once for both sides. The hub sends `open`, `write` (records and states, one transaction) and
 * `query`; the worker answers each with the same `n`.
 */
import type { AlarmRecord, AlarmStatus } from '../contract.js';
import type { StoreQuery } from './alarm-db.js';

/** A state to keep (`status`) or forget (`null`: the alarm was deleted). */
export type StatusChange = [id: string, status: AlarmStatus | null];

/** One unit of work for the store: a history record and/or a state change. */
export interface StoreItem {
  record?: AlarmRecord;
  status?: StatusChange;
}

/** Hub -> worker. */
export type ToWorker =
  | { type: 'open'; n: number; dir: string; maxRecords: number }
  | { type: 'write'; n: number; items: StoreItem[] }
  | { type: 'query'; n: number; query: StoreQuery };

/** Worker -> hub: `ok` with the answer (`open`: the kept states and the file; `query`: records), or the failure. */
export type FromWorker =
  | { type: 'ok'; n: number; file?: string; states?: StatusChange[]; records?: AlarmRecord[]; movedAside?: string }
  | { type: 'failed'; n: number; file?: string; detail: string; unavailable: boolean };
