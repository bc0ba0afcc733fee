/**
 * What a driver is: a definition of its schemas and of how to talk to its device. `runDriver`
 * gives every definition the same life (config, mesh, the shared `driver` module, reconnect,
 * polling, value reporting, clean exit); the definition only knows its field bus.
 */
import type { Backoff, BackoffOptions } from './peer-types.js';
import type { PointInfo } from './point-info.js';
import type { Logger } from 'pino';
import type { z } from 'zod';

/** Connection state of the device, reported as `gatewayState <id>` and in `status()`. */
export type DeviceState = 'connecting' | 'online' | 'offline';

/** Every {@link DeviceState}, in the order of a normal start. */
export const DEVICE_STATES: readonly DeviceState[] = ['connecting', 'online', 'offline'];

/** A gateway id as written in site.yaml: a number, or a short name of letters, digits, `_` and `-`. */
export type GatewayId = number | string;

/** One gateway (one driver process) as configured. */
export interface Gateway<Config> {
  id: GatewayId;
  type: string;
  name?: string | undefined;
  config: Config;
}

/** One address of a gateway: its key on the mesh and the driver-specific point. */
export interface Address<Point> {
  key: string;
  name?: string | undefined;
  alias?: string | undefined;
  point: Point;
}

/** The whole configuration of one driver process. */
export interface DriverConfig<Config, Point> {
  gateway: Gateway<Config>;
  addresses: Array<Address<Point>>;
}

/** What `connect` gets besides the gateway config: reporting hooks, a logger, a signal. */
export interface DriverContext<Config, Point> {
  readonly gateway: Readonly<Gateway<Config>>;
  readonly addresses: ReadonlyArray<Readonly<Address<Point>>>;
  /** pino logger with the gateway's fields. */
  readonly log: Logger;
  /** Aborted when this connection ends: lost, replaced by a reconnect, or the driver stops. */
  readonly signal: AbortSignal;
  /** Report a value of `key`; emitted as `newValue <key>` only when it changed. False when not emitted. */
  emitValue(key: string, value: unknown): boolean;
  /**
   * `key` was read but the driver does not report the value (it moved less than a deadband): the
   * point is fresh all the same (the hub's staleness check asks when points were last read).
   * Always given by the kit (optional only for hand-made contexts in tests).
   */
  markRead?(key: string): void;
  /** Report a state the kit cannot see (e.g. the port is open but the device stopped answering). */
  setState(state: DeviceState, detail?: string): void;
  /** The device link broke (socket closed...): the kit disconnects and reconnects with backoff. */
  connectionLost(error: Error): void;
  /**
   * Emit a driver-specific event on the `driver` module (e.g. BACnet's `deviceState <instance>`).
   * The kit's own events (`newValue...`, `gatewayState...`) are refused: a TypeError. Always
   * given by the kit (optional only so that hand-made contexts in tests need not provide it).
   */
  emit?(event: string, ...args: unknown[]): void;
  /**
   * Say what the device told of a point (its state texts, limits...): merged over the
   * definition's {@link DriverDefinition.describe}, listed by `addresses()` and sent as the
   * `pointInfo` event. Always given by the kit (optional for hand-made contexts in tests).
   */
  describePoint?(key: string, info: PointInfo): void;
}

/** What a `write` may resolve with: the value to report instead of the written one (a read-back). */
export interface WriteOutcome {
  /** Reported as the point's value (`undefined`: report nothing). */
  readonly value: unknown;
}

/**
 * A driver-specific method of the `driver` module: called as `driver.<name>(...args, callback)`
 * with the connected device; the callback gets `(error, result)`. While the device is not
 * online it fails with `DRIVER_OFFLINE`; an error that is not a `DriverError` reaches the caller
 * as `DRIVER_DEVICE_ERROR`. Arguments come from the mesh unchecked: validate them.
 */
export type DriverMethod<Device> = (device: Device, ...args: unknown[]) => Promise<unknown> | unknown;

/** What a driver-owned {@link DriverDefinition.poll} gets besides the connection's context. */
export interface PollContext<Config, Point> extends DriverContext<Config, Point> {
  /** Count one completed poll cycle (`status().polls`). */
  cycle(): void;
  /**
   * A read of `keys` failed: counted in `status().errors`, logged once until the key reads again
   * (`recovered`). An error coded `DRIVER_CONNECTION_LOST` makes the kit reconnect.
   */
  failed(keys: readonly string[], error: Error): void;
  /** The keys read again after a failure (logged once). */
  recovered(keys: readonly string[]): void;
}

