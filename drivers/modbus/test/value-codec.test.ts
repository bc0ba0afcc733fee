import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decodeRegisters, encodeRegisters, reorder, toRaw, withBit } from '../src/value-codec.js';
import { ORDERS, type ByteOrder, type PointType } from '../src/schemas.js';

const hex = (text: string) => Buffer.from(text.replace(/ /g, ''), 'hex');
const point = (type: PointType, order: ByteOrder = 'ABCD', extra: Record<string, unknown> = {}) => ({
  table: 'holding' as const,
  type,
  order,
  ...extra,
});

describe('value codec', () => {
  it('decodes float32 123.456 (0x42F6E979) in the four orders', () => {
    const expected = Math.fround(123.456);
    expect(decodeRegisters(point('float32', 'ABCD'), hex('42F6 E979'))).toBe(expected);
    expect(decodeRegisters(point('float32', 'BADC'), hex('F642 79E9'))).toBe(expected);
    expect(decodeRegisters(point('float32', 'CDAB'), hex('E979 42F6'))).toBe(expected);
    expect(decodeRegisters(point('float32', 'DCBA'), hex('79E9 F642'))).toBe(expected);
  });

  it('decodes 64-bit values with the order spread over four words', () => {
    // 0x0102030405060708
    const value = 0x0102030405060708;
    expect(decodeRegisters(point('uint64', 'ABCD'), hex('0102 0304 0506 0708'))).toBe(value);
    expect(decodeRegisters(point('uint64', 'BADC'), hex('0201 0403 0605 0807'))).toBe(value);
    expect(decodeRegisters(point('uint64', 'CDAB'), hex('0708 0506 0304 0102'))).toBe(value);
    expect(decodeRegisters(point('uint64', 'DCBA'), hex('0807 0605 0403 0201'))).toBe(value);
    expect(decodeRegisters(point('int64'), hex('FFFF FFFF FFFF FFFE'))).toBe(-2);
    expect(decodeRegisters(point('float64', 'CDAB'), hex('0000 0000 0000 3FF0'))).toBe(1);
  });

  it('decodes 16-bit values, bits, strings, scale and offset', () => {
    expect(decodeRegisters(point('int16'), hex('FFFE'))).toBe(-2);
    expect(decodeRegisters(point('uint16', 'BADC'), hex('3412'))).toBe(0x1234);
    expect(decodeRegisters(point('uint16', 'CDAB'), hex('1234'))).toBe(0x1234);
    expect(decodeRegisters(point('int32'), hex('FFFF FFFF'))).toBe(-1);
    expect(decodeRegisters(point('uint32', 'CDAB'), hex('0000 0001'))).toBe(65536);
    expect(decodeRegisters(point('bool', 'ABCD', { bit: 15 }), hex('8000'))).toBe(true);
    expect(decodeRegisters(point('bool', 'ABCD', { bit: 0 }), hex('8000'))).toBe(false);
    expect(decodeRegisters(point('bool', 'BADC', { bit: 0 }), hex('0100'))).toBe(true);
    expect(decodeRegisters(point('string', 'ABCD', { length: 5 }), hex('4142 4344 4500'))).toBe('ABCDE');
    expect(decodeRegisters(point('string', 'BADC', { length: 4 }), hex('4241 4443'))).toBe('ABCD');
    expect(decodeRegisters(point('string', 'ABCD', { length: 6 }), hex('4869 0000 0000'))).toBe('Hi');
    expect(decodeRegisters(point('int16', 'ABCD', { scale: 0.1, offset: -40 }), hex('01F4'))).toBe(10);
  });

  it('refuses too few bytes', () => {
    expect(() => decodeRegisters(point('float64'), hex('0000 0000'))).toThrow(/expected 8 bytes/);
  });

  it('round-trips every numeric type in every order', () => {
    const cases: Array<[PointType, fc.Arbitrary<number>]> = [
      ['int16', fc.integer({ min: -32768, max: 32767 })],
      ['uint16', fc.integer({ min: 0, max: 65535 })],
      ['int32', fc.integer({ min: -(2 ** 31), max: 2 ** 31 - 1 })],
      ['uint32', fc.integer({ min: 0, max: 2 ** 32 - 1 })],
      ['float32', fc.float({ noNaN: true, noDefaultInfinity: true }).map(Math.fround)],
      ['int64', fc.maxSafeInteger()],
      ['uint64', fc.maxSafeNat()],
      ['float64', fc.double({ noNaN: true, noDefaultInfinity: true })],
    ];
    for (const [type, values] of cases) {
      fc.assert(
        fc.property(values, fc.constantFrom(...ORDERS), (value, order) => {
          const p = point(type, order);
          expect(decodeRegisters(p, encodeRegisters(p, value))).toBe(value);
        }),
        { numRuns: 200 },
      );
    }
  });

  it('each order is its own inverse', () => {
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 8, maxLength: 8 }), fc.constantFrom(...ORDERS), (bytes, order) => {
        const buf = Buffer.from(bytes);
        expect(reorder(reorder(buf, order, 'uint64'), order, 'uint64')).toEqual(buf);
      }),
    );
  });

  it('applies scale and offset backwards on write and checks the range', () => {
    expect(toRaw(point('uint16', 'ABCD', { scale: 0.5, offset: 10 }), 60)).toEqual({ ok: true, raw: 100 });
    expect(toRaw(point('int16', 'ABCD', { scale: 0.1 }), 21.55)).toEqual({ ok: true, raw: 216 });
    expect(toRaw(point('uint16'), -1)).toEqual({ ok: false, problem: '-1 gives raw -1, outside uint16 (0 to 65535)' });
    expect(toRaw(point('int64'), 2 ** 63)).toMatchObject({ ok: false });
    expect(toRaw(point('float32'), 1e39)).toEqual({ ok: false, problem: '1e+39 is outside float32' });
    expect(() => encodeRegisters(point('int16'), 40000)).toThrow(RangeError);
    expect(encodeRegisters(point('string', 'ABCD', { length: 3 }), 'Hi!')).toEqual(hex('4869 2100'));
  });

  it('sets one bit of a register, keeping the others', () => {
    expect(withBit(point('bool', 'ABCD', { bit: 3 }), hex('0101'), true)).toEqual(hex('0109'));
    expect(withBit(point('bool', 'ABCD', { bit: 8 }), hex('0101'), false)).toEqual(hex('0001'));
    expect(withBit(point('bool', 'BADC', { bit: 0 }), hex('0000'), true)).toEqual(hex('0100'));
  });
});
