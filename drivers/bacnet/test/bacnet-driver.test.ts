/**
 * The BACnet driver as the supervisor runs it (the built bin, config over IPC) against simulated
 * devices on loopback UDP (ports chosen by the OS, never 47808): discovery, RPM reads, COV, writes
 * at a priority and relinquish, a device that goes silent and returns, rebinding, errors.
 */
import { DriverCode, DriverEvents } from '@weble/driver-kit';
import { waitForEvent, waitUntil } from '@weble/driver-kit/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Harness, point } from './helpers.js';

const harness = new Harness();
beforeAll(() => harness.open());
afterAll(() => harness.close());

const DEVICE = 1234;

/** A gateway config reaching `sim` by Who-Is on its port, with fast timeouts. */
function viaWhoIs(port: number, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return { broadcastAddress: `127.255.255.255:${port}`, apduTimeoutMs: 300, retries: 1, pollMs: 300, ...extra };
}

describe('discovery', () => {
  it('binds a device by Who-Is/I-Am at start and lists devices and their objects on demand', async () => {
    const sim = await harness.sim({ instance: DEVICE });
    const online = harness.driver(viaWhoIs(sim.port), [point('supply', DEVICE, 'analog-input:1', { cov: false })]);
    const { driver } = await online;
    await waitUntil(() => (sim.served.whoIs ?? 0) > 0, { what: 'a Who-Is at start' });
    await waitUntil(() => sim.served.readPropertyMultiple !== undefined || sim.served.readProperty !== undefined, {
      what: 'a first read',
    });
    expect((await driver.devices()).find((device) => device.instance === DEVICE)).toMatchObject({
      address: sim.address,
      state: 'online',
      maxApdu: 1476,
      segmentation: 'both',
      vendorId: 999,
    });

    const found = await driver.discover({ waitMs: 300, objects: true });
    expect(found).toHaveLength(1);
    expect(found[0]).toMatchObject({
      instance: DEVICE,
      address: sim.address,
      name: `sim-device-${DEVICE}`,
      objectListRead: 'whole',
    });
    expect(found[0]?.objects).toEqual(
      expect.arrayContaining([
        { object: `device:${DEVICE}`, name: `sim-device-${DEVICE}` },
        { object: 'analog-input:1', name: 'supply-temp' },
        { object: 'analog-output:1', name: 'valve' },
        { object: 'binary-output:1', name: 'fan' },
      ]),
    );
  });

  it('reads the object list element by element from a device that cannot segment it', async () => {
    const sim = await harness.sim({ instance: 4321, segmentation: 'none', maxApdu: 128, extraObjects: 30 });
    const { driver } = await harness.driver(viaWhoIs(sim.port), []);
    const [device] = await driver.discover({ instance: 4321, waitMs: 300, objects: true });
    expect(device).toMatchObject({
      instance: 4321,
      segmentation: 3,
      maxApdu: 128,
      objectListRead: 'element by element',
    });
    expect(device?.objects).toHaveLength(8 + 30);
    expect(device?.objects?.at(-1)).toEqual({ object: 'analog-value:129', name: 'av-129' });
  });

  it('answers bad discover options with a coded error', async () => {
    const sim = await harness.sim({ instance: 77 });
    const { driver } = await harness.driver(viaWhoIs(sim.port), []);
    await expect(driver.discover({ waitMs: 'soon' } as never)).rejects.toMatchObject({
      code: DriverCode.BAD_ARGUMENT,
      message: expect.stringContaining('driver.discover options: waitMs'),
    });
    await expect(driver.priorityArray(42 as never)).rejects.toMatchObject({ code: DriverCode.BAD_ARGUMENT });
  });
});

