/** Shared set-up of the BACnet driver's tests: the built bin, a hub, simulated devices, configs. */
import { fileURLToPath } from 'node:url';
import { spawnDriver, startTestHub, type DriverChild, type Listenable, type TestHub } from '@weble/driver-kit/testing';
import type { RemoteBacnetDriver } from '../src/index.js';
import { startSimDevice, type SimDevice, type SimDeviceOptions } from '../src/sim/device.js';

/** The built bin (`pnpm --filter @weble/driver-bacnet build` first). */
export const BIN = fileURLToPath(new URL('../dist/bin.cjs', import.meta.url));

/** The `driver` module through the mesh: BACnet's methods and the emitter's. */
export type Driver = RemoteBacnetDriver & Listenable;

/** Everything a test started, stopped by `close()` (afterAll). */
export class Harness {
  hub!: TestHub;
  readonly sims: SimDevice[] = [];
  readonly children: DriverChild[] = [];
  private nextId = 1;

  async open(): Promise<this> {
    this.hub = await startTestHub();
    return this;
  }

  async sim(options: SimDeviceOptions = {}): Promise<SimDevice> {
    const sim = await startSimDevice(options);
    this.sims.push(sim);
    return sim;
  }

  /** Start the driver bin with `config` and `addresses`; resolves with its `driver` module. */
  async driver(
    config: Record<string, unknown>,
    addresses: unknown[],
  ): Promise<{ driver: Driver; child: DriverChild; id: number }> {
    const id = this.nextId++;
    const peerName = `driver_bacnet_${id}`;
    const child = spawnDriver(BIN, {
      hub: this.hub.socket,
      peerName,
      config: { gateway: { id, type: 'bacnet', config: { port: 0, interface: '127.0.0.1', ...config } }, addresses },
      env: { WEBLE_LOG_LEVEL: 'warn' },
    });
    this.children.push(child);
    await this.hub.waitForPeer(peerName);
    const driver = await this.hub.peers(peerName).require<Driver>('driver');
    return { driver, child, id };
  }

  async close(): Promise<void> {
    for (const child of this.children.splice(0)) child.kill();
    for (const sim of this.sims.splice(0)) sim.close();
    await this.hub?.close();
  }
}

/** A point of device `device`. */
export function point(
  key: string,
  device: number,
  object: unknown,
  extra: Record<string, unknown> = {},
): { key: string; point: Record<string, unknown> } {
  return { key, point: { device, object, ...extra } };
}
