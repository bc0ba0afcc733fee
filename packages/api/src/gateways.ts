/**
 * The `gateways` core module on `supervision` (seed 000, docs/gateways.md): gateways and
 * addresses, reads and writes routed to the drivers, last values, and the events of values,
 * qualities, gateway states and changes.
 */
import type { Method, Remote, Served } from './module-api.js';
import type { PointInfo } from './point-info.js';

/** A gateway's id in site.yaml. */
export type GatewayId = number | string;

/** The quality of a value: `good`, `stale` (its gateway or device is offline, or it was not refreshed), `bad` (reads fail), `uncertain`. */
export type Quality = 'good' | 'stale' | 'bad' | 'uncertain';

/** A gateway as site.yaml, `insertGateway` and `updateGateway` give it. */
export interface GatewayEntry {
  id: GatewayId;
  type: string;
  /** The npm package that runs it when not `@weble/driver-<type>` / `weble-driver-<type>` (site.yaml `package:`). */
  package?: string | undefined;
  name?: string | undefined;
  enabled: boolean;
  config: unknown;
}

/** A gateway as `listGateways` and `getGateway` answer it: its entry and its driver's state (`unknown` before the driver said). */
export interface Gateway extends GatewayEntry {
  state: string;
}

/** An address as site.yaml, `insertAddress` and `updateAddress` give it. */
export interface AddressEntry {
  key: string;
  gateway: GatewayId;
  name?: string | undefined;
  alias?: string | undefined;
  unit?: string | undefined;
  writable?: boolean | undefined;
  min?: number | undefined;
  max?: number | undefined;
  step?: number | undefined;
  states?: Record<string, string> | undefined;
  /** The driver's point config (its own schema). */
  point: unknown;
}

/** An address's last value. */
export interface LastValue {
  value: unknown;
  valueString: string;
  date: Date;
  /** Default `good`. */
  quality?: Quality | undefined;
  /** Why the quality is not good. */
  reason?: string | undefined;
}

/** An address as `listAddresses` and `getAddress` answer it. */
export interface Address extends AddressEntry {
  /** What is known of its point: writable, limits, unit, state texts. */
  info: PointInfo;
  last: LastValue | null;
}

/** What a driver answers to a read or a write: the value first. */
export type DriverAnswer = [value: unknown, ...more: unknown[]];

/** The methods of the `gateways` module. An address is named by its key, name or alias. */
export interface GatewaysApi {
  listGateways: Method<[], [gateways: Gateway[]]>;
  getGateway: Method<[id: GatewayId], [gateway: Gateway]>;
  listAddresses: Method<[], [addresses: Address[]]>;
  getAddress: Method<[keyOrName: string], [address: Address]>;
  writeValue: Method<[keyOrName: string, value: unknown], DriverAnswer>;
  readValue: Method<[keyOrName: string], DriverAnswer>;
  /** The last value, its date and quality (`null`s before any value); seed code reads `(value, date)`. */
  getLastValue: Method<[keyOrName: string], [value: unknown, date: Date | null, quality: Quality | null]>;
  insertGateway: Method<[gateway: GatewayEntry]>;
  updateGateway: Method<[gateway: GatewayEntry]>;
  deleteGateway: Method<[id: GatewayId]>;
  insertAddress: Method<[address: AddressEntry]>;
  updateAddress: Method<[address: AddressEntry]>;
  deleteAddress: Method<[keyOrName: string]>;
}

/** The events of the `gateways` module (also emitted on the hub's own emitter); `<id>` is an address's key, name or alias, or a gateway's id. */
export interface GatewaysEvents {
  /** A new value; seed code reads the first four arguments. */
  [newValue: `newValue ${string}`]: (
    address: string,
    value: unknown,
    valueString: string,
    date: Date,
    quality: Quality,
  ) => void;
  /** The quality of an address changed (its value did not). */
  [valueQuality: `valueQuality ${string}`]: (
    address: string,
    quality: Quality,
    reason: string | null,
    date: Date,
  ) => void;
  /** A gateway's state (`online`, `offline`, `stopped`...), with a detail. */
  [gatewayState: `gatewayState ${string}`]: (state: string, detail: string | null) => void;
  gatewayInserted: (gateway: GatewayEntry) => void;
  gatewayUpdated: (gateway: GatewayEntry) => void;
  gatewayDeleted: (gateway: GatewayEntry) => void;
  addressInserted: (address: AddressEntry) => void;
  addressUpdated: (address: AddressEntry) => void;
  addressDeleted: (address: AddressEntry) => void;
}

/** What the supervisor's `gateways` module implements. */
export type ServedGateways = Served<GatewaysApi>;

/** `await peers('supervision').require('gateways')`, typed. */
export type RemoteGateways = Remote<GatewaysApi, GatewaysEvents>;
