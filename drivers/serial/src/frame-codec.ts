/**
 * Binary frames delimited by configuration: `[start][length?][payload][checksum?][end?]`, or with
 * the checksum after the end bytes. Pure: bytes in, payloads and coded errors out; no I/O, no
 * timers. After a bad frame the decoder drops one byte and looks for the next start sequence;
 * bytes skipped while resynchronising are part of that one error, not reported again.
 */
import { indexOfBytes } from './bytes.js';
import { CHECKSUM_SIZE, checksumBytes, type ChecksumType } from './checksum.js';
import { SerialCode, type SerialErrorCode } from './errors.js';

/** A length field: the payload length is the field's value plus `adjust`. */
export interface LengthField {
  /** Field size, bytes. */
  size: 1 | 2;
  endian: 'big' | 'little';
  /** Added to the field's value to get the payload length (e.g. -2 when the field also counts a 2-byte checksum). Default 0. */
  adjust: number;
}

/** Which bytes a checksum covers. */
export type ChecksumCovers = 'payload' | 'after-start' | 'all';

/** A frame checksum and where it sits. */
export interface FrameChecksum {
  type: ChecksumType;
  endian: 'big' | 'little';
  /** `payload`: the payload; `after-start` (default): everything after the start bytes up to the checksum; `all`: from the first start byte. */
  covers: ChecksumCovers;
  /** `before-end` (default) or `after-end` (then the end bytes are covered too, except with `payload`). */
  position: 'before-end' | 'after-end';
}

/** The layout of a frame. Either `length` or `end` is needed to know where a frame stops. */
export interface FrameFormat {
  start: Uint8Array;
  length?: LengthField | undefined;
  end?: Uint8Array | undefined;
  checksum?: FrameChecksum | undefined;
  /** Largest whole frame, bytes. */
  maxLength: number;
}

/** A malformed frame or dropped bytes. */
export interface FrameFault {
  code: SerialErrorCode;
  message: string;
  /** The bytes concerned (at most the frame). */
  bytes: Uint8Array;
}

/** What the decoder found in a chunk, in order. */
export type FrameEvent = { payload: Buffer } | { fault: FrameFault };

function readLength(buf: Buffer, at: number, field: LengthField): number {
  if (field.size === 1) return buf[at]!;
  return field.endian === 'big' ? buf.readUInt16BE(at) : buf.readUInt16LE(at);
}

/** Encode `payload` as a frame of `format` (for requests and writes). Throws when it does not fit. */
export function encodeFrame(format: FrameFormat, payload: Uint8Array): Buffer {
  const parts: Uint8Array[] = [format.start];
  if (format.length) {
    const value = payload.length - format.length.adjust;
    const max = format.length.size === 1 ? 0xff : 0xffff;
    if (value < 0 || value > max) throw new RangeError(`payload of ${payload.length} bytes does not fit a ${format.length.size}-byte length field`);
    const field = Buffer.alloc(format.length.size);
    if (format.length.size === 1) field[0] = value;
    else if (format.length.endian === 'big') field.writeUInt16BE(value);
    else field.writeUInt16LE(value);
    parts.push(field);
  }
  parts.push(payload);
  const cs = format.checksum;
  const end = format.end ?? new Uint8Array(0);
  if (cs && cs.position === 'after-end') parts.push(end);
  if (cs) {
    const sofar = Buffer.concat(parts);
    const covered = cs.covers === 'payload' ? payload : cs.covers === 'all' ? sofar : sofar.subarray(format.start.length);
    parts.push(checksumBytes(cs.type, covered, cs.endian));
  }
  if (!cs || cs.position === 'before-end') parts.push(end);
  const frame = Buffer.concat(parts);
  if (frame.length > format.maxLength) throw new RangeError(`frame of ${frame.length} bytes is over maxLength ${format.maxLength}`);
  return frame;
}

/** Incremental decoder of {@link FrameFormat} frames. */
export class FrameDecoder {
  private buffer = Buffer.alloc(0);
  /** After a fault: skipped bytes belong to it until the next start. */
  private resyncing = false;
  private readonly csSize: number;

  constructor(private readonly format: FrameFormat) {
    if (!format.length && !format.end) throw new TypeError('a frame format needs a length field or end bytes');
    this.csSize = format.checksum ? CHECKSUM_SIZE[format.checksum.type] : 0;
  }

  /** Bytes held while waiting for the rest of a frame. */
  get pending(): number {
    return this.buffer.length;
  }

