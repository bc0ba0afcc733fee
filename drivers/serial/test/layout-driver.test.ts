/**
 * Frames described by a layout, end to end on real pseudo-terminals: the built driver bin on one
 * end of a socat pair, sim/frame-device.mjs (its own framing, CRC and LRC code) on the other, the
 * test as the hub. Every corrupted reply (a bit flipped in the data, a damaged checksum, a truncated
 * frame, a frame from another address) is rejected and never a value; requests go out byte for
 * byte as the device expects; a late reply to an earlier request is not taken for the current one.
 */
import { join } from 'node:path';
import { DriverEvents } from '@weble/driver-kit';
import { startTestHub, type TestHub } from '@weble/driver-kit/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startPtyPair, type PtyPair } from '../sim/pty-pair.mjs';
import { eventually, startSerialDriver, valueBecomes, type StartedDriver } from './fixtures/driver.js';
import { LE_METER, LRC_LINE, STX_INSTRUMENT } from './fixtures/protocols.js';
import { startFrameSimulator, type Simulator } from './fixtures/simulator.js';

let hub: TestHub;
let n = 0;
beforeAll(async () => {
  hub = await startTestHub();
});
afterAll(async () => {
  await hub.close();
});

async function ptyPair(): Promise<PtyPair & AsyncDisposable> {
  const pair = await startPtyPair(join(hub.dir, `layout${++n}`));
  return Object.assign(pair, { [Symbol.asyncDispose]: () => pair.stop() });
}

type Driver = StartedDriver['driver'];
type Listenable = { on(event: string, listener: (...args: unknown[]) => void): unknown };

/** Every value the driver reports, by key, from now on. */
async function recordValues(driver: Driver): Promise<Map<string, unknown[]>> {
  const seen = new Map<string, unknown[]>();
  (driver as unknown as Listenable).on(DriverEvents.anyNewValue, (key, value) => {
    seen.set(String(key), [...(seen.get(String(key)) ?? []), value]);
  });
  await driver.status(); // answered after the interest: the driver has the listener
  return seen;
}

interface Stats {
  frames: number;
  malformed: number;
  unmatched: number;
  byCode: Record<string, number>;
}
const stats = (driver: Driver): Promise<Stats> => (driver as unknown as { frameStats(): Promise<Stats> }).frameStats();

/** Wait until the simulator has received a request whose whole frame is `hex`. */
const received = (sim: Simulator, hex: string, what: string) =>
  sim.waitFor((e) => e.event === 'received' && e.hex === hex, 3_000, what);

const stxPoll = (address: number) => ({
  type: 'number',
  poll: {
    fields: { address, command: 1 },
    command: '\\x01',
    reply: { fields: { command: 1 }, prefix: '01', field: { offset: 1, type: 'int16' }, scale: 0.1 },
  },
});