/**
 * A driver. `Config` and `Point` are the outputs of `configSchema` and `pointSchema`; `Device` is
 * whatever `connect` returns (a client, a socket, a port); `Value` what the points hold.
 */
export interface DriverDefinition<Config, Point, Device, Value = unknown> {
  /** Gateway type: `gateway.type` must equal it; the peer is `driver_<type>_<id>`. */
  readonly type: string;
  /** Schema of `gateway.config`. */
  readonly configSchema: z.ZodType<Config>;
  /** Schema of each `addresses[i].point`. */
  readonly pointSchema: z.ZodType<Point>;
  /** Schema of values written to `point`; a failure is `DRIVER_BAD_VALUE`. Default: anything. */
  valueSchema?(point: Point): z.ZodType<Value>;
  /** Open the device. A rejection is retried with backoff; `ctx.signal` aborts a pending attempt on stop. */
  connect(config: Config, ctx: DriverContext<Config, Point>): Promise<Device>;
  /** Close the device (on connection loss and on stop). Default: nothing. */
  disconnect?(device: Device): Promise<void> | void;
  /** Read the point's current value from the device. Throw `DRIVER_CONNECTION_LOST` when the link is gone. */
  read(device: Device, point: Point, address: Address<Point>): Promise<Value> | Value;
  /**
   * Write a value (already checked by `valueSchema`) to the device. Resolving with a
   * {@link WriteOutcome} reports its `value` instead of the written one (e.g. the effective value
   * read back after a prioritized write or a relinquish).
   */
  write(
    device: Device,
    point: Point,
    value: Value,
    address: Address<Point>,
  ): Promise<void | WriteOutcome> | void | WriteOutcome;
  /**
   * The driver owns reading (batched requests, subscriptions): called each time the device comes
   * online, runs until `ctx.signal` aborts. When given, the kit neither reads every point at
   * start nor runs `pollMs`/`isPolled` polling; values are reported with `ctx.emitValue`.
   */
  poll?(device: Device, ctx: PollContext<Config, Point>): Promise<void> | void;
  /**
   * What the point config alone says of a point: above all whether it can be written (an input
   * register cannot), and its state texts or limits where the config implies them. Pure and
   * cheap: the supervisor calls it to check writes. Default: writable, nothing else known.
   */
  describe?(point: Point): PointInfo;
  /** Poll period in ms, or undefined for no polling (values then come from `ctx.emitValue`). */
  pollMs?(config: Config): number | undefined;
  /** Whether a point is read on each poll. Default: every point. All points are read once when the device comes online. */
  isPolled?(point: Point): boolean;
  /**
   * How often the driver reads `point`, ms, or undefined when it is only reported on events (COV,
   * telegrams): the hub calls a point `stale` when it was not read for 3 of these periods (see
   * {@link refreshPeriod}). Default: `pollMs(config)` for the points `isPolled` when the kit polls,
   * none when the driver owns the poll.
   */
  refreshMs?(point: Point, config: Config): number | undefined;
  /**
   * Driver-specific methods exposed on the `driver` module besides read/write/status/addresses
   * (e.g. BACnet's `discover`). Names must be identifiers that are neither those four nor
   * EventEmitter methods (checked at start: a TypeError).
   */
  readonly methods?: Readonly<Record<string, DriverMethod<Device>>>;
  /**
   * Device reconnect delays: a policy `(attempt) => ms` or options of peers-core's `exponentialBackoff`.
   * Default `{initialMs: 500, maxMs: 30000, factor: 2, jitter: 0.5}`.
   */
  readonly reconnect?: Backoff | BackoffOptions;
  /** A connection that stayed up this long (ms) resets the backoff. Default 10 000. */
  readonly stableMs?: number;
}

/**
 * Identity function that infers `Config` and `Point` from the schemas, so a driver written as
 * `defineDriver({ configSchema: z.object(...), connect(config) {...} })` gets typed callbacks.
 */
export function defineDriver<CS extends z.ZodType, PS extends z.ZodType, Device, Value = unknown>(
  definition: DriverDefinition<z.output<CS>, z.output<PS>, Device, Value> & {
    readonly configSchema: CS;
    readonly pointSchema: PS;
  },
): DriverDefinition<z.output<CS>, z.output<PS>, Device, Value> {
  return definition;
}

