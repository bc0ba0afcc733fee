/**
 * Numbers inside binary frames: the field types a point reads (`{ offset, type, endian }`) and a
 * template writes (`${value:int16be}`): unsigned and signed integers, IEEE floats, and packed BCD
 * (two decimal digits a byte, `bcd16` = 4 digits; big-endian: the most significant digits first). Pure.
 */

/** Binary field types. */
export const BINARY_TYPES = [
  'uint8',
  'int8',
  'uint16',
  'int16',
  'uint32',
  'int32',
  'float32',
  'float64',
  'bcd8',
  'bcd16',
  'bcd32',
] as const;
/** One of {@link BINARY_TYPES}. */
export type BinaryType = (typeof BINARY_TYPES)[number];
/** Byte order of a field. */
export type Endian = 'big' | 'little';

/** Size of each type, bytes. */
export const BINARY_SIZE: Record<BinaryType, number> = {
  uint8: 1,
  int8: 1,
  uint16: 2,
  int16: 2,
  uint32: 4,
  int32: 4,
  float32: 4,
  float64: 8,
  bcd8: 1,
  bcd16: 2,
  bcd32: 4,
};

const INT_RANGE: Partial<Record<BinaryType, [number, number]>> = {
  uint8: [0, 0xff],
  int8: [-0x80, 0x7f],
  uint16: [0, 0xffff],
  int16: [-0x8000, 0x7fff],
  uint32: [0, 0xffffffff],
  int32: [-0x80000000, 0x7fffffff],
  bcd8: [0, 99],
  bcd16: [0, 9999],
  bcd32: [0, 99_999_999],
};

/** Packed BCD of `size` bytes (most significant digits first when big); NaN when a nibble is over 9. */
function readBcd(buf: Buffer, offset: number, size: number, endian: Endian): number {
  let n = 0;
  for (let i = 0; i < size; i++) {
    const b = buf[offset + (endian === 'big' ? i : size - 1 - i)]!;
    if (b >> 4 > 9 || (b & 0x0f) > 9) return Number.NaN;
    n = n * 100 + (b >> 4) * 10 + (b & 0x0f);
  }
  return n;
}

function writeBcd(value: number, size: number, endian: Endian): Buffer {
  const buf = Buffer.alloc(size);
  let rest = value;
  for (let i = size - 1; i >= 0; i--) {
    const two = rest % 100;
    rest = Math.floor(rest / 100);
    buf[endian === 'big' ? i : size - 1 - i] = (Math.floor(two / 10) << 4) | (two % 10);
  }
  return buf;
}

/** Read a field of `type` at `offset`; undefined when the buffer is too short. */
export function readBinary(buf: Buffer, offset: number, type: BinaryType, endian: Endian): number | undefined {
  if (offset < 0 || offset + BINARY_SIZE[type] > buf.length) return undefined;
  const be = endian === 'big';
  switch (type) {
    case 'uint8':
      return buf.readUInt8(offset);
    case 'int8':
      return buf.readInt8(offset);
    case 'uint16':
      return be ? buf.readUInt16BE(offset) : buf.readUInt16LE(offset);
    case 'int16':
      return be ? buf.readInt16BE(offset) : buf.readInt16LE(offset);
    case 'uint32':
      return be ? buf.readUInt32BE(offset) : buf.readUInt32LE(offset);
    case 'int32':
      return be ? buf.readInt32BE(offset) : buf.readInt32LE(offset);
    case 'float32':
      return be ? buf.readFloatBE(offset) : buf.readFloatLE(offset);
    case 'float64':
      return be ? buf.readDoubleBE(offset) : buf.readDoubleLE(offset);
    case 'bcd8':
    case 'bcd16':
    case 'bcd32':
      return readBcd(buf, offset, BINARY_SIZE[type], endian);
  }
}

/** Encode `value` as `type`; an error message when it does not fit (integers must be whole and in range). */
export function writeBinary(value: number, type: BinaryType, endian: Endian): Buffer | string {
  const range = INT_RANGE[type];
  if (range) {
    if (!Number.isInteger(value)) return `${value} is not an integer (${type})`;
    if (value < range[0] || value > range[1]) return `${value} is out of range for ${type} (${range[0]}..${range[1]})`;
  } else if (!Number.isFinite(value)) {
    return `${value} is not a finite number`;
  }
  if (type === 'bcd8' || type === 'bcd16' || type === 'bcd32') return writeBcd(value, BINARY_SIZE[type], endian);
  const buf = Buffer.alloc(BINARY_SIZE[type]);
  const be = endian === 'big';
  switch (type) {
    case 'uint8':
      buf.writeUInt8(value);
      break;
    case 'int8':
      buf.writeInt8(value);
      break;
    case 'uint16':
      be ? buf.writeUInt16BE(value) : buf.writeUInt16LE(value);
      break;
    case 'int16':
      be ? buf.writeInt16BE(value) : buf.writeInt16LE(value);
      break;
    case 'uint32':
      be ? buf.writeUInt32BE(value) : buf.writeUInt32LE(value);
      break;
    case 'int32':
      be ? buf.writeInt32BE(value) : buf.writeInt32LE(value);
      break;
    case 'float32':
      be ? buf.writeFloatBE(value) : buf.writeFloatLE(value);
      break;
    case 'float64':
      be ? buf.writeDoubleBE(value) : buf.writeDoubleLE(value);
      break;
  }
  return buf;
}
