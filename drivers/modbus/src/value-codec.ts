/**
 * The value codec: a point's registers (bytes as on the wire) to its value and back, for every
 * type and byte/word order, with scale and offset. Pure: bytes in, values out, no I/O.
 */
import type { ByteOrder, ModbusPoint, PointType } from './schemas.js';
import { registerCount } from './point-facts.js';

/** What the codec needs of a point. */
export type CodecPoint = Pick<ModbusPoint, 'table' | 'type' | 'order'> &
  Partial<Pick<ModbusPoint, 'bit' | 'length' | 'scale' | 'offset'>>;

/** Integer types: lowest value, first value past the top, and the range as text. */
const INTEGER_RANGES: Partial<Record<PointType, readonly [number, number, string]>> = {
  int16: [-0x8000, 0x8000, '-32768 to 32767'],
  uint16: [0, 0x1_0000, '0 to 65535'],
  int32: [-0x8000_0000, 0x8000_0000, '-2147483648 to 2147483647'],
  uint32: [0, 0x1_0000_0000, '0 to 4294967295'],
  int64: [-(2 ** 63), 2 ** 63, '-2^63 to 2^63-1'],
  uint64: [0, 2 ** 64, '0 to 2^64-1'],
};

/**
 * Put the bytes of `words` registers between wire order and big-endian (ABCD) order. Each order
 * is its own inverse, so the same call decodes and encodes. Strings only honour the byte swap.
 */
export function reorder(bytes: Buffer, order: ByteOrder, type: PointType): Buffer {
  const out = Buffer.from(bytes);
  const swapBytes = order === 'BADC' || order === 'DCBA';
  const reverseWords = type !== 'string' && (order === 'CDAB' || order === 'DCBA');
  if (swapBytes) out.swap16();
  if (reverseWords) {
    const words = out.length / 2;
    const copy = Buffer.from(out);
    for (let i = 0; i < words; i++) copy.copy(out, (words - 1 - i) * 2, i * 2, i * 2 + 2);
  }
  return out;
}

/** The raw (unscaled) value of a register point from its big-endian bytes. */
function readRaw(type: PointType, be: Buffer): number | string {
  switch (type) {
    case 'int16':
      return be.readInt16BE(0);
    case 'uint16':
      return be.readUInt16BE(0);
    case 'int32':
      return be.readInt32BE(0);
    case 'uint32':
      return be.readUInt32BE(0);
    case 'float32':
      return be.readFloatBE(0);
    case 'int64':
      return Number(be.readBigInt64BE(0));
    case 'uint64':
      return Number(be.readBigUInt64BE(0));
    case 'float64':
      return be.readDoubleBE(0);
    case 'string':
    case 'bool':
      throw new Error(`readRaw: ${type} is not numeric`);
  }
}

/** Apply scale and offset (`raw * scale + offset`) when the point has them. */
function engineering(point: CodecPoint, raw: number): number {
  if (point.scale === undefined && point.offset === undefined) return raw;
  return raw * (point.scale ?? 1) + (point.offset ?? 0);
}

/** Decode a register point from `registerCount(point) * 2` bytes as received. */
export function decodeRegisters(point: CodecPoint, wire: Buffer): boolean | number | string {
  const words = registerCount(point);
  if (wire.length < words * 2)
    throw new RangeError(`expected ${words * 2} bytes for ${point.type}, got ${wire.length}`);
  const be = reorder(wire.subarray(0, words * 2), point.order, point.type);
  if (point.type === 'bool') return ((be.readUInt16BE(0) >> (point.bit ?? 0)) & 1) === 1;
  if (point.type === 'string') {
    const text = be.toString('latin1', 0, point.length ?? be.length);
    const end = text.indexOf('\0');
    return end === -1 ? text : text.slice(0, end);
  }
  return engineering(point, readRaw(point.type, be) as number);
}

/** The raw value to write for an engineering value, or a problem (out of range, not an integer). */
export function toRaw(point: CodecPoint, value: number): { ok: true; raw: number } | { ok: false; problem: string } {
  let raw =
    point.scale === undefined && point.offset === undefined
      ? value
      : (value - (point.offset ?? 0)) / (point.scale ?? 1);
  const range = INTEGER_RANGES[point.type];
  if (range) {
    raw = Math.round(raw);
    if (!(raw >= range[0] && raw < range[1]))
      return { ok: false, problem: `${value} gives raw ${raw}, outside ${point.type} (${range[2]})` };
  } else if (point.type === 'float32' && Number.isFinite(raw) && Math.abs(raw) > 3.4028234663852886e38) {
    return { ok: false, problem: `${value} is outside float32` };
  }
  return { ok: true, raw };
}

/** Encode a register point's value (number or string; `bool` bits go through {@link withBit}) into wire bytes. */
export function encodeRegisters(point: CodecPoint, value: number | string): Buffer {
  const be = Buffer.alloc(registerCount(point) * 2);
  if (point.type === 'string') {
    be.write(String(value).slice(0, point.length ?? be.length), 'latin1');
    return reorder(be, point.order, point.type);
  }
  const result = toRaw(point, Number(value));
  if (!result.ok) throw new RangeError(result.problem);
  const raw = result.raw;
  switch (point.type) {
    case 'int16':
      be.writeInt16BE(raw);
      break;
    case 'uint16':
      be.writeUInt16BE(raw);
      break;
    case 'int32':
      be.writeInt32BE(raw);
      break;
    case 'uint32':
      be.writeUInt32BE(raw);
      break;
    case 'float32':
      be.writeFloatBE(raw);
      break;
    case 'int64':
      be.writeBigInt64BE(BigInt(raw));
      break;
    case 'uint64':
      be.writeBigUInt64BE(BigInt(raw));
      break;
    case 'float64':
      be.writeDoubleBE(raw);
      break;
    case 'bool':
      throw new Error('encodeRegisters: a bool bit is written with withBit');
  }
  return reorder(be, point.order, point.type);
}

/** The register `wire` (2 bytes as received) with bit `bit` set to `on`, as wire bytes. */
export function withBit(point: CodecPoint, wire: Buffer, on: boolean): Buffer {
  const be = reorder(wire.subarray(0, 2), point.order, 'uint16');
  const mask = 1 << (point.bit ?? 0);
  const word = be.readUInt16BE(0);
  be.writeUInt16BE(on ? word | mask : word & ~mask & 0xffff);
  return reorder(be, point.order, 'uint16');
}
