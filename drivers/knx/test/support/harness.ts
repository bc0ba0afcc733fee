/** Shared set-up of the KNX driver's process tests: the built bin, a hub, knxd, configs. */
import { fileURLToPath } from 'node:url';
import { spawnDriver, startTestHub, type DriverChild, type Listenable, type TestHub } from '@weble/driver-kit/testing';
import type { RemoteDriver } from '@weble/driver-kit';
import { Knxd } from '../../src/testing/index.js';

/** The built bin (`pnpm --filter @weble/driver-knx build` first). */
export const BIN = fileURLToPath(new URL('../../dist/bin.cjs', import.meta.url));

/** The KNX `driver` module through the mesh. */
export type Driver = RemoteDriver & Listenable & { busStatus(): Promise<{ queued: number; undecodable: number }> };

/** Fast heartbeat for tests: a dead tunnel is noticed within about 1.5 s. */
export const TEST_HEARTBEAT = { intervalMs: 500, timeoutMs: 400, retries: 1 };

/** Everything a test started, stopped by `close()` (afterAll). */
export class Harness {
  hub!: TestHub;
  knxd!: Knxd;
  readonly children: DriverChild[] = [];
  private nextId = 1;

  async open(): Promise<this> {
    [this.hub, this.knxd] = await Promise.all([startTestHub(), Knxd.start()]);
    return this;
  }

  /** Start the driver bin on this knxd with `config` and `addresses`; resolves with its `driver` module. */
  async driver(
    config: Record<string, unknown>,
    addresses: unknown[],
  ): Promise<{ driver: Driver; child: DriverChild; id: number }> {
    const id = this.nextId++;
    const peerName = `driver_knx_${id}`;
    const gatewayConfig = { host: '127.0.0.1', port: this.knxd.port, heartbeat: TEST_HEARTBEAT, ...config };
    const child = spawnDriver(BIN, {
      hub: this.hub.socket,
      peerName,
      config: { gateway: { id, type: 'knx', config: gatewayConfig }, addresses },
      env: { WEBLE_LOG_LEVEL: 'warn' },
    });
    this.children.push(child);
    await this.hub.waitForPeer(peerName);
    const driver = await this.hub.peers(peerName).require<Driver>('driver');
    return { driver, child, id };
  }

  async close(): Promise<void> {
    for (const child of this.children.splice(0)) child.kill();
    await Promise.all([this.hub?.close(), this.knxd?.close()]);
  }
}

/** Resolve when `driver` reports `state` for gateway `id` (also when it is already in it). */
export async function waitForState(driver: Driver, id: number, state: string, timeoutMs = 10_000): Promise<number> {
  const started = performance.now();
  await new Promise<void>((resolve, reject) => {
    const event = `gatewayState ${id}`;
    const timer = setTimeout(() => {
      driver.removeListener(event, listener);
      reject(new Error(`gateway ${id} not ${state} within ${timeoutMs} ms`));
    }, timeoutMs);
    const listener = (current: string): void => {
      if (current !== state) return;
      clearTimeout(timer);
      driver.removeListener(event, listener);
      resolve();
    };
    driver.on(event, listener);
    // Subscribed first, then the snapshot: a state entered before the subscription is not missed.
    void driver.status().then((status) => listener(status.state));
  });
  return performance.now() - started;
}

/**
 * Every emission of `event` on the driver from the subscription on. Subscribing to a remote event
 * sends an interest to the driver: a listener added just before a telegram may be in place only
 * after it. So tests subscribe once (then `ready()`: a call answered after the subscription proves
 * the driver has it) and wait for the next matching emission with `next`.
 */
export class EventLog<A extends unknown[] = unknown[]> {
  readonly seen: A[] = [];
  private readonly waiters = new Set<() => void>();

  constructor(
    private readonly driver: Driver,
    readonly event: string,
  ) {
    driver.on(event, (...args: unknown[]) => {
      this.seen.push(args as A);
      for (const waiter of [...this.waiters]) waiter();
    });
  }

  /** Resolves once the driver has the listener. */
  async ready(): Promise<this> {
    await this.driver.status();
    return this;
  }

  /** How many emissions so far: pass it to `next` to wait for a later one. */
  get mark(): number {
    return this.seen.length;
  }

  /** The first emission after `mark` that `match` accepts. */
  next(mark: number, match: (...args: A) => boolean = () => true, timeoutMs = 5_000): Promise<A> {
    return new Promise<A>((resolve, reject) => {
      const check = (): boolean => {
        const found = this.seen.slice(mark).find((args) => match(...args));
        if (!found) return false;
        cleanup();
        resolve(found);
        return true;
      };
      const timer = setTimeout(() => {
        cleanup();
        reject(new Error(`timed out after ${timeoutMs} ms waiting for "${this.event}"`));
      }, timeoutMs);
      const cleanup = (): void => {
        clearTimeout(timer);
        this.waiters.delete(waiter);
      };
      const waiter = (): void => void check();
      if (!check()) this.waiters.add(waiter);
    });
  }
}
