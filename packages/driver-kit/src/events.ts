/**
 * Names of the events of the `driver` module and the shape of the module as a remote peer sees it,
 * so the supervisor and the drivers spell them the same way.
 */
import type { GatewayId } from './definition.js';
import type { AddressInfo } from './gateway-runtime.js';
import { POINT_INFO_EVENT } from './point-info.js';
import type { DriverStatus } from './status.js';

/** Event names of the `driver` module. */
export const DriverEvents = {
  /** `newValue <key>` with `(address, value, value_string, value_date)`: a value of `key` changed. */
  newValue: (key: string): string => `newValue ${key}`,
  /** `newValue`, same arguments: every value change of the gateway. */
  anyNewValue: 'newValue',
  /**
   * `valueQuality` with `(address, quality, reason)`: a polled read of `address` failed (`bad`,
   * with the reason). The next value of that address is reported even if unchanged (it is good
   * again); after the device went offline, so is every next value.
   */
  valueQuality: 'valueQuality',
  /** `pointInfo` with `(address, info)`: what the device says of a point (state texts, limits); see {@link PointInfo}. */
  pointInfo: POINT_INFO_EVENT,
  /** `gatewayState <id>` with `(state, detail)`: the device connection state changed. */
  gatewayState: (id: GatewayId): string => `gatewayState ${id}`,
} as const;

/**
 * The `driver` module through the mesh: `peers('driver_virtual_1').require<RemoteDriver>('driver')`.
 * Without a callback a method resolves with its first result (a read gives the value, not the date).
 */
export interface RemoteDriver {
  read(key: string): Promise<unknown>;
  read(key: string, callback: (error: Error | null, value?: unknown, date?: Date) => void): void;
  write(key: string, value: unknown): Promise<void>;
  write(key: string, value: unknown, callback: (error: Error | null) => void): void;
  status(): Promise<DriverStatus>;
  status(callback: (error: Error | null, status?: DriverStatus) => void): void;
  addresses(): Promise<Array<AddressInfo<unknown>>>;
  addresses(callback: (error: Error | null, addresses?: Array<AddressInfo<unknown>>) => void): void;
  /** When each of `keys` was last read, ms (null: never); the hub's staleness check asks it. */
  refreshed(keys: string[]): Promise<Array<number | null>>;
  refreshed(keys: string[], callback: (error: Error | null, times?: Array<number | null>) => void): void;
}
