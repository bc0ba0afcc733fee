/**
 * A simulated BACnet/IP device built on `@bacnet-js/client` acting as a device: analog and binary
 * inputs, outputs with priority arrays, an analog-value without one, a multi-state-value, state and
 * active/inactive texts, an output with min/max-pres-value; Who-Is,
 * ReadProperty, ReadPropertyMultiple, WriteProperty (priorities, relinquish), SubscribeCOV
 * (confirmed or not, lifetime, cancellation) with notifications on change. For tests and the demo
 * mesh; `silent` makes it stop answering, `close()` frees its port.
 */
import bacnet from '../lib.js';
import { isCancellation, sendCovNotification, type Subscription } from './cov-notifications.js';
import { iAmFrame } from './i-am-frame.js';
import { isError, propertyValues, type SimDeviceFacts } from './properties.js';
import { enumerated, key, real, simObjects, type SimObject } from './sim-objects.js';
import { writePresentValue } from './writes.js';
import type { BACNetAddress, BACNetAppData, BACNetObjectID } from '@bacnet-js/client';
import { UdpTransport } from '../udp-transport.js';

const { ObjectType: T, PropertyIdentifier: P, ApplicationTag: Tag, ErrorClass, ErrorCode } = bacnet;
type Client = InstanceType<typeof bacnet.default>;

/** Options of {@link startSimDevice}. */
export interface SimDeviceOptions {
  /** Device instance. Default 1234. */
  instance?: number;
  /** UDP port; 0 (default) lets the OS pick. */
  port?: number;
  /** Address to bind. Default 0.0.0.0 (a socket bound to 127.0.0.1 does not get broadcasts to 127.255.255.255). */
  interface?: string;
  /** Values move by themselves every `tickMs` (0: only when set). Default 0. */
  tickMs?: number;
  /** Max APDU announced and honoured, bytes. Default 1476. */
  maxApdu?: number;
  /** `none`: object-list larger than the APDU is refused with an abort (segmentation-not-supported). Default `both`. */
  segmentation?: 'both' | 'none';
  /** Answer SubscribeCOV. Default true. */
  cov?: boolean;
  /** Answer ReadPropertyMultiple. Default true. */
  rpm?: boolean;
  /** Extra analog-value objects 100.. (a long object list). Default 0. */
  extraObjects?: number;
  /** Send an I-Am to this `ip:port` once started (as a device announces itself after a restart). */
  announce?: string;
  /** Where `announce()` without an address goes. Default `127.255.255.255:47808`. */
  broadcastAddress?: string;
}

export class SimDevice {
  /** Stop answering anything (requests time out) while true. */
  silent = false;
  /** Requests answered (for benches). */
  requests = 0;
  /**
   * Requests answered, by service (`readProperty`, `readPropertyMultiple`, `writeProperty`,
   * `subscribeCov`, `cancelCov` (a SubscribeCOV cancellation), `whoIs`).
   */
  readonly served: Record<string, number> = {};
  /** Requests that came while `silent` (not answered), by service as in {@link served}. */
  readonly ignored: Record<string, number> = {};
  private readonly objects = new Map<string, SimObject>();
  private readonly subscriptions: Subscription[] = [];
  private timer: NodeJS.Timeout | undefined;
  private ticks = 0;

  private constructor(
    readonly instance: number,
    private readonly client: Client,
    private readonly transport: UdpTransport,
    private readonly options: SimDeviceOptions,
  ) {
    this.build(options.extraObjects ?? 0);
    client.on('error', () => undefined);
    client.on('whoIs', (content) => this.guard('whoIs', () => this.onWhoIs(content.header?.sender, content.payload)));
    client.on('readProperty', (content) => this.guard('readProperty', () => this.onReadProperty(content)));
    if (options.rpm !== false)
      client.on('readPropertyMultiple', (content) =>
        this.guard('readPropertyMultiple', () => this.onReadPropertyMultiple(content)),
      );
    client.on('writeProperty', (content) => this.guard('writeProperty', () => this.onWriteProperty(content)));
    client.on('subscribeCov', (content) =>
      this.guard(isCancellation(content.payload) ? 'cancelCov' : 'subscribeCov', () => this.onSubscribeCov(content)),
    );
    if ((options.tickMs ?? 0) > 0) this.timer = setInterval(() => this.tick(), options.tickMs);
  }

