/**
 * Datapoint values <-> telegram data. A telegram's data is either "small" (<= 6 bits carried in
 * the APCI byte: DPT 1, 2, 3) or the bytes after the APCI. Sizes are checked first (a wrong size
 * is `KNX_BAD_SIZE`), then the bytes (`KNX_BAD_DATA`); a value the type cannot carry is
 * `KNX_BAD_VALUE`. Pure: no I/O, no timers, nothing kept between calls.
 */
import { KnxCode, KnxError } from '../errors.js';
import { decodeDpt9, encodeDpt9, shortestFloat32 } from './dpt-float.js';
import { dptBits, formatDpt, type DptId } from './dpt-id.js';
import { checkValue, type DptValue } from './dpt-values.js';

/** The data of a group telegram (GroupValue_Write or _Response). */
export interface TelegramData {
  /** True when the value sits in the low 6 bits of the APCI byte (then `bytes` is that one value). */
  readonly small: boolean;
  readonly bytes: Uint8Array;
}

const STRING_LENGTH = 14;

function bad(
  code: typeof KnxCode.BAD_SIZE | typeof KnxCode.BAD_DATA | typeof KnxCode.BAD_VALUE,
  dpt: DptId,
  what: string,
): KnxError {
  return new KnxError(code, `DPT ${formatDpt(dpt)}: ${what}`);
}

const hex = (bytes: Uint8Array): string => Buffer.from(bytes).toString('hex') || '(none)';

/** Check the size of `data` for `dpt`: small types in the APCI (or one byte), others exactly their bytes. */
function checkSize(dpt: DptId, data: TelegramData): void {
  const bits = dptBits(dpt);
  if (bits <= 6) {
    // Some devices send a small value as a separate byte; accept it when it fits the bits.
    if (data.bytes.length === 1 && data.bytes[0]! >> bits === 0) return;
    throw bad(
      KnxCode.BAD_SIZE,
      dpt,
      `expected a ${bits}-bit value, got ${data.small ? 'a small value' : `${data.bytes.length} byte(s)`} ${hex(data.bytes)}`,
    );
  }
  const bytes = bits / 8;
  if (data.small || data.bytes.length !== bytes) {
    throw bad(
      KnxCode.BAD_SIZE,
      dpt,
      `expected ${bytes} byte(s), got ${data.small ? 'a small (6-bit) value' : `${data.bytes.length} byte(s)`} ${hex(data.bytes)}`,
    );
  }
}

/** 1 decimal for scaled 8-bit values: every byte survives decode -> encode. */
const tenth = (value: number): number => Math.round(value * 10) / 10;

/** Telegram data -> the value of `dpt`. */
export function decodeDpt(dpt: DptId, data: TelegramData): DptValue {
  checkSize(dpt, data);
  const b = data.bytes;
  const byte = b[0] ?? 0;
  switch (dpt.main) {
    case 1:
      return byte === 1;
    case 2:
      return { control: (byte & 0x02) !== 0, value: (byte & 0x01) !== 0 };
    case 3:
      return { increase: (byte & 0x08) !== 0, step: byte & 0x07 };
    case 5:
      if (dpt.sub === 1) return tenth((byte * 100) / 255);
      if (dpt.sub === 3) return tenth((byte * 360) / 255);
      return byte;
    case 6:
      return (byte << 24) >> 24;
    case 7:
      return (byte << 8) | b[1]!;
    case 8:
      return (((byte << 8) | b[1]!) << 16) >> 16;
    case 9: {
      const value = decodeDpt9(b[0]!, b[1]!);
      if (value === undefined) throw bad(KnxCode.BAD_DATA, dpt, 'the device sent "invalid data" (7fff)');
      return value;
    }
    case 12:
      return ((byte << 24) | (b[1]! << 16) | (b[2]! << 8) | b[3]!) >>> 0;
    case 13:
      return (byte << 24) | (b[1]! << 16) | (b[2]! << 8) | b[3]!;
    case 14: {
      const value = new DataView(b.buffer, b.byteOffset, 4).getFloat32(0);
      if (!Number.isFinite(value)) throw bad(KnxCode.BAD_DATA, dpt, `not a finite float (${hex(b)})`);
      return shortestFloat32(value);
    }
    case 16:
      return decodeString(dpt, b);
    case 17:
      if (byte & 0xc0) throw bad(KnxCode.BAD_DATA, dpt, `reserved bits set in scene number ${hex(b)}`);
      return byte;
    case 18:
      if (byte & 0x40) throw bad(KnxCode.BAD_DATA, dpt, `reserved bit set in scene control ${hex(b)}`);
      return { learn: (byte & 0x80) !== 0, scene: byte & 0x3f };
    case 20:
      return byte;
    case 232:
      return { red: b[0]!, green: b[1]!, blue: b[2]! };
    default:
      throw new KnxError(KnxCode.UNSUPPORTED_DPT, `datapoint type ${formatDpt(dpt)} is not supported`);
  }
}

function decodeString(dpt: DptId, bytes: Uint8Array): string {
  const end = bytes.indexOf(0);
  const used = end === -1 ? bytes : bytes.subarray(0, end);
  if (end !== -1 && bytes.subarray(end).some((c) => c !== 0))
    throw bad(KnxCode.BAD_DATA, dpt, `text after the terminating NUL in ${hex(bytes)}`);
  if (dpt.sub !== 1 && used.some((c) => c > 0x7f))
    throw bad(KnxCode.BAD_DATA, dpt, `non-ASCII byte in ${hex(bytes)} (16.000 is ASCII; 16.001 is ISO 8859-1)`);
  return Buffer.from(used).toString('latin1');
}

/** A value of `dpt` (see `checkValue` for what each type takes) -> telegram data. */
export function encodeDpt(dpt: DptId, input: unknown): TelegramData {
  const value = checkValue(dpt, input);
  const bits = dptBits(dpt);
  const out = new Uint8Array(bits <= 8 ? 1 : bits / 8);
  const view = new DataView(out.buffer);
  switch (dpt.main) {
    case 1:
      out[0] = value ? 1 : 0;
      break;
    case 2: {
      const v = value as { control: boolean; value: boolean };
      out[0] = (v.control ? 2 : 0) | (v.value ? 1 : 0);
      break;
    }
    case 3: {
      const v = value as { increase: boolean; step: number };
      out[0] = (v.increase ? 0x08 : 0) | v.step;
      break;
    }
    case 5:
      out[0] =
        dpt.sub === 1
          ? Math.round(((value as number) * 255) / 100)
          : dpt.sub === 3
            ? Math.round(((value as number) * 255) / 360)
            : (value as number);
      break;
    case 6:
      view.setInt8(0, value as number);
      break;
    case 7:
      view.setUint16(0, value as number);
      break;
    case 8:
      view.setInt16(0, value as number);
      break;
    case 9:
      out.set(encodeDpt9(value as number));
      break;
    case 12:
      view.setUint32(0, value as number);
      break;
    case 13:
      view.setInt32(0, value as number);
      break;
    case 14:
      view.setFloat32(0, value as number);
      break;
    case 16:
      out.set(Buffer.from(value as string, 'latin1').subarray(0, STRING_LENGTH));
      break;
    case 17:
    case 20:
      out[0] = value as number;
      break;
    case 18: {
      const v = value as { learn: boolean; scene: number };
      out[0] = (v.learn ? 0x80 : 0) | v.scene;
      break;
    }
    case 232: {
      const v = value as { red: number; green: number; blue: number };
      out.set([v.red, v.green, v.blue]);
      break;
    }
  }
  return { small: bits <= 6, bytes: out };
}
