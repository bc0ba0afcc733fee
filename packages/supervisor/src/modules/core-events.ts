/**
 * The events `supervision` emits as the gateway's own: values, gateway states, lifecycle, route
 * errors, loggers, alarms, process states. Peers listen to them as facts, so no other peer may
 * emit them on the hub's emitter (docs/protocol.md, "Trust"); other events another peer emits
 * there reach the hub's own listeners only.
 */
import type { RemoteEmitPolicy } from '@weble/peers-core';

/** Event-name prefixes of `supervision`'s core events (`newValue 4/7/25`, `gatewayState 1`...). */
export const CORE_EVENT_PREFIXES = [
  'newValue ',
  'valueQuality ',
  'gatewayState ',
  'routeError ',
  'alarm',
  'log ',
] as const;

/** Whole names of `supervision`'s core events. */
export const CORE_EVENT_NAMES: ReadonlySet<string> = new Set([
  'gatewayInserted',
  'gatewayUpdated',
  'gatewayDeleted',
  'addressInserted',
  'addressUpdated',
  'addressDeleted',
  'loggerInserted',
  'loggerUpdated',
  'loggerDeleted',
  'loggerStatus',
  'processState',
]);

/** Whether `event` is one of `supervision`'s core events. */
export function isCoreEvent(event: string): boolean {
  return CORE_EVENT_NAMES.has(event) || CORE_EVENT_PREFIXES.some((prefix) => event.startsWith(prefix));
}

/** The hub's policy for another peer's emit: core events refused, the rest kept to the hub's own listeners. */
export const hubRemoteEmit: RemoteEmitPolicy = (_from, event) => (isCoreEvent(event) ? 'refuse' : 'local');
