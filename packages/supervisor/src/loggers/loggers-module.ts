/**
 * The `loggers` core module on `supervision` (seed 000): loggers listed, inserted, changed and
 * deleted at run time (events `loggerInserted`, `loggerUpdated`, `loggerDeleted`), history
 * queries and CSV export answered by the store process, and the store's status (`loggerStatus`).
 * Every method takes a Node-style callback; over the mesh a call without one returns a Promise.
 */
import { EventEmitter } from 'node:events';
import type { Peers } from '@weble/peers-core';
import type { LoggerListing, LoggersApi, ReplyOf, ServedLoggers } from '@weble/api';
import { formatIssues } from '@weble/driver-kit';
import {
  LoggerEvents,
  STORE_MODULE,
  STORE_PEER,
  StoreMethods,
  type HistorySeries,
  type StoreQuery,
  type StoreRetention,
  type StoreStatus,
} from './contract.js';
import { matchAddresses, type Matchable } from './address-match.js';
import { LoggersCode, LoggersError } from './errors.js';
import type { Recorder } from './recorder.js';
import { historyOptionsSchema, loggerSchema, type LoggerDefinition } from './schema.js';
import { toCsv } from './csv.js';

type Callback = (error: Error | null, ...results: unknown[]) => void;
/** The callback of method `K` of the API. */
type Reply<K extends keyof LoggersApi> = ReplyOf<LoggersApi, K>;

/** What the module needs around it. */
export interface LoggersContext {
  hub: Peers;
  recorder: Recorder;
  /** The site's addresses now. */
  addresses(): readonly Matchable[];
  /** Keep a runtime change of a logger (site.yaml): its definition, or undefined when deleted; resolves when kept. */
  persist?(name: string, logger: LoggerDefinition | undefined): Promise<void>;
  /** Status changes of the store, re-emitted as `loggerStatus`. */
  onStoreStatus?(listener: (status: unknown) => void): void;
}

/** A logger as listed: its definition and the keys it records now (the API's). */
export type { LoggerListing };

/** The module; its shared methods are the API's (`@weble/api`, checked here by `implements`). */
export class LoggersModule extends EventEmitter implements ServedLoggers {
  private readonly loggers = new Map<string, LoggerDefinition>();

  constructor(
    private readonly context: LoggersContext,
    definitions: readonly LoggerDefinition[],
  ) {
    super();
    this.setMaxListeners(0);
    for (const d of definitions) {
      this.loggers.set(d.name, d);
      context.recorder.set(d);
    }
    context.onStoreStatus?.((status) => this.#emitBoth(LoggerEvents.status, status));
  }

  listLoggers(cb: Reply<'listLoggers'>): void {
    cb(
      null,
      [...this.loggers.values()].map((d) => this.#listing(d)),
    );
  }

  getLogger(name: string, cb: Reply<'getLogger'>): void {
    const d = this.loggers.get(String(name));
    if (!d) return cb(this.#unknown(name));
    cb(null, this.#listing(d));
  }

  insertLogger(input: unknown, cb: Callback): void {
    this.#change('insertLogger', input, cb);
  }

  updateLogger(input: unknown, cb: Callback): void {
    this.#change('updateLogger', input, cb);
  }

  deleteLogger(name: string, cb: Reply<'deleteLogger'>): void {
    const d = this.loggers.get(String(name));
    if (!d) return cb(this.#unknown(name));
    this.loggers.delete(d.name);
    this.context.recorder.remove(d.name);
    this.#emitBoth(LoggerEvents.deleted, d);
    this.#afterChange(d.name, undefined, cb);
  }

  /**
   * History of one address (`key`, name, alias) or several (a list, patterns allowed):
   * `{from, to, maxPoints, aggregate}` (all optional: the last hour, raw). One address answers a
   * {@link HistorySeries}, a list an array of them.
   */
  history(addressOrList: unknown, options: unknown, cb?: Reply<'history'>): void {
    if (typeof options === 'function' && cb === undefined)
      return this.history(addressOrList, undefined, options as Reply<'history'>);
    if (typeof cb !== 'function') return;
    const done = cb;
    this.#query('history', addressOrList, options).then(
      ({ series, single }) => done(null, single ? series[0] : series),
      (error: Error) => done(error),
    );
  }

  /** The same range as CSV text: `time,key,value,quality` with ISO times, one line per point. */
  exportCsv(addressOrList: unknown, options: unknown, cb?: Reply<'exportCsv'>): void {
    if (typeof options === 'function' && cb === undefined)
      return this.exportCsv(addressOrList, undefined, options as Reply<'exportCsv'>);
    if (typeof cb !== 'function') return;
    const done = cb;
    this.#query('exportCsv', addressOrList, options).then(
      ({ series }) => done(null, toCsv(series)),
      (error: Error) => done(error),
    );
  }

  /** The store's status (`state`, `detail` when paused, `file`, `rows`, `bytes`). */
  status(cb: Reply<'status'>): void {
    this.#store(StoreMethods.status, []).then(
      ([status]) => cb(null, status as StoreStatus),
      (error: Error) => cb(error),
    );
  }

  // ---- used by the supervisor (not methods on the mesh: see supervisor.ts) ------------------

  // Getters and `#` members: the mesh lists an object's functions as its methods, so what the
  // supervisor uses is kept out of that list.

  /** The loggers now. */
  get definitions(): LoggerDefinition[] {
    return [...this.loggers.values()];
  }

  /** The retention of every logger, as the store applies it. */
  get retentions(): StoreRetention[] {
    return this.definitions.map((d) => ({ logger: d.name, days: d.retention.days, megabytes: d.retention.megabytes }));
  }

  /** Emit on this module and on the hub's own emitter (the seed listens on both). */
  #emitBoth(event: string, ...args: unknown[]): void {
    this.emit(event, ...args);
    this.context.hub.peerEvents().emit(event, ...args);
  }

  // ---- internals ---------------------------------------------------------------------------

  #listing(d: LoggerDefinition): LoggerListing {
    return { ...d, keys: this.context.recorder.keysOf(d.name) };
  }

