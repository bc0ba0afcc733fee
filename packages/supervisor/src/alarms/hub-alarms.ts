/**
 * The alarms on the hub, put together: the `alarms` module evaluating the gateways' values, and
 * its history store (`alarms.sqlite` in the site's history directory, written by a worker
 * thread, opened once the site is up). The supervisor calls {@link startAlarms} once.
 */
import type { Peers } from '@weble/peers-core';
import type { Logger } from 'pino';
import type { HistoryConfig } from '../config/schema.js';
import type { AddressBook } from '../modules/address-book.js';
import { AlarmEvents } from './contract.js';
import { AlarmsModule } from './alarms-module.js';
import type { AlarmDefinition } from './schema.js';
import { AlarmStore } from './store/alarm-store.js';

/** What {@link startAlarms} needs. */
export interface AlarmsSetup {
  hub: Peers;
  book: AddressBook;
  history: HistoryConfig;
  definitions: readonly AlarmDefinition[];
  logger: Logger;
  /** Keep a runtime change (site.yaml write-back). */
  persist?: (id: string, alarm: AlarmDefinition | undefined) => Promise<void>;
}

/** The running alarms. */
export interface HubAlarms {
  module: AlarmsModule;
  /** The site is up: open the history store (records of the start-up waited in memory). */
  started(): void;
  /** Write what waits to the store (at most `timeoutMs`), then stop. */
  close(timeoutMs: number): Promise<void>;
}

/** Start the alarms and their store. */
export function startAlarms(setup: AlarmsSetup): HubAlarms {
  const { hub, book } = setup;
  const log = setup.logger.child({ component: 'alarms' });
  const store: AlarmStore = new AlarmStore({
    dir: setup.history.dir,
    retryMs: setup.history.retryMs,
    logger: log,
    onStates: (states) => module.restore(states),
    onStatus: (status) => {
      module.emit(AlarmEvents.storeStatus, status);
      hub.peerEvents().emit(AlarmEvents.storeStatus, status);
    },
  });
  const module: AlarmsModule = new AlarmsModule(
    {
      hub,
      resolve: (address) => {
        const found = book.find(address);
        return found ? { key: found.key, gateway: found.gateway } : undefined;
      },
      last: (key) => {
        const last = book.getLast(key);
        return last ? { value: last.value, quality: last.quality ?? 'good' } : undefined;
      },
      history: store,
      ...(setup.persist ? { persist: setup.persist } : {}),
    },
    setup.definitions,
  );
  return {
    module,
    // After the site's processes started (the worker thread and SQLite take no CPU from them then):
    // a site without alarms opens no file until it gets one or someone asks for the history.
    started: () => {
      store.siteUp = true;
      if (module.definitions.length > 0 || store.status().pending > 0) store.open();
    },
    async close(timeoutMs) {
      module.close();
      await store.close(timeoutMs);
    },
  };
}
