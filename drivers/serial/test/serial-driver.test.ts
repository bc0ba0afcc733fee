/**
 * The serial driver on real pseudo-terminals: socat links two ptys, the device simulator
 * (sim/device.mjs) holds one end, the built driver bin the other, and the test is its hub.
 */
import { join } from 'node:path';
import { DriverEvents } from '@weble/driver-kit';
import { startTestHub, waitUntil, type TestHub } from '@weble/driver-kit/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startPtyPair, type PtyPair } from '../sim/pty-pair.mjs';
import { eventually, expectEvent, startSerialDriver, valueBecomes } from './fixtures/driver.js';
import { startSimulator } from './fixtures/simulator.js';

let hub: TestHub;
let n = 0;
beforeAll(async () => {
  hub = await startTestHub();
});
afterAll(async () => {
  await hub.close();
});

/** A pty pair in its own dir under the hub's temp dir, stopped by `await using`. */
async function ptyPair(name = `pty${++n}`): Promise<PtyPair & AsyncDisposable> {
  const pair = await startPtyPair(join(hub.dir, name));
  return Object.assign(pair, { [Symbol.asyncDispose]: () => pair.stop() });
}

const TEXT_POINTS = [
  { key: 'temp', point: { type: 'number', read: { regex: '^TEMP=(?<value>-?[0-9.]+|\\S+)$' } } },
  {
    key: 'sp',
    point: {
      type: 'number',
      poll: { command: 'READ SP\\n', reply: { regex: '^SP=(?<value>.+)$' } },
      write: { command: 'SET ${value}\\r\\n', reply: { regex: '^OK' }, reject: { regex: '^ERR' } },
    },
  },
  {
    key: 'raw',
    point: {
      type: 'string',
      write: { command: 'SET ${value}\\n', reply: { regex: '^OK' }, reject: { regex: '^ERR' } },
    },
  },
  { key: 'relay', point: { type: 'boolean', write: { command: 'RELAY ${value}\\n' } } },
];

