/**
 * The BACnet driver end to end through the supervisor: a site.yaml with a bacnet gateway reaching
 * a simulated device on loopback UDP (an OS-chosen port); `gateways.writeValue` commands the
 * device at the point's priority, and a COV change on the device arrives at a peers client as
 * `newValue <key>`.
 */
import { startSimDevice, type SimDevice } from '@weble/driver-bacnet/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSite, type RunningSite } from '../../packages/supervisor/test/fixtures/running-site.js';
import type { RemoteGateways } from '@weble/api';

let sim: SimDevice;
let site: RunningSite;
let gateways: RemoteGateways;

beforeAll(async () => {
  sim = await startSimDevice({ instance: 9001 });
  site = await startSite(`
hub: { socket: ./run/s.sock }
gateways:
  - id: ahu
    type: bacnet
    name: ahu-1
    config: { port: 0, interface: 127.0.0.1, broadcastAddress: "127.255.255.255:${sim.port}", apduTimeoutMs: 500, retries: 1, pollMs: 1000, priority: 12 }
addresses:
  - { key: ahu.supply, gateway: ahu, point: { device: 9001, object: "analog-input:1" } }
  - { key: ahu.valve, gateway: ahu, point: { device: 9001, object: "analog-output:1", priority: 8 } }
  - { key: ahu.fan, gateway: ahu, point: { device: 9001, object: "binary-output:1" } }
supervision:
  restart: { initialMs: 50, maxMs: 200 }
`);
  gateways = (await site.client('supervision').require('gateways')) as unknown as RemoteGateways;
  await site.until(
    'the device bound and read',
    async () => ((await gateways.readValue('ahu.supply').catch(() => undefined)) === 21.5 ? true : undefined),
    15_000,
  );
});
afterAll(async () => {
  await site?.close();
  sim?.close();
});

describe('bacnet gateway under the supervisor', () => {
  it('gateways.writeValue commands the device at the point priority, and relinquishes with null', async () => {
    await gateways.writeValue('ahu.valve', 55);
    expect(sim.priorityArray('analog-output:1')[7]).toBe(55);
    expect(sim.get('analog-output:1')).toBe(55);
    await gateways.writeValue('ahu.fan', true);
    expect(sim.priorityArray('binary-output:1')[11]).toBe(1); // the gateway's priority 12
    await gateways.writeValue('ahu.valve', null);
    expect(sim.priorityArray('analog-output:1')[7]).toBeNull();
    expect(await gateways.readValue('ahu.valve')).toBe(0);
  });

  it('a COV change on the device arrives at a peers client as newValue <key>', async () => {
    await site.until('a COV subscription', async () =>
      sim.covSubscriptions().some((sub) => sub.object === '0:1') ? true : undefined,
    );
    const seen: unknown[] = [];
    const listener = (_key: unknown, value: unknown): void => void seen.push(value);
    site.client('supervision').on('newValue ahu.supply', listener);
    await gateways.readValue('ahu.supply'); // answered after the subscription: the listener is in place
    sim.set('analog-input:1', 23.75);
    await site.until('newValue ahu.supply 23.75', async () => (seen.includes(23.75) ? true : undefined));
    site.client('supervision').removeListener('newValue ahu.supply', listener);
  });
});
