import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { exponentialBackoff } from '../src/link/backoff.js';
import { Code } from '../src/errors.js';
import { HEADER_BYTES } from '../src/codec/frame-decoder.js';
import { MessageType, assertName, bodyOf, readEnvelope, relayed, writeHeader } from '../src/codec/wire.js';

describe('wire header', () => {
  it('writes and reads every field, with the body as a view', () => {
    const body = Buffer.from('body');
    const prefix = writeHeader(MessageType.CALL, 9, 'supervision', 'driver_modbus_1', 'gateways', body.length);
    expect(prefix.readUInt32BE(0)).toBe(prefix.length - HEADER_BYTES + body.length);
    const env = readEnvelope(Buffer.concat([prefix.subarray(HEADER_BYTES), body]));
    expect(env).toMatchObject({
      type: MessageType.CALL,
      ttl: 9,
      to: 'supervision',
      from: 'driver_modbus_1',
      topic: 'gateways',
    });
    expect(bodyOf(env).toString()).toBe('body');
  });

  it('relays a frame as it arrived with one hop less, or with a new header when it was stamped', () => {
    const body = Buffer.from('xyz');
    const frame = Buffer.concat([writeHeader(MessageType.CALL, 5, 'b', 'a', 'm', body.length), body]);
    const env = readEnvelope(frame, HEADER_BYTES, frame.length);
    const [same] = relayed(env, 'a', 'b');
    expect(same.length).toBe(frame.length);
    expect(readEnvelope(same, HEADER_BYTES)).toMatchObject({ ttl: 4, to: 'b', from: 'a', topic: 'm' });
    const unstamped = Buffer.concat([writeHeader(MessageType.CALL, 5, 'b', '', 'm', body.length), body]);
    const env2 = { ...readEnvelope(unstamped, HEADER_BYTES, unstamped.length), stamped: true };
    const [prefix, rest] = relayed(env2, 'a', 'b');
    const rebuilt = Buffer.concat([prefix, rest!]);
    expect(rebuilt.readUInt32BE(0)).toBe(rebuilt.length - HEADER_BYTES);
    expect(readEnvelope(rebuilt, HEADER_BYTES)).toMatchObject({ ttl: 4, to: 'b', from: 'a', topic: 'm' });
    expect(bodyOf(readEnvelope(rebuilt, HEADER_BYTES)).toString()).toBe('xyz');
  });

  it('carries UTF-8 topics (event names)', () => {
    const prefix = writeHeader(MessageType.EVENT, 1, '', 'x', '|température 4/7/25', 0);
    expect(readEnvelope(prefix.subarray(HEADER_BYTES)).topic).toBe('|température 4/7/25');
  });

  it('names the broken field of a truncated header', () => {
    expect(() => readEnvelope(Buffer.from([MessageType.CALL, 1, 200, 0, 0, 0]))).toThrow(
      expect.objectContaining({ code: Code.BAD_FRAME, message: expect.stringContaining('"to"') }),
    );
    expect(() => readEnvelope(Buffer.from([99, 1, 0, 0, 0, 0]))).toThrow(
      expect.objectContaining({ code: Code.BAD_FRAME, message: 'unknown message type 99' }),
    );
    expect(() => readEnvelope(Buffer.from([1]))).toThrow(expect.objectContaining({ code: Code.BAD_FRAME }));
  });

  it('property: random bytes only ever fail with BAD_FRAME', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 40 }), (bytes) => {
        try {
          readEnvelope(Buffer.from(bytes));
        } catch (error) {
          expect((error as { code: string }).code).toBe(Code.BAD_FRAME);
        }
      }),
    );
  });

  it('accepts the conventional names and refuses bad ones with INVALID_NAME', () => {
    for (const ok of ['supervision', 'driver_modbus_1', 'logic_thermostat', 'metricsExporter', 'web:browser-1'])
      expect(() => assertName(ok)).not.toThrow();
    for (const bad of ['', ' x', 'a b', 'x@site', 'a'.repeat(129), 42, null]) {
      expect(() => assertName(bad)).toThrow(expect.objectContaining({ code: Code.INVALID_NAME }));
    }
  });
});

describe('exponentialBackoff', () => {
  it('grows by the factor up to the cap, without jitter', () => {
    const b = exponentialBackoff({ initialMs: 100, maxMs: 1000, factor: 2, jitter: 0 });
    expect([0, 1, 2, 3, 4, 10].map((a) => b(a))).toEqual([100, 200, 400, 800, 1000, 1000]);
  });

  it('takes at most the jitter share off', () => {
    const b = exponentialBackoff({ initialMs: 1000, jitter: 0.5 });
    expect(b(0, () => 0)).toBe(1000);
    expect(b(0, () => 1)).toBe(500);
    fc.assert(
      fc.property(fc.nat(40), fc.double({ min: 0, max: 1, noNaN: true }), (attempt, r) => {
        const ms = b(attempt, () => r);
        expect(ms).toBeGreaterThanOrEqual(500);
        expect(ms).toBeLessThanOrEqual(10_000);
      }),
    );
  });
});