describe('text lines over a pty', () => {
  it('reports unsolicited lines, polls a request/response point, writes with a reply', async () => {
    await using pair = await ptyPair();
    await using sim = await startSimulator(pair.device);
    await using started = await startSerialDriver(
      hub,
      1,
      { path: pair.driver, pollMs: 50, timeoutMs: 500 },
      TEXT_POINTS,
    );
    const { driver } = started;

    await valueBecomes(driver, 'sp', 20); // polled
    expect((await driver.status()).polls).toBeGreaterThan(0);

    const temp = (
      await expectEvent<[string, number, string]>(driver, DriverEvents.newValue('temp'), {
        match: (_k, v) => v === 42.5,
      })
    ).event;
    sim.control({ line: 'TEMP=42.5' });
    expect((await temp).slice(0, 3)).toEqual(['temp', 42.5, '42.5']);
    expect(await driver.read('temp')).toBe(42.5);

    const written = (
      await expectEvent<[string, number]>(driver, DriverEvents.newValue('sp'), { match: (_k, v) => v === 23.5 })
    ).event;
    await driver.write('sp', 23.5);
    await written;
    await sim.waitFor((e) => e.event === 'received' && e.text === 'SET 23.5', 2_000, 'SET 23.5 at the device');
    expect(await driver.read('sp')).toBe(23.5); // a fresh request/response read
    await expect(driver.write('raw', 'warm')).rejects.toMatchObject({
      code: 'DRIVER_DEVICE_ERROR',
      message: expect.stringContaining('SERIAL_REJECTED'),
    });
    // the device's refusal text as it sent it: not JSON-quoted, its quotes not escaped
    await expect(driver.write('sp', 5000)).rejects.toMatchObject({
      code: 'DRIVER_DEVICE_ERROR',
      // the device's text as sent, then the gateway (docs/driver-contract.md)
      message: expect.stringMatching(
        /^SERIAL_REJECTED: the device refused the write of "sp": ERR -222,"Data out of range" \(gateway \S+ \(serial\)\)$/,
      ),
    });
    await driver.write('relay', true);
    await sim.waitFor((e) => e.event === 'received' && e.text === 'RELAY 1', 2_000, 'RELAY 1 at the device');
    await expect(driver.write('sp', 'hot')).rejects.toMatchObject({ code: 'DRIVER_BAD_VALUE' });
    await expect(driver.write('temp', 1)).rejects.toMatchObject({ code: 'DRIVER_READ_ONLY' });
    expect(await driver.status()).toMatchObject({ state: 'online' });
  });

  it('a malformed value is counted and logged, never fatal', async () => {
    await using pair = await ptyPair();
    await using sim = await startSimulator(pair.device);
    await using started = await startSerialDriver(hub, 2, { path: pair.driver }, TEXT_POINTS.slice(0, 1));
    const { driver, child } = started;
    expect(await driver.status()).toMatchObject({ state: 'online' });
    sim.control({ line: 'TEMP=abc' });
    await waitUntil(() => child.stderr.includes('SERIAL_BAD_VALUE'), { what: 'the bad value warning' });
    expect(await (driver as unknown as { frameStats(): Promise<unknown> }).frameStats()).toMatchObject({
      badValues: 1,
      byCode: { SERIAL_BAD_VALUE: 1 },
    });
    expect(child.stderr).toContain('\\"abc\\" is not a number');
    const good = (
      await expectEvent<[string, number]>(driver, DriverEvents.newValue('temp'), { match: (_k, v) => v === 19.5 })
    ).event;
    sim.control({ line: 'TEMP=19.5' });
    await good;
    expect(child.alive).toBe(true);
  });

  it('a device that stops answering is reported offline, and online again when it answers', async () => {
    await using pair = await ptyPair();
    await using sim = await startSimulator(pair.device);
    await using started = await startSerialDriver(
      hub,
      3,
      { path: pair.driver, pollMs: 50, timeoutMs: 100, retries: 1 },
      TEXT_POINTS.slice(1, 2),
    );
    const { driver } = started;
    await valueBecomes(driver, 'sp', 20);
    const offline = (
      await expectEvent<[string, string]>(driver, DriverEvents.gatewayState(3), {
        match: (state) => state === 'offline',
      })
    ).event;
    sim.control({ mute: true });
    const [, detail] = await offline;
    expect(detail).toMatch(/^device not answering: no answer to "READ SP\\n" for "sp" within 100 ms \(2 attempts\)$/);
    await expect(driver.read('sp')).rejects.toMatchObject({
      code: 'DRIVER_DEVICE_ERROR',
      message: expect.stringContaining('SERIAL_TIMEOUT'),
    });
    const online = (await expectEvent(driver, DriverEvents.gatewayState(3), { match: (state) => state === 'online' }))
      .event;
    sim.control({ mute: false });
    await online;
    expect((await driver.status()).errors).toBeGreaterThan(0);
  });
});

describe('a device that goes silent', () => {
  it('with silenceMs, a device sending nothing is reported offline, and online at its next frame', async () => {
    await using pair = await ptyPair();
    await using sim = await startSimulator(pair.device);
    await using started = await startSerialDriver(
      hub,
      7,
      { path: pair.driver, silenceMs: 150 },
      TEXT_POINTS.slice(0, 1),
    );
    const { driver } = started;
    const status = await eventually('offline', async () => {
      const now = await driver.status();
      return now.state === 'offline' ? now : undefined;
    });
    expect(status.detail).toMatch(/^device silent: no frame for \d+ ms$/);
    const online = (await expectEvent(driver, DriverEvents.gatewayState(7), { match: (state) => state === 'online' }))
      .event;
    sim.control({ line: 'TEMP=5' });
    await online;
    await valueBecomes(driver, 'temp', 5);
  });
});

