/**
 * What a core module shows the mesh: the peers library exposes every function an object has (its
 * class's helpers too), so a module is shared through a facade that holds only its API methods
 * and forwards listeners to the module's events. The hub's own plumbing (`emitBoth`, `setState`,
 * `setGateway`...) is then out of reach of every peer (docs/protocol.md, "Trust").
 */
import type { EventEmitter } from 'node:events';
import type { GatewaysApi, LoggersApi, SystemApi } from '@weble/api';
import { everyOf } from './every-of.js';

/** The methods of the `gateways` module (seed 000 and docs/gateways.md), nothing else: every method of its API. */
export const GATEWAYS_METHODS = everyOf<keyof GatewaysApi>()([
  'listGateways',
  'getGateway',
  'listAddresses',
  'getAddress',
  'writeValue',
  'readValue',
  'getLastValue',
  'insertGateway',
  'updateGateway',
  'deleteGateway',
  'insertAddress',
  'updateAddress',
  'deleteAddress',
]);

/** The methods of the `system` module: every method of its API. */
export const SYSTEM_METHODS = everyOf<keyof SystemApi>()([
  'totalmem',
  'freemem',
  'uptime',
  'loadavg',
  'cpus',
  'versions',
  'list',
  'processes',
  'restart',
  'stop',
  'start',
  'logTail',
  'configHistory',
  'configRestore',
  'dependents',
]);

/** The methods of the `loggers` module (docs/loggers.md): every method of its API. */
export const LOGGERS_METHODS = everyOf<keyof LoggersApi>()([
  'listLoggers',
  'getLogger',
  'insertLogger',
  'updateLogger',
  'deleteLogger',
  'history',
  'exportCsv',
  'status',
]);

type Method<T> = { [K in keyof T]: T[K] extends (...args: never[]) => unknown ? K : never }[keyof T] & string;

/** A facade of `module` with only `methods`, whose `on`/`removeListener` reach the module's events. */
export function facade<T extends EventEmitter>(module: T, methods: readonly Method<T>[]): object {
  const shared: Record<string, unknown> = {
    on: (event: string, listener: (...args: unknown[]) => void) => (module.on(event, listener), shared),
    removeListener: (event: string, listener: (...args: unknown[]) => void) => (
      module.removeListener(event, listener),
      shared
    ),
  };
  for (const name of methods) shared[name] = (module[name] as (...args: unknown[]) => unknown).bind(module);
  return shared;
}
