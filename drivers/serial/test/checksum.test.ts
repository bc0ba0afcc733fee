import { describe, expect, it } from 'vitest';
import { CHECKSUM_TYPES, checksum, checksumBytes, crc16Ccitt, crc16Modbus, sum8, xor8 } from '../src/checksum.js';

const CHECK = Buffer.from('123456789');

describe('checksums', () => {
  it('match the catalogue check values of "123456789"', () => {
    expect(crc16Modbus(CHECK)).toBe(0x4b37);
    expect(crc16Ccitt(CHECK, 0)).toBe(0x31c3); // CRC-16/XMODEM
    expect(crc16Ccitt(CHECK, 0xffff)).toBe(0x29b1); // CRC-16/CCITT-FALSE
    expect(sum8(CHECK)).toBe(0xdd); // 477 mod 256
    expect(xor8(CHECK)).toBe(0x31);
    expect(CHECKSUM_TYPES.map((type) => checksum(type, CHECK))).toEqual([0xdd, 0x31, 0x4b37, 0x31c3, 0x29b1]);
  });

  it('go on the wire in the usual byte order: Modbus low byte first, CCITT high byte first', () => {
    expect([...checksumBytes('crc16-modbus', CHECK)]).toEqual([0x37, 0x4b]);
    expect([...checksumBytes('crc16-xmodem', CHECK)]).toEqual([0x31, 0xc3]);
    expect([...checksumBytes('crc16-modbus', CHECK, 'big')]).toEqual([0x4b, 0x37]);
    expect([...checksumBytes('sum8', CHECK)]).toEqual([0xdd]);
  });

  it('of a real Modbus RTU request (01 03 00 00 00 01 -> 84 0a)', () => {
    expect([...checksumBytes('crc16-modbus', Uint8Array.of(1, 3, 0, 0, 0, 1))]).toEqual([0x84, 0x0a]);
  });

  it('of nothing: the initial values', () => {
    expect(CHECKSUM_TYPES.map((type) => checksum(type, new Uint8Array(0)))).toEqual([0, 0, 0xffff, 0, 0xffff]);
  });
});
