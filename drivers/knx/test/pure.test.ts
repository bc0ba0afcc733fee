/**
 * The pure parts: group addresses, datapoint ids, the connection-state frames (every prefix of a
 * valid frame and garbage are coded errors), the heartbeat with injected timers, the send
 * queue's spacing with an injected clock, and the schemas.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  AckTracker,
  Heartbeat,
  KnxError,
  SendQueue,
  configSchema,
  connectionStateRequest,
  formatDpt,
  formatGroupAddress,
  nextSlot,
  parseConnectionStateResponse,
  parseDpt,
  parseGroupAddress,
  pointSchema,
  tryParseDpt,
  tryParseGroupAddress,
} from '../src/index.js';
import { definition } from '../src/definition.js';
import { dptInfo } from '../src/dpt/dpt-info.js';

describe('group addresses', () => {
  it('reads the three forms and writes them back', () => {
    expect(parseGroupAddress('4/7/25')).toBe(0x2719);
    expect(parseGroupAddress('4/1817')).toBe(0x2719);
    expect(parseGroupAddress('10009')).toBe(0x2719);
    expect(formatGroupAddress(0x2719)).toBe('4/7/25');
    expect(formatGroupAddress(0x2719, 'two-level')).toBe('4/1817');
    expect(formatGroupAddress(0x2719, 'free')).toBe('10009');
    expect(parseGroupAddress('31/7/255')).toBe(0xffff);
  });

  it('refuses what is no group address, naming where it was', () => {
    for (const text of ['32/0/0', '0/8/0', '0/0/256', '0/2048', '65536', '1/2/3/4', '', 'a/b/c', '-1/0/0', '1.1.1']) {
      expect(tryParseGroupAddress(text), text).toBeUndefined();
    }
    expect(() => parseGroupAddress('32/0/0', 'gateway 1 (knx) address "x"')).toThrow(
      /^gateway 1 \(knx\) address "x": "32\/0\/0" is no group address \(expected main\/middle\/sub 0-31\/0-7\/0-255, .*\(KNX_BAD_GROUP_ADDRESS\)$/,
    );
  });

  it('every 16-bit address round-trips through each form', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 0xffff }),
        fc.constantFrom('three-level', 'two-level', 'free') as fc.Arbitrary<'three-level' | 'two-level' | 'free'>,
        (raw, style) => {
          expect(parseGroupAddress(formatGroupAddress(raw, style))).toBe(raw);
        },
      ),
    );
  });
});

describe('datapoint type ids', () => {
  it('reads the ETS and the dotted forms', () => {
    expect(tryParseDpt('DPST-9-1')).toEqual({ main: 9, sub: 1 });
    expect(tryParseDpt('DPT-1')).toEqual({ main: 1, sub: undefined });
    expect(tryParseDpt('9.001')).toEqual({ main: 9, sub: 1 });
    expect(tryParseDpt('DPT9.001')).toEqual({ main: 9, sub: 1 });
    expect(formatDpt({ main: 232, sub: 600 })).toBe('232.600');
    expect(() => parseDpt('99.001', 'gateway 1 (knx) address "x"')).toThrow(
      /^gateway 1 \(knx\) address "x": datapoint type "99\.001" is not supported .*\(KNX_UNSUPPORTED_DPT\)$/,
    );
    expect(() => parseDpt('232.601')).toThrow(KnxError);
  });
});

describe('point metadata from the datapoint type', () => {
  it('gives ranges, units and state texts, and the point says whether it is writable', () => {
    expect(dptInfo(parseDpt('1.001'))).toEqual({ states: { false: 'Off', true: 'On' } });
    expect(dptInfo(parseDpt('1.009'))).toEqual({ states: { false: 'Open', true: 'Close' } });
    expect(dptInfo(parseDpt('1'))).toEqual({});
    expect(dptInfo(parseDpt('5.001'))).toEqual({ min: 0, max: 100, unit: '%' });
    expect(dptInfo(parseDpt('5.010'))).toEqual({ min: 0, max: 255, step: 1 });
    expect(dptInfo(parseDpt('9.001'))).toEqual({ min: -671_088.64, max: 670_433.28, unit: '°C' });
    expect(dptInfo(parseDpt('8'))).toEqual({ min: -32_768, max: 32_767, step: 1 });
    expect(dptInfo(parseDpt('232.600'))).toEqual({});
    const point = pointSchema.parse({ ga: '1/2/3', dpt: '5.001', writable: false });
    expect(definition.describe!(point)).toEqual({ min: 0, max: 100, unit: '%', writable: false });
  });
});

describe('connection-state frames', () => {
  const response = Uint8Array.from([0x06, 0x10, 0x02, 0x08, 0x00, 0x08, 0x15, 0x00]);

  it('builds the request of KNXnet/IP 03.08.02 §7.8.3', () => {
    expect(Buffer.from(connectionStateRequest(0x15)).toString('hex')).toBe('06100207001015000801000000000000');
    expect(
      Buffer.from(connectionStateRequest(3, { protocol: 'udp', ip: '10.0.0.2', port: 3671 })).toString('hex'),
    ).toBe('0610020700100300080' + '10a0000020e57');
  });

  it('parses a response; another service is undefined', () => {
    expect(parseConnectionStateResponse(response)).toEqual({ channel: 0x15, status: 0 });
    expect(
      parseConnectionStateResponse(Uint8Array.from([0x06, 0x10, 0x04, 0x21, 0x00, 0x0a, 1, 0, 0, 0])),
    ).toBeUndefined();
  });

  it('every prefix of a response and a byte too many are KNX_BAD_FRAME', () => {
    for (let cut = 0; cut < response.length; cut++) {
      expect(() => parseConnectionStateResponse(response.subarray(0, cut))).toThrow(
        expect.objectContaining({ code: 'KNX_BAD_FRAME' }),
      );
    }
    expect(() => parseConnectionStateResponse(Uint8Array.from([...response, 0]))).toThrow(
      expect.objectContaining({ code: 'KNX_BAD_FRAME' }),
    );
  });

  it('garbage is never anything but KNX_BAD_FRAME or another service', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 40 }), (bytes) => {
        try {
          const parsed = parseConnectionStateResponse(bytes);
          if (parsed) expect(bytes.length).toBe(8);
        } catch (error) {
          expect(error).toMatchObject({ code: 'KNX_BAD_FRAME' });
        }
      }),
    );
  });
});

/** Timers run by hand. */
function manualTimers() {
  const pending = new Map<number, { callback: () => void; at: number }>();
  let now = 0;
  let next = 1;
  return {
    timers: {
      set: (callback: () => void, ms: number) => {
        pending.set(next, { callback, at: now + ms });
        return next++;
      },
      clear: (handle: unknown) => void pending.delete(handle as number),
    },
    /** Run every timer due within `ms`, in order. */
    advance(ms: number) {
      const end = now + ms;
      for (;;) {
        const due = [...pending.entries()].filter(([, t]) => t.at <= end).sort((a, b) => a[1].at - b[1].at)[0];
        if (!due) break;
        pending.delete(due[0]);
        now = due[1].at;
        due[1].callback();
      }
      now = end;
    },
    get now() {
      return now;
    },
  };
}

