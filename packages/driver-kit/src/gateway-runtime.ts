/**
 * One gateway at run time: its addresses and last values, its device connection and polling, its
 * status, and the operations behind the shared `driver` module (read, write, status, addresses).
 * Events go out through an injected `emit`, so the runtime knows nothing of the mesh.
 */
import { exponentialBackoff } from '@weble/peers-core/core';
import type { Backoff } from './peer-types.js';
import type { Logger } from 'pino';
import type {
  Address,
  DeviceState,
  DriverConfig,
  DriverContext,
  DriverDefinition,
  PollContext,
  RunnableDefinition,
  WriteOutcome,
} from './definition.js';
import { DeviceConnection, type Session } from './device-connection.js';
import { DriverCode, DriverError, hasCode } from './errors.js';
import { DriverEvents } from './events.js';
import { pollLoop } from './poller.js';
import { StatusTracker, type DriverStatus } from './status.js';
import { badValueError } from './bad-value.js';
import { isLazy, withSchemas } from './lazy-schemas.js';
import { LastValues } from './values.js';
import { mergePointInfo, type PointInfo } from './point-info.js';

/** Codes a driver's read or write may throw that say the request was wrong, not that the device failed. */
const REQUEST_ERRORS = [
  DriverCode.READ_ONLY,
  DriverCode.BAD_VALUE,
  DriverCode.BAD_ARGUMENT,
  DriverCode.UNKNOWN_ADDRESS,
];

/** Device reconnect delays when the definition gives none. */
export const DEFAULT_DEVICE_BACKOFF = { initialMs: 500, maxMs: 30_000, factor: 2, jitter: 0.5 } as const;

/** Options of a {@link GatewayRuntime}. */
export interface RuntimeOptions {
  log: Logger;
  /** Emits an event of the `driver` module. */
  emit: (event: string, ...args: unknown[]) => void;
  /** Overrides the definition's reconnect policy. */
  backoff?: Backoff;
  /** Time allowed for one device connect, ms. Default 30 000. */
  connectTimeoutMs?: number;
}

/** An address as `driver.addresses()` lists it, with its last value when known. */
export interface AddressInfo<Point> extends Address<Point> {
  /** What the driver knows of the point: from its config, merged with what the device said. */
  info?: PointInfo;
  value?: unknown;
  value_string?: string;
  value_date?: Date;
}

export class GatewayRuntime<Config, Point, Device, Value> {
  readonly label: string;
  private readonly byKey = new Map<string, Address<Point>>();
  private readonly values: LastValues;
  private readonly status = new StatusTracker();
  private readonly connection: DeviceConnection<Device>;
  private readonly failing = new Set<string>();
  /** What the device said of each point (`ctx.describePoint`). */
  private readonly deviceInfo = new Map<string, PointInfo>();
  /** The context given to `connect` for each live connection, reused by a driver-owned poll. */
  private readonly contexts = new WeakMap<AbortSignal, DriverContext<Config, Point>>();
  private stopping = false;

  constructor(
    private readonly definition: RunnableDefinition<Config, Point, Device, Value>,
    private readonly config: DriverConfig<Config, Point>,
    private readonly options: RuntimeOptions,
  ) {
    const { gateway } = config;
    this.label = `gateway ${gateway.id} (${definition.type})`;
    for (const address of config.addresses) this.byKey.set(address.key, address);
    this.values = new LastValues(this.byKey.keys(), (key, value, text, date) => {
      options.emit(DriverEvents.newValue(key), key, value, text, date);
      options.emit(DriverEvents.anyNewValue, key, value, text, date);
    });
    const reconnect = definition.reconnect;
    this.connection = new DeviceConnection<Device>({
      connect: (session) => this.connectDevice(session),
      disconnect: async (device) => {
        await definition.disconnect?.(device);
      },
      backoff:
        options.backoff ??
        (typeof reconnect === 'function' ? reconnect : exponentialBackoff({ ...DEFAULT_DEVICE_BACKOFF, ...reconnect })),
      stableMs: definition.stableMs ?? 10_000,
      connectTimeoutMs: options.connectTimeoutMs ?? 30_000,
      onState: (state, detail, error) => this.setState(state, detail, error),
      onConnectFailed: () => void this.status.counters.errors++,
      onOnline: (device, signal) => this.startPolling(device, signal),
      onDisconnectError: (error) => options.log.warn({ err: error }, `disconnect failed: ${error.message}`),
    });
  }

