/**
 * The seed's KNX example end to end through the supervisor: a site.yaml with a knx gateway
 * tunnelled to Debian's knxd (a free UDP port), the address key being the group address itself,
 * so `gateways.writeValue('4/7/25', 1, cb)` switches the group (seen by knxtool's bus monitor) and
 * a group write by knxtool arrives at a peers client as `newValue 4/7/25`.
 */
import { Knxd, type BusMonitor } from '@weble/driver-knx/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSite, type RunningSite } from '../../packages/supervisor/test/fixtures/running-site.js';
import type { RemoteGateways } from '@weble/api';

let knxd: Knxd;
let monitor: BusMonitor;
let site: RunningSite;
let gateways: RemoteGateways;

beforeAll(async () => {
  knxd = await Knxd.start();
  monitor = await knxd.monitor();
  site = await startSite(`
hub: { socket: ./run/s.sock }
gateways:
  - { id: 1, type: knx, name: house, config: { host: 127.0.0.1, port: ${knxd.port}, heartbeat: { intervalMs: 500, timeoutMs: 400 } } }
addresses:
  - { key: "4/7/25", gateway: 1, name: kitchen_light, point: { dpt: "1.001", readOnStart: false } }
  - { key: "3/1/0", gateway: 1, name: room_temp, point: { dpt: "9.001", readOnStart: false } }
supervision:
  restart: { initialMs: 50, maxMs: 200 }
`);
  gateways = (await site.client('supervision').require('gateways')) as unknown as RemoteGateways;
  await site.until(
    'the knx gateway online',
    async () => {
      const ok = await new Promise<boolean>((resolve) =>
        gateways.writeValue('3/1/0', 20, (error) => resolve(error === null || error === undefined)),
      );
      return ok ? true : undefined;
    },
    20_000,
  );
}, 40_000);

afterAll(async () => {
  monitor?.close();
  await site?.close();
  await knxd?.close();
});

describe('knx gateway under the supervisor', () => {
  it("gateways.writeValue('4/7/25', 1, cb) switches the KNX group", async () => {
    const error = await new Promise<Error | null>((resolve) => gateways.writeValue('4/7/25', 1, resolve));
    expect(error ?? null).toBeNull();
    const [telegram] = await monitor.waitFor('4/7/25', 'Write');
    expect(telegram).toMatchObject({ small: true, data: '01' });
  });

  it("a knxtool group write arrives at a peers client as on('newValue 3/1/0')", async () => {
    const seen: unknown[] = [];
    const listener = (_key: unknown, value: unknown): void => void seen.push(value);
    site.client('supervision').on('newValue 3/1/0', listener);
    // A call answered after the subscription, on the same link: the listener is in place.
    await new Promise((resolve) => gateways.writeValue('4/7/25', 0, resolve));
    await knxd.tool('groupwrite', '3/1/0', '0c', '33');
    await site.until('newValue 3/1/0 21.5', async () => (seen.includes(21.5) ? true : undefined));
    site.client('supervision').removeListener('newValue 3/1/0', listener);
  });
});
