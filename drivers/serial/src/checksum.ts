/**
 * Frame checksums, pure. Supported: 8-bit sum (modulo 256), 8-bit xor, LRC (the Modbus ASCII
 * longitudinal redundancy check: the two's complement of the 8-bit sum), CRC-8 (CRC-8/SMBUS:
 * poly 0x07, init 0, unreflected), CRC-8/MAXIM (Dallas 1-Wire: poly 0x31 reflected, init 0),
 * CRC-16/MODBUS (poly 0x8005 reflected, init 0xFFFF; sent low byte first), and two CRC-CCITT
 * variants: CRC-16/XMODEM (poly 0x1021, init 0x0000) and CRC-16/CCITT-FALSE (poly 0x1021, init
 * 0xFFFF), both unreflected and sent high byte first. Check values of "123456789" (the CRC
 * catalogue's): 0xDD, 0x31, 0x23, 0xF4, 0xA1, 0x4B37, 0x31C3, 0x29B1.
 */

/** The checksum kinds a frame may carry. */
export const CHECKSUM_TYPES = [
  'sum8',
  'xor8',
  'lrc',
  'crc8',
  'crc8-maxim',
  'crc16-modbus',
  'crc16-xmodem',
  'crc16-ccitt-false',
] as const;
/** One of {@link CHECKSUM_TYPES}. */
export type ChecksumType = (typeof CHECKSUM_TYPES)[number];

/** Size of each checksum on the wire, bytes. */
export const CHECKSUM_SIZE: Record<ChecksumType, 1 | 2> = {
  sum8: 1,
  xor8: 1,
  lrc: 1,
  crc8: 1,
  'crc8-maxim': 1,
  'crc16-modbus': 2,
  'crc16-xmodem': 2,
  'crc16-ccitt-false': 2,
};

/** Byte order of each checksum on the wire when the configuration does not say. */
export const CHECKSUM_ENDIAN: Record<ChecksumType, 'big' | 'little'> = {
  sum8: 'big',
  xor8: 'big',
  lrc: 'big',
  crc8: 'big',
  'crc8-maxim': 'big',
  'crc16-modbus': 'little',
  'crc16-xmodem': 'big',
  'crc16-ccitt-false': 'big',
};

/** Sum of the bytes modulo 256. */
export function sum8(bytes: Uint8Array): number {
  let sum = 0;
  for (const b of bytes) sum = (sum + b) & 0xff;
  return sum;
}

/** Xor of the bytes. */
export function xor8(bytes: Uint8Array): number {
  let x = 0;
  for (const b of bytes) x ^= b;
  return x;
}

/** LRC of Modbus ASCII (spec "MODBUS over serial line" 2.5.2.1): the two's complement of the 8-bit sum. */
export function lrc(bytes: Uint8Array): number {
  return -sum8(bytes) & 0xff;
}

/** CRC-8/SMBUS: poly 0x07, init 0, unreflected, no final xor. */
export function crc8(bytes: Uint8Array): number {
  let crc = 0;
  for (const b of bytes) {
    crc ^= b;
    for (let i = 0; i < 8; i++) crc = crc & 0x80 ? ((crc << 1) ^ 0x07) & 0xff : (crc << 1) & 0xff;
  }
  return crc;
}

/** CRC-8/MAXIM (Dallas/1-Wire): reflected poly 0x8C (0x31), init 0, no final xor. */
export function crc8Maxim(bytes: Uint8Array): number {
  let crc = 0;
  for (const b of bytes) {
    crc ^= b;
    for (let i = 0; i < 8; i++) crc = crc & 1 ? (crc >>> 1) ^ 0x8c : crc >>> 1;
  }
  return crc;
}

/** CRC-16/MODBUS: reflected poly 0xA001 (0x8005), init 0xFFFF, no final xor. */
export function crc16Modbus(bytes: Uint8Array): number {
  let crc = 0xffff;
  for (const b of bytes) {
    crc ^= b;
    for (let i = 0; i < 8; i++) crc = crc & 1 ? (crc >>> 1) ^ 0xa001 : crc >>> 1;
  }
  return crc;
}

/** CRC-16 with poly 0x1021, unreflected, no final xor, from `init` (0 for XMODEM, 0xFFFF for CCITT-FALSE). */
export function crc16Ccitt(bytes: Uint8Array, init: number): number {
  let crc = init & 0xffff;
  for (const b of bytes) {
    crc ^= b << 8;
    for (let i = 0; i < 8; i++) crc = crc & 0x8000 ? ((crc << 1) ^ 0x1021) & 0xffff : (crc << 1) & 0xffff;
  }
  return crc;
}

/** The checksum of `bytes` as a number. */
export function checksum(type: ChecksumType, bytes: Uint8Array): number {
  switch (type) {
    case 'sum8':
      return sum8(bytes);
    case 'xor8':
      return xor8(bytes);
    case 'lrc':
      return lrc(bytes);
    case 'crc8':
      return crc8(bytes);
    case 'crc8-maxim':
      return crc8Maxim(bytes);
    case 'crc16-modbus':
      return crc16Modbus(bytes);
    case 'crc16-xmodem':
      return crc16Ccitt(bytes, 0);
    case 'crc16-ccitt-false':
      return crc16Ccitt(bytes, 0xffff);
  }
}

/** The checksum of `bytes` as it goes on the wire (`endian` defaults to {@link CHECKSUM_ENDIAN}). */
export function checksumBytes(
  type: ChecksumType,
  bytes: Uint8Array,
  endian: 'big' | 'little' = CHECKSUM_ENDIAN[type],
): Uint8Array {
  const value = checksum(type, bytes);
  if (CHECKSUM_SIZE[type] === 1) return Uint8Array.of(value);
  return endian === 'big' ? Uint8Array.of(value >> 8, value & 0xff) : Uint8Array.of(value & 0xff, value >> 8);
}