  start(): void {
    this.connection.start();
  }

  /** Refuse new calls, stop polling and reconnecting, disconnect the device. */
  async stop(): Promise<void> {
    this.stopping = true;
    await this.connection.stop();
    this.setState('offline', 'stopped');
  }

  async read(key: string): Promise<[unknown, Date]> {
    const address = this.address(key);
    const device = this.device('read', key);
    this.status.counters.reads++;
    let value: Value;
    try {
      value = await this.definition.read(device, address.point, address);
    } catch (error) {
      throw this.deviceFailed('read', key, error);
    }
    this.values.update(key, value);
    return [value, new Date()];
  }

  async write(key: string, value: unknown): Promise<void> {
    const address = this.address(key);
    // A point read-only by its config is refused by the driver's own write (with its reason);
    // one the device said is read-only is refused here.
    if (this.deviceInfo.get(key)?.writable === false)
      throw new DriverError(
        DriverCode.READ_ONLY,
        `write ${JSON.stringify(key)}: the device says the point is read-only (${this.label})`,
      );
    let checked = value as Value;
    const schema = isLazy(this.definition)
      ? withSchemas(this.definition, this.options.log, 'value check').valueSchema?.(address.point)
      : this.definition.valueSchema?.(address.point);
    if (schema) {
      const result = schema.safeParse(value);
      if (!result.success)
        throw badValueError(`write ${JSON.stringify(key)} on ${this.label}`, value, result.error.issues);
      checked = result.data;
    }
    const device = this.device('write', key);
    this.status.counters.writes++;
    let outcome: void | WriteOutcome;
    try {
      outcome = await this.definition.write(device, address.point, checked, address);
    } catch (error) {
      throw this.deviceFailed('write', key, error);
    }
    this.values.update(key, outcome === undefined ? checked : outcome.value);
  }

  /** Names of the definition's driver-specific methods. */
  get methods(): readonly string[] {
    return Object.keys(this.definition.methods ?? {});
  }

  /** Run the driver-specific method `name` on the connected device. */
  async call(name: string, args: unknown[]): Promise<unknown> {
    const method = this.definition.methods?.[name];
    if (!method) throw new DriverError(DriverCode.BAD_ARGUMENT, `driver.${name} is not a method of ${this.label}`);
    if (this.stopping) throw new DriverError(DriverCode.STOPPED, `driver.${name}: ${this.label} is stopping`);
    const device = this.connection.device;
    if (device === undefined)
      throw new DriverError(
        DriverCode.OFFLINE,
        `driver.${name}: the device of ${this.label} is ${this.status.current}`,
      );
    try {
      return await method.call(this.definition.methods, device, ...args);
    } catch (error) {
      if (hasCode(error, DriverCode.CONNECTION_LOST)) this.connection.lost(error as Error);
      if (error instanceof DriverError) throw error;
      const message = error instanceof Error ? error.message : String(error);
      throw new DriverError(DriverCode.DEVICE_ERROR, `driver.${name} on ${this.label} failed: ${message}`, {
        cause: error,
      });
    }
  }

  snapshot(): DriverStatus {
    return this.status.snapshot(this.values.reported);
  }

  addresses(): Array<AddressInfo<Point>> {
    return this.config.addresses.map((address) => {
      const last = this.values.get(address.key);
      const info = this.infoOf(address);
      return last
        ? { ...address, info, value: last.value, value_string: last.string, value_date: last.date }
        : { ...address, info };
    });
  }

