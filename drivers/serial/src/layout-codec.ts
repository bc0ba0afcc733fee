/**
 * Build and parse whole frames of a {@link Layout}. Pure: bytes in, fields and payload out, or a
 * coded fault. Checksums are computed over the logical bytes of the elements they cover (hex
 * elements decoded first, as Modbus ASCII's LRC is over the binary bytes); fixed bytes as they are.
 */
import { CHECKSUM_SIZE, checksum, checksumBytes } from './checksum.js';
import { SerialCode, type SerialErrorCode } from './errors.js';
import { logicalSize, wireSize, type FieldSize, type Layout, type LayoutElement } from './layout.js';

/** The header field values of a frame, by field name. */
export type FrameFields = Readonly<Record<string, number>>;

/** A parsed frame: its header fields and its payload. */
export interface ParsedFrame {
  fields: FrameFields;
  payload: Buffer;
}

/** A frame that does not fit its layout. */
export interface LayoutFault {
  code: SerialErrorCode;
  message: string;
}

const MAX: Record<FieldSize, number> = { 1: 0xff, 2: 0xffff, 4: 0xffffffff };

/** An unsigned integer of `size` bytes. */
export function uintBytes(value: number, size: FieldSize, endian: 'big' | 'little'): Buffer {
  const buf = Buffer.alloc(size);
  if (endian === 'big') buf.writeUIntBE(value, 0, size);
  else buf.writeUIntLE(value, 0, size);
  return buf;
}

function readUint(buf: Buffer, size: FieldSize, endian: 'big' | 'little'): number {
  return endian === 'big' ? buf.readUIntBE(0, size) : buf.readUIntLE(0, size);
}

const HEX = /^(?:[0-9a-fA-F]{2})*$/;

/** Decode an element's wire bytes (hex digits for `hex` elements); undefined when they are not hex. */
export function decodeElement(element: LayoutElement, wire: Buffer): Buffer | undefined {
  if (element.kind === 'fixed' || !element.hex) return wire;
  const text = wire.toString('latin1');
  return HEX.test(text) ? Buffer.from(text, 'hex') : undefined;
}

function encodeElement(element: LayoutElement, logical: Buffer): Buffer {
  return isHex(element) ? Buffer.from(logical.toString('hex').toUpperCase(), 'latin1') : logical;
}

function isHex(element: LayoutElement): boolean {
  return element.kind !== 'fixed' && element.hex;
}

function covered(parts: readonly Buffer[], range: { from: number; to: number }): Buffer {
  return Buffer.concat(parts.slice(range.from, range.to + 1));
}

/**
 * Build a frame: `fields` give header field values (else the layout's `value`), `payload` the
 * payload. Throws a RangeError naming the problem when a field is missing or does not fit, or the
 * frame is over `maxLength`.
 */
export function buildFrame(layout: Layout, fields: FrameFields, payload: Uint8Array): Buffer {
  const { elements } = layout;
  const logical: Buffer[] = elements.map((e) => {
    switch (e.kind) {
      case 'fixed':
        return Buffer.from(e.bytes);
      case 'payload':
        return Buffer.from(payload);
      case 'field': {
        const value = fields[e.name] ?? e.value;
        if (value === undefined)
          throw new RangeError(
            `the frame's field "${e.name}" has no value (give it in the layout or in the point's fields)`,
          );
        if (!Number.isInteger(value) || value < 0 || value > MAX[e.size])
          throw new RangeError(`field "${e.name}": ${value} does not fit ${e.size} byte(s) (0..${MAX[e.size]})`);
        return uintBytes(value, e.size, e.endian);
      }
      default:
        return Buffer.alloc(logicalSize(e) ?? 0);
    }
  });
  const lengthAt = elements.findIndex((e) => e.kind === 'length');
  const length = elements[lengthAt];
  if (length?.kind === 'length') {
    const value = covered(logical, length.counts).length - length.adjust;
    if (value < 0 || value > MAX[length.size])
      throw new RangeError(`a payload of ${payload.length} bytes does not fit a ${length.size}-byte length field`);
    logical[lengthAt] = uintBytes(value, length.size, length.endian);
  }
  const checksumAt = elements.findIndex((e) => e.kind === 'checksum');
  const checksum = elements[checksumAt];
  if (checksum?.kind === 'checksum')
    logical[checksumAt] = Buffer.from(checksumBytes(checksum.type, covered(logical, checksum.covers), checksum.endian));
  const frame = Buffer.concat(logical.map((bytes, i) => encodeElement(elements[i]!, bytes)));
  if (frame.length > layout.maxLength)
    throw new RangeError(`a frame of ${frame.length} bytes is over maxLength ${layout.maxLength}`);
  return frame;
}