  /** The bound UDP port. */
  get port(): number {
    return this.transport.address()?.port ?? 0;
  }

  /** `<interface>:<port>` (`127.0.0.1:<port>` when bound to all interfaces), as a client names it. */
  get address(): string {
    const bound = this.options.interface ?? '0.0.0.0';
    return `${bound === '0.0.0.0' ? '127.0.0.1' : bound}:${this.port}`;
  }

  /** Present-value of `object` (`analog-input:1`) as the device holds it. */
  get(object: string): unknown {
    return this.object(object).value.value;
  }

  /** Priority slots of a commandable object (null = relinquished). */
  priorityArray(object: string): Array<unknown> {
    return (this.object(object).priority ?? []).map((slot) => slot?.value ?? null);
  }

  /** Set a present-value (as the process would) and notify COV subscribers. */
  set(object: string, value: number | boolean): void {
    const target = this.object(object);
    target.value = target.value.type === Tag.REAL ? real(Number(value)) : enumerated(Number(value));
    this.notify(target);
  }

  /** Set status flags (`in-alarm`, `fault`, `overridden`, `out-of-service`) and notify. */
  setFlags(
    object: string,
    flags: { inAlarm?: boolean; fault?: boolean; overridden?: boolean; outOfService?: boolean },
  ): void {
    const target = this.object(object);
    const bits: number[] = [];
    if (flags.inAlarm) bits.push(bacnet.StatusFlags.IN_ALARM);
    if (flags.fault) bits.push(bacnet.StatusFlags.FAULT);
    if (flags.overridden) bits.push(bacnet.StatusFlags.OVERRIDDEN);
    if (flags.outOfService) bits.push(bacnet.StatusFlags.OUT_OF_SERVICE);
    target.flags = bits;
    this.notify(target);
  }

  /**
   * The live COV subscriptions (the device's subscription table without the expired ones; a
   * cancellation removes its entry), optionally only those of `subscriber` (`ip:port`).
   */
  covSubscriptions(
    subscriber?: string,
  ): Array<{ object: string; processId: number; confirmed: boolean; subscriber: string }> {
    const now = Date.now();
    return this.subscriptions
      .filter(
        (sub) => sub.expiresAt > now && (subscriber === undefined || String(sub.subscriber.address) === subscriber),
      )
      .map((sub) => ({
        object: `${sub.object.type}:${sub.object.instance}`,
        processId: sub.processId,
        confirmed: sub.confirmed,
        subscriber: String(sub.subscriber.address),
      }));
  }

  /** Send an I-Am to `address` (`ip:port`), or broadcast it. */
  announce(address?: string): void {
    const frame = iAmFrame(this.instance, this.maxApdu, this.segmentation, 999);
    this.transport.send(frame, frame.length, address);
  }

  close(): void {
    clearInterval(this.timer);
    this.client.close();
  }

  private get maxApdu(): number {
    return this.options.maxApdu ?? 1476;
  }

  /** What the property table needs of this device. */
  private get facts(): SimDeviceFacts {
    return { objects: this.objects.values(), maxApdu: this.maxApdu, segmentation: this.segmentation };
  }

  private get segmentation(): number {
    return this.options.segmentation === 'none'
      ? bacnet.Segmentation.NO_SEGMENTATION
      : bacnet.Segmentation.SEGMENTED_BOTH;
  }

  static async start(options: SimDeviceOptions = {}): Promise<SimDevice> {
    const transport = new UdpTransport({
      port: options.port ?? 0,
      interface: options.interface ?? '0.0.0.0',
      broadcastAddress: options.broadcastAddress ?? '127.255.255.255:47808',
    });
    const client = new bacnet.default({ transport });
    await transport.ready;
    const device = new SimDevice(options.instance ?? 1234, client, transport, options);
    if (options.announce) device.announce(options.announce);
    return device;
  }

  private build(extra: number): void {
    for (const object of simObjects(this.instance, extra)) this.objects.set(key(object.id), object);
  }

