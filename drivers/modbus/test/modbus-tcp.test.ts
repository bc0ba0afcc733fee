/**
 * The driver process against pymodbus over Modbus TCP: every type and byte order, writes with
 * read-back, a silent unit, a late reply, an illegal address, a slow device, and a server killed
 * and restarted on the same port.
 */
import { DriverEvents } from '@weble/driver-kit';
import { startTestHub, waitForEvent, type DriverChild, type TestHub } from '@weble/driver-kit/testing';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  readBack,
  readValue,
  SAMPLES,
  startModbusDriver,
  typeOrderPoints,
  untilDetail,
  untilPolls,
  untilValues,
  wireWords,
  type RunningDriver,
} from './support/driver.js';
import { startSimulator, type Simulator } from './support/simulator.js';

let hub: TestHub;
const children: DriverChild[] = [];
const sims: Simulator[] = [];
let nextId = 1;

beforeAll(async () => {
  hub = await startTestHub();
});
afterEach(async () => {
  for (const child of children.splice(0)) child.kill();
  await Promise.all(sims.splice(0).map((sim) => sim.kill()));
});
afterAll(async () => {
  await hub.close();
});

async function sim(units = [1], port?: number): Promise<Simulator> {
  const server = await startSimulator({ transport: 'tcp', units, ...(port ? { port } : {}) });
  sims.push(server);
  return server;
}

async function driver(
  server: Simulator,
  addresses: unknown[],
  extra: Record<string, unknown> = {},
): Promise<RunningDriver> {
  const running = await startModbusDriver(
    hub,
    nextId++,
    { transport: 'tcp', host: '127.0.0.1', port: server.port, pollMs: 50, timeoutMs: 300, ...extra },
    addresses,
  );
  children.push(running.child);
  return running;
}

