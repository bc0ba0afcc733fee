/**
 * The BACnet gateway while its socket is open (the kit's "device"): the session, the resolved
 * points, COV notifications routed to points, per-device state reported as `deviceState
 * <instance>`, reads, prioritized writes with read-back, and the driver's extra methods.
 */
import bacnet from './lib.js';
import type { DriverContext } from '@weble/driver-kit';
import { formatObject } from './bacnet-names.js';
import { cancelSubscriptions, CovSubscriptions } from './cov-cancel.js';
import { BacnetSession, type CovNotification, type DeviceBinding } from './session.js';
import { pointOutcome, readItemsOf, resolvePoints, valueFromCov, type ResolvedPoint } from './points.js';
import type { BacnetConfig, BacnetPoint } from './schemas.js';
import { decodeValues, defaultWriteTag, encodeWrite } from './values.js';

const Prop = bacnet.PropertyIdentifier;

/** Event of the `driver` module: `deviceState <instance>` with `(state, detail)`. */
export function deviceStateEvent(instance: number): string {
  return `deviceState ${instance}`;
}

/** A device as `driver.devices()` lists it. */
export interface DeviceInfo {
  instance: number;
  address: string | null;
  state: DeviceBinding['state'];
  since: Date;
  detail: string | null;
  maxApdu: number;
  segmentation: string | null;
  vendorId: number | null;
  readPropertyMultiple: boolean;
}

/** Someone who wants to hear when a device is back or moved (the poller). */
export interface DeviceListener {
  online(instance: number): void;
}

export class BacnetGateway {
  readonly points: ResolvedPoint[];
  private readonly byKey = new Map<string, ResolvedPoint>();
  /** `processId` of our COV subscriptions (one per connection, so late notifications of an older one are ignored). */
  readonly processId = 1 + Math.floor(Math.random() * 0x3fffff);
  /** The COV subscriptions asked for on this connection (the poller keeps it), cancelled by {@link close}. */
  readonly cov = new CovSubscriptions();
  private listener: DeviceListener | undefined;
  private readonly closer = new AbortController();
  session!: BacnetSession;

  private constructor(
    readonly config: BacnetConfig,
    private readonly ctx: DriverContext<BacnetConfig, BacnetPoint>,
  ) {
    this.points = resolvePoints(ctx.addresses, config);
    for (const point of this.points) this.byKey.set(point.key, point);
  }

  /** Open the socket and bind the configured and referenced devices. */
  static async open(config: BacnetConfig, ctx: DriverContext<BacnetConfig, BacnetPoint>): Promise<BacnetGateway> {
    const gateway = new BacnetGateway(config, ctx);
    gateway.session = await BacnetSession.open(config, ctx.log, {
      deviceState: (binding) => gateway.deviceStateChanged(binding),
      rebound: (binding) => gateway.listener?.online(binding.instance),
      cov: (notification) => gateway.covNotified(notification),
    });
    for (const point of gateway.points) gateway.session.binding(point.instance);
    ctx.log.info(
      { port: gateway.session.port, devices: gateway.instances().length },
      `BACnet/IP on UDP ${config.interface}:${gateway.session.port}`,
    );
    return gateway;
  }

  /** The device instances the points use. */
  instances(): number[] {
    return [...new Set(this.points.map((point) => point.instance))];
  }

  listen(listener: DeviceListener | undefined): void {
    this.listener = listener;
  }

  /** Read a point now. */
  async read(key: string): Promise<unknown> {
    const point = this.point(key);
    const outcome = pointOutcome(point, await this.session.readMany(point.instance, readItemsOf(point)));
    if (!outcome.ok) throw outcome.error;
    return outcome.value;
  }

  /**
   * Write a point: present-value at the point's (or the gateway's) priority, null relinquishes.
   * Then the effective value is read back (present-value with the priority array where the
   * object has one) and reported instead of the written one.
   */
  async write(key: string, value: unknown): Promise<{ value: unknown }> {
    const point = this.point(key);
    const tag = point.point.writeTag ?? defaultWriteTag(point.object, point.property, value);
    const commandable = point.property === Prop.PRESENT_VALUE;
    const priority = commandable ? (point.point.priority ?? this.config.priority) : undefined;
    await this.session.writeProperty(point.instance, point.object, point.property, [encodeWrite(value, tag)], {
      priority,
      index: point.index,
    });
    try {
      const back = await this.read(key);
      if (commandable) await this.logPriorities(point, priority);
      return { value: back };
    } catch (error) {
      this.ctx.log.warn(
        { key, err: error },
        `read-back of ${JSON.stringify(key)} after the write failed: ${(error as Error).message}`,
      );
      return { value: value === null ? undefined : value };
    }
  }

