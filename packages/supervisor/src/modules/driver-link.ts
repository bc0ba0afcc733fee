/**
 * The gateways module's side of a driver link: the listeners it keeps on a driver's module made to
 * match what the gateway's addresses need, and the driver's state, point info and last values read
 * once those listeners are in place (answered after the subscriptions on the same link, so nothing
 * emitted in between is lost).
 */
import { DRIVER_MODULE, DriverEvents, type RemoteDriver } from '@weble/driver-kit';
import type { DriverAnswer } from '@weble/api';
import { driverPeerName, GatewaysError, type GatewayEntry } from './gateways-contract.js';
import type { Peers } from '@weble/peers-core';
import { isQuality, type Quality } from './value-quality.js';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type DriverListener = (...args: any[]) => void;

/** Remove from `target` the listeners in `have` that are not `wanted`, add the wanted ones it lacks; `have` follows. */
export function reconcileListeners(
  target: {
    on(event: string, fn: DriverListener): unknown;
    removeListener(event: string, fn: DriverListener): unknown;
  },
  have: Map<string, DriverListener>,
  wanted: Map<string, DriverListener>,
): void {
  for (const [event, fn] of [...have]) {
    if (wanted.has(event)) continue;
    target.removeListener(event, fn);
    have.delete(event);
  }
  for (const [event, fn] of wanted) {
    if (have.has(event)) continue;
    target.on(event, fn);
    have.set(event, fn);
  }
}

/** What the gateways module does with what a gateway's driver emits. */
export interface GatewayHandlers {
  state(state: string, detail: string | undefined): void;
  quality(key: string, quality: Quality, reason: string | undefined): void;
  info(key: string, info: unknown): void;
  value(key: string, value: unknown, valueString: string, date: Date): void;
}

/** The listeners a gateway needs on its driver: its state, qualities, point info and each address's values. */
export function gatewayListeners(
  id: string | number,
  keys: Iterable<string>,
  on: GatewayHandlers,
): Map<string, DriverListener> {
  const wanted = new Map<string, DriverListener>();
  wanted.set(DriverEvents.gatewayState(id), (state: string, detail?: string) => on.state(state, detail ?? undefined));
  wanted.set(DriverEvents.valueQuality, (key: string, quality: unknown, reason: unknown) => {
    if (isQuality(quality)) on.quality(key, quality, typeof reason === 'string' ? reason : undefined);
  });
  wanted.set(DriverEvents.pointInfo, (key: string, info: unknown) => on.info(key, info));
  for (const key of keys) {
    wanted.set(DriverEvents.newValue(key), (k: string, value: unknown, valueString: string, date: Date) =>
      on.value(k, value, valueString, date),
    );
  }
  return wanted;
}

/** Where a driver's snapshot goes. */
export interface DriverSnapshotSink {
  state(state: string, detail: string | undefined): void;
  info(key: string, info: unknown): void;
  value(key: string, value: unknown, valueString: string, date: Date): void;
}

/** Ask a driver for its state and its addresses (point info and last values). */
export function readDriverSnapshot(driver: RemoteDriver, sink: DriverSnapshotSink): void {
  driver.status((error, status) => {
    const s = status as { state?: unknown; detail?: unknown } | undefined;
    if (!error && typeof s?.state === 'string')
      sink.state(s.state, typeof s.detail === 'string' ? s.detail : undefined);
  });
  driver.addresses((error, list) => {
    if (error || !Array.isArray(list)) return;
    for (const a of list as Array<{
      key?: unknown;
      info?: unknown;
      value?: unknown;
      value_string?: unknown;
      value_date?: unknown;
    }>) {
      if (typeof a.key === 'string') sink.info(a.key, a.info);
      if (typeof a.key !== 'string' || !('value' in a) || a.value === undefined) continue;
      const date = a.value_date instanceof Date ? a.value_date : new Date();
      sink.value(a.key, a.value, String(a.value_string ?? a.value), date);
    }
  });
}

/** The listeners kept on each driver's module, by driver peer name. */
export class DriverLinks {
  private readonly attached = new Map<string, Map<string, DriverListener>>();

  constructor(private readonly peers: Peers) {}

  /**
   * Make the listeners on driver `name`'s module match `wanted`; once they are in place, read its
   * snapshot into `sink` (values and states emitted before the listeners were there are not lost:
   * the snapshot is answered after the subscriptions on the same link).
   */
  sync(name: string, wanted: Map<string, DriverListener>, sink: DriverSnapshotSink): void {
    let current = this.attached.get(name);
    if (!current) this.attached.set(name, (current = new Map()));
    const have = current;
    this.peers(name).require<RemoteDriver>(DRIVER_MODULE, (error, driver) => {
      if (error || !driver) return;
      reconcileListeners(driver, have, wanted);
      if (have.size === 0) {
        this.attached.delete(name);
        return;
      }
      readDriverSnapshot(driver, sink);
    });
  }
}

/**
 * Read or write `key` on its gateway's driver; `cb` gets the driver's answer, or GATEWAY_DOWN at
 * once when the driver is not connected (a pending call always settles).
 */
export function callDriver(
  peers: Peers,
  gateway: GatewayEntry,
  key: string,
  method: 'read' | 'write',
  extra: unknown[],
  cb: (error: Error | null, ...answer: DriverAnswer | []) => void,
): void {
  const peer = driverPeerName(gateway);
  if (!peers(peer).isConnected()) {
    const name = `gateway ${gateway.id}${gateway.name ? ` (${gateway.name})` : ''}`;
    return cb(new GatewaysError('GATEWAY_DOWN', `${name} is not connected: cannot ${method} ${key}`));
  }
  peers(peer)
    .call(DRIVER_MODULE, method, [key, ...extra])
    .then(
      (results) => cb(null, ...(results as DriverAnswer)),
      (error: Error) => cb(error),
    );
}