describe('Modbus TCP against pymodbus', () => {
  it('reads every type in every byte order, bits, strings, scale and offset', async () => {
    const server = await sim();
    const points = typeOrderPoints(100, 1);
    for (const p of points) await server.set(1, 'holding', p.address, wireWords(p.type, p.order, SAMPLES[p.type]!));
    await server.set(1, 'holding', 0, [0x4142, 0x4344, 0x4500]); // "ABCDE"
    await server.set(1, 'holding', 10, [0x4241, 0x4443]); // "ABCD" byte-swapped
    await server.set(1, 'holding', 20, [0b1010_0000_0000_0101]);
    await server.set(1, 'holding', 21, [215]);
    await server.set(1, 'input', 5, [0xfffe]);
    await server.set(1, 'coil', 3, [1]);
    await server.set(1, 'discrete', 7, [1]);
    const extra = [
      { key: 'text', point: { table: 'holding', address: 0, type: 'string', length: 6 } },
      { key: 'text/swapped', point: { table: 'holding', address: 10, type: 'string', length: 4, order: 'BADC' } },
      { key: 'bit0', point: { table: 'holding', address: 20, type: 'bool', bit: 0 } },
      { key: 'bit1', point: { table: 'holding', address: 20, type: 'bool', bit: 1 } },
      { key: 'bit15', point: { table: 'holding', address: 20, type: 'bool', bit: 15 } },
      { key: 'scaled', point: { table: 'holding', address: 21, type: 'int16', scale: 0.1, offset: -1 } },
      { key: 'input', point: { table: 'input', address: 5, type: 'int16' } },
      { key: 'coil', point: { table: 'coil', address: 3, type: 'bool' } },
      { key: 'coil/off', point: { table: 'coil', address: 4, type: 'bool' } },
      { key: 'discrete', point: { table: 'discrete', address: 7, type: 'bool' } },
    ];
    const running = await driver(server, [...points.map(({ key, point }) => ({ key, point })), ...extra]);
    await untilValues(running, {
      ...Object.fromEntries(points.map((p) => [p.key, readBack(p.type, SAMPLES[p.type]!)])),
      text: 'ABCDE',
      'text/swapped': 'ABCD',
      bit0: true,
      bit1: false,
      bit15: true,
      scaled: 215 * 0.1 - 1,
      input: -2,
      coil: true,
      'coil/off': false,
      discrete: true,
    });
    expect(await readValue(running.driver, 'u1/float64/CDAB')).toBe(SAMPLES.float64);
  });

  it('writes every writable type with the right function code and reads it back', async () => {
    const server = await sim();
    const points = typeOrderPoints(200, 1);
    const running = await driver(server, [
      ...points.map(({ key, point }) => ({ key, point: { ...point, readBack: true } })),
      { key: 'coil', point: { table: 'coil', address: 9, type: 'bool', readBack: true } },
      { key: 'coil/multi', point: { table: 'coil', address: 10, type: 'bool', writeMultiple: true } },
      { key: 'bit3', point: { table: 'holding', address: 30, type: 'bool', bit: 3, readBack: true } },
      { key: 'text', point: { table: 'holding', address: 40, type: 'string', length: 5 } },
      { key: 'scaled', point: { table: 'holding', address: 50, type: 'uint16', scale: 0.5, offset: 10 } },
      { key: 'input', point: { table: 'input', address: 1 } },
    ]);
    await untilValues(running, { coil: false });
    for (const p of points) {
      await running.driver.write(p.key, SAMPLES[p.type]!);
      expect(await server.get(1, 'holding', p.address, wireWords(p.type, p.order, 0).length), p.key).toEqual(
        wireWords(p.type, p.order, SAMPLES[p.type]!),
      );
    }
    await server.set(1, 'holding', 30, [0b1_0000_0001]);
    await running.driver.write('bit3', true);
    expect(await server.get(1, 'holding', 30, 1)).toEqual([0b1_0000_1001]);
    await running.driver.write('coil', true);
    await running.driver.write('coil/multi', true);
    expect(await server.get(1, 'coil', 9, 2)).toEqual([1, 1]);
    await running.driver.write('text', 'Hi!');
    expect(await server.get(1, 'holding', 40, 3)).toEqual([0x4869, 0x2100, 0]);
    await running.driver.write('scaled', 60);
    expect(await server.get(1, 'holding', 50, 1)).toEqual([100]);
    await expect(running.driver.write('scaled', 1)).rejects.toMatchObject({
      code: 'DRIVER_BAD_VALUE',
      message: expect.stringContaining('outside uint16'),
    });
    await expect(running.driver.write('input', 1)).rejects.toMatchObject({ code: 'DRIVER_READ_ONLY' });
    await expect(running.driver.write('u1/int16/ABCD', 'warm')).rejects.toMatchObject({ code: 'DRIVER_BAD_VALUE' });
    expect((await running.driver.status()).errors).toBe(0); // a read-only refusal is the caller's error, not the device's
  });

  it('reports a value changed in the server as newValue, within its deadband only when it moved enough', async () => {
    const server = await sim();
    const running = await driver(
      server,
      [
        { key: 'temp', point: { table: 'holding', address: 5, type: 'int16', scale: 0.1, deadband: 0.5 } },
        { key: 'flag', point: { table: 'coil', address: 2 } },
      ].map((a) => ({ ...a, point: { type: 'bool', ...a.point } })),
    );
    await untilValues(running, { temp: 0, flag: false });
    const seen: unknown[] = [];
    running.driver.on(DriverEvents.newValue('temp'), (_key: string, value: unknown) => seen.push(value));
    const flag = waitForEvent(running.driver, DriverEvents.newValue('flag'));
    await server.set(1, 'coil', 2, [1]);
    expect((await flag)[1]).toBe(true);
    await server.set(1, 'holding', 5, [3]); // 0.3: inside the deadband
    const polls = (await running.driver.status()).polls;
    await untilPolls(running, polls + 4);
    expect(seen).toEqual([]);
    await server.set(1, 'holding', 5, [7]);
    await untilValues(running, { temp: 0.7000000000000001 });
    expect(seen).toEqual([0.7000000000000001]);
  });

  it('names an illegal address with its register number and unit; the other points keep polling', async () => {
    const server = await sim();
    const running = await driver(server, [
      { key: 'ok', point: { table: 'holding', address: 1 } },
      { key: 'bad', point: { table: 'holding', address: 10011 } },
    ]);
    await expect(readValue(running.driver, 'bad')).rejects.toMatchObject({
      code: 'DRIVER_DEVICE_ERROR',
      message: expect.stringContaining('Illegal data address 410012 on unit 1 (MODBUS_ILLEGAL_ADDRESS)'),
    });
    await server.set(1, 'holding', 1, [42]);
    await untilValues(running, { ok: 42 });
    expect((await running.driver.status()).state).toBe('online');
  });

  it('splits a merged read that crosses a missing address and keeps the good points', async () => {
    const server = await sim();
    await server.set(1, 'holding', 9998, [5]);
    const running = await driver(server, [
      { key: 'last', point: { table: 'holding', address: 9998 } },
      { key: 'past', point: { table: 'holding', address: 10001 } }, // merged with "last", past the end of the block
    ]);
    await untilValues(running, { last: 5 });
    await expect(readValue(running.driver, 'past')).rejects.toMatchObject({
      message: expect.stringContaining('MODBUS_ILLEGAL_ADDRESS'),
    });
  });

  it('never takes a late reply for the answer to the next request', async () => {
    const server = await sim();
    await server.set(1, 'holding', 100, [111]);
    await server.set(1, 'holding', 300, [333]);
    const running = await driver(
      server,
      [
        { key: 'a', point: { table: 'holding', address: 100 } },
        { key: 'b', point: { table: 'holding', address: 300 } },
      ],
      { pollMs: 600_000, timeoutMs: 400, retries: 0 },
    );
    await untilValues(running, { a: 111, b: 333 });
    await server.command('delay 1 600 1');
    await expect(readValue(running.driver, 'a')).rejects.toMatchObject({
      message: expect.stringContaining('MODBUS_TIMEOUT'),
    });
    // The reply to "a" (111) arrives while "b" waits for its own (333).
    expect(await readValue(running.driver, 'b')).toBe(333);
    expect(await readValue(running.driver, 'a')).toBe(111);
  });

  it('a silent unit is reported and retried less often; the other unit keeps being polled', async () => {
    const server = await sim([1, 2]);
    const running = await driver(
      server,
      [
        { key: 'one', point: { table: 'holding', address: 0, unit: 1 } },
        { key: 'two', point: { table: 'holding', address: 0, unit: 2 } },
      ],
      { deadUnitRetryMs: 1000, timeoutMs: 100, retries: 0 },
    );
    await untilValues(running, { one: 0, two: 0 });
    await server.command('silence 2');
    await untilDetail(running, /unit 2 not answering/);
    await server.set(1, 'holding', 0, [11]);
    await untilValues(running, { one: 11 });
    const status = await running.driver.status();
    expect(status.state).toBe('online');
    await server.command('wake 2');
    await server.set(2, 'holding', 0, [22]);
    await untilValues(running, { two: 22 });
    await untilDetail(running, (detail) => !/unit 2/.test(detail ?? ''));
  });

  it('with every unit silent the gateway goes offline, and online again when one answers', async () => {
    const server = await sim([1]);
    const running = await driver(server, [{ key: 'one', point: { table: 'holding', address: 0 } }], {
      deadUnitRetryMs: 200,
      timeoutMs: 100,
      retries: 0,
    });
    await untilValues(running, { one: 0 });
    const offline = waitForEvent<[string, string?]>(running.driver, DriverEvents.gatewayState(nextId - 1), {
      match: (state) => state === 'offline',
      timeoutMs: 5000,
    });
    await server.command('silence 1');
    expect((await offline)[1]).toMatch(/no unit answers: unit 1 not answering/);
    const online = waitForEvent<[string, string?]>(running.driver, DriverEvents.gatewayState(nextId - 1), {
      match: (state) => state === 'online',
      timeoutMs: 5000,
    });
    await server.command('wake 1');
    await online;
  });

  it('a slow device skips poll cycles instead of queueing them; a write waits for one request, not a cycle', async () => {
    const server = await sim();
    const addresses = Array.from({ length: 10 }, (_, i) => ({
      key: `r${i}`,
      point: { table: 'holding', address: i * 100 },
    }));
    const running = await driver(server, [...addresses, { key: 'w', point: { table: 'holding', address: 5000 } }], {
      pollMs: 20,
      timeoutMs: 1000,
    });
    await untilValues(running, { r0: 0, r9: 0 });
    await server.command('delay 1 30 0'); // every request 30 ms late: a 10-request cycle takes 300 ms, the group ticks every 20 ms
    await untilDetail(running, /poll cycles skipped/);
    const before = await server.requests();
    await running.driver.write('w', 7);
    const after = await server.requests();
    expect(after - before).toBeLessThanOrEqual(3); // the request in flight, the write (and at most one more in flight when asked)
    expect(await server.get(1, 'holding', 5000, 1)).toEqual([7]);
    await server.command('delay 1 0 0');
  });

  it('recovers by itself when the server is killed and restarted', async () => {
    const first = await sim();
    const running = await driver(first, [{ key: 'v', point: { table: 'holding', address: 3 } }]);
    await untilValues(running, { v: 0 });
    const id = nextId - 1;
    const offline = waitForEvent<[string, string?]>(running.driver, DriverEvents.gatewayState(id), {
      match: (state) => state === 'offline',
      timeoutMs: 5000,
    });
    await first.kill();
    sims.splice(sims.indexOf(first), 1);
    const [, detail] = await offline;
    expect(detail).toMatch(/connection (lost|closed)|connect failed/);
    await expect(readValue(running.driver, 'v')).rejects.toMatchObject({ code: 'DRIVER_OFFLINE' });
    const second = await sim([1], first.port);
    await second.set(1, 'holding', 3, [99]);
    await untilValues(running, { v: 99 }, 15_000);
    expect((await running.driver.status()).state).toBe('online');
  });
});