  /** The point's metadata: its config's, then the device's. */
  private infoOf(address: Address<Point>): PointInfo {
    return mergePointInfo(
      { writable: true },
      this.definition.describe?.(address.point),
      this.deviceInfo.get(address.key),
    );
  }

  /** When each of `keys` was last read (ms), null for a key never read or not of this gateway. */
  refreshed(keys: readonly unknown[]): Array<number | null> {
    return keys.map((key) => (typeof key === 'string' ? (this.values.refreshedAt(key) ?? null) : null));
  }

  private setState(state: DeviceState, detail?: string, error?: Error): void {
    if (!this.status.set(state, detail, error)) return;
    // Values read before the device went away are stale on the hub: report the next ones as new.
    if (state !== 'online') this.values.invalidate();
    const id = this.config.gateway.id;
    this.options.log.info({ state, detail, err: error }, `device ${state}${detail ? `: ${detail}` : ''}`);
    this.options.emit(DriverEvents.gatewayState(id), state, detail);
  }

  /** Reads of `keys` failed: they are `bad` (with the reason) until their next value. */
  private reportBad(keys: readonly string[], error: unknown): void {
    const reason = error instanceof Error ? error.message : String(error);
    for (const key of keys) {
      this.values.invalidate(key);
      this.options.emit(DriverEvents.valueQuality, key, 'bad', reason);
    }
  }

  private address(key: unknown): Address<Point> {
    if (typeof key !== 'string')
      throw new DriverError(
        DriverCode.BAD_ARGUMENT,
        `expected an address key (string) on ${this.label}, got ${typeof key}`,
      );
    const address = this.byKey.get(key);
    if (!address)
      throw new DriverError(DriverCode.UNKNOWN_ADDRESS, `unknown address ${JSON.stringify(key)} on ${this.label}`);
    return address;
  }

  private device(operation: string, key: string): Device {
    if (this.stopping)
      throw new DriverError(DriverCode.STOPPED, `${operation} ${JSON.stringify(key)}: ${this.label} is stopping`);
    const device = this.connection.device;
    if (device === undefined) {
      throw new DriverError(
        DriverCode.OFFLINE,
        `${operation} ${JSON.stringify(key)}: the device of ${this.label} is ${this.status.current}`,
      );
    }
    return device;
  }

  /** Count a device failure, reconnect when the link is gone, and give the caller a coded error. */
  private deviceFailed(operation: string, key: string, error: unknown): Error {
    // A refusal of the request itself (a read-only point, a bad value) is the caller's error, not the device's.
    if (!REQUEST_ERRORS.some((code) => hasCode(error, code))) this.status.counters.errors++;
    if (hasCode(error, DriverCode.CONNECTION_LOST)) this.connection.lost(error as Error);
    // Every error names the gateway (docs/driver-contract.md), also a driver's own refusal.
    if (error instanceof DriverError)
      return error.message.includes(this.label)
        ? error
        : new DriverError(error.code, `${error.message} (${this.label})`, { cause: error });
    const message = error instanceof Error ? error.message : String(error);
    return new DriverError(
      DriverCode.DEVICE_ERROR,
      `${operation} ${JSON.stringify(key)} on ${this.label} failed: ${message}`,
      { cause: error },
    );
  }

  private connectDevice(session: Session): Promise<Device> {
    const ctx = this.context(session.signal, (error) => session.lost(error));
    this.contexts.set(session.signal, ctx);
    return this.definition.connect(this.config.gateway.config, ctx);
  }