describe('heartbeat', () => {
  function setup(retries = 1) {
    const clock = manualTimers();
    const probes: number[] = [];
    const deaths: Array<{ error: KnxError; at: number }> = [];
    const heartbeat = new Heartbeat(
      {
        peer: '127.0.0.1:3671',
        channel: () => 7,
        probe: () => probes.push(clock.now),
        dead: (error) => deaths.push({ error, at: clock.now }),
      },
      { intervalMs: 3_000, timeoutMs: 1_500, retries },
      clock.timers,
    );
    heartbeat.start();
    return { clock, probes, deaths, heartbeat };
  }

  it('probes every interval while answered', () => {
    const { clock, probes, deaths, heartbeat } = setup();
    for (let i = 0; i < 3; i++) {
      clock.advance(3_000);
      heartbeat.received({ channel: 7, status: 0 });
    }
    expect(probes).toEqual([3_000, 6_000, 9_000]);
    expect(deaths).toEqual([]);
    expect(heartbeat.answered).toBe(3);
  });

  it('declares the tunnel dead after retries + 1 unanswered probes: interval + 2 * timeout', () => {
    const { clock, probes, deaths } = setup(1);
    clock.advance(10_000);
    expect(probes).toEqual([3_000, 4_500]);
    expect(deaths).toHaveLength(1);
    expect(deaths[0]!.at).toBe(6_000);
    expect(deaths[0]!.error.message).toBe(
      'tunnel to 127.0.0.1:3671 (channel 7) is dead: no answer to 2 connection-state request(s) of 1500 ms (KNX_HEARTBEAT_FAILED)',
    );
  });

  it('an answer for another channel does not count; an error status is dead at once', () => {
    const { clock, deaths, heartbeat } = setup();
    clock.advance(3_000);
    heartbeat.received({ channel: 8, status: 0 });
    heartbeat.received({ channel: 7, status: 0x21 });
    expect(deaths[0]?.error.message).toMatch(/E_CONNECTION_ID/);
    clock.advance(10_000);
    expect(deaths).toHaveLength(1);
  });
});