/** Wire size of the payload in a whole frame of `total` bytes; undefined when the fixed parts do not fit. */
export function payloadWireSize(layout: Layout, total: number): number | undefined {
  const fixed = layout.elements.reduce((sum, e) => sum + wireSize(e, logicalSize(e) ?? 0), 0);
  const hasPayload = layout.elements.some((e) => e.kind === 'payload');
  if (total < fixed || (!hasPayload && total !== fixed)) return undefined;
  return total - fixed;
}

/**
 * Parse a whole frame (its bytes exactly, e.g. a line without its delimiter): fixed bytes, hex
 * digits, length and checksum are checked. Faults: `SERIAL_BAD_FRAME` (size, fixed bytes or hex
 * digits wrong), `SERIAL_BAD_LENGTH` (length field disagrees), `SERIAL_BAD_CHECKSUM`.
 */
export function parseFrame(layout: Layout, frame: Buffer): ParsedFrame | { fault: LayoutFault } {
  const payloadWire = payloadWireSize(layout, frame.length);
  if (payloadWire === undefined)
    return {
      fault: { code: SerialCode.BAD_FRAME, message: `a frame of ${frame.length} bytes does not fit the layout` },
    };
  return parseExact(layout, frame, payloadWire);
}

/**
 * Parse `frame` whose payload takes `payloadWire` bytes on the wire. The stream decoder passes
 * `lengthSaid`: then fixed bytes missing after the payload are `SERIAL_BAD_LENGTH` (the length field
 * pointed elsewhere), not `SERIAL_BAD_FRAME`.
 */
export function parseExact(
  layout: Layout,
  frame: Buffer,
  payloadWire: number,
  lengthSaid = false,
): ParsedFrame | { fault: LayoutFault } {
  if (!layout.elements.some(isHex)) return parsePlain(layout, frame, payloadWire, lengthSaid);
  const { elements } = layout;
  const logical: Buffer[] = new Array<Buffer>(elements.length);
  // Wire offset of each element, and of the frame's end: a range of plain (not hex) elements is one slice.
  const starts: number[] = new Array<number>(elements.length + 1);
  let at = 0;
  let afterPayload = false;
  for (let i = 0; i < elements.length; i++) {
    const e = elements[i]!;
    const size = e.kind === 'payload' ? payloadWire : wireSize(e, logicalSize(e)!);
    const wire = frame.subarray(at, at + size);
    if (e.kind === 'fixed' && !wire.equals(e.bytes)) {
      const code = lengthSaid && afterPayload ? SerialCode.BAD_LENGTH : SerialCode.BAD_FRAME;
      const where = lengthSaid && afterPayload ? ' where the length field says' : '';
      return {
        fault: {
          code,
          message: `fixed bytes "${e.name}" (${Buffer.from(e.bytes).toString('hex')}) not found${where} at offset ${at} (got ${wire.toString('hex')})`,
        },
      };
    }
    if (e.kind === 'payload') afterPayload = true;
    const bytes = decodeElement(e, wire);
    if (!bytes)
      return {
        fault: {
          code: SerialCode.BAD_FRAME,
          message: `"${e.name}" at offset ${at} is not hex digits (${JSON.stringify(wire.toString('latin1'))})`,
        },
      };
    logical[i] = bytes;
    starts[i] = at;
    at += size;
  }
  starts[elements.length] = at;
  const range = (r: { from: number; to: number }): Buffer => {
    for (let i = r.from; i <= r.to; i++) if (isHex(elements[i]!)) return covered(logical, r);
    return frame.subarray(starts[r.from], starts[r.to + 1]);
  };
  const fields: Record<string, number> = {};
  let payload: Buffer | undefined;
  for (let i = 0; i < elements.length; i++) {
    const e = elements[i]!;
    const bytes = logical[i]!;
    if (e.kind === 'field') fields[e.name] = readUint(bytes, e.size, e.endian);
    else if (e.kind === 'payload') payload = Buffer.from(bytes);
    else if (e.kind === 'length') {
      const counted = readUint(bytes, e.size, e.endian) + e.adjust;
      let actual = 0;
      for (let j = e.counts.from; j <= e.counts.to; j++) actual += logical[j]!.length;
      if (counted !== actual)
        return {
          fault: {
            code: SerialCode.BAD_LENGTH,
            message: `the length field says ${counted} bytes, the frame has ${actual}`,
          },
        };
    } else if (e.kind === 'checksum') {
      const expected = checksum(e.type, range(e.covers));
      const got = bytes.length === 1 ? bytes[0]! : e.endian === 'big' ? bytes.readUInt16BE(0) : bytes.readUInt16LE(0);
      if (got !== expected) {
        const want = Buffer.from(checksumBytes(e.type, range(e.covers), e.endian)).toString('hex');
        return {
          fault: {
            code: SerialCode.BAD_CHECKSUM,
            message: `${e.type} checksum ${bytes.toString('hex')} does not match ${want}`,
          },
        };
      }
    }
  }
  return { fields, payload: payload ?? Buffer.alloc(0) };
}