describe('reading', () => {
  it('reads several objects in one ReadPropertyMultiple, with REAL values as written and status flags', async () => {
    const sim = await harness.sim({ instance: 2001 });
    const addresses = [
      point('supply', 2001, 'analog-input:1', { cov: false }),
      point('outdoor', 2001, 'analog-input:2', { cov: false }),
      point('pump', 2001, 'binary-input:1', { cov: false }),
      point('valve', 2001, 'analog-output:1', { cov: false, status: true }),
      point('mode', 2001, { type: 'multi-state-value', instance: 1 }, { cov: false }),
      point('valve.name', 2001, 'analog-output:1', { property: 'object-name' }),
    ];
    const { driver } = await harness.driver(
      { devices: [{ instance: 2001, address: sim.address }], pollMs: 60_000 },
      addresses,
    );
    await waitUntil(() => (sim.served.readPropertyMultiple ?? 0) >= 1, { what: 'the first RPM' });
    const values = await waitForAll(driver, addresses.length);
    expect(values).toEqual({
      supply: 21.5,
      outdoor: 11.2,
      pump: false,
      valve: { value: 0, flags: { inAlarm: false, fault: false, overridden: false, outOfService: false } },
      mode: 1,
      'valve.name': 'valve',
    });
    expect(sim.served.readPropertyMultiple).toBe(1);
    expect(sim.served.readProperty).toBeUndefined();
    expect(await driver.read('outdoor')).toBe(11.2);
  });

  it('describes each point from its config and from the device, in the same first RPM: writable, state texts, limits, relinquish', async () => {
    const sim = await harness.sim({ instance: 2004 });
    const addresses = [
      point('supply', 2004, 'analog-input:1', { cov: false }),
      point('pump', 2004, 'binary-input:1', { cov: false }),
      point('fan', 2004, 'binary-output:1', { cov: false }),
      point('valve', 2004, 'analog-output:1', { cov: false }),
      point('setpoint', 2004, 'analog-value:1', { cov: false }),
      point('mode', 2004, 'multi-state-value:1', { cov: false }),
    ];
    const { driver } = await harness.driver(
      { devices: [{ instance: 2004, address: sim.address }], pollMs: 60_000 },
      addresses,
    );
    // The infos are taken in the same tick as the first values: once those are in, so are they.
    await waitForAll(driver, addresses.length);
    const infos = Object.fromEntries((await driver.addresses()).map((a) => [a.key, a.info]));
    expect(infos).toEqual({
      supply: { writable: false },
      pump: { writable: false, states: { false: 'Stopped', true: 'Running' } },
      fan: { writable: true, relinquish: true, states: { false: 'Off', true: 'On' } },
      valve: { writable: true, relinquish: true, min: 0, max: 100 },
      setpoint: { writable: true, relinquish: false },
      mode: { writable: true, relinquish: false, states: { 1: 'Off', 2: 'Heat', 3: 'Cool' } },
    });
    expect(sim.served.readPropertyMultiple).toBe(1);
  });

  it('falls back to ReadProperty for a device without RPM', async () => {
    const sim = await harness.sim({ instance: 2002, rpm: false });
    const addresses = [
      point('a', 2002, 'analog-input:1', { cov: false }),
      point('b', 2002, 'analog-input:2', { cov: false }),
    ];
    const { driver } = await harness.driver(
      { devices: [{ instance: 2002, address: sim.address }], pollMs: 60_000 },
      addresses,
    );
    expect(await waitForAll(driver, 2)).toEqual({ a: 21.5, b: 11.2 });
    expect((await driver.devices()).find((device) => device.instance === 2002)).toMatchObject({
      readPropertyMultiple: false,
    });
    expect(sim.served.readProperty).toBeGreaterThanOrEqual(2);
  });

  it('an unknown object fails with a clear error naming object and device', async () => {
    const sim = await harness.sim({ instance: 2003 });
    const addresses = [
      point('ghost', 2003, 'analog-value:12', { cov: false }),
      point('real', 2003, 'analog-input:1', { cov: false }),
    ];
    const { driver } = await harness.driver(
      { devices: [{ instance: 2003, address: sim.address }], pollMs: 60_000 },
      addresses,
    );
    await expect(driver.read('ghost')).rejects.toMatchObject({
      code: DriverCode.DEVICE_ERROR,
      message: expect.stringContaining('unknown-object analog-value:12 present-value on device 2003'),
    });
    expect(await driver.read('real')).toBe(21.5);
    expect((await driver.status()).errors).toBeGreaterThanOrEqual(1);
  });
});

