/**
 * The virtual driver as the supervisor runs it: the test is the hub `supervision`, the built bin
 * a child process with its configuration in the `weble:config` IPC message.
 */
import { DriverEvents, type RemoteDriver } from '@weble/driver-kit';
import { spawnDriver, startTestHub, waitForEvent, type DriverChild, type TestHub } from '@weble/driver-kit/testing';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { ADDRESSES, BIN, virtualConfig } from './helpers.js';

let hub: TestHub;
const children: DriverChild[] = [];
const joined: string[] = [];
const linkErrors: string[] = [];
beforeAll(async () => {
  hub = await startTestHub();
  hub.peers.on('connect', (name: unknown) => joined.push(String(name)));
  hub.peers.on('error', (peer: unknown, error: unknown) =>
    linkErrors.push(`${String(peer)}: ${(error as Error).message}`),
  );
});
afterEach(() => {
  for (const child of children.splice(0)) child.kill();
});
afterAll(async () => {
  await hub.close();
});

function requireDriver(peerName: string) {
  return hub.peers(peerName).require<RemoteDriver>('driver');
}
type Driver = Awaited<ReturnType<typeof requireDriver>>;

async function startVirtual(
  id: number,
  addresses: unknown[] = ADDRESSES,
): Promise<{ child: DriverChild; driver: Driver }> {
  const peerName = `driver_virtual_${id}`;
  const child = spawnDriver(BIN, { hub: hub.socket, peerName, config: virtualConfig(id, addresses) });
  children.push(child);
  await hub.waitForPeer(peerName);
  return { child, driver: await requireDriver(peerName) };
}

function read(driver: Driver, key: string): Promise<[unknown, Date]> {
  return new Promise((resolve, reject) =>
    driver.read(key, (error, value, date) => (error ? reject(error) : resolve([value, date!]))),
  );
}

