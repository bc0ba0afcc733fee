/**
 * The driver process against pymodbus over Modbus RTU on a socat pty pair, at 9600 and 19200
 * baud, with two slaves on one line: every type and order, writes with read-back, a slave that
 * stops answering while the other keeps its pace, a late reply, an illegal address, and the server killed and
 * restarted on the same line. (A pty ignores baud and parity: these tests cannot catch a mismatch.)
 */
import { startTestHub, type DriverChild, type TestHub } from '@weble/driver-kit/testing';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  readBack,
  readValue,
  SAMPLES,
  startModbusDriver,
  typeOrderPoints,
  untilDetail,
  untilValues,
  wireWords,
  type RunningDriver,
} from './support/driver.js';
import { startPtyPair, startSimulator, type PtyPair, type Simulator } from './support/simulator.js';

let hub: TestHub;
const children: DriverChild[] = [];
const sims: Simulator[] = [];
const ptys: PtyPair[] = [];
let nextId = 100;

beforeAll(async () => {
  hub = await startTestHub();
});
afterEach(async () => {
  for (const child of children.splice(0)) child.kill();
  await Promise.all(sims.splice(0).map((sim) => sim.kill()));
  await Promise.all(ptys.splice(0).map((pty) => pty.close()));
});
afterAll(async () => {
  await hub.close();
});

async function line(baud: number): Promise<{ pty: PtyPair; server: Simulator }> {
  const pty = await startPtyPair();
  ptys.push(pty);
  const server = await startSimulator({ transport: 'rtu', path: pty.b, baud, units: [1, 2] });
  sims.push(server);
  return { pty, server };
}

async function driver(
  pty: PtyPair,
  baud: number,
  addresses: unknown[],
  extra: Record<string, unknown> = {},
): Promise<RunningDriver> {
  const running = await startModbusDriver(
    hub,
    nextId++,
    { transport: 'rtu', path: pty.a, baudRate: baud, pollMs: 100, timeoutMs: 300, ...extra },
    addresses,
  );
  children.push(running.child);
  return running;
}

