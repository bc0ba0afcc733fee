/**
 * The driver-owned poll (the kit's `poll` hook): one worker per device. When the device is (or
 * comes back) online: subscribe COV for its COV points (renewed before the lifetime ends; a
 * device that refuses COV gets those points polled), read every point once (RPM batches), then
 * read the polled points every `intervalMs`. While it is offline or unbound: Who-Is and a probe
 * every `pollMs` until it answers or an I-Am (maybe from a new address) brings it back.
 */
import bacnet from './lib.js';
import type { PollContext } from '@weble/driver-kit';
import { formatObject } from './bacnet-names.js';
import { renewAfterMs } from './cov-policy.js';
import { BacnetRequestError } from './failures.js';
import type { BacnetGateway } from './gateway.js';
import { pointOutcome, readItemsOf, type ResolvedPoint } from './points.js';
import { planPointInfo } from './point-info.js';
import type { BacnetConfig, BacnetPoint } from './schemas.js';

type Ctx = PollContext<BacnetConfig, BacnetPoint>;

/** Key of the heartbeat in the schedule (no poll interval is negative). */
const HEARTBEAT = -1;

/** Run every device's worker until `ctx.signal` aborts. */
export async function pollGateway(gateway: BacnetGateway, ctx: Ctx): Promise<void> {
  const workers = new Map<number, DeviceWorker>();
  for (const instance of gateway.instances()) {
    workers.set(
      instance,
      new DeviceWorker(
        instance,
        gateway,
        ctx,
        gateway.points.filter((point) => point.instance === instance),
      ),
    );
  }
  gateway.listen({ online: (instance) => workers.get(instance)?.wake(true) });
  ctx.signal.addEventListener('abort', () => gateway.listen(undefined), { once: true });
  if (gateway.config.discoverAtStart) {
    const unbound = gateway.session.devices().filter((device) => device.receiver === undefined);
    if (unbound.length > 0) gateway.session.whoIs(unbound.length === 1 ? unbound[0]?.instance : undefined);
  }
  await Promise.all([...workers.values()].map((worker) => worker.run()));
}

/** A subscription we hold. */
interface Subscription {
  renewAt: number;
}

class DeviceWorker {
  private readonly subscriptions = new Map<string, Subscription>();
  /** Objects whose COV the device refused: their points are polled. */
  private readonly refused = new Set<string>();
  private needsStart = true;
  private wakeUp: (() => void) | undefined;
  private readonly nextRead = new Map<number, number>();

  constructor(
    private readonly instance: number,
    private readonly gateway: BacnetGateway,
    private readonly ctx: Ctx,
    private readonly points: ResolvedPoint[],
  ) {}

  /** Run now; `restart`: the device is back or moved (resubscribe and read everything). */
  wake(restart: boolean): void {
    if (restart) this.needsStart = true;
    this.wakeUp?.();
  }

  async run(): Promise<void> {
    const { signal } = this.ctx;
    const pollMs = this.gateway.config.pollMs;
    while (!signal.aborted) {
      const binding = this.gateway.session.binding(this.instance);
      let waitMs = pollMs;
      if (binding.state !== 'online' && !(binding.state === 'unbound' && binding.receiver)) {
        if (!(await this.probe())) {
          await this.sleep(waitMs);
          continue;
        }
      }
      if (this.needsStart) {
        this.needsStart = false;
        await this.start();
      }
      waitMs = await this.due();
      this.ctx.cycle();
      await this.sleep(waitMs);
    }
  }

  /** Who-Is and one try of a read: true when the device answered. */
  private async probe(): Promise<boolean> {
    const session = this.gateway.session;
    session.whoIs(this.instance);
    if (!session.binding(this.instance).receiver) return false;
    try {
      await session.readProperty(
        this.instance,
        {
          object: { type: bacnet.ObjectType.DEVICE, instance: this.instance },
          property: bacnet.PropertyIdentifier.OBJECT_NAME,
        },
        { probe: true, retries: 0 },
      );
      this.needsStart = true;
      return true;
    } catch (error) {
      // An error answer proves the device is there; a timeout does not.
      if (error instanceof BacnetRequestError && error.failure.kind === 'error') {
        this.needsStart = true;
        return true;
      }
      return false;
    }
  }

  /** Read the device's name: an answer keeps it online, a silence makes it offline. */
  private async heartbeat(): Promise<void> {
    try {
      await this.gateway.session.readProperty(this.instance, {
        object: { type: bacnet.ObjectType.DEVICE, instance: this.instance },
        property: bacnet.PropertyIdentifier.OBJECT_NAME,
      });
    } catch {
      // The session has marked the device offline (silence) or it answered with an error (alive).
    }
  }

  /** Subscribe COV objects, then read every point once. */
  private async start(): Promise<void> {
    this.subscriptions.clear();
    for (const objectKey of this.covObjects()) {
      if (this.ctx.signal.aborted) return;
      if (!(await this.subscribe(objectKey))) break;
    }
    await this.readPoints(this.points, true);
    const now = Date.now();
    this.nextRead.clear();
    for (const point of this.polled()) this.nextRead.set(point.intervalMs, now + point.intervalMs);
  }

