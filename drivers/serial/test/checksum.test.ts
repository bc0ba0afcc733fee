import { describe, expect, it } from 'vitest';
import {
  CHECKSUM_SIZE,
  CHECKSUM_TYPES,
  checksum,
  checksumBytes,
  crc16Ccitt,
  crc16Modbus,
  crc8,
  crc8Maxim,
  lrc,
  sum8,
  xor8,
} from '../src/checksum.js';

const CHECK = Buffer.from('123456789');

describe('checksums', () => {
  it('match the catalogue check values of "123456789"', () => {
    expect(crc16Modbus(CHECK)).toBe(0x4b37);
    expect(crc16Ccitt(CHECK, 0)).toBe(0x31c3); // CRC-16/XMODEM
    expect(crc16Ccitt(CHECK, 0xffff)).toBe(0x29b1); // CRC-16/CCITT-FALSE
    expect(crc8(CHECK)).toBe(0xf4); // CRC-8/SMBUS (reveng catalogue "CRC-8")
    expect(crc8Maxim(CHECK)).toBe(0xa1); // CRC-8/MAXIM-DOW
    expect(sum8(CHECK)).toBe(0xdd); // 477 mod 256
    expect(xor8(CHECK)).toBe(0x31);
    expect(lrc(CHECK)).toBe(0x23); // -0xdd mod 256
    expect(Object.fromEntries(CHECKSUM_TYPES.map((type) => [type, checksum(type, CHECK)]))).toEqual({
      sum8: 0xdd,
      xor8: 0x31,
      lrc: 0x23,
      crc8: 0xf4,
      'crc8-maxim': 0xa1,
      'crc16-modbus': 0x4b37,
      'crc16-xmodem': 0x31c3,
      'crc16-ccitt-false': 0x29b1,
    });
  });

  it('LRC of Modbus ASCII reads (01 03 00 6B 00 03 -> 0x8E, 01 03 00 00 00 01 -> 0xFB)', () => {
    expect(lrc(Uint8Array.of(0x01, 0x03, 0x00, 0x6b, 0x00, 0x03))).toBe(0x8e);
    expect(lrc(Uint8Array.of(0x01, 0x03, 0x00, 0x00, 0x00, 0x01))).toBe(0xfb);
    // the sum of the bytes and their LRC is 0 modulo 256, whatever the bytes
    for (let n = 0; n < 256; n++)
      expect((sum8(Uint8Array.of(n, 7, 200)) + lrc(Uint8Array.of(n, 7, 200))) & 0xff).toBe(0);
  });

  it('go on the wire in the usual byte order: Modbus low byte first, CCITT high byte first', () => {
    expect([...checksumBytes('crc16-modbus', CHECK)]).toEqual([0x37, 0x4b]);
    expect([...checksumBytes('crc16-xmodem', CHECK)]).toEqual([0x31, 0xc3]);
    expect([...checksumBytes('crc16-modbus', CHECK, 'big')]).toEqual([0x4b, 0x37]);
    expect([...checksumBytes('sum8', CHECK)]).toEqual([0xdd]);
    expect([...checksumBytes('crc8', CHECK)]).toEqual([0xf4]);
    for (const type of CHECKSUM_TYPES) expect(checksumBytes(type, CHECK)).toHaveLength(CHECKSUM_SIZE[type]);
  });

  it('of a real Modbus RTU request (01 03 00 00 00 01 -> 84 0a)', () => {
    expect([...checksumBytes('crc16-modbus', Uint8Array.of(1, 3, 0, 0, 0, 1))]).toEqual([0x84, 0x0a]);
  });

  it('of nothing: the initial values', () => {
    expect(CHECKSUM_TYPES.map((type) => [type, checksum(type, new Uint8Array(0))])).toEqual([
      ['sum8', 0],
      ['xor8', 0],
      ['lrc', 0],
      ['crc8', 0],
      ['crc8-maxim', 0],
      ['crc16-modbus', 0xffff],
      ['crc16-xmodem', 0],
      ['crc16-ccitt-false', 0xffff],
    ]);
  });
});