describe('the virtual driver on the mesh', () => {
  it('joins as driver_virtual_<id> and lists its addresses with their first values', async () => {
    const { driver } = await startVirtual(1);
    const addresses = await driver.addresses();
    expect(addresses.map((a) => a.key)).toEqual(ADDRESSES.map((a) => a.key));
    expect(addresses[0]).toMatchObject({
      key: '4/7/25',
      name: 'supply_temp',
      alias: 'boiler.supply',
      point: { type: 'number', initial: 21.5 },
      value: 21.5,
      value_string: '21.5',
    });
    expect(addresses[0]!.value_date).toBeInstanceOf(Date);
    expect(addresses.slice(1, 4).map((a) => a.value)).toEqual([false, 'hello', { a: [1] }]);
    const status = await driver.status();
    expect(status).toMatchObject({ state: 'online', reads: 0, writes: 0, errors: 0 });
    expect(status.values).toBeGreaterThanOrEqual(6); // the first values, then the simulated ones as they move
    expect(status.since).toBeInstanceOf(Date);
  });

  it('reads, writes and reports each written value as newValue <key>', async () => {
    const { driver } = await startVirtual(2);
    const [value, date] = await read(driver, '4/7/25');
    expect(value).toBe(21.5);
    expect(date).toBeInstanceOf(Date);

    const changed = waitForEvent<[string, unknown, string, Date]>(driver, DriverEvents.newValue('4/7/25'));
    await driver.write('4/7/25', 22.25);
    const [key, newValue, text, when] = await changed;
    expect([key, newValue, text]).toEqual(['4/7/25', 22.25, '22.25']);
    expect(when).toBeInstanceOf(Date);
    expect((await read(driver, '4/7/25'))[0]).toBe(22.25);

    const json = waitForEvent(driver, 'newValue blob');
    await driver.write('blob', { mode: 'eco', setpoints: [19, 21] });
    expect(await json).toEqual([
      'blob',
      { mode: 'eco', setpoints: [19, 21] },
      '{"mode":"eco","setpoints":[19,21]}',
      expect.any(Date),
    ]);
    const flag = waitForEvent(driver, DriverEvents.anyNewValue);
    await driver.write('flag', true);
    expect((await flag).slice(0, 3)).toEqual(['flag', true, 'true']);
    expect(await driver.status()).toMatchObject({ state: 'online', reads: 2, writes: 3 });
  });

  it('reports simulated values as they move', async () => {
    const { driver } = await startVirtual(3);
    const first = await waitForEvent<[string, number]>(driver, 'newValue wave');
    const second = await waitForEvent<[string, number]>(driver, 'newValue wave');
    expect(second[1]).not.toBe(first[1]);
    for (const [, value] of [first, second]) {
      expect(value).toBeGreaterThanOrEqual(0);
      expect(value).toBeLessThanOrEqual(100);
    }
    const walk = await waitForEvent<[string, number]>(driver, 'newValue walk');
    expect(walk[1]).toBeGreaterThanOrEqual(0);
    expect(walk[1]).toBeLessThanOrEqual(10);
    expect((await driver.status()).polls).toBeGreaterThan(0);
  });

  it('refuses unknown keys, values of the wrong type and writes to simulated points, with codes', async () => {
    const { driver } = await startVirtual(4);
    await expect(driver.read('9/9/9')).rejects.toMatchObject({
      code: 'DRIVER_UNKNOWN_ADDRESS',
      message: 'unknown address "9/9/9" on gateway 4 (virtual)',
    });
    await expect(driver.write('9/9/9', 1)).rejects.toMatchObject({ code: 'DRIVER_UNKNOWN_ADDRESS' });
    await expect(driver.write('4/7/25', 'warm')).rejects.toMatchObject({
      code: 'DRIVER_BAD_VALUE',
      message: 'write "4/7/25" on gateway 4 (virtual): expected number, received string ("warm")',
    });
    await expect(driver.write('flag', 1)).rejects.toMatchObject({
      code: 'DRIVER_BAD_VALUE',
      message: 'write "flag" on gateway 4 (virtual): expected boolean, received number (1)',
    });
    await expect(driver.write('wave', 5)).rejects.toMatchObject({
      code: 'DRIVER_READ_ONLY',
      message: 'address "wave" is simulated (sine) and cannot be written (gateway 4 (virtual))',
    });
    await expect((driver.write as (key: string) => Promise<void>)('4/7/25')).rejects.toMatchObject({
      code: 'DRIVER_BAD_ARGUMENT',
    });
    expect((await read(driver, '4/7/25'))[0]).toBe(21.5);
  });

  it('stops on SIGTERM: reports offline, leaves the mesh, exits 0', async () => {
    const { child, driver } = await startVirtual(5);
    const states: unknown[][] = [];
    driver.on(DriverEvents.gatewayState(5), (...args: unknown[]) => states.push(args));
    expect(await driver.status()).toMatchObject({ state: 'online' }); // the subscription is in place
    const left = hub.waitForPeerGone('driver_virtual_5');
    child.process.kill('SIGTERM');
    expect(await child.exited).toEqual({ code: 0, signal: null });
    await left;
    expect(states).toEqual([['offline', 'stopped']]);
    expect(linkErrors.filter((e) => e.startsWith('driver_virtual_5'))).toEqual([]);
  });

  it('exits 2 on a bad configuration, printing every problem with its path, and never joins', async () => {
    const child = spawnDriver(BIN, {
      hub: hub.socket,
      peerName: 'driver_virtual_6',
      config: {
        gateway: { id: 6, type: 'virtual', name: 'bad', config: { tickMs: 'fast' } },
        addresses: [
          { key: 'a', point: { type: 'number', initial: 'x' } },
          { key: 'a', point: { type: 'boolean' } },
          { key: 'c', point: { type: 'float' } },
          { key: 'd', point: { type: 'number', simulate: { kind: 'sine', min: 5, max: 1, periodMs: 100 } } },
        ],
      },
    });
    children.push(child);
    expect((await child.exited).code).toBe(2);
    for (const line of [
      'invalid configuration (IPC message weble:config), 5 problems:',
      '  gateway.config.tickMs: expected number, received string',
      '  addresses[0].point.initial: expected number, received string',
      '  addresses[2].point.type: expected one of "number" | "boolean" | "string" | "json"',
      '  addresses[3].point.simulate.max: must be greater than min (5)',
      '  addresses[1].key: duplicate key "a" (first at addresses[0])',
    ]) {
      expect(child.stderr).toContain(line);
    }
    expect(joined).not.toContain('driver_virtual_6');
  });
});