const BINARY_FRAMING = {
  type: 'frame',
  start: '02',
  end: '03',
  length: { size: 1 },
  checksum: { type: 'crc16-modbus' },
};
const BINARY_POINTS = [
  { key: 'temp', point: { type: 'number', read: { prefix: '10', field: { offset: 1, type: 'int16' }, scale: 0.1 } } },
  {
    key: 'sp',
    point: {
      type: 'number',
      poll: { command: '\\x01\\x02', reply: { prefix: '81 02', field: { offset: 2, type: 'int16' }, scale: 0.1 } },
      write: { command: '\\x06\\x02${value:int16}', scale: 0.1, reply: { prefix: '86 02' } },
    },
  },
];

/** A frame as the simulator builds it: 02 len payload crc16-modbus(lo hi) 03, in hex. */
function crcFrame(payload: number[], corrupt = false): string {
  let crc = 0xffff;
  for (const b of [payload.length, ...payload]) {
    crc ^= b;
    for (let i = 0; i < 8; i++) crc = crc & 1 ? (crc >>> 1) ^ 0xa001 : crc >>> 1;
  }
  const bytes = [0x02, payload.length, ...payload, crc & 0xff, (crc >> 8) ^ (corrupt ? 0x01 : 0), 0x03];
  return Buffer.from(bytes).toString('hex');
}

describe('binary frames with a CRC over a pty', () => {
  it('decodes good frames, drops corrupted ones (counted, logged), polls and writes framed requests', async () => {
    await using pair = await ptyPair();
    await using sim = await startSimulator(pair.device, { mode: 'binary' });
    await using started = await startSerialDriver(
      hub,
      4,
      { path: pair.driver, framing: BINARY_FRAMING, pollMs: 50 },
      BINARY_POINTS,
    );
    const { driver, child } = started;
    await valueBecomes(driver, 'sp', 20); // polled with a framed request

    const good = (
      await expectEvent<[string, number]>(driver, DriverEvents.newValue('temp'), { match: (_k, v) => v === 23.4 })
    ).event;
    sim.control({ send: crcFrame([0x10, 0x00, 234]) });
    await good;

    const after = (
      await expectEvent<[string, number]>(driver, DriverEvents.newValue('temp'), { match: (_k, v) => v === -1.5 })
    ).event;
    sim.control({ send: crcFrame([0x10, 0x00, 99], true) + crcFrame([0x10, 0xff, 0xf1]) });
    await after;
    await waitUntil(() => child.stderr.includes('SERIAL_BAD_CHECKSUM'), { what: 'the bad checksum warning' });
    expect(child.stderr).toMatch(/"code":"SERIAL_BAD_CHECKSUM".*"malformed":1/); // counted and logged
    const stats = (await (driver as unknown as { frameStats(): Promise<Record<string, unknown>> }).frameStats()) as {
      malformed: number;
      byCode: Record<string, number>;
    };
    expect(stats).toMatchObject({ malformed: 1, byCode: { SERIAL_BAD_CHECKSUM: 1 } });
    expect(child.stderr).not.toContain('"temp",9.9'); // the corrupted frame's 9.9 never became a value
    expect(await driver.read('temp')).toBe(-1.5);

    const written = (
      await expectEvent<[string, number]>(driver, DriverEvents.newValue('sp'), { match: (_k, v) => v === 22.5 })
    ).event;
    await driver.write('sp', 22.5);
    await written;
    await sim.waitFor((e) => e.event === 'received' && e.hex === '060200e1', 2_000, 'the framed write at the device');
    expect(await driver.read('sp')).toBe(22.5);
    await expect(driver.write('sp', 4000)).rejects.toMatchObject({
      code: 'DRIVER_BAD_VALUE',
      message: 'write "sp" on gateway 4 (serial): 40000 is out of range for int16 (-32768..32767)',
    });
    expect(await driver.status()).toMatchObject({ state: 'online' });
  });
});