function missingFixed(
  e: LayoutElement & { kind: 'fixed' },
  frame: Buffer,
  at: number,
  afterPayload: boolean,
  lengthSaid: boolean,
): { fault: LayoutFault } {
  const code = lengthSaid && afterPayload ? SerialCode.BAD_LENGTH : SerialCode.BAD_FRAME;
  const where = lengthSaid && afterPayload ? ' where the length field says' : '';
  const got = frame.subarray(at, at + e.bytes.length).toString('hex');
  return {
    fault: {
      code,
      message: `fixed bytes "${e.name}" (${Buffer.from(e.bytes).toString('hex')}) not found${where} at offset ${at} (got ${got})`,
    },
  };
}

/** {@link parseExact} of a layout without hex elements: numbers read in place, ranges as slices (the decoder's hot path). */
function parsePlain(
  layout: Layout,
  frame: Buffer,
  payloadWire: number,
  lengthSaid: boolean,
): ParsedFrame | { fault: LayoutFault } {
  const { elements } = layout;
  const starts: number[] = new Array<number>(elements.length + 1);
  const fields: Record<string, number> = {};
  let payload: Buffer | undefined;
  let at = 0;
  for (let i = 0; i < elements.length; i++) {
    const e = elements[i]!;
    starts[i] = at;
    const size = e.kind === 'payload' ? payloadWire : logicalSize(e)!;
    if (e.kind === 'fixed') {
      for (let k = 0; k < size; k++)
        if (frame[at + k] !== e.bytes[k]) return missingFixed(e, frame, at, payload !== undefined, lengthSaid);
    } else if (e.kind === 'field')
      fields[e.name] = e.endian === 'big' ? frame.readUIntBE(at, e.size) : frame.readUIntLE(at, e.size);
    else if (e.kind === 'payload') payload = Buffer.from(frame.subarray(at, at + size));
    at += size;
  }
  starts[elements.length] = at;
  for (let i = 0; i < elements.length; i++) {
    const e = elements[i]!;
    const from = starts[i]!;
    if (e.kind === 'length') {
      const counted = (e.endian === 'big' ? frame.readUIntBE(from, e.size) : frame.readUIntLE(from, e.size)) + e.adjust;
      const actual = starts[e.counts.to + 1]! - starts[e.counts.from]!;
      if (counted !== actual)
        return {
          fault: {
            code: SerialCode.BAD_LENGTH,
            message: `the length field says ${counted} bytes, the frame has ${actual}`,
          },
        };
    } else if (e.kind === 'checksum') {
      const covered = frame.subarray(starts[e.covers.from], starts[e.covers.to + 1]);
      const size = CHECKSUM_SIZE[e.type];
      const got = size === 1 ? frame[from]! : e.endian === 'big' ? frame.readUInt16BE(from) : frame.readUInt16LE(from);
      if (got !== checksum(e.type, covered)) {
        const want = Buffer.from(checksumBytes(e.type, covered, e.endian)).toString('hex');
        return {
          fault: {
            code: SerialCode.BAD_CHECKSUM,
            message: `${e.type} checksum ${frame.subarray(from, from + size).toString('hex')} does not match ${want}`,
          },
        };
      }
    }
  }
  return { fields, payload: payload ?? Buffer.alloc(0) };
}