describe('COV', () => {
  it('subscribes and reports notifications as newValue, with status flags', async () => {
    const sim = await harness.sim({ instance: 3001 });
    const addresses = [
      point('supply', 3001, 'analog-input:1'),
      point('fan', 3001, 'binary-output:1', { status: true }),
    ];
    const { driver } = await harness.driver(
      { devices: [{ instance: 3001, address: sim.address }], pollMs: 60_000, cov: { lifetimeS: 60, confirmed: true } },
      addresses,
    );
    await waitUntil(() => sim.covSubscriptions().length === 2, { what: 'two COV subscriptions' });
    expect(sim.covSubscriptions().every((sub) => sub.confirmed)).toBe(true);
    await waitForAll(driver, 2);
    const changed = waitForEvent(driver, DriverEvents.newValue('supply'), { match: (_key, value) => value === 25.5 });
    await driver.status(); // answered after the subscription: the driver has the listener
    sim.set('analog-input:1', 25.5);
    expect((await changed).slice(0, 3)).toEqual(['supply', 25.5, '25.5']);
    const fault = waitForEvent(driver, DriverEvents.newValue('fan'), {
      match: (_key, value) => (value as { flags: { fault: boolean } }).flags.fault,
    });
    await driver.status();
    sim.setFlags('binary-output:1', { fault: true });
    expect((await fault)[1]).toEqual({
      value: false,
      flags: { inAlarm: false, fault: true, overridden: false, outOfService: false },
    });
  });

  it('polls the points of a device that refuses COV', async () => {
    const sim = await harness.sim({ instance: 3002, cov: false });
    const { driver } = await harness.driver({ devices: [{ instance: 3002, address: sim.address }], pollMs: 200 }, [
      point('supply', 3002, 'analog-input:1'),
    ]);
    await waitUntil(() => (sim.served.subscribeCov ?? 0) >= 1, { what: 'a COV subscription attempt' });
    const changed = waitForEvent(driver, DriverEvents.newValue('supply'), {
      match: (_key, value) => value === 30,
      timeoutMs: 5_000,
    });
    await driver.status();
    sim.set('analog-input:1', 30);
    await changed;
    expect(sim.covSubscriptions()).toEqual([]);
  });
});

describe('writing', () => {
  it('writes at priority 8, reads back the priority array, then relinquishes with null', async () => {
    const sim = await harness.sim({ instance: 4001 });
    const addresses = [
      point('valve', 4001, 'analog-output:1', { priority: 8 }),
      point('fan', 4001, 'binary-output:1'),
      point('temp', 4001, 'analog-input:1'),
    ];
    const { driver } = await harness.driver(
      { devices: [{ instance: 4001, address: sim.address }], pollMs: 60_000 },
      addresses,
    );
    await waitForAll(driver, 3);

    const commanded = waitForEvent(driver, DriverEvents.newValue('valve'), { match: (_key, value) => value === 42.5 });
    await driver.write('valve', 42.5);
    await commanded;
    expect(sim.priorityArray('analog-output:1')[7]).toBe(42.5);
    expect(await driver.priorityArray('valve')).toMatchObject({ object: 'analog-output:1', active: 8 });
    expect((await driver.priorityArray('valve')).slots[7]).toBe(42.5);

    const relinquished = waitForEvent(driver, DriverEvents.newValue('valve'), { match: (_key, value) => value === 0 });
    await driver.write('valve', null);
    await relinquished;
    expect(sim.priorityArray('analog-output:1')[7]).toBeNull();
    expect(await driver.priorityArray('valve')).toMatchObject({ active: null });

    await driver.write('fan', true); // the gateway's default priority (16)
    expect(sim.priorityArray('binary-output:1')[15]).toBe(1);
    expect(await driver.read('fan')).toBe(true);

    await expect(driver.write('valve', 'open')).rejects.toMatchObject({ code: DriverCode.BAD_VALUE });
    await expect(driver.write('temp', 3)).rejects.toMatchObject({
      code: DriverCode.DEVICE_ERROR,
      message: expect.stringContaining(
        'write-access-denied analog-input:1 present-value at priority 16 on device 4001',
      ),
    });
  });
});

