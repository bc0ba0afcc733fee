#!/usr/bin/env node
/**
 * The store process `loggers_store`: a supervised child of the supervisor that owns the history
 * database, so a slow disk or a long query never delays the hub. It takes its configuration over
 * IPC, joins the mesh through the hub, shares the `store` module (for the hub's `loggers`
 * module), and stops on SIGTERM or when its parent dies.
 */
import { watchParent } from '@weble/driver-kit';
import createPeers from '@weble/peers-core';
import pino from 'pino';
import {
  HUB_PEER,
  LoggerEvents,
  STORE_CONFIG_MESSAGE,
  STORE_MODULE,
  STORE_PEER,
  StoreEnv,
  type StoreConfigMessage,
} from '../contract.js';
import { StoreService } from './store-service.js';

const log = pino(
  { name: STORE_PEER, level: process.env.WEBLE_LOG_LEVEL ?? 'info' },
  pino.destination({ dest: 2, sync: true }),
);

function isConfig(message: unknown): message is StoreConfigMessage {
  const m = message as Partial<StoreConfigMessage> | null;
  return m?.type === STORE_CONFIG_MESSAGE && typeof m.dir === 'string';
}

function main(config: StoreConfigMessage): void {
  const hub = process.env[StoreEnv.hub];
  if (!hub) {
    log.error(`${StoreEnv.hub} is not set`);
    process.exit(2);
  }
  const store = new StoreService(config, log);
  const peers = createPeers(process.env[StoreEnv.peerName] ?? STORE_PEER, {
    logger: log.child({ component: 'peers' }),
    meta: { role: 'loggers-store' },
  });
  // Only the methods: the service's other members stay off the mesh.
  peers.share(
    STORE_MODULE,
    {
      append: store.append.bind(store),
      history: store.history.bind(store),
      count: store.count.bind(store),
      retention: store.retention.bind(store),
      status: store.status.bind(store),
    },
    (caller: string) => caller === HUB_PEER,
  ); // the hub's `loggers` module is the only client
  store.on(LoggerEvents.status, (status: unknown) => peers.peerEvents().emit(LoggerEvents.status, status));
  peers.connect(hub);
  log.info({ file: store.file }, 'history store started');

  let stopping = false;
  const stop = (reason: string): void => {
    if (stopping) return;
    stopping = true;
    log.info({ reason }, 'stopping');
    store.close();
    void peers.close().finally(() => process.exit(0));
  };
  process.on('SIGTERM', () => stop('SIGTERM'));
  process.on('SIGINT', () => stop('SIGINT'));
  watchParent((reason) => stop(reason));
}

process.once('message', (message: unknown) => {
  if (!isConfig(message)) {
    log.error({ message }, `expected a ${STORE_CONFIG_MESSAGE} message`);
    process.exit(2);
  }
  main(message);
});
