/**
 * The built Modbus driver as the supervisor runs it: a child process with its config over IPC,
 * joined to a test hub; and the independent expectations the tests compare it with.
 */
import { fileURLToPath } from 'node:url';
import { type RemoteDriver } from '@weble/driver-kit';
import { spawnDriver, type DriverChild, type Listenable, type TestHub } from '@weble/driver-kit/testing';

/** The built bin (`pnpm --filter @weble/driver-modbus build` first). */
export const BIN = fileURLToPath(new URL('../../dist/bin.cjs', import.meta.url));

/** A driver child and its `driver` module. */
export interface RunningDriver {
  child: DriverChild;
  driver: RemoteDriver & Listenable;
}

/** Start the driver for gateway `id` with `config` and `addresses`; resolves once it joined the hub. */
export async function startModbusDriver(
  hub: TestHub,
  id: number,
  config: Record<string, unknown>,
  addresses: unknown[],
): Promise<RunningDriver> {
  const peerName = `driver_modbus_${id}`;
  const child = spawnDriver(BIN, {
    hub: hub.socket,
    peerName,
    config: { gateway: { id, type: 'modbus', name: `modbus ${id}`, config }, addresses },
    env: { WEBLE_LOG_LEVEL: process.env.WEBLE_LOG_LEVEL ?? 'warn' },
  });
  try {
    await hub.waitForPeer(peerName, 10_000);
  } catch (error) {
    child.kill();
    throw new Error(`${(error as Error).message}; driver stderr:\n${child.stderr}`);
  }
  const driver = (await hub.peers(peerName).require<RemoteDriver>('driver')) as RunningDriver['driver'];
  return { child, driver };
}

/** Read through the module (callback style), as a promise of the value. */
export function readValue(driver: RemoteDriver, key: string): Promise<unknown> {
  return new Promise((resolve, reject) =>
    driver.read(key, (error: unknown, value: unknown) => (error ? reject(error) : resolve(value))),
  );
}

/** Byte positions, per order, of a value's big-endian bytes on the wire (the spec of the orders, written out). */
const PERMUTATIONS: Record<number, Record<string, number[]>> = {
  2: { ABCD: [0, 1], BADC: [1, 0], CDAB: [0, 1], DCBA: [1, 0] },
  4: { ABCD: [0, 1, 2, 3], BADC: [1, 0, 3, 2], CDAB: [2, 3, 0, 1], DCBA: [3, 2, 1, 0] },
  8: {
    ABCD: [0, 1, 2, 3, 4, 5, 6, 7],
    BADC: [1, 0, 3, 2, 5, 4, 7, 6],
    CDAB: [6, 7, 4, 5, 2, 3, 0, 1],
    DCBA: [7, 6, 5, 4, 3, 2, 1, 0],
  },
};

/** The registers (as numbers) that hold `value` of `type` in `order`. */
export function wireWords(type: string, order: string, value: number): number[] {
  const size = { int16: 2, uint16: 2, int32: 4, uint32: 4, float32: 4, int64: 8, uint64: 8, float64: 8 }[type]!;
  const be = Buffer.alloc(size);
  if (type === 'int16') be.writeInt16BE(value);
  if (type === 'uint16') be.writeUInt16BE(value);
  if (type === 'int32') be.writeInt32BE(value);
  if (type === 'uint32') be.writeUInt32BE(value);
  if (type === 'float32') be.writeFloatBE(value);
  if (type === 'int64') be.writeBigInt64BE(BigInt(value));
  if (type === 'uint64') be.writeBigUInt64BE(BigInt(value));
  if (type === 'float64') be.writeDoubleBE(value);
  const wire = Buffer.from(PERMUTATIONS[size]![order]!.map((i) => be[i]!));
  return Array.from({ length: size / 2 }, (_, i) => wire.readUInt16BE(i * 2));
}

/** A sample value per type (exact in its type). */
export const SAMPLES: Record<string, number> = {
  int16: -12345,
  uint16: 54321,
  int32: -123456789,
  uint32: 3456789012,
  float32: 123.456, // read back as Math.fround(123.456)
  int64: -1234567890123,
  uint64: 9007199254740000,
  float64: -9876.54321,
};

/** The value a sample reads back as. */
export function readBack(type: string, value: number): number {
  return type === 'float32' ? Math.fround(value) : value;
}

/** Every numeric type x every order as points on holding registers from `base` (4 registers apart), unit `unit`. */
export function typeOrderPoints(
  base: number,
  unit: number,
): Array<{ key: string; type: string; order: string; address: number; point: Record<string, unknown> }> {
  const out = [];
  let address = base;
  for (const type of Object.keys(SAMPLES)) {
    for (const order of ['ABCD', 'BADC', 'CDAB', 'DCBA']) {
      out.push({
        key: `u${unit}/${type}/${order}`,
        type,
        order,
        address,
        point: { table: 'holding', address, type, order, unit },
      });
      address += 4;
    }
  }
  return out;
}

/** Wait until every key has the expected value in `addresses()`. */
export async function untilValues(
  running: RunningDriver,
  expected: Record<string, unknown>,
  timeoutMs = 8000,
): Promise<void> {
  let last: Record<string, unknown> = {};
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const list = await running.driver.addresses();
    last = Object.fromEntries(list.map((a) => [a.key, a.value]));
    const wrong = Object.entries(expected).filter(([key, value]) => !Object.is(last[key], value));
    if (wrong.length === 0) return;
    if (Date.now() > deadline)
      throw new Error(
        `values not reached: ${JSON.stringify(wrong.map(([k, v]) => [k, v, last[k]]))}\n${running.child.stderr}`,
      );
    await new Promise((resolve) => setTimeout(resolve, 20)); // poll interval of the status round trip
  }
}

/** Wait until the driver counted `polls` poll cycles. */
export async function untilPolls(running: RunningDriver, polls: number): Promise<void> {
  const deadline = Date.now() + 5000;
  while ((await running.driver.status()).polls < polls) {
    if (Date.now() > deadline) throw new Error(`fewer than ${polls} polls`);
    await new Promise((resolve) => setTimeout(resolve, 10)); // poll interval of the status round trip
  }
}

/** Wait until the status detail matches. */
export async function untilDetail(
  running: RunningDriver,
  match: RegExp | ((detail: string | undefined) => boolean),
  timeoutMs = 8000,
): Promise<void> {
  const test = typeof match === 'function' ? match : (detail: string | undefined) => match.test(detail ?? '');
  const deadline = Date.now() + timeoutMs;
  let detail: string | undefined;
  for (;;) {
    detail = (await running.driver.status()).detail;
    if (test(detail)) return;
    if (Date.now() > deadline) throw new Error(`status detail not reached; last: ${detail}\n${running.child.stderr}`);
    await new Promise((resolve) => setTimeout(resolve, 20)); // poll interval of the status round trip
  }
}