  private context(signal: AbortSignal, lost: (error: Error) => void): DriverContext<Config, Point> {
    const alive = (): boolean => !signal.aborted;
    return {
      gateway: this.config.gateway,
      addresses: this.config.addresses,
      log: this.options.log,
      signal,
      emitValue: (key, value) => {
        if (!alive()) return false;
        if (!this.byKey.has(key)) this.options.log.debug({ key }, 'value for an unknown address ignored');
        return this.values.update(key, value);
      },
      markRead: (key) => {
        if (alive()) this.values.markRead(key);
      },
      setState: (state, detail) => {
        if (alive()) this.setState(state, detail);
      },
      connectionLost: lost,
      describePoint: (key, info) => {
        const address = this.byKey.get(key);
        if (!alive() || !address) return;
        this.deviceInfo.set(key, mergePointInfo(this.deviceInfo.get(key), info));
        this.options.emit(DriverEvents.pointInfo, key, this.infoOf(address));
      },
      emit: (event, ...args) => {
        if (
          event === DriverEvents.anyNewValue ||
          event === DriverEvents.valueQuality ||
          event === DriverEvents.pointInfo ||
          event.startsWith(DriverEvents.newValue('')) ||
          event.startsWith(DriverEvents.gatewayState(''))
        ) {
          throw new TypeError(
            `event ${JSON.stringify(event)} is the kit's own; a driver reports values with emitValue and states with setState`,
          );
        }
        if (alive()) this.options.emit(event, ...args);
      },
    };
  }

  private startPolling(device: Device, signal: AbortSignal): void {
    const { definition } = this;
    if (definition.poll) return this.startDriverPoll(definition.poll.bind(definition), device, signal);
    const polled = this.config.addresses.filter((a) => definition.isPolled?.(a.point) ?? true);
    void pollLoop({
      all: this.config.addresses,
      polled,
      periodMs: definition.pollMs?.(this.config.gateway.config),
      signal,
      onCycle: () => this.status.counters.polls++,
      read: async (address) => {
        try {
          this.values.update(address.key, await definition.read(device, address.point, address));
          if (this.failing.delete(address.key)) this.options.log.info({ key: address.key }, 'polled read works again');
        } catch (error) {
          this.status.counters.errors++;
          if (hasCode(error, DriverCode.CONNECTION_LOST)) return this.connection.lost(error as Error);
          if (this.failing.has(address.key)) return;
          this.failing.add(address.key);
          this.options.log.warn(
            { key: address.key, err: error },
            `polled read of ${JSON.stringify(address.key)} failed: ${(error as Error)?.message}`,
          );
          this.reportBad([address.key], error);
        }
      },
    });
  }

  /** A driver-owned poll: its failures are counted and logged like the kit's own polled reads. */
  private startDriverPoll(
    poll: NonNullable<DriverDefinition<Config, Point, Device, Value>['poll']>,
    device: Device,
    signal: AbortSignal,
  ): void {
    const base = this.contexts.get(signal) ?? this.context(signal, (error) => this.connection.lost(error));
    const log = this.options.log;
    const ctx: PollContext<Config, Point> = {
      ...base,
      cycle: () => {
        if (!signal.aborted) this.status.counters.polls++;
      },
      failed: (keys, error) => {
        if (signal.aborted) return;
        this.status.counters.errors++;
        if (hasCode(error, DriverCode.CONNECTION_LOST)) return this.connection.lost(error);
        const fresh = keys.filter((key) => !this.failing.has(key));
        for (const key of fresh) this.failing.add(key);
        if (fresh.length > 0)
          log.warn({ keys: fresh, err: error }, `polled read of ${describeKeys(fresh)} failed: ${error.message}`);
        this.reportBad(fresh, error);
      },
      recovered: (keys) => {
        const back = keys.filter((key) => this.failing.delete(key));
        if (back.length > 0) log.info({ keys: back }, `polled read of ${describeKeys(back)} works again`);
      },
    };
    Promise.resolve()
      .then(() => poll(device, ctx))
      .catch((error: unknown) => {
        if (signal.aborted) return;
        const failure = error instanceof Error ? error : new Error(String(error));
        log.error({ err: failure }, `poll stopped: ${failure.message}; reconnecting`);
        this.status.counters.errors++;
        this.connection.lost(failure);
      });
  }
}

function describeKeys(keys: readonly string[]): string {
  const shown = keys
    .slice(0, 5)
    .map((key) => JSON.stringify(key))
    .join(', ');
  return keys.length > 5 ? `${shown} and ${keys.length - 5} more` : shown;
}
