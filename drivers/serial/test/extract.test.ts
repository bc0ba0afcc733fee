import { describe, expect, it } from 'vitest';
import { SerialCode } from '../src/errors.js';
import { compileMatch, frameOf } from '../src/extract.js';
import { matchSchema } from '../src/schemas.js';

const text = (line: string) => frameOf(Buffer.from(line), 'utf8');
const bytes = (hex: string) => frameOf(Buffer.from(hex.replace(/ /g, ''), 'hex'), 'latin1');
const match = (input: unknown) => matchSchema.parse(input);

describe('values from text frames', () => {
  it('take the named group "value", scaled, and ignore frames the regex does not match', () => {
    const temp = compileMatch(match({ regex: '^T=(?<value>-?[0-9.]+)$', scale: 0.1 }), 'number');
    expect(temp(text('T=215'))).toEqual({ value: 21.5 });
    expect(temp(text('T=215\r'))).toEqual({ value: 21.5 }); // a CR before the LF delimiter is dropped
    expect(temp(text('H=40'))).toBeUndefined();
  });

  it('take a group by name, else the first group, else the whole match', () => {
    expect(compileMatch(match({ regex: '^(?<id>\\d+);(?<t>[0-9.]+)$', group: 't' }), 'number')(text('7;20.5'))).toEqual(
      { value: 20.5 },
    );
    expect(compileMatch(match({ regex: 'W:(\\d+)' }), 'number')(text('W:120 g'))).toEqual({ value: 120 });
    expect(compileMatch(match({ regex: '^[A-Z]+$' }), 'string')(text('READY'))).toEqual({ value: 'READY' });
  });

  it('convert booleans from 1/0, on/off, true/false, or through a map', () => {
    const door = compileMatch(match({ regex: '^DOOR (?<value>\\w+)$' }), 'boolean');
    expect([door(text('DOOR on')), door(text('DOOR 0')), door(text('DOOR TRUE'))]).toEqual([
      { value: true },
      { value: false },
      { value: true },
    ]);
    const mapped = compileMatch(match({ regex: '^DOOR (?<value>\\w+)$', map: { OPEN: true, SHUT: false } }), 'boolean');
    expect(mapped(text('DOOR SHUT'))).toEqual({ value: false });
    expect(mapped(text('DOOR AJAR'))).toEqual({
      code: SerialCode.BAD_VALUE,
      message: '"AJAR" is not in the map (OPEN, SHUT)',
    });
  });

  it('report a value that does not convert, with the code', () => {
    const temp = compileMatch(match({ regex: '^T=(?<value>.*)$' }), 'number');
    expect(temp(text('T=abc'))).toEqual({ code: SerialCode.BAD_VALUE, message: '"abc" is not a number' });
    expect(temp(text('T='))).toEqual({ code: SerialCode.BAD_VALUE, message: '"" is not a number' });
    expect(compileMatch(match({ regex: '^X(?<value>\\d)?$' }), 'number')(text('X'))).toMatchObject({
      code: SerialCode.BAD_VALUE,
    });
  });
});

describe('values from binary frames', () => {
  it('read a field at an offset with its type and byte order, behind a prefix', () => {
    const temp = compileMatch(match({ prefix: '10', field: { offset: 1, type: 'int16' }, scale: 0.1 }), 'number');
    expect(temp(bytes('10 00 ea'))).toEqual({ value: 23.4 });
    expect(temp(bytes('10 ff f1'))).toEqual({ value: -1.5 });
    expect(temp(bytes('11 00 ea'))).toBeUndefined();
    expect(temp(bytes('10 00'))).toEqual({
      code: SerialCode.BAD_VALUE,
      message: 'frame of 2 bytes is too short for int16 at offset 1',
    });
    const le = compileMatch(match({ field: { offset: 0, type: 'uint32', endian: 'little' } }), 'number');
    expect(le(bytes('01 00 00 80'))).toEqual({ value: 0x80000001 });
    expect(
      compileMatch(match({ field: { offset: 2, type: 'float32' } }), 'number')(bytes('00 00 41 b4 00 00')),
    ).toEqual({ value: 22.5 });
    expect(
      compileMatch(match({ prefix: '20', field: { offset: 1, type: 'uint8' } }), 'boolean')(bytes('20 01')),
    ).toEqual({ value: true });
  });

  it('a prefix alone gives the frame as hex (string points)', () => {
    expect(compileMatch(match({ prefix: '7e' }), 'string')(bytes('7e 01 02'))).toEqual({ value: '7e0102' });
  });
});

describe('header fields and BCD', () => {
  const withFields = (hex: string, fields: Record<string, number>) =>
    frameOf(Buffer.from(hex.replace(/ /g, ''), 'hex'), 'latin1', fields);

  it('a match with fields takes only frames whose header fields have those values', () => {
    const temp = compileMatch(
      match({ fields: { address: 1, command: 3 }, field: { offset: 0, type: 'int16' } }),
      'number',
    );
    expect(temp(withFields('00 ea', { address: 1, command: 3 }))).toEqual({ value: 234 });
    expect(temp(withFields('00 ea', { address: 2, command: 3 }))).toBeUndefined(); // another address
    expect(temp(withFields('00 ea', {}))).toBeUndefined(); // a frame without a layout
  });

  it('reads packed BCD, big- and little-endian, and refuses nibbles over 9', () => {
    expect(compileMatch(match({ field: { offset: 0, type: 'bcd16' } }), 'number')(bytes('12 34'))).toEqual({
      value: 1234,
    });
    expect(
      compileMatch(match({ field: { offset: 0, type: 'bcd32', endian: 'little' } }), 'number')(bytes('78 56 34 12')),
    ).toEqual({ value: 12345678 });
    expect(compileMatch(match({ field: { offset: 0, type: 'bcd8' } }), 'number')(bytes('1a'))).toEqual({
      code: SerialCode.BAD_VALUE,
      message: '"NaN" is not a number',
    });
  });
});