describe('an STX/ETX instrument (02 addr cmd len payload CRC-16/Modbus 03), two on one line', () => {
  const POINTS = [
    { key: 'temp1', point: stxPoll(1) },
    { key: 'temp2', point: stxPoll(2) },
    {
      key: 'sp1',
      point: {
        type: 'number',
        write: {
          fields: { command: 6 },
          command: '\\x02${value:int16}',
          scale: 0.1,
          reply: { fields: { command: 6 } },
          reject: { fields: { command: 0x86 } },
        },
      },
    },
  ];

  it('polls and writes with the right bytes; every corrupted reply is rejected, counted, retried, never a value', async () => {
    await using pair = await ptyPair();
    await using sim = await startFrameSimulator(pair.device, 'stx', [1, 2]);
    await using started = await startSerialDriver(
      hub,
      21,
      { path: pair.driver, framing: STX_INSTRUMENT, pollMs: 30, timeoutMs: 1000, retries: 2 },
      POINTS,
    );
    const { driver } = started;
    await valueBecomes(driver, 'temp1', 21.5);
    await valueBecomes(driver, 'temp2', 22.5);
    // A poll of address 1: 02 01 01 01 | 01 (register) | CRC-16/Modbus of 01 01 01 01 = 0x4890 (lo hi) | 03
    await received(sim, '02010101019048' + '03', 'the poll of address 1');

    // The write, byte for byte: 02 01 06 03 | 02 00 e1 | CRC-16/Modbus of 01 06 03 02 00 e1 = 0x06E8 (lo hi) | 03
    await driver.write('sp1', 22.5);
    await received(sim, '020106030200e1e80603', 'the framed write with its CRC');
    await expect(driver.write('sp1', 150)).rejects.toMatchObject({
      code: 'DRIVER_DEVICE_ERROR',
      // the device's text as sent, then the gateway (docs/driver-contract.md)
      message: expect.stringMatching(
        /^SERIAL_REJECTED: the device refused the write of "sp1": bytes 02 02 \(gateway \S+ \(serial\)\)$/,
      ),
    });

    const values = await recordValues(driver);
    const forbidden: Array<[string, number]> = [
      ['temp2', 22.4],
      ['temp1', 22.5],
    ]; // temp2's reply with a flipped bit; temp2's reply seen as address 1's
    let value = 301;
    for (const corrupt of ['data', 'checksum', 'truncate', 'address'] as const) {
      value += 2; // odd: a flipped low bit gives another value
      const before = await stats(driver);
      sim.control({ set: { address: 1, reg: 1, value } });
      sim.control({ corrupt });
      forbidden.push(['temp1', (value - 1) / 10], ['temp2', value / 10]);
      await valueBecomes(driver, 'temp1', value / 10); // the retry's good answer
      await eventually(`the ${corrupt} corruption to be counted`, async () => {
        const now = await stats(driver);
        const faults = now.malformed - before.malformed;
        return corrupt === 'address' ? now.unmatched > before.unmatched || undefined : faults > 0 || undefined;
      });
    }
    const byCode = (await stats(driver)).byCode;
    expect(byCode.SERIAL_BAD_CHECKSUM).toBeGreaterThanOrEqual(2);
    for (const [key, bad] of forbidden) expect(values.get(key) ?? [], `${key} never ${bad}`).not.toContain(bad);
    expect(await driver.status()).toMatchObject({ state: 'online' });
  });

  it('a point whose replies keep failing their checksum is marked bad with the reason, and good again with its next value', async () => {
    await using pair = await ptyPair();
    await using sim = await startFrameSimulator(pair.device, 'stx', [1]);
    await using started = await startSerialDriver(
      hub,
      23,
      { path: pair.driver, framing: STX_INSTRUMENT, pollMs: 30, timeoutMs: 1000, retries: 1 },
      [{ key: 'temp1', point: stxPoll(1) }],
    );
    const { driver } = started;
    await valueBecomes(driver, 'temp1', 21.5);
    const qualities: Array<[string, string]> = [];
    (driver as unknown as Listenable).on(DriverEvents.valueQuality, (key, quality, reason) => {
      if (key === 'temp1') qualities.push([String(quality), String(reason)]);
    });
    const values = await recordValues(driver);
    sim.control({ corruptAll: 'checksum' });
    // The reason says what was wrong. (A poll that merely timed out on a loaded machine is bad too,
    // with its own reason: the corrupted replies are told by theirs.)
    const corrupted = /SERIAL_BAD_CHECKSUM|corrupted answer/;
    await eventually('temp1 marked bad for its corrupted replies', async () =>
      qualities.some(([, reason]) => corrupted.test(reason)) ? true : undefined,
    );
    expect(qualities.map(([quality]) => quality)).toEqual(qualities.map(() => 'bad'));
    expect(values.get('temp1') ?? []).toEqual([]); // no corrupted reply became a value
    sim.control({ corruptAll: null });
    sim.control({ set: { address: 1, reg: 1, value: 222 } });
    await valueBecomes(driver, 'temp1', 22.2); // the next good value (the hub marks it good again)
  });

  it('a late reply to an earlier request (address 1) is not taken for the current one (address 2)', async () => {
    await using pair = await ptyPair();
    await using sim = await startFrameSimulator(pair.device, 'stx', [1, 2]);
    const points = [1, 2].map((address) => {
      const point = stxPoll(address);
      return { key: `temp${address}`, point: { ...point, poll: { ...point.poll, retries: 0 } } };
    });
    await using started = await startSerialDriver(
      hub,
      22,
      { path: pair.driver, framing: STX_INSTRUMENT, pollMs: 30, timeoutMs: 250 },
      points,
    );
    const { driver } = started;
    sim.control({ set: { address: 1, reg: 1, value: 111 } });
    sim.control({ set: { address: 2, reg: 1, value: 222 } });
    await valueBecomes(driver, 'temp1', 11.1);
    await valueBecomes(driver, 'temp2', 22.2);
    const values = await recordValues(driver);
    const unmatched = (await stats(driver)).unmatched;
    sim.control({ set: { address: 2, reg: 1, value: 223 } });
    sim.control({ hold: { address: 1 } });
    // address 1's reply is held until address 2 is asked: then it comes first, then address 2's
    await eventually('the late reply to be left unmatched', async () =>
      (await stats(driver)).unmatched > unmatched ? true : undefined,
    );
    await valueBecomes(driver, 'temp2', 22.3);
    const sent = sim.events.filter((e) => e.event === 'sent').map((e) => e.hex!);
    const late = sent.findIndex((hex, i) => hex.startsWith('020101') && sent[i + 1]?.startsWith('020201'));
    expect(late, 'the held reply of address 1 went out just before a reply of address 2').toBeGreaterThanOrEqual(0);
    expect(values.get('temp2') ?? []).not.toContain(11.1);
    expect(values.get('temp2')).toContain(22.3);
  });
});

