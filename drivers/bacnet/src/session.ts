/**
 * One BACnet/IP client for a gateway (the kit's "device"): the UDP socket, the device binding
 * cache (instance -> address, max APDU, state), one request at a time per device with retries
 * on timeout, device online/offline from answers and silences, rebinding when a device's I-Am
 * comes from a new address, and COV notifications (acknowledged when confirmed).
 */
import bacnet from './lib.js';
import type { BACNetAddress, BACNetAppData } from '@bacnet-js/client';
import type { DriverContext } from '@weble/driver-kit';
import { formatObject, type ObjectRef } from './bacnet-names.js';
import { iAmFrom, unboundBinding, type DeviceBinding, type DeviceStateName, type IAm } from './device-binding.js';
import { planBatches, type ReadItem } from './batching.js';
import { BacnetRequestError, classify, requestError } from './failures.js';
import type { BacnetConfig } from './schemas.js';
import { covFrom, type CovNotification, type SessionEvents } from './session-events.js';
import {
  addressText,
  apduCode,
  asRequestError,
  describeProperty,
  pickResult,
  serviceUnsupported,
  toSpecs,
  type ReadOutcome,
} from './session-wire.js';
import { UdpTransport } from './udp-transport.js';

type Client = InstanceType<typeof bacnet.default>;
type Logger = DriverContext<unknown, unknown>['log'];

export type { ReadOutcome } from './session-wire.js';
export type { DeviceBinding, DeviceStateName, IAm } from './device-binding.js';
export type { CovNotification, SessionEvents } from './session-events.js';

export class BacnetSession {
  private readonly bindings = new Map<number, DeviceBinding>();
  private readonly queues = new Map<number, Promise<unknown>>();
  private readonly iAmListeners = new Set<(iAm: IAm) => void>();
  private closed = false;
  /** Stopping: requests not yet sent fail (only the stop's COV cancellations go out). */
  private stopping = false;

  private constructor(
    readonly client: Client,
    readonly transport: UdpTransport,
    readonly config: BacnetConfig,
    private readonly log: Logger,
    private readonly events: SessionEvents,
  ) {
    for (const device of config.devices) {
      const binding = this.binding(device.instance);
      if (device.maxApdu !== undefined) binding.maxApdu = device.maxApdu;
      if (device.address !== undefined) {
        binding.receiver = { address: device.address.includes(':') ? device.address : `${device.address}:47808` };
        binding.fixed = true;
      }
    }
    client.on('iAm', (content) => this.heardIAm(content.header?.sender, content.payload));
    client.on('covNotify', (content) => {
      const sender = content.header?.sender;
      if (sender && content.service !== undefined && content.invokeId !== undefined)
        client.simpleAckResponse(sender, content.service, content.invokeId);
      this.heardCov(content.payload);
    });
    client.on('covNotifyUnconfirmed', (content) => this.heardCov(content.payload));
  }

  /** Bind the socket and start the client. Rejects when the port cannot be bound. */
  static async open(config: BacnetConfig, log: Logger, events: SessionEvents): Promise<BacnetSession> {
    const transport = new UdpTransport({
      port: config.port,
      interface: config.interface,
      broadcastAddress: config.broadcastAddress,
    });
    const client = new bacnet.default({ transport, apduTimeout: config.apduTimeoutMs });
    client.on('error', (error) => log.warn({ err: error }, `BACnet socket error: ${error.message}`));
    try {
      await transport.ready;
    } catch (error) {
      client.close();
      throw new Error(`cannot bind UDP ${config.interface}:${config.port}: ${(error as Error).message}`, {
        cause: error,
      });
    }
    return new BacnetSession(client, transport, config, log, events);
  }

  /** The local UDP port. */
  get port(): number {
    return this.transport.address()?.port ?? 0;
  }

  /** Every device known (configured, discovered, or named by a point). */
  devices(): DeviceBinding[] {
    return [...this.bindings.values()].map((binding) => ({ ...binding }));
  }

  /** The binding of `instance`, created unbound when new. */
  binding(instance: number): DeviceBinding {
    let binding = this.bindings.get(instance);
    if (!binding) {
      binding = unboundBinding(instance);
      this.bindings.set(instance, binding);
    }
    return binding;
  }

  /** Broadcast a Who-Is for one instance, or for all devices. */
  whoIs(instance?: number): void {
    if (this.closed) return;
    this.client.whoIs(instance === undefined ? {} : { lowLimit: instance, highLimit: instance });
  }

  /** Call `listener` for every I-Am until the returned function is called. */
  onIAm(listener: (iAm: IAm) => void): () => void {
    this.iAmListeners.add(listener);
    return () => this.iAmListeners.delete(listener);
  }

  /** Read one property (the whole property, or one array element). */
  readProperty(
    instance: number,
    item: ReadItem,
    options: { probe?: boolean; retries?: number } = {},
  ): Promise<BACNetAppData[]> {
    const what = `${formatObject(item.object)} ${describeProperty(item)}`;
    return this.request(instance, what, options, async (receiver, maxApdu) => {
      const answer = await this.client.readProperty(receiver, item.object, item.property, {
        maxApdu: apduCode(maxApdu),
        ...(item.index !== undefined ? { arrayIndex: item.index } : {}),
      });
      return answer.values;
    });
  }