  private tick(): void {
    this.ticks++;
    const t = this.ticks;
    this.set('analog-input:1', Math.round((21.5 + 2 * Math.sin(t / 10)) * 100) / 100);
    this.set('analog-input:2', Math.round((11.2 + Math.sin(t / 37)) * 10) / 10);
    if (t % 5 === 0) this.set('binary-input:1', this.get('binary-input:1') === 1 ? 0 : 1);
  }

  private object(text: string): SimObject {
    const [typeName, instance] = [text.slice(0, text.lastIndexOf(':')), Number(text.slice(text.lastIndexOf(':') + 1))];
    const type = (T as unknown as Record<string, number>)[typeName.toUpperCase().replace(/-/g, '_')];
    const found = type === undefined ? undefined : this.objects.get(`${type}:${instance}`);
    if (!found) throw new Error(`the simulated device has no object ${text}`);
    return found;
  }

  private guard(service: string, handler: () => void): void {
    if (this.silent) {
      this.ignored[service] = (this.ignored[service] ?? 0) + 1;
      return;
    }
    this.requests++;
    this.served[service] = (this.served[service] ?? 0) + 1;
    handler();
  }

  private onWhoIs(
    sender: BACNetAddress | undefined,
    payload: { lowLimit?: number; highLimit?: number } | undefined,
  ): void {
    if (!sender?.address) return;
    if (payload?.lowLimit !== undefined && this.instance < payload.lowLimit) return;
    if (payload?.highLimit !== undefined && this.instance > payload.highLimit) return;
    this.announce(String(sender.address));
  }

  private onReadProperty(content: {
    header?: { sender: BACNetAddress };
    service?: number;
    invokeId?: number;
    payload: { objectId: BACNetObjectID; property: { id: number; index: number } };
  }): void {
    const { sender, service, invokeId } = reply(content);
    const { objectId, property } = content.payload;
    const object = this.objects.get(key(objectId));
    if (!object)
      return this.client.errorResponse(sender, service, invokeId, ErrorClass.OBJECT, ErrorCode.UNKNOWN_OBJECT);
    const values = propertyValues(this.facts, object, property.id, property.index);
    if (isError(values)) return this.client.errorResponse(sender, service, invokeId, values[0], values[1]);
    // Clause 20.1.2.4: an answer larger than the APDU needs segmentation; without it, abort.
    if (this.options.segmentation === 'none' && 12 + values.length * 5 > this.maxApdu)
      return this.abort(sender, invokeId, bacnet.AbortReason.SEGMENTATION_NOT_SUPPORTED);
    this.client.readPropertyResponse(sender, invokeId, objectId, property, values);
  }

  private onReadPropertyMultiple(content: {
    header?: { sender: BACNetAddress };
    service?: number;
    invokeId?: number;
    payload: { properties: Array<{ objectId: BACNetObjectID; properties: Array<{ id: number; index: number }> }> };
  }): void {
    const { sender, invokeId } = reply(content);
    const results = content.payload.properties.map(({ objectId, properties }) => {
      const object = this.objects.get(key(objectId));
      const ids = properties.flatMap((property) =>
        property.id === P.ALL && object
          ? [P.OBJECT_IDENTIFIER, P.OBJECT_NAME, P.OBJECT_TYPE, P.PRESENT_VALUE, P.STATUS_FLAGS].map((id) => ({
              id,
              index: bacnet.ASN1_ARRAY_ALL,
            }))
          : [property],
      );
      return {
        objectId,
        values: ids.map((property) => {
          const values = object
            ? propertyValues(this.facts, object, property.id, property.index)
            : ([ErrorClass.OBJECT, ErrorCode.UNKNOWN_OBJECT] as [number, number]);
          return {
            property,
            value: isError(values)
              ? [{ type: Tag.ERROR, value: { type: 'BacnetError', errorClass: values[0], errorCode: values[1] } }]
              : values,
          };
        }),
      };
    });
    this.client.readPropertyMultipleResponse(sender, invokeId, results);
  }

