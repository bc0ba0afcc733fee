/**
 * The loggers on the hub, put together: the `loggers` module, the recorder fed by the gateways'
 * values, the batch feed to the store, and the store process itself (`loggers_store`, a supervised
 * child started with the first logger). The supervisor calls {@link startLoggers} once.
 */
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Peers } from '@weble/peers-core';
import type { Logger } from 'pino';
import type { HistoryConfig } from '../config/schema.js';
import type { AddressBook } from '../modules/address-book.js';
import type { ProcessManager } from '../process/process-manager.js';
import {
  LoggerEvents,
  STORE_CONFIG_MESSAGE,
  STORE_MODULE,
  STORE_PEER,
  StoreEnv,
  StoreMethods,
  toColumns,
  type Quality,
  type StoreConfigMessage,
} from './contract.js';
import { matchEntry } from './address-match.js';
import { SampleFeed } from './feed.js';
import { LoggersModule } from './loggers-module.js';
import { Recorder, type ObservedValue } from './recorder.js';
import type { LoggerDefinition } from './schema.js';

/** The store's bin: `dist/loggers-store.js` beside the built supervisor. */
export function storeBin(): string {
  const candidates = [
    new URL('./loggers-store.js', import.meta.url),
    new URL('../../dist/loggers-store.js', import.meta.url),
  ];
  const found = candidates.map((u) => fileURLToPath(u)).find((path) => existsSync(path));
  if (!found)
    throw new Error(
      `the loggers store bin is missing (looked for ${candidates.map((u) => fileURLToPath(u)).join(', ')}): build @weble/supervisor`,
    );
  return found;
}

/** What {@link startLoggers} needs. */
export interface LoggersSetup {
  hub: Peers;
  socket: string;
  book: AddressBook;
  manager: ProcessManager;
  history: HistoryConfig;
  definitions: readonly LoggerDefinition[];
  logger: Logger;
  /** Keep a runtime change (site.yaml write-back). */
  persist?: (name: string, logger: LoggerDefinition | undefined) => Promise<void>;
}

/** The running loggers. */
export interface HubLoggers {
  module: LoggersModule;
  /** A value of an address (from the gateways module). */
  onValue(key: string, value: unknown, date: Date, quality: Quality): void;
  /** Addresses were added, changed or removed: match the loggers' patterns again. */
  addressesChanged(): void;
  /**
   * Why deleting these addresses would leave a logger entry matching nothing (site.yaml would then
   * not load), or undefined when they can go.
   */
  deleteBlocked(keys: string[]): string | undefined;
  /** Send what waits to the store (at most `timeoutMs`), then stop feeding it. */
  drain(timeoutMs: number): Promise<void>;
}

/** Start the loggers (the store process starts with the first logger). */
export function startLoggers(setup: LoggersSetup): HubLoggers {
  const { hub, book, manager, history, logger } = setup;
  const log = logger.child({ component: 'loggers' });
  const store = (): ReturnType<Peers> => hub(STORE_PEER);
  const feed = new SampleFeed(
    {
      connected: () => store().isConnected(),
      append: (rows) => store().call(STORE_MODULE, StoreMethods.append, [toColumns(rows)]),
    },
    { flushMs: history.flushMs, maxBatch: history.maxBatch, maxQueued: history.maxQueued, retryMs: history.retryMs },
    log,
  );
  const recorder = new Recorder({
    addresses: () => book.all(),
    lastValue: (key): ObservedValue | undefined => {
      const last = book.getLast(key);
      return last ? { key, value: last.value, t: last.date.getTime(), quality: last.quality ?? 'good' } : undefined;
    },
    push: (row) => {
      ensureStore();
      feed.push(row);
    },
  });
  const module: LoggersModule = new LoggersModule(
    {
      hub,
      recorder,
      addresses: () => book.all(),
      persist: async (name, logger) => {
        ensureStore();
        await setup.persist?.(name, logger);
      },
      // The mesh keeps this interest across the store's restarts.
      onStoreStatus: (listener) => void store().on(LoggerEvents.status, listener),
    },
    setup.definitions,
  );

  let started = false;
  const ensureStore = (): void => {
    if (started) return;
    started = true;
    const message: StoreConfigMessage = {
      type: STORE_CONFIG_MESSAGE,
      dir: history.dir,
      retentionStepRows: history.retentionStepRows,
      retentionEveryMs: history.retentionEveryMs,
      retryMs: history.retryMs,
    };
    manager.add({
      name: STORE_PEER,
      kind: 'store',
      command: process.execPath,
      args: [storeBin()],
      env: { [StoreEnv.hub]: setup.socket, [StoreEnv.peerName]: STORE_PEER },
      message,
    });
    void manager.startAndWait(STORE_PEER);
  };

  hub.on(`connect ${STORE_PEER}`, () => {
    void store()
      .call(STORE_MODULE, StoreMethods.retention, [module.retentions])
      .catch((error: Error) => log.warn({ err: error }, 'could not send the retention settings'));
    feed.flush();
  });
  if (setup.definitions.length > 0) ensureStore();

  return {
    module,
    onValue: (key, value, date, quality) => recorder.onValue({ key, value, t: date.getTime(), quality }),
    addressesChanged: () => recorder.resolve(),
    deleteBlocked(keys) {
      const removed = new Set(keys);
      const remaining = book.all().filter((a) => !removed.has(a.key));
      for (const d of module.definitions) {
        for (const [i, entry] of d.addresses.entries()) {
          if (matchEntry(entry, remaining).length > 0 || matchEntry(entry, book.all()).length === 0) continue;
          return `logger "${d.name}" records it (addresses[${i}] ${JSON.stringify(entry)} would match nothing): change or delete the logger first`;
        }
      }
      return undefined;
    },
    async drain(timeoutMs) {
      recorder.close();
      const deadline = Date.now() + timeoutMs;
      while (feed.pending > 0 && store().isConnected() && Date.now() < deadline) {
        feed.flush();
        await new Promise((resolve) => setTimeout(resolve, 20)); // polling the feed's progress during shutdown
      }
      if (feed.pending > 0) log.warn({ pending: feed.pending }, 'values not yet stored at shutdown');
      feed.close();
    },
  };
}