  /**
   * Read many properties of one device: ReadPropertyMultiple in batches that fit its max APDU,
   * ReadProperty one by one when it has no RPM (or an RPM failed with an error for the batch).
   * One outcome per item, in order; a timeout fails the items of that batch only.
   */
  async readMany(instance: number, items: readonly ReadItem[]): Promise<ReadOutcome[]> {
    const binding = this.binding(instance);
    const outcomes: ReadOutcome[] = new Array(items.length);
    const indexed = items.map((item, at) => ({ ...item, at }));
    for (const batch of planBatches(indexed, binding.maxApdu)) {
      if (this.closed) throw this.closedError();
      if (batch.length === 1 || !binding.rpm) {
        for (const item of batch) outcomes[item.at] = await this.readOne(instance, item);
        continue;
      }
      let answer;
      try {
        answer = await this.request(instance, `${batch.length} properties`, {}, (receiver, maxApdu) =>
          this.client.readPropertyMultiple(receiver, toSpecs(batch), { maxApdu: apduCode(maxApdu) }),
        );
      } catch (error) {
        const failure = error instanceof BacnetRequestError ? error.failure : classify(error);
        if (failure.kind === 'timeout' || failure.kind === 'other') {
          for (const item of batch) outcomes[item.at] = { ok: false, error: asRequestError(error, instance) };
          continue;
        }
        if (serviceUnsupported(failure)) {
          binding.rpm = false;
          this.log.info(
            { device: instance },
            `device ${instance} refuses ReadPropertyMultiple; reading property by property`,
          );
        }
        for (const item of batch) outcomes[item.at] = await this.readOne(instance, item);
        continue;
      }
      for (const item of batch) outcomes[item.at] = pickResult(answer.values, item, instance);
    }
    return outcomes;
  }

  /** WriteProperty; `priority` 1..16 or undefined for none. */
  writeProperty(
    instance: number,
    object: ObjectRef,
    property: number,
    values: BACNetAppData[],
    options: { priority?: number | undefined; index?: number | undefined },
  ): Promise<void> {
    const what = `${formatObject(object)} ${describeProperty({ property, index: options.index })}${options.priority ? ` at priority ${options.priority}` : ''}`;
    return this.request(instance, what, {}, (receiver, maxApdu) =>
      this.client.writeProperty(receiver, object, property, values, {
        maxApdu: apduCode(maxApdu),
        ...(options.priority !== undefined ? { priority: options.priority } : {}),
        ...(options.index !== undefined ? { arrayIndex: options.index } : {}),
      }),
    );
  }

  /** SubscribeCOV (or its cancellation). */
  subscribeCov(
    instance: number,
    object: ObjectRef,
    processId: number,
    options: { confirmed: boolean; lifetimeS: number; cancel?: boolean },
  ): Promise<void> {
    const what = `${options.cancel ? 'cancel COV of' : 'COV subscription to'} ${formatObject(object)}`;
    return this.request(instance, what, {}, (receiver, maxApdu) =>
      this.client.subscribeCov(
        receiver,
        object,
        processId,
        options.cancel ?? false,
        options.confirmed,
        options.cancel ? 0 : options.lifetimeS,
        { maxApdu: apduCode(maxApdu) },
      ),
    );
  }

  /** Send no more queued requests (they fail as closed); the socket stays open for {@link cancelCovNow}. */
  stopRequests(): void {
    this.stopping = true;
  }

  /**
   * Cancel one COV subscription at once for the stop: not queued behind the device's pending
   * request (a SimpleACK is never segmented), one try, no state change. Rejects when the device is
   * not bound, errs or does not answer within the APDU timeout.
   */
  async cancelCovNow(instance: number, object: ObjectRef, processId: number): Promise<void> {
    const binding = this.binding(instance);
    if (this.closed || !binding.receiver)
      throw new BacnetRequestError(
        { kind: 'other', message: 'unbound' },
        `cancel COV of ${formatObject(object)}: device ${instance} is not bound`,
      );
    try {
      await this.client.subscribeCov(binding.receiver, object, processId, true, false, 0, {
        maxApdu: apduCode(binding.maxApdu),
      });
    } catch (error) {
      throw requestError(error, `cancel COV of ${formatObject(object)}`, instance);
    }
  }

