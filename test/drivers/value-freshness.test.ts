/**
 * Stale when not refreshed (issue 15): a real site (the built `weble-supervisor start`) with a
 * Modbus TCP gateway on a pymodbus server, polled every 100 ms, whose register never changes (so
 * the driver, reporting by exception, sends nothing). While the driver keeps reading it the
 * address stays `good`; SIGSTOP of the driver process (wedged: alive, its link open, reading
 * nothing) turns it `stale` with "not refreshed within 1000 ms (read every 100 ms)" (3 periods,
 * at least 1 s) although its gateway is still online; SIGCONT makes it `good` again as soon as
 * the driver has read it again, without a new value.
 */
import type { Peers } from '@weble/peers-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSite, type RunningSite } from '../../packages/supervisor/test/fixtures/running-site.js';
import { startSimulator, type Simulator } from '../../drivers/modbus/test/support/simulator.js';
import type { RemoteGateways } from '@weble/api';

let site: RunningSite;
let server: Simulator;
let gateways: RemoteGateways;
let driverPid: number | undefined;
/** Every `valueQuality temp` seen: `[quality, reason]`. */
const qualities: Array<[unknown, unknown]> = [];
const onQuality = (_key: unknown, quality: unknown, reason: unknown): void => void qualities.push([quality, reason]);

beforeAll(async () => {
  server = await startSimulator({ transport: 'tcp' });
  await server.set(1, 'input', 3, [215]);
  site = await startSite(`
hub: { socket: ./run/s.sock }
gateways:
  - { id: 1, type: modbus, name: plc, config: { transport: tcp, host: 127.0.0.1, port: ${server.port}, pollMs: 100, timeoutMs: 500 } }
addresses:
  - { key: "plc/temp", gateway: 1, name: temp, point: { table: input, address: 3, type: int16, scale: 0.1 } }
`);
  await site.until(
    'driver up',
    async () => ((await site.find('driver_modbus_1'))?.state === 'up' ? true : undefined),
    20_000,
  );
  gateways = (await (site.client as Peers)('supervision').require('gateways')) as unknown as RemoteGateways;
  gateways.on('valueQuality temp', onQuality);
  await gateways.listGateways(); // the interest is in place once this is answered
}, 60_000);

afterAll(async () => {
  if (driverPid !== undefined) process.kill(driverPid, 'SIGCONT');
  gateways?.removeListener('valueQuality temp', onQuality);
  await site?.close();
  await server?.kill();
});

const lastValue = async (): Promise<unknown[]> =>
  (site.client as Peers)('supervision').call('gateways', 'getLastValue', ['temp']);

describe('stale when not refreshed', () => {
  it('stays good while a steady value is read, for well over 3 poll periods', async () => {
    await site.until('first value', async () => ((await lastValue())[0] === 21.5 ? true : undefined));
    // 25 more polls (2.5 s: over twice the 1 s limit) without a change of the register.
    const from = await server.requests();
    await site.until('25 more polls', async () => ((await server.requests()) - from >= 25 ? true : undefined), 20_000);
    expect(await lastValue()).toEqual([21.5, expect.any(Date), 'good']);
    expect(qualities).toEqual([]);
  });

  it('turns stale when the driver stops reading (SIGSTOP), its gateway still online; good again once it reads', async () => {
    const driver = (await site.find('driver_modbus_1'))!;
    driverPid = driver.pid!;
    process.kill(driverPid, 'SIGSTOP');
    const stale = await site.until('stale', async () => qualities.find(([q]) => q === 'stale'), 15_000);
    expect(stale).toEqual(['stale', 'not refreshed within 1000 ms (read every 100 ms)']);
    expect((await gateways.listGateways())[0]?.state).toBe('online');
    const [value, , quality] = await lastValue();
    expect([value, quality]).toEqual([21.5, 'stale']);

    const polled = await server.requests();
    process.kill(driverPid, 'SIGCONT');
    driverPid = undefined;
    await site.until('good again', async () => (qualities.at(-1)?.[0] === 'good' ? true : undefined), 15_000);
    expect(await server.requests()).toBeGreaterThan(polled); // it read again; the value did not change
    expect(await lastValue()).toEqual([21.5, expect.any(Date), 'good']);
    expect(qualities.map(([q]) => q)).toEqual(['stale', 'good']);
  }, 40_000);
});