  /** The 16 slots of the point's object priority array (null = relinquished), and the active one. */
  async priorityArray(key: unknown): Promise<{ key: string; object: string; slots: unknown[]; active: number | null }> {
    if (typeof key !== 'string') throw new TypeError(`driver.priorityArray takes (key, callback); got ${typeof key}`);
    const point = this.point(key);
    const values = await this.session.readProperty(point.instance, {
      object: point.object,
      property: Prop.PRIORITY_ARRAY,
    });
    const slots = decodeValues(values, {
      object: point.object,
      property: Prop.PRIORITY_ARRAY,
      array: true,
    }) as unknown[];
    const active = slots.findIndex((slot) => slot !== null);
    return { key, object: formatObject(point.object), slots, active: active < 0 ? null : active + 1 };
  }

  /** Every device with its binding and state. */
  devices(): DeviceInfo[] {
    return this.session.devices().map((binding) => ({
      instance: binding.instance,
      address: binding.receiver?.address ?? null,
      state: binding.state,
      since: binding.since,
      detail: binding.detail ?? null,
      maxApdu: binding.maxApdu,
      segmentation:
        binding.segmentation === undefined
          ? null
          : (['both', 'transmit', 'receive', 'none'][binding.segmentation] ?? String(binding.segmentation)),
      vendorId: binding.vendorId ?? null,
      readPropertyMultiple: binding.rpm,
    }));
  }

  /** Aborted when the gateway closes. */
  get closed(): AbortSignal {
    return this.closer.signal;
  }

  /**
   * The stop or a lost connection: no more requests, cancel the COV subscriptions on the devices
   * that are online (at once, waiting at most 500 ms), then close the socket. Never rejects.
   */
  async close(): Promise<void> {
    if (this.closer.signal.aborted) return;
    this.closer.abort(new Error('gateway closed'));
    this.listener = undefined;
    this.session.stopRequests();
    try {
      await cancelSubscriptions(this.session, this.cov.list(), this.processId, this.ctx.log);
    } catch (error) {
      this.ctx.log.warn({ err: error }, `COV cancellation failed: ${(error as Error).message}`);
    } finally {
      this.session.close();
    }
  }

  /** Report a point's value (only while this connection lives). */
  report(key: string, value: unknown): void {
    this.ctx.emitValue(key, value);
  }

  private point(key: string): ResolvedPoint {
    const point = this.byKey.get(key);
    if (!point) throw new Error(`unknown address ${JSON.stringify(key)}`);
    return point;
  }

  private async logPriorities(point: ResolvedPoint, priority: number | undefined): Promise<void> {
    try {
      const { slots, active } = await this.priorityArray(point.key);
      if (priority !== undefined && active !== null && active < priority && slots[priority - 1] !== null) {
        this.ctx.log.warn(
          { key: point.key, priority, active },
          `${point.key}: the write at priority ${priority} is overridden by priority ${active}`,
        );
      }
    } catch {
      // An object without a priority array (e.g. many analog-values): nothing to show.
    }
  }

  private deviceStateChanged(binding: Readonly<DeviceBinding>): void {
    this.ctx.emit?.(deviceStateEvent(binding.instance), binding.state, binding.detail ?? '');
    const down = this.session
      .devices()
      .filter((device) => device.state !== 'online' && this.instances().includes(device.instance));
    this.ctx.setState(
      'online',
      down.length === 0
        ? undefined
        : `devices not online: ${down.map((device) => `${device.instance} (${device.state})`).join(', ')}`,
    );
    if (binding.state === 'online') this.listener?.online(binding.instance);
  }

  private covNotified(notification: CovNotification): void {
    if (notification.processId !== this.processId) return;
    for (const point of this.points) {
      if (
        point.instance !== notification.instance ||
        point.object.type !== notification.object.type ||
        point.object.instance !== notification.object.instance
      )
        continue;
      const value = valueFromCov(point, notification.values);
      if (value !== undefined) this.report(point.key, value);
    }
  }
}