describe('send queue (rate limit)', () => {
  it('nextSlot spaces telegrams by the interval, never before now', () => {
    expect(nextSlot(undefined, 5, 50)).toBe(5);
    expect(nextSlot(0, 10, 50)).toBe(50);
    expect(nextSlot(0, 80, 50)).toBe(80);
  });

  it('sends a burst at the rate, in order, and refuses past maxQueue', async () => {
    const clock = manualTimers();
    const sent: Array<[number, number]> = [];
    const queue = new SendQueue({
      ratePerSecond: 10,
      maxQueue: 5,
      label: 'gateway 1 (knx)',
      now: () => clock.now,
      setTimer: clock.timers.set,
      clearTimer: clock.timers.clear,
    });
    // The first leaves at once; five may wait.
    const done = Array.from({ length: 6 }, (_, i) => queue.push(`write ${i}`, () => void sent.push([i, clock.now])));
    await expect(queue.push('write 6', () => undefined)).rejects.toMatchObject({
      code: 'KNX_QUEUE_FULL',
      message: 'write 6 on gateway 1 (knx): 5 telegrams already wait for the bus (rate 10/s) (KNX_QUEUE_FULL)',
    });
    clock.advance(1_000);
    await Promise.all(done);
    expect(sent).toEqual([
      [0, 0],
      [1, 100],
      [2, 200],
      [3, 300],
      [4, 400],
      [5, 500],
    ]);
  });

  it('close fails the waiting sends', async () => {
    const clock = manualTimers();
    const queue = new SendQueue({
      ratePerSecond: 1,
      maxQueue: 5,
      label: 'g',
      now: () => clock.now,
      setTimer: clock.timers.set,
      clearTimer: clock.timers.clear,
    });
    const first = queue.push('a', () => undefined);
    const second = queue.push('b', () => undefined);
    queue.close(new Error('closed'));
    await expect(first).resolves.toBeUndefined();
    await expect(second).rejects.toThrow('closed');
  });
});

describe('schemas', () => {
  it('config: defaults, host required for tunnelling, not for routing', () => {
    expect(configSchema.parse({ host: '10.0.0.5' })).toMatchObject({
      transport: 'tunnel-udp',
      port: 3671,
      rateLimit: 20,
      heartbeat: { intervalMs: 3_000, timeoutMs: 1_500, retries: 1 },
    });
    expect(configSchema.safeParse({}).error?.issues[0]).toMatchObject({
      path: ['host'],
      message: expect.stringMatching(/required for tunnel-udp/),
    });
    expect(configSchema.safeParse({ transport: 'routing' }).success).toBe(true);
    expect(configSchema.safeParse({ host: '10.0.0.5', bogus: 1 }).success).toBe(false);
    // knxultimate tunnels over TCP only inside a KNX Secure session, which the driver does not offer.
    expect(configSchema.safeParse({ host: '10.0.0.5', transport: 'tunnel-tcp' }).error?.issues[0]?.path).toEqual([
      'transport',
    ]);
  });

  it('point: canonical dpt, checked group addresses', () => {
    expect(pointSchema.parse({ dpt: 'DPST-9-1', status: '1/2/3' })).toEqual({
      dpt: '9.001',
      status: '1/2/3',
      writable: true,
    });
    expect(pointSchema.safeParse({ dpt: '1.001', ga: '32/0/0' }).error?.issues[0]?.path).toEqual(['ga']);
    expect(pointSchema.safeParse({ dpt: '99.001' }).error?.issues[0]?.message).toMatch(
      /datapoint type "99\.001" is not supported/,
    );
  });
});

describe('ack tracker', () => {
  it('resolves a telegram on its ack, ignores a duplicate, fails on timeout and on failAll', async () => {
    const clock = manualTimers();
    const acks = new AckTracker({
      peer: 'tunnel to 10.0.0.5:3671',
      timeoutMs: 5_000,
      setTimer: clock.timers.set,
      clearTimer: clock.timers.clear,
    });
    const first = acks.expect(1, 'write 4/7/25 on gateway 1 (knx)');
    const second = acks.expect(2, 'write 4/7/26 on gateway 1 (knx)');
    acks.acked(1);
    acks.acked(1);
    await expect(first).resolves.toBeUndefined();
    clock.advance(5_000);
    await expect(second).rejects.toMatchObject({
      code: 'KNX_NO_ACK',
      message:
        'write 4/7/26 on gateway 1 (knx): no TUNNELLING_ACK from tunnel to 10.0.0.5:3671 within 5000 ms (KNX_NO_ACK)',
    });
    const third = acks.expect(3, 'read 1/0/6');
    acks.failAll(new Error('lost'));
    await expect(third).rejects.toThrow('lost');
    expect(acks.size).toBe(0);
  });
});