describe.each([9600, 19200])('Modbus RTU at %i baud, two slaves on one line', (baud) => {
  it('reads every type in every order from both slaves, and writes with read-back', async () => {
    const { pty, server } = await line(baud);
    const points = [...typeOrderPoints(100, 1), ...typeOrderPoints(100, 2)];
    for (const p of points)
      await server.set(Number(p.key[1]), 'holding', p.address, wireWords(p.type, p.order, SAMPLES[p.type]!));
    await server.set(2, 'coil', 0, [1]);
    const running = await driver(pty, baud, [
      ...points.map(({ key, point }) => ({ key, point })),
      { key: 'u2/coil', point: { table: 'coil', address: 0, unit: 2, type: 'bool' } },
      {
        key: 'u1/w',
        point: { table: 'holding', address: 500, type: 'float32', order: 'CDAB', unit: 1, readBack: true },
      },
      { key: 'u2/w', point: { table: 'holding', address: 500, type: 'int32', order: 'DCBA', unit: 2, readBack: true } },
    ]);
    await untilValues(running, {
      ...Object.fromEntries(points.map((p) => [p.key, readBack(p.type, SAMPLES[p.type]!)])),
      'u2/coil': true,
    });
    await running.driver.write('u1/w', 21.5);
    await running.driver.write('u2/w', -7);
    expect(await server.get(1, 'holding', 500, 2)).toEqual(wireWords('float32', 'CDAB', 21.5));
    expect(await server.get(2, 'holding', 500, 2)).toEqual(wireWords('int32', 'DCBA', -7));
    expect(await server.get(1, 'holding', 500, 2)).not.toEqual(await server.get(2, 'holding', 500, 2));
  });

  it('a slave that stops answering is reported; the other keeps being polled and written', async () => {
    const { pty, server } = await line(baud);
    const running = await driver(
      pty,
      baud,
      [
        { key: 'one', point: { table: 'holding', address: 0, unit: 1 } },
        { key: 'two', point: { table: 'holding', address: 0, unit: 2 } },
      ],
      { deadUnitRetryMs: 2000, timeoutMs: 150, retries: 0 },
    );
    await untilValues(running, { one: 0, two: 0 });
    await server.command('silence 2');
    await untilDetail(running, /unit 2 not answering/);
    for (const value of [1, 2, 3]) {
      await server.set(1, 'holding', 0, [value]);
      await untilValues(running, { one: value });
    }
    await running.driver.write('one', 9);
    expect(await server.get(1, 'holding', 0, 1)).toEqual([9]);
    await expect(running.driver.write('two', 9)).rejects.toMatchObject({
      code: 'DRIVER_DEVICE_ERROR',
      message: expect.stringContaining('MODBUS_TIMEOUT'),
    });
    expect((await running.driver.status()).state).toBe('online');
    await server.command('wake 2');
    await server.set(2, 'holding', 0, [5]);
    await untilValues(running, { two: 5 });
  });

  it('a late reply is never taken for the answer to the next request', async () => {
    const { pty, server } = await line(baud);
    await server.set(1, 'holding', 0, [111]);
    await server.set(1, 'holding', 50, [555]);
    await server.set(2, 'holding', 0, [222]);
    const running = await driver(
      pty,
      baud,
      [
        { key: 'a', point: { table: 'holding', address: 0, unit: 1 } },
        { key: 'a2', point: { table: 'holding', address: 50, unit: 1 } },
        { key: 'b', point: { table: 'holding', address: 0, unit: 2 } },
      ],
      { pollMs: 600_000, timeoutMs: 300, retries: 0, turnaroundMs: 10 },
    );
    await untilValues(running, { a: 111, a2: 555, b: 222 });
    // Unit 1 answers 450 ms late: its reply comes while the request to unit 2 waits (the unit id tells them apart).
    await server.command('delay 1 450 1');
    await expect(readValue(running.driver, 'a')).rejects.toMatchObject({
      message: expect.stringContaining('MODBUS_TIMEOUT'),
    });
    expect(await readValue(running.driver, 'b')).toBe(222);
    expect(await readValue(running.driver, 'a2')).toBe(555);
    // Same unit, same reply length: after a timeout the next request to that unit waits another timeoutMs, so the late reply is dropped.
    await server.command('delay 1 400 1');
    await expect(readValue(running.driver, 'a')).rejects.toMatchObject({
      message: expect.stringContaining('MODBUS_TIMEOUT'),
    });
    expect(await readValue(running.driver, 'a2')).toBe(555);
  });

  it('names an illegal address with its register number and unit; the other slave keeps being polled', async () => {
    const { pty, server } = await line(baud);
    const running = await driver(pty, baud, [
      { key: 'ok', point: { table: 'holding', address: 1, unit: 1 } },
      { key: 'bad', point: { table: 'input', address: 10011, unit: 2 } },
    ]);
    await expect(readValue(running.driver, 'bad')).rejects.toMatchObject({
      code: 'DRIVER_DEVICE_ERROR',
      message: expect.stringContaining('Illegal data address 310012 on unit 2 (MODBUS_ILLEGAL_ADDRESS)'),
    });
    await server.set(1, 'holding', 1, [42]);
    await untilValues(running, { ok: 42 });
    expect((await running.driver.status()).state).toBe('online');
  });

  it('recovers by itself when the server is killed and restarted on the line', async () => {
    const { pty, server } = await line(baud);
    const running = await driver(pty, baud, [{ key: 'v', point: { table: 'holding', address: 3, unit: 1 } }], {
      deadUnitRetryMs: 300,
      timeoutMs: 150,
      retries: 0,
    });
    await untilValues(running, { v: 0 });
    await server.kill();
    sims.splice(sims.indexOf(server), 1);
    await untilDetail(running, /no unit answers/);
    const restarted = await startSimulator({ transport: 'rtu', path: pty.b, baud, units: [1, 2] });
    sims.push(restarted);
    await restarted.set(1, 'holding', 3, [77]);
    await untilValues(running, { v: 77 });
    expect((await running.driver.status()).state).toBe('online');
  });
});