describe('a Modbus-ASCII-like LRC line (":" hex digits LRC CR LF) on a delimiter framing', () => {
  const POINTS = [
    {
      key: 'reg0',
      point: {
        type: 'number',
        poll: {
          fields: { function: 3 },
          command: '\\x00\\x00\\x00\\x01',
          reply: { fields: { function: 3 }, prefix: '02', field: { offset: 1, type: 'uint16' } },
        },
      },
    },
    {
      key: 'reg1',
      point: {
        type: 'number',
        write: {
          fields: { function: 6 },
          command: '\\x00\\x01${value:uint16}',
          reply: { fields: { function: 6 } },
          reject: { fields: { function: 0x86 } },
        },
      },
    },
  ];

  it('writes lines with their LRC; a line with a flipped digit or from another address is never a value', async () => {
    await using pair = await ptyPair();
    await using sim = await startFrameSimulator(pair.device, 'lrc', [1]);
    await using started = await startSerialDriver(
      hub,
      23,
      { path: pair.driver, framing: LRC_LINE, pollMs: 30, timeoutMs: 300, retries: 2 },
      POINTS,
    );
    const { driver } = started;
    await valueBecomes(driver, 'reg0', 100);
    await received(sim, Buffer.from(':010300000001FB\r\n').toString('hex'), 'the poll line');
    await driver.write('reg1', 100);
    await received(sim, Buffer.from(':01060001006494\r\n').toString('hex'), 'the write line with LRC 94');

    const values = await recordValues(driver);
    for (const [corrupt, value] of [
      ['data', 257],
      ['checksum', 259],
      ['truncate', 261],
      ['address', 263],
    ] as const) {
      const before = await stats(driver);
      sim.control({ set: { address: 1, reg: 0, value } });
      sim.control({ corrupt });
      await valueBecomes(driver, 'reg0', value);
      await eventually(`the ${corrupt} corruption to be counted`, async () => {
        const now = await stats(driver);
        return (
          (corrupt === 'address' ? now.unmatched > before.unmatched : now.malformed > before.malformed) || undefined
        );
      });
    }
    expect(values.get('reg0') ?? []).toEqual([257, 259, 261, 263]); // never 256 (the flipped bit), nothing else
    expect((await stats(driver)).byCode).toMatchObject({
      SERIAL_BAD_CHECKSUM: expect.any(Number),
      SERIAL_BAD_FRAME: expect.any(Number),
    });
  });
});

describe('a length-prefixed little-endian meter (aa 55 len addr cmd payload CRC)', () => {
  const POINTS = [
    {
      key: 'energy',
      point: {
        type: 'number',
        poll: { fields: { command: 1 }, reply: { field: { offset: 0, type: 'uint32', endian: 'little' } } },
      },
    },
    {
      key: 'power',
      point: {
        type: 'number',
        read: { fields: { command: 0x10 }, field: { offset: 4, type: 'float32', endian: 'little' } },
      },
    },
  ];

  it('polls with a frame built from header fields, takes unsolicited frames, drops a corrupted one', async () => {
    await using pair = await ptyPair();
    await using sim = await startFrameSimulator(pair.device, 'meter', [0x1234]);
    await using started = await startSerialDriver(
      hub,
      24,
      { path: pair.driver, framing: LE_METER, pollMs: 50, timeoutMs: 300 },
      POINTS,
    );
    const { driver } = started;
    await valueBecomes(driver, 'energy', 215);
    // aa 55 | 03 00 (address 2 + command 1) | 34 12 | 01 | CRC-16/Modbus of 03 00 34 12 01 = 0xAEEC (lo hi)
    await received(sim, 'aa5503003412 01ecae'.replace(/ /g, ''), 'the poll frame');

    const values = await recordValues(driver);
    sim.control({ set: { address: 0x1234, reg: 2, value: 1235 } });
    sim.control({ push: true });
    await valueBecomes(driver, 'power', 123.5); // exact in float32
    const malformed = (await stats(driver)).malformed;
    sim.control({ set: { address: 0x1234, reg: 2, value: 555 } });
    sim.control({ corrupt: 'data' });
    sim.control({ push: true });
    await eventually('the corrupted push to be counted', async () =>
      (await stats(driver)).malformed > malformed ? true : undefined,
    );
    sim.control({ push: true });
    await valueBecomes(driver, 'power', 55.5);
    expect(values.get('power')).toEqual([123.5, 55.5]); // the corrupted frame never became a value
  });
});