describe('the port coming and going', () => {
  it('a missing port is retried; a hang-up is reported and the port reopened when it comes back', async () => {
    const dir = join(hub.dir, 'plug');
    const driverPath = join(dir, 'driver');
    const other = { key: 'other', point: { type: 'number', read: { regex: '^OTHER=(?<value>.*)$' } } };
    await using started = await startSerialDriver(hub, 5, { path: driverPath, timeoutMs: 20_000 }, [
      ...TEXT_POINTS.slice(0, 1),
      other,
    ]);
    const { driver } = started;
    await waitUntil(() => started.child.stderr.includes('cannot open'), { what: 'a failed open' });
    const status = await driver.status();
    expect(status.state === 'offline' || status.state === 'connecting').toBe(true);

    const online = (
      await expectEvent(driver, DriverEvents.gatewayState(5), {
        match: (state) => state === 'online',
        timeoutMs: 15_000,
      })
    ).event;
    let pair = await startPtyPair(dir);
    let sim = await startSimulator(pair.device);
    try {
      await online;
      const first = (await expectEvent(driver, DriverEvents.newValue('temp'), { match: (_k, v) => v === 1.5 })).event;
      sim.control({ line: 'TEMP=1.5' });
      await first;

      const offline = (
        await expectEvent<[string, string]>(driver, DriverEvents.gatewayState(5), {
          match: (state) => state === 'offline',
        })
      ).event;
      const reads = (await driver.status()).reads;
      const pending = driver.read('other'); // waits for a frame that never comes...
      pending.catch(() => undefined);
      await eventually('the read to reach the driver', async () =>
        (await driver.status()).reads > reads ? true : undefined,
      );
      await pair.stop(); // unplugged
      // ...and settles at the hang-up, long before its 20 s timeout
      await expect(pending).rejects.toMatchObject({
        code: 'DRIVER_CONNECTION_LOST',
        message: expect.stringContaining('SERIAL_PORT_CLOSED'),
      });
      await sim.stop();
      expect((await offline)[1]).toMatch(/^connection lost: .*; retry in \d+ ms$/);
      await expect(driver.read('temp')).rejects.toMatchObject({
        code: expect.stringMatching(/^DRIVER_(OFFLINE|DEVICE_ERROR)$/),
      });

      const back = (
        await expectEvent(driver, DriverEvents.gatewayState(5), {
          match: (state) => state === 'online',
          timeoutMs: 15_000,
        })
      ).event;
      pair = await startPtyPair(dir); // plugged in again, same path
      sim = await startSimulator(pair.device);
      await back;
      const again = (await expectEvent(driver, DriverEvents.newValue('temp'), { match: (_k, v) => v === 2.5 })).event;
      sim.control({ line: 'TEMP=2.5' });
      await again;
    } catch (error) {
      throw new Error(`${(error as Error).message}; driver stderr:\n${started.child.stderr.slice(-3000)}`);
    } finally {
      await sim.stop();
      await pair.stop();
    }
  });

  it('exits 2 on a bad regex or template, naming where', async () => {
    const { spawnDriver } = await import('@weble/driver-kit/testing');
    const { BIN } = await import('./fixtures/driver.js');
    const child = spawnDriver(BIN, {
      hub: hub.socket,
      peerName: 'driver_serial_6',
      config: {
        gateway: { id: 6, type: 'serial', config: { path: '/dev/null', framing: { type: 'frame', start: 'zz' } } },
        addresses: [
          { key: 'a', point: { type: 'number', read: { regex: '^T=(?<value>[0-9' } } },
          { key: 'b', point: { type: 'number', write: { command: 'SET ${val}\\n' } } },
          { key: 'c', point: { type: 'number', read: { regex: '^T=(?<t>.*)$', group: 'value' } } },
        ],
      },
    });
    expect((await child.exited).code).toBe(2);
    for (const line of [
      'gateway.config.framing.start: expected hex bytes like "02" or "0d 0a", got "zz"',
      'addresses[0].point.read.regex: invalid regular expression "^T=(?<value>[0-9": /^T=(?<value>[0-9/: Unterminated character class',
      'addresses[1].point.write.command: unknown placeholder ${val} (known: ${value}, ${value:<type>[be|le]})',
      'addresses[2].point.read.group: the regex has no group named "value" (named groups: t)',
    ]) {
      expect(child.stderr).toContain(line);
    }
  });
});
