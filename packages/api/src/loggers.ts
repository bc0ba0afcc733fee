/**
 * The `loggers` core module on `supervision` (docs/loggers.md): loggers listed, inserted, changed
 * and deleted at run time, stored history and its CSV export (answered by the history store),
 * and the store's status; the events of those changes.
 */
import type { Method, Remote, Served } from './module-api.js';
import type { Quality } from './gateways.js';

/** Record on change: every change, or only beyond a deadband, at most once per `minIntervalMs`. */
export interface LoggerOnChange {
  deadband?: number | undefined;
  deadbandPercent?: number | undefined;
  minIntervalMs?: number | undefined;
}

/** How long history is kept: days and/or megabytes (whichever is reached first). */
export interface LoggerRetention {
  days?: number | undefined;
  megabytes?: number | undefined;
}

/** A logger as site.yaml `loggers:` gives it, defaults filled in (what `loggerDeleted` carries). */
export interface LoggerEntry {
  name: string;
  /** Keys, names, aliases, or patterns with `*` and `?`. */
  addresses: string[];
  /** `false`: periodic samples only. */
  onChange: false | LoggerOnChange;
  /** Also record the last value of each address this often, ms. */
  sampleMs?: number | undefined;
  retention: LoggerRetention;
  enabled: boolean;
}

/** A logger as `insertLogger` and `updateLogger` take it: defaults (every change, 365 days, enabled) may be left out. */
export type LoggerInput = Omit<LoggerEntry, 'onChange' | 'retention' | 'enabled'> &
  Partial<Pick<LoggerEntry, 'onChange' | 'retention' | 'enabled'>>;

/** A logger as `listLoggers` and `getLogger` answer it: its entry and the keys it records now. */
export interface LoggerListing extends LoggerEntry {
  keys: string[];
}

/** How `history` summarises a bucket. */
export type Aggregate = 'raw' | 'avg' | 'min' | 'max' | 'last' | 'minmax';

/** A history point: `[timeMs, value, quality]` (quality is omitted for aggregated buckets). */
export type HistoryPoint = [t: number, value: unknown, quality?: Quality];

/** What `history` answers per address. */
export interface HistorySeries {
  /** The address key. */
  key: string;
  from: number;
  to: number;
  aggregate: Aggregate;
  /** Time order. Aggregated points stand at the start of their bucket (minmax: at the min and max samples). */
  points: HistoryPoint[];
}

/** The options of `history` and `exportCsv`: times are Dates or epoch ms (default: the last hour, raw). */
export interface HistoryOptions {
  from?: Date | number | undefined;
  to?: Date | number | undefined;
  maxPoints?: number | undefined;
  aggregate?: Aggregate | undefined;
}

/** The history store's health, as `status()` answers and `loggerStatus` carries. */
export interface LoggerStoreStatus {
  state: 'ok' | 'paused';
  /** Why it paused (`EROFS`, `ENOSPC`, `EACCES`, ...) with the file. */
  detail?: string | undefined;
  /** The database file. */
  file: string;
  /** When the file was found corrupt at start: where it was moved. */
  movedAside?: string | undefined;
  rows: number;
  bytes: number;
}

/** The methods of the `loggers` module. An address is named by its key, name, alias or a pattern. */
export interface LoggersApi {
  listLoggers: Method<[], [loggers: LoggerListing[]]>;
  getLogger: Method<[name: string], [logger: LoggerListing]>;
  insertLogger: Method<[logger: LoggerInput]>;
  updateLogger: Method<[logger: LoggerInput]>;
  deleteLogger: Method<[name: string]>;
  /** One series for one address, a list of them for a list (or a pattern matching several). */
  history: Method<[addresses: string | string[], options?: HistoryOptions], [series: HistorySeries | HistorySeries[]]>;
  /** `time,key,value,quality` with ISO times, one line per point. */
  exportCsv: Method<[addresses: string | string[], options?: HistoryOptions], [csv: string]>;
  status: Method<[], [status: LoggerStoreStatus]>;
}

/** The events of the `loggers` module (also emitted on the hub's own emitter). */
export interface LoggersEvents {
  loggerInserted: (logger: LoggerListing) => void;
  loggerUpdated: (logger: LoggerListing) => void;
  /** Its stored history stays until its retention would drop it. */
  loggerDeleted: (logger: LoggerEntry) => void;
  /** The store paused (disk full, read-only, unreadable) or resumed. */
  loggerStatus: (status: LoggerStoreStatus) => void;
}

/** What the supervisor's `loggers` module implements. */
export type ServedLoggers = Served<LoggersApi>;

/** `history` of a list answers a list of series (a single address or pattern: see {@link LoggersApi}). */
interface HistoryOfList {
  history(addresses: string[], options?: HistoryOptions): Promise<HistorySeries[]>;
}

/** `await peers('supervision').require('loggers')`, typed. */
export type RemoteLoggers = HistoryOfList & Remote<LoggersApi, LoggersEvents>;