  #unknown(name: unknown): LoggersError {
    const known = [...this.loggers.keys()].join(', ') || 'none';
    return new LoggersError(LoggersCode.UNKNOWN_LOGGER, `no logger named ${JSON.stringify(name)} (known: ${known})`);
  }

  #change(method: 'insertLogger' | 'updateLogger', input: unknown, cb: Callback): void {
    const parsed = loggerSchema.safeParse(input);
    if (!parsed.success) {
      return cb(
        new LoggersError(
          LoggersCode.BAD_REQUEST,
          `${method}: ${formatIssues(parsed.error.issues, 'logger').join('; ')}`,
        ),
      );
    }
    const d = parsed.data;
    const exists = this.loggers.has(d.name);
    if (method === 'insertLogger' && exists)
      return cb(
        new LoggersError(
          LoggersCode.LOGGER_EXISTS,
          `insertLogger logger.name: a logger named ${JSON.stringify(d.name)} exists already`,
        ),
      );
    if (method === 'updateLogger' && !exists) return cb(this.#unknown(d.name));
    const { unmatched } = matchAddresses(d.addresses, this.context.addresses());
    if (unmatched.length > 0) {
      const where = unmatched.map((u) => `logger.addresses[${d.addresses.indexOf(u)}] ${JSON.stringify(u)}`).join(', ');
      return cb(
        new LoggersError(LoggersCode.UNKNOWN_ADDRESS, `${method}: ${where}: matches no address key, name or alias`),
      );
    }
    this.loggers.set(d.name, d);
    this.context.recorder.set(d);
    this.#emitBoth(exists ? LoggerEvents.updated : LoggerEvents.inserted, this.#listing(d));
    this.#afterChange(d.name, d, cb);
  }

  #afterChange(name: string, logger: LoggerDefinition | undefined, cb: Callback): void {
    void this.#store(StoreMethods.retention, [this.retentions]).catch(() => undefined); // sent again when the store joins
    const persisted = this.context.persist?.(name, logger) ?? Promise.resolve();
    persisted.then(
      () => cb(null),
      (error: Error) => cb(error),
    );
  }

  async #query(
    method: string,
    addressOrList: unknown,
    options: unknown,
  ): Promise<{ series: HistorySeries[]; single: boolean }> {
    const single = !Array.isArray(addressOrList);
    const entries = single ? [addressOrList] : (addressOrList as unknown[]);
    const bad = entries.findIndex((e) => typeof e !== 'string' || e === '');
    if (entries.length === 0 || bad >= 0) {
      const what = entries.length === 0 ? 'an empty list' : JSON.stringify(entries[bad]);
      throw new LoggersError(
        LoggersCode.BAD_REQUEST,
        `${method} address: expected a key, name, alias or pattern, or a list of them; got ${what}`,
      );
    }
    const { keys, unmatched } = matchAddresses(entries as string[], this.context.addresses());
    if (unmatched.length > 0) {
      throw new LoggersError(
        LoggersCode.UNKNOWN_ADDRESS,
        `${method} ${unmatched.map((u) => JSON.stringify(u)).join(', ')}: matches no address key, name or alias`,
      );
    }
    const parsed = historyOptionsSchema.safeParse(options ?? {});
    if (!parsed.success)
      throw new LoggersError(
        LoggersCode.BAD_REQUEST,
        `${method}: ${formatIssues(parsed.error.issues, 'options').join('; ')}`,
      );
    const query: StoreQuery = { keys, ...parsed.data };
    const [series] = await this.#store(StoreMethods.history, [query]);
    return { series: series as HistorySeries[], single: single && keys.length === 1 };
  }

  /** A call on the store process; STORE_DOWN at once when it is not connected. */
  async #store(method: string, args: unknown[]): Promise<unknown[]> {
    const peer = this.context.hub(STORE_PEER);
    if (!peer.isConnected())
      throw new LoggersError(
        LoggersCode.STORE_DOWN,
        `the history store (${STORE_PEER}) is not connected; try again shortly`,
      );
    return peer.call(STORE_MODULE, method, args);
  }
}