describe('device failures', () => {
  it('reports a device that goes silent offline, and online again when it answers', async () => {
    const sim = await harness.sim({ instance: 5001 });
    const { driver } = await harness.driver(
      { devices: [{ instance: 5001, address: sim.address }], pollMs: 200, apduTimeoutMs: 200, retries: 0 },
      [point('t', 5001, 'analog-input:1', { cov: false })],
    );
    await waitForAll(driver, 1);
    const offline = waitForEvent<[string, string]>(driver, 'deviceState 5001', {
      match: (state) => state === 'offline',
      timeoutMs: 5_000,
    });
    await driver.status();
    sim.silent = true;
    const [, detail] = await offline;
    expect(detail).toMatch(/no answer from 127\.0\.0\.1:\d+ since/);
    expect((await driver.status()).detail).toBe('devices not online: 5001 (offline)');
    await expect(driver.read('t')).rejects.toMatchObject({
      message: expect.stringContaining('device 5001 is offline'),
    });

    const online = waitForEvent(driver, 'deviceState 5001', { match: (state) => state === 'online', timeoutMs: 5_000 });
    await driver.status();
    sim.silent = false;
    await online;
    const back = waitForEvent(driver, DriverEvents.newValue('t'), {
      match: (_key, value) => value === 19,
      timeoutMs: 5_000,
    });
    await driver.status();
    sim.set('analog-input:1', 19);
    await back;
    expect((await driver.status()).detail).toBeUndefined();
  });

  it('rebinds a device that comes back at another address (its I-Am)', async () => {
    const first = await harness.sim({ instance: 5002 });
    const { driver } = await harness.driver({ ...viaWhoIs(first.port), apduTimeoutMs: 200, retries: 0 }, [
      point('t', 5002, 'analog-input:1'),
    ]);
    await waitUntil(() => first.covSubscriptions().length === 1, { what: 'a COV subscription' });
    const driverPort = await driverPortOf(first);
    first.close();
    const moved = waitForEvent(driver, 'deviceState 5002', { match: (state) => state === 'online', timeoutMs: 5_000 });
    await driver.status();
    const second = await harness.sim({ instance: 5002, announce: `127.0.0.1:${driverPort}` });
    await moved;
    await waitUntil(() => second.covSubscriptions().length === 1, {
      what: 'the subscription renewed at the new address',
    });
    expect((await driver.devices()).find((device) => device.instance === 5002)).toMatchObject({
      address: second.address,
      state: 'online',
    });
    const changed = waitForEvent(driver, DriverEvents.newValue('t'), { match: (_key, value) => value === 33 });
    await driver.status();
    second.set('analog-input:1', 33);
    await changed;
  });
});

/** The driver's UDP port, as seen by a device it subscribed to. */
async function driverPortOf(sim: { covSubscriptions(): Array<{ subscriber: string }> }): Promise<number> {
  const subscriber = sim.covSubscriptions()[0]?.subscriber ?? '';
  return Number(subscriber.slice(subscriber.lastIndexOf(':') + 1));
}

/** Wait until `count` addresses have a value; the values by key. */
async function waitForAll(
  driver: { addresses(): Promise<Array<{ key: string; value?: unknown }>> },
  count: number,
): Promise<Record<string, unknown>> {
  let last: Array<{ key: string; value?: unknown }> = [];
  const deadline = Date.now() + 5_000;
  for (;;) {
    last = await driver.addresses();
    if (last.filter((address) => address.value !== undefined).length >= count) break;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${count} values: ${JSON.stringify(last)}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  return Object.fromEntries(last.map((address) => [address.key, address.value]));
}