  private onWriteProperty(content: {
    header?: { sender: BACNetAddress };
    service?: number;
    invokeId?: number;
    payload: {
      objectId: BACNetObjectID;
      value: { property: { id: number; index: number }; value: BACNetAppData[]; priority: number };
    };
  }): void {
    const { sender, service, invokeId } = reply(content);
    const { objectId, value } = content.payload;
    const object = this.objects.get(key(objectId));
    if (!object)
      return this.client.errorResponse(sender, service, invokeId, ErrorClass.OBJECT, ErrorCode.UNKNOWN_OBJECT);
    const refused = writePresentValue(object, value);
    if (refused) return this.client.errorResponse(sender, service, invokeId, refused[0], refused[1]);
    this.client.simpleAckResponse(sender, service, invokeId);
    this.notify(object);
  }

  private onSubscribeCov(content: {
    header?: { sender: BACNetAddress };
    service?: number;
    invokeId?: number;
    payload: {
      subscriberProcessId: number;
      monitoredObjectId: BACNetObjectID;
      issueConfirmedNotifications: boolean;
      lifetime: number;
      cancellationRequest?: boolean;
    };
  }): void {
    const { sender, service, invokeId } = reply(content);
    if (this.options.cov === false)
      return this.client.errorResponse(
        sender,
        service,
        invokeId,
        ErrorClass.SERVICES,
        ErrorCode.OPTIONAL_FUNCTIONALITY_NOT_SUPPORTED,
      );
    const { subscriberProcessId, monitoredObjectId, issueConfirmedNotifications, lifetime, cancellationRequest } =
      content.payload;
    const object = this.objects.get(key(monitoredObjectId));
    if (!object || object.id.type === T.DEVICE)
      return this.client.errorResponse(sender, service, invokeId, ErrorClass.OBJECT, ErrorCode.UNKNOWN_OBJECT);
    const same = (sub: Subscription): boolean =>
      sub.processId === subscriberProcessId &&
      key(sub.object) === key(monitoredObjectId) &&
      sub.subscriber.address === sender.address;
    const at = this.subscriptions.findIndex(same);
    if (at >= 0) this.subscriptions.splice(at, 1);
    this.client.simpleAckResponse(sender, service, invokeId);
    if (cancellationRequest) return;
    const subscription: Subscription = {
      subscriber: { address: String(sender.address) },
      processId: subscriberProcessId,
      object: monitoredObjectId,
      confirmed: issueConfirmedNotifications,
      expiresAt: lifetime > 0 ? Date.now() + lifetime * 1000 : Number.POSITIVE_INFINITY,
    };
    this.subscriptions.push(subscription);
    sendCovNotification(this.client, this.instance, subscription, object); // clause 13.14.1.1.1: an initial notification after a subscription
  }

  private notify(object: SimObject): void {
    if (this.silent) return;
    const now = Date.now();
    for (let i = this.subscriptions.length - 1; i >= 0; i--)
      if ((this.subscriptions[i]?.expiresAt ?? 0) <= now) this.subscriptions.splice(i, 1);
    for (const subscription of this.subscriptions)
      if (key(subscription.object) === key(object.id))
        sendCovNotification(this.client, this.instance, subscription, object);
  }

  private abort(sender: BACNetAddress, invokeId: number, reason: number): void {
    // BVLC original-unicast, NPDU version 1 no control, APDU abort from server (clause 20.1.9).
    const frame = Buffer.from([0x81, 0x0a, 0x00, 0x09, 0x01, 0x00, 0x71, invokeId, reason]);
    this.transport.send(frame, frame.length, String(sender.address));
  }
}

function reply(content: { header?: { sender: BACNetAddress }; service?: number; invokeId?: number }): {
  sender: BACNetAddress;
  service: number;
  invokeId: number;
} {
  return {
    sender: content.header?.sender ?? { address: '' },
    service: content.service ?? 0,
    invokeId: content.invokeId ?? 0,
  };
}

export { iAmFrame } from './i-am-frame.js';

/** Start a simulated device (see {@link SimDeviceOptions}). */
export const startSimDevice = (options: SimDeviceOptions = {}): Promise<SimDevice> => SimDevice.start(options);
