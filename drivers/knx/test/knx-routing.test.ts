/**
 * KNXnet/IP routing (multicast 224.0.23.12) between the driver and knxd as a KNX router. knxd
 * drops routing frames sent from one of its own addresses, so it runs in its own network
 * namespace joined by a veth pair (root and iproute2 needed); knxtool still reaches it through
 * its local socket. Routing has no connection: the driver is online once it joined the group.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawnDriver, startTestHub, type DriverChild, type TestHub } from '@weble/driver-kit/testing';
import { BIN, EventLog, waitForState, type Driver } from './support/harness.js';
import { Knxd, Netns, type BusMonitor } from '../src/testing/index.js';

let netns: Netns;
let knxd: Knxd;
let hub: TestHub;
let child: DriverChild;
let driver: Driver;
let monitor: BusMonitor;
let values: EventLog<[string, unknown]>;

beforeAll(async () => {
  netns = await Netns.create();
  [knxd, hub] = await Promise.all([Knxd.start(netns), startTestHub()]);
  monitor = await knxd.monitor();
  child = spawnDriver(BIN, {
    hub: hub.socket,
    peerName: 'driver_knx_7',
    config: {
      gateway: {
        id: 7,
        type: 'knx',
        config: {
          transport: 'routing',
          port: knxd.port,
          localAddress: netns.outerAddress,
          individualAddress: '1.1.250',
        },
      },
      addresses: [
        { key: 'temp', point: { ga: '1/0/6', dpt: '9.001', readOnStart: false } },
        { key: '4/7/25', point: { dpt: '1.001', readOnStart: false } },
      ],
    },
    env: { WEBLE_LOG_LEVEL: 'warn' },
  });
  await hub.waitForPeer('driver_knx_7');
  driver = await hub.peers('driver_knx_7').require<Driver>('driver');
  await waitForState(driver, 7, 'online');
  values = await new EventLog<[string, unknown]>(driver, 'newValue').ready();
}, 20_000);

afterAll(async () => {
  monitor?.close();
  child?.kill();
  await Promise.all([hub?.close(), knxd?.close()]);
  await netns?.close();
});

describe('routing through knxd in another network namespace', () => {
  it('a knxtool write reaches the driver as a routing indication', async () => {
    const value = values.next(values.mark, (key) => key === 'temp');
    await knxd.tool('groupwrite', '1/0/6', '0c', '33');
    expect((await value)[1]).toBe(21.5);
  });

  it("the driver's write reaches the router, from its individual address", async () => {
    await driver.write('4/7/25', 1);
    expect((await monitor.waitFor('4/7/25', 'Write'))[0]).toMatchObject({ source: '1.1.250', small: true, data: '01' });
  });
});