  /** Feed a chunk; returns the payloads and faults it completed, in order. */
  push(chunk: Uint8Array): FrameEvent[] {
    this.buffer = this.buffer.length === 0 ? Buffer.from(chunk) : Buffer.concat([this.buffer, chunk]);
    const events: FrameEvent[] = [];
    for (;;) {
      if (!this.alignToStart(events)) break;
      const step = this.tryFrame();
      if (step === 'incomplete') break;
      if ('payload' in step) {
        this.resyncing = false;
        events.push({ payload: step.payload });
        this.buffer = this.buffer.subarray(step.size);
      } else {
        if (!this.resyncing) events.push({ fault: step.fault });
        this.resyncing = true;
        this.buffer = this.buffer.subarray(step.drop);
      }
    }
    return events;
  }

  /** Drop bytes before the first start sequence. False when no whole start sequence is buffered. */
  private alignToStart(events: FrameEvent[]): boolean {
    const start = this.format.start;
    const at = indexOfBytes(this.buffer, start);
    const drop = at >= 0 ? at : Math.max(0, this.buffer.length - (start.length - 1));
    if (drop > 0) {
      const dropped = this.buffer.subarray(0, drop);
      if (!this.resyncing) {
        events.push({ fault: { code: SerialCode.GARBAGE, message: `${drop} byte(s) outside a frame dropped`, bytes: Uint8Array.from(dropped) } });
      }
      this.resyncing = true;
      this.buffer = this.buffer.subarray(drop);
    }
    return at >= 0;
  }

  /** With the buffer at a start sequence: a whole frame, a fault, or not enough bytes yet. */
  private tryFrame(): 'incomplete' | { payload: Buffer; size: number } | { fault: FrameFault; drop: number } {
    const { start, length, end = new Uint8Array(0), checksum: cs, maxLength } = this.format;
    const buf = this.buffer;
    const head = start.length + (length?.size ?? 0);
    const afterEnd = cs?.position === 'after-end';
    let payloadEnd: number;
    let total: number;
    if (length) {
      if (buf.length < head) return 'incomplete';
      const payloadLength = readLength(buf, start.length, length) + length.adjust;
      total = head + Math.max(0, payloadLength) + this.csSize + end.length;
      if (payloadLength < 0 || total > maxLength) {
        return this.fault(SerialCode.BAD_LENGTH, `length field gives a payload of ${payloadLength} bytes (frame of ${total}, maxLength ${maxLength})`, head);
      }
      if (buf.length < total) return 'incomplete';
      payloadEnd = head + payloadLength;
      const endAt = afterEnd ? payloadEnd : payloadEnd + this.csSize;
      if (end.length > 0 && !buf.subarray(endAt, endAt + end.length).equals(end)) {
        return this.fault(SerialCode.BAD_LENGTH, `end bytes not found where the length field says (offset ${endAt})`, total);
      }
    } else {
      const searchFrom = head + (afterEnd ? 0 : this.csSize);
      const endAt = indexOfBytes(buf, end, searchFrom);
      if (endAt < 0) {
        if (buf.length > maxLength) {
          return this.fault(SerialCode.FRAME_TOO_LONG, `no end bytes within maxLength ${maxLength}`, Math.max(1, buf.length - (end.length - 1)));
        }
        return 'incomplete';
      }
      payloadEnd = afterEnd ? endAt : endAt - this.csSize;
      total = endAt + end.length + (afterEnd ? this.csSize : 0);
      if (total > maxLength) return this.fault(SerialCode.FRAME_TOO_LONG, `frame of ${total} bytes is over maxLength ${maxLength}`, total);
      if (buf.length < total) return 'incomplete';
    }
    if (cs) {
      const csAt = total - this.csSize - (afterEnd ? 0 : end.length);
      const coveredEnd = afterEnd && cs.covers !== 'payload' ? csAt : payloadEnd;
      const from = cs.covers === 'payload' ? head : cs.covers === 'all' ? 0 : start.length;
      const expected = checksumBytes(cs.type, buf.subarray(from, coveredEnd), cs.endian);
      const got = buf.subarray(csAt, csAt + this.csSize);
      if (!got.equals(expected)) {
        return this.fault(SerialCode.BAD_CHECKSUM, `${cs.type} checksum ${Buffer.from(got).toString('hex')} does not match ${Buffer.from(expected).toString('hex')}`, total);
      }
    }
    return { payload: Buffer.from(buf.subarray(head, payloadEnd)), size: total };
  }

  private fault(code: SerialErrorCode, message: string, upTo: number): { fault: FrameFault; drop: number } {
    return { fault: { code, message, bytes: Uint8Array.from(this.buffer.subarray(0, Math.min(upTo, this.buffer.length))) }, drop: 1 };
  }
}