  /** Stop: close the socket; pending requests fail at once. */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    // The library keeps pending requests until their timeout; fail them now so nothing waits.
    (this.client as unknown as { _requestManager?: { clear(force: boolean): void } })._requestManager?.clear(true);
    this.client.close();
  }

  private async readOne(instance: number, item: ReadItem): Promise<ReadOutcome> {
    try {
      return { ok: true, values: await this.readProperty(instance, item) };
    } catch (error) {
      return { ok: false, error: asRequestError(error, instance) };
    }
  }

  /**
   * Run `send` for device `instance`, one request at a time per device, retrying timeouts. A
   * device that answers (even with an error) is online; one that never answers goes offline,
   * and requests to it fail at once until a probe or an I-Am brings it back.
   */
  private request<T>(
    instance: number,
    what: string,
    options: { probe?: boolean; retries?: number },
    send: (receiver: BACNetAddress, maxApdu: number) => Promise<T>,
  ): Promise<T> {
    return this.enqueue(instance, async () => {
      if (this.closed || this.stopping) throw this.closedError();
      const binding = this.binding(instance);
      const receiver = binding.receiver;
      if (!receiver) {
        throw new BacnetRequestError(
          { kind: 'other', message: 'unbound' },
          `${what}: device ${instance} is not bound (no I-Am yet; Who-Is goes to ${this.config.broadcastAddress})`,
        );
      }
      if (binding.state === 'offline' && !options.probe) {
        throw new BacnetRequestError(
          { kind: 'timeout' },
          `${what}: device ${instance} is offline (${binding.detail ?? 'no answer'})`,
        );
      }
      const tries = (options.retries ?? this.config.retries) + 1;
      for (let attempt = 1; ; attempt++) {
        try {
          const result = await send(receiver, binding.maxApdu);
          this.setState(binding, 'online');
          return result;
        } catch (error) {
          if (this.closed) throw this.closedError();
          const failure = classify(error);
          if (failure.kind !== 'timeout') {
            this.setState(binding, 'online');
            throw requestError(error, what, instance);
          }
          if (attempt < tries) continue;
          const detail = `no answer from ${addressText(receiver)} since ${new Date().toISOString()} (${tries} tries of ${this.config.apduTimeoutMs} ms)`;
          if (binding.receiver === receiver) this.setState(binding, 'offline', detail);
          throw requestError(
            error,
            what,
            instance,
            `(${addressText(receiver)}) after ${tries} tries of ${this.config.apduTimeoutMs} ms`,
          );
        }
      }
    });
  }

  private enqueue<T>(instance: number, task: () => Promise<T>): Promise<T> {
    const previous = this.queues.get(instance) ?? Promise.resolve();
    const next = previous.then(task, task);
    this.queues.set(
      instance,
      next.then(
        () => undefined,
        () => undefined,
      ),
    );
    return next;
  }

  private closedError(): BacnetRequestError {
    return new BacnetRequestError({ kind: 'other', message: 'closed' }, 'the BACnet client is closed');
  }

  private setState(binding: DeviceBinding, state: DeviceStateName, detail?: string, force = false): void {
    const changed = binding.state !== state;
    binding.detail = detail;
    if (!changed && !force) return;
    binding.state = state;
    binding.since = new Date();
    this.log.info(
      { device: binding.instance, state, address: binding.receiver?.address },
      `device ${binding.instance} ${state}${detail ? `: ${detail}` : ''}`,
    );
    this.events.deviceState(binding);
  }

  private heardIAm(
    sender: BACNetAddress | undefined,
    payload: { deviceId: number; maxApdu: number; segmentation: number; vendorId: number } | undefined,
  ): void {
    const iAm = iAmFrom(sender, payload);
    if (!iAm || this.closed) return;
    for (const listener of this.iAmListeners) listener(iAm);
    const binding = this.bindings.get(iAm.instance);
    if (binding) this.apply(binding, iAm); // else not one of ours; discovery listeners got it
  }

  /** Keep `iAm` in the binding cache (discovery adopts the devices it found). */
  adopt(iAm: IAm): DeviceBinding {
    const binding = this.binding(iAm.instance);
    this.apply(binding, iAm);
    return binding;
  }

  private apply(binding: DeviceBinding, iAm: IAm): void {
    const receiver = iAm.receiver;
    const previous = binding.receiver?.address;
    const moved = addressText(binding.receiver) !== addressText(receiver);
    binding.receiver = receiver;
    const configured = this.config.devices.find((device) => device.instance === iAm.instance)?.maxApdu;
    binding.maxApdu = Math.min(configured ?? 1476, Math.max(50, iAm.maxApdu));
    binding.segmentation = iAm.segmentation;
    binding.vendorId = iAm.vendorId;
    if (moved)
      this.log.info(
        { device: iAm.instance, from: previous, to: receiver.address },
        `device ${iAm.instance} ${previous ? `moved from ${previous} to` : 'bound at'} ${receiver.address}`,
      );
    this.setState(binding, 'online', moved ? `bound at ${receiver.address}` : undefined, moved);
    if (moved) this.events.rebound(binding, previous);
  }

  private heardCov(
    payload:
      | {
          initiatingDeviceId: number | ObjectRef;
          monitoredObjectId: ObjectRef;
          subscriberProcessId: number;
          values: CovNotification['values'];
        }
      | undefined,
  ): void {
    if (!payload || this.closed) return;
    this.events.cov(covFrom(payload));
  }
}
