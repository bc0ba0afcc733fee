/**
 * What the `gateways` module and the supervisor agree on: a gateway's entry (the API's,
 * `@weble/api`), the coded error of
 * the core modules, a driver's peer name, and what the module asks of the supervisor for runtime
 * changes and for the values it observes (GatewayControl).
 */
import { CodedError } from '@weble/peers-core';
import { driverPeerName as driverPeerNameOf, type PointInfo } from '@weble/driver-kit';
import type { AddressEntry, GatewayEntry, GatewayId, Quality } from '@weble/api';

export type { GatewayEntry };

/** The codes of the `gateways` module's errors (docs/gateways.md). */
export const GATEWAYS_CODES = [
  'UNKNOWN_ADDRESS',
  'UNKNOWN_GATEWAY',
  'GATEWAY_DOWN',
  'BAD_REQUEST',
  'READ_ONLY',
  'OUT_OF_RANGE',
] as const;

/** A coded error of the core modules. */
export class GatewaysError extends CodedError<(typeof GATEWAYS_CODES)[number]> {
  override name = 'GatewaysError';
}

/** The peer name of a gateway's driver, as driver-kit names it (`driver_<type>_<id>`). */
export function driverPeerName(gateway: Pick<GatewayEntry, 'type' | 'id'>): string {
  return driverPeerNameOf(gateway.type, gateway.id);
}

/** What the module needs from the supervisor for runtime changes. */
export interface GatewayControl {
  insertGateway(gateway: GatewayEntry): Promise<void>;
  updateGateway(gateway: GatewayEntry): Promise<void>;
  /** Stop and forget a gateway; `keep: false` (a reload of site.yaml) does not write site.yaml. */
  deleteGateway(id: GatewayId, options?: { keep?: boolean }): Promise<void>;
  /** Check an address's point against its gateway's driver (throws a readable error). */
  checkAddress(address: AddressEntry, gateway: GatewayEntry): AddressEntry;
  /** What the driver's point config says of the point (its definition's `describe`). */
  describePoint?(address: AddressEntry, gateway: GatewayEntry): PointInfo | undefined;
  /** Restart a gateway's driver with its current addresses. */
  readdress(gateway: GatewayEntry): Promise<void>;
  /** Why these addresses cannot be deleted now (a logger names them), or undefined. */
  deleteBlocked?(keys: string[]): string | undefined;
  /** Keep a runtime change of an address (site.yaml): the address as given, or undefined when deleted. */
  saveAddress?(key: string, address: AddressEntry | undefined): Promise<void>;
  /** Told of every new value (the loggers record from here). */
  observeValue?(key: string, value: unknown, date: Date, quality: Quality): void;
  /** How often the gateway's driver reads the address, ms (undefined: not periodically, never stale for age). */
  refreshMs?(address: AddressEntry, gateway: GatewayEntry): number | undefined;
  /** Log that a driver did not say in time when it last read these keys. */
  unanswered?(gateway: GatewayEntry, keys: string[]): void;
  /** Told of every change of a gateway's state (alarms on communication loss). */
  observeState?(id: GatewayId, state: string): void;
}