  /** Renewals and reads that are due; returns ms until the next one. */
  private async due(): Promise<number> {
    const now = Date.now();
    for (const [objectKey, subscription] of this.subscriptions) {
      if (subscription.renewAt <= now && !(await this.subscribe(objectKey))) break;
    }
    const polled = this.polled();
    for (const [interval, at] of [...this.nextRead]) {
      if (interval === HEARTBEAT || at > Date.now()) continue;
      await this.readPoints(polled.filter((point) => point.intervalMs === interval));
      this.nextRead.set(interval, Math.max(at + interval, Date.now()));
    }
    for (const point of polled)
      if (!this.nextRead.has(point.intervalMs)) this.nextRead.set(point.intervalMs, Date.now() + point.intervalMs);
    // Points served by COV only: still check the device every pollMs (a silent device goes offline).
    if (polled.length === 0) {
      const at = this.nextRead.get(HEARTBEAT) ?? Date.now() + this.gateway.config.pollMs;
      if (at <= Date.now()) {
        await this.heartbeat();
        this.nextRead.set(HEARTBEAT, Date.now() + this.gateway.config.pollMs);
      } else this.nextRead.set(HEARTBEAT, at);
    }
    const times = [...this.nextRead.values(), ...[...this.subscriptions.values()].map((s) => s.renewAt)];
    return Math.max(0, Math.min(...times) - Date.now());
  }

  /** The objects with COV points that have not refused COV. */
  private covObjects(): string[] {
    return [
      ...new Set(
        this.points.filter((point) => point.cov && !this.refused.has(point.objectKey)).map((point) => point.objectKey),
      ),
    ];
  }

  /** Points read by polling: not COV, or COV refused, or the subscription is not held. */
  private polled(): ResolvedPoint[] {
    return this.points.filter((point) => !point.cov || !this.subscriptions.has(point.objectKey));
  }

  /** Subscribe (or renew); false when the device did not answer (stop for now). */
  private async subscribe(objectKey: string): Promise<boolean> {
    const point = this.points.find((candidate) => candidate.objectKey === objectKey);
    if (!point) return true;
    const { cov } = this.gateway.config;
    // Asked before it is sent: a stop during the request cancels it too.
    this.gateway.cov.asked(this.instance, objectKey, point.object);
    try {
      await this.gateway.session.subscribeCov(this.instance, point.object, this.gateway.processId, {
        confirmed: cov.confirmed,
        lifetimeS: cov.lifetimeS,
      });
      this.subscriptions.set(objectKey, { renewAt: Date.now() + renewAfterMs(cov.lifetimeS) });
      return true;
    } catch (error) {
      this.subscriptions.delete(objectKey);
      if (this.ctx.signal.aborted) return false; // stopping: the session refuses new requests
      const failure = error instanceof BacnetRequestError ? error.failure : undefined;
      if (failure?.kind === 'timeout') return false;
      this.gateway.cov.refused(this.instance, objectKey);
      this.refused.add(objectKey);
      this.ctx.log.warn(
        { device: this.instance, object: objectKey, err: error },
        `COV refused for ${formatObject(point.object)} on device ${this.instance}: ${(error as Error).message}; polling it every ${point.intervalMs} ms`,
      );
      return true;
    }
  }

  /**
   * Read `points` (RPM batches) and report their values; failures go to the kit's counters.
   * `describe`: in the same requests, what the device says of them (state texts, limits,
   * priority array), reported with `ctx.describePoint`.
   */
  private async readPoints(points: readonly ResolvedPoint[], describe = false): Promise<void> {
    if (points.length === 0 || this.ctx.signal.aborted) return;
    const items = points.map((point) => readItemsOf(point));
    const info = describe ? planPointInfo(points) : undefined;
    let outcomes;
    try {
      outcomes = await this.gateway.session.readMany(this.instance, [...items.flat(), ...(info?.items ?? [])]);
    } catch (error) {
      this.ctx.failed(
        points.map((point) => point.key),
        error as Error,
      );
      return;
    }
    let at = 0;
    const failed = new Map<string, string[]>();
    const good: string[] = [];
    const errors = new Map<string, Error>();
    points.forEach((point, index) => {
      const count = items[index]?.length ?? 1;
      const outcome = pointOutcome(point, outcomes.slice(at, at + count));
      at += count;
      if (outcome.ok) {
        this.ctx.emitValue(point.key, outcome.value);
        good.push(point.key);
      } else {
        const keys = failed.get(outcome.error.message) ?? [];
        keys.push(point.key);
        failed.set(outcome.error.message, keys);
        errors.set(outcome.error.message, outcome.error);
      }
    });
    if (info) for (const [key, pointInfo] of info.infos(outcomes.slice(at))) this.ctx.describePoint?.(key, pointInfo);
    if (good.length > 0) this.ctx.recovered(good);
    for (const [message, keys] of failed) this.ctx.failed(keys, errors.get(message) ?? new Error(message));
  }

  /** Wait `ms`, or until woken or stopped. */
  private sleep(ms: number): Promise<void> {
    const { signal } = this.ctx;
    return new Promise<void>((resolve) => {
      if (signal.aborted) return resolve();
      const done = (): void => {
        clearTimeout(timer);
        signal.removeEventListener('abort', done);
        this.wakeUp = undefined;
        resolve();
      };
      const timer = setTimeout(done, ms);
      signal.addEventListener('abort', done, { once: true });
      this.wakeUp = done;
    });
  }
}