/**
 * How often a driver reads a point, ms (undefined: not read periodically): the definition's
 * `refreshMs`, else the kit's own poll period for the points it polls.
 */
export function refreshPeriod<Config, Point>(
  definition: Pick<DriverDefinition<Config, Point, unknown>, 'refreshMs' | 'poll' | 'pollMs' | 'isPolled'>,
  point: Point,
  config: Config,
): number | undefined {
  if (definition.refreshMs) return definition.refreshMs(point, config);
  if (definition.poll || !(definition.isPolled?.(point) ?? true)) return undefined;
  return definition.pollMs?.(config);
}

/**
 * What a driver package exports as `schema` on its `./schema` subpath: the part of its definition
 * the supervisor needs to validate site.yaml and to know its points (schemas, `describe`, read
 * periods). That module must not import the protocol library: the supervisor loads it into its
 * own process, and only the driver's child process loads the rest. The definition spreads it:
 * `defineDriver({ ...schema, connect, read, write })`.
 */
export type DriverSchema<Config = unknown, Point = unknown, Value = unknown> = Pick<
  DriverDefinition<Config, Point, unknown, Value>,
  'type' | 'configSchema' | 'pointSchema' | 'valueSchema' | 'describe' | 'pollMs' | 'isPolled' | 'refreshMs'
>;

/** Typed helper for a driver's `./schema` module (see {@link DriverSchema}). */
export function defineDriverSchema<CS extends z.ZodType, PS extends z.ZodType, Value = unknown>(
  schema: DriverSchema<z.output<CS>, z.output<PS>, Value> & { readonly configSchema: CS; readonly pointSchema: PS },
): DriverSchema<z.output<CS>, z.output<PS>, Value> & { readonly configSchema: CS; readonly pointSchema: PS } {
  return schema;
}

/** The parts of a definition made of zod schemas: what a {@link SchemaSource} loads. */
export type DriverSchemas<Config = unknown, Point = unknown, Value = unknown> = Pick<
  DriverDefinition<Config, Point, unknown, Value>,
  'configSchema' | 'pointSchema' | 'valueSchema'
>;

/** A definition without its schemas: the device operations and the hooks that need no zod. */
export type DriverBody<Config, Point, Device, Value = unknown> = Omit<
  DriverDefinition<Config, Point, Device, Value>,
  'configSchema' | 'pointSchema' | 'valueSchema'
>;

/**
 * What a driver's bin loads when it needs its schemas (a file bundled apart, `dist/bin-schema.cjs`:
 * zod is about 3 MiB of every idle driver, docs/memory.md "Schemas on first need"): the driver's
 * `schema` and driver-kit's `parseDriverConfig` from the same bundle (the same zod).
 */
export interface SchemaModule<Config, Point, Value = unknown> {
  readonly schema: DriverSchemas<Config, Point, Value>;
  parseDriverConfig(
    definition: Pick<DriverDefinition<Config, Point, unknown, unknown>, 'type' | 'configSchema' | 'pointSchema'>,
    raw: unknown,
  ): { ok: true; value: DriverConfig<Config, Point> } | { ok: false; problems: string[] };
}

/** Where a lazy definition finds its schemas. */
export interface SchemaSource<Config, Point, Value = unknown> {
  /**
   * `<package>@<version>` of the driver package, as the supervisor names the `./schema` it
   * validated with (the `validatedBy` field of the config message); undefined: every
   * configuration is validated by the driver.
   */
  readonly id: string | undefined;
  /** Load the schemas (once; later calls give the same module). */
  load(): SchemaModule<Config, Point, Value>;
}

/** A definition whose schemas are loaded on first need (see {@link runBundledDriver}). */
export interface LazyDriverDefinition<Config, Point, Device, Value = unknown> extends DriverBody<
  Config,
  Point,
  Device,
  Value
> {
  readonly schemas: SchemaSource<Config, Point, Value>;
}

/** What `runDriver` and `startDriver` run: a definition with its schemas, or one that loads them on first need. */
export type RunnableDefinition<Config, Point, Device, Value = unknown> =
  DriverDefinition<Config, Point, Device, Value> | LazyDriverDefinition<Config, Point, Device, Value>;
