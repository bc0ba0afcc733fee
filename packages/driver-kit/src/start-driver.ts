/**
 * A driver on the mesh: joins as `driver_<type>_<id>` through the hub, shares the `driver` module
 * and runs the gateway (device connection, polling, values). No process-level concerns here
 * (config sources, signals, exit codes: see run-driver.ts), so tests can start one in-process.
 */
import { EventEmitter } from 'node:events';
import type { Peers, PeersOptions } from '@weble/peers-core';
import type { Logger } from 'pino';
import type { DriverConfig, GatewayId, RunnableDefinition } from './definition.js';
import { createDriverModule, type DriverModule } from './driver-module.js';
import { GatewayRuntime } from './gateway-runtime.js';
import { createDriverPeers } from './hub-transport.js';
import { createLineLogger } from './line-logger.js';
import type { Backoff, HubEndpoint } from './peer-types.js';
import type { DriverStatus } from './status.js';

/** The module name drivers share. */
export const DRIVER_MODULE = 'driver';

/** The peer name of a gateway's driver: `driver_<type>_<id>`. */
export function driverPeerName(type: string, id: GatewayId): string {
  return `driver_${type}_${id}`;
}

/** Options of {@link startDriver}. */
export interface StartDriverOptions {
  /** The hub's endpoint (`WEBLE_HUB`): a UNIX socket path, `tcp://host:port`, or a list. */
  hub: HubEndpoint;
  /** Peer name; default `driver_<type>_<id>`. */
  peerName?: string;
  /** Default: JSON lines on stderr (pino's format, line-logger.ts) at level `WEBLE_LOG_LEVEL` or `info`. */
  log?: Logger;
  /** Options of the peer (timeouts, heartbeats, hub reconnect backoff...). */
  peers?: Omit<PeersOptions, 'logger' | 'meta'>;
  /** Device reconnect policy, overriding the definition's. */
  backoff?: Backoff;
  /** Time allowed for one device connect, ms. Default 30 000. */
  connectTimeoutMs?: number;
}

/** A running driver. */
export interface RunningDriver {
  readonly peerName: string;
  readonly peers: Peers;
  readonly module: DriverModule;
  /** The current status, as `driver.status()` returns it. */
  status(): DriverStatus;
  /** Disconnect the device, report `offline`, leave the mesh. */
  stop(): Promise<void>;
}

/** Start a driver for a validated `config` (a lazy definition loads its schemas on the first write). */
export function startDriver<Config, Point, Device, Value>(
  definition: RunnableDefinition<Config, Point, Device, Value>,
  config: DriverConfig<Config, Point>,
  options: StartDriverOptions,
): RunningDriver {
  const { gateway } = config;
  const peerName = options.peerName ?? driverPeerName(definition.type, gateway.id);
  const log = (options.log ?? createLineLogger({ level: process.env.WEBLE_LOG_LEVEL ?? 'info' })).child({
    peer: peerName,
    gateway: gateway.id,
  });
  const events = new EventEmitter();
  const runtime = new GatewayRuntime(definition, config, {
    log,
    emit: (event, ...args) => events.emit(event, ...args),
    ...(options.backoff ? { backoff: options.backoff } : {}),
    ...(options.connectTimeoutMs !== undefined ? { connectTimeoutMs: options.connectTimeoutMs } : {}),
  });
  const module = createDriverModule(runtime, events);
  const peers = createDriverPeers(peerName, {
    ...options.peers,
    logger: log.child({ component: 'peers' }),
    meta: { role: 'driver', type: definition.type, gateway: gateway.id },
  });
  peers.share(DRIVER_MODULE, module);
  peers.on('connect', (peer: unknown) => log.debug({ remote: peer }, 'peer reachable'));
  peers.connect(options.hub);
  runtime.start();
  log.info(
    { hub: options.hub, addresses: config.addresses.length },
    `driver ${definition.type} started for ${runtime.label}`,
  );

  let stopping: Promise<void> | undefined;
  return {
    peerName,
    peers,
    module,
    status: () => runtime.snapshot(),
    stop(): Promise<void> {
      stopping ??= (async () => {
        try {
          await runtime.stop();
        } finally {
          await peers.close();
        }
      })();
      return stopping;
    },
  };
}
