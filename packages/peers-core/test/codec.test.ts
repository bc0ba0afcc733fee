import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decode, encode } from '../src/codec/messagepack.js';
import { Code, PeersError } from '../src/errors.js';

const rt = <T>(value: T): T => decode(encode(value)) as T;

describe('codec', () => {
  it('round-trips nested plain data, undefined in arrays and objects', () => {
    const value = { a: [1, undefined, 'x', null, true], b: { c: { d: [{ e: -1.5 }] } }, u: undefined, big: 2 ** 40 };
    expect(rt(value)).toStrictEqual(value);
  });

  it('round-trips Buffer and Uint8Array as bytes', () => {
    const buf = Buffer.from([1, 2, 3, 255]);
    const out = rt({ buf, u8: new Uint8Array([9, 8]) });
    expect(Buffer.isBuffer(out.buf)).toBe(true);
    expect([...out.buf]).toEqual([1, 2, 3, 255]);
    expect(out.u8).toBeInstanceOf(Uint8Array);
    expect([...out.u8]).toEqual([9, 8]);
  });

  it('round-trips Date', () => {
    const d = new Date('2026-11-24T10:11:12.345Z');
    const out = rt([d]);
    expect(out[0]).toBeInstanceOf(Date);
    expect(out[0]!.toISOString()).toBe(d.toISOString());
  });

  it('round-trips Error with name, message, code, stack, cause and own properties', () => {
    const cause = new RangeError('inner');
    const error = Object.assign(new TypeError('outer', { cause }), {
      code: 'E_GW',
      address: '4/7/25',
      detail: { n: 1 },
    });
    const out = rt(error);
    expect(out).toBeInstanceOf(TypeError);
    expect(out.name).toBe('TypeError');
    expect(out.message).toBe('outer');
    expect(out.stack).toBe(error.stack);
    expect(out.code).toBe('E_GW');
    expect(out.address).toBe('4/7/25');
    expect(out.detail).toEqual({ n: 1 });
    expect((out as Error).cause).toBeInstanceOf(RangeError);
    expect(((out as Error).cause as Error).message).toBe('inner');
  });

  it('keeps the name of custom errors and PeersError codes', () => {
    const out = rt(new PeersError(Code.UNKNOWN_METHOD, 'nope'));
    expect(out.name).toBe('PeersError');
    expect(out.code).toBe(Code.UNKNOWN_METHOD);
    expect(out).toBeInstanceOf(Error);
  });

  it('drops error properties that cannot be sent instead of failing the send', () => {
    const error = Object.assign(new Error('x'), { socket: { write: () => 1 }, code: 'E1' });
    const out = rt(error) as Error & { code?: string; socket?: unknown };
    expect(out.code).toBe('E1');
    expect(out.socket).toBeUndefined();
  });

  it('refuses a function with NOT_SERIALIZABLE naming the path', () => {
    expect(() => encode(['a', { cb: () => 1 }], 'gateways.writeValue arguments')).toThrow(
      expect.objectContaining({
        code: Code.NOT_SERIALIZABLE,
        message:
          'gateways.writeValue arguments[1].cb: a function cannot be sent (only a last-argument callback is allowed)',
      }),
    );
  });

  it('refuses a cycle with NOT_SERIALIZABLE naming the path', () => {
    const a: Record<string, unknown> = { x: 1 };
    a.self = { back: a };
    expect(() => encode([a], 'args')).toThrow(
      expect.objectContaining({
        code: Code.NOT_SERIALIZABLE,
        message: 'args[0].self.back: a cyclic reference cannot be sent',
      }),
    );
  });

  it('refuses a symbol', () => {
    expect(() => encode({ s: Symbol('x') }, 'v')).toThrow(
      expect.objectContaining({ code: Code.NOT_SERIALIZABLE, message: 'v.s: a symbol cannot be sent' }),
    );
  });

  it('reports malformed bytes as BAD_FRAME', () => {
    expect(() => decode(Buffer.from([0xdc, 0x00]))).toThrow(expect.objectContaining({ code: Code.BAD_FRAME }));
    expect(() => decode(Buffer.from([0x92, 0x01]))).toThrow(expect.objectContaining({ code: Code.BAD_FRAME }));
  });

  it('property: JSON-like values with bytes and dates round-trip', () => {
    const leaf = fc.oneof(
      fc.string(),
      fc.integer(),
      fc.double({ noNaN: true, noDefaultInfinity: true }).filter((n) => !Object.is(n, -0)),
      fc.boolean(),
      fc.constant(null),
      fc.date({ noInvalidDate: true }),
      fc.uint8Array({ maxLength: 32 }).map((u) => Buffer.from(u)),
    );
    const value = fc.letrec((tie) => ({
      node: fc.oneof(
        { depthSize: 'small' },
        leaf,
        fc.array(tie('node'), { maxLength: 5 }),
        fc.dictionary(
          fc.string().filter((k) => k !== '__proto__'),
          tie('node'),
          { maxKeys: 5, noNullPrototype: true },
        ),
      ),
    })).node;
    fc.assert(
      fc.property(value, (v) => {
        expect(rt(v)).toStrictEqual(v);
      }),
    );
  });

  it('property: random bytes never throw anything but a coded BAD_FRAME', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 64 }), (bytes) => {
        try {
          decode(Buffer.from(bytes));
        } catch (error) {
          expect((error as PeersError).code).toBe(Code.BAD_FRAME);
        }
      }),
    );
  });
});
