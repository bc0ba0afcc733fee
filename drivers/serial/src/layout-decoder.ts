/**
 * Incremental decoder of a byte stream into {@link Layout} frames. Pure: bytes in, parsed frames
 * and coded faults out; no I/O, no timers. A frame starts with the layout's first (fixed) element;
 * its end is found from the length field, or by the first fixed element after the payload. After
 * a bad frame the decoder drops one byte and looks for the next start; bytes skipped while
 * resynchronising are part of that one fault, not reported again.
 */
import { indexOfBytes } from './bytes.js';
import { SerialCode } from './errors.js';
import { endRule, logicalSize, wireSize, type Layout, type LayoutElement } from './layout.js';
import { decodeElement, parseExact, type LayoutFault, type ParsedFrame } from './layout-codec.js';

/** A malformed frame or dropped bytes, with the bytes concerned (at most the frame). */
export interface FrameFault extends LayoutFault {
  bytes: Uint8Array;
}

/** What the decoder found in a chunk, in order. */
export type LayoutEvent = { frame: ParsedFrame } | { fault: FrameFault };

type Step = 'incomplete' | { frame: ParsedFrame; size: number } | { fault: FrameFault; drop: number };

function sizeOf(elements: readonly LayoutElement[]): number {
  return elements.reduce((sum, e) => sum + wireSize(e, logicalSize(e) ?? 0), 0);
}

/** Decoder of one stream. Throws a TypeError when `layout` cannot be decoded from a stream. */
export class LayoutDecoder {
  private buffer = Buffer.alloc(0);
  private resyncing = false;
  private readonly start: Uint8Array;
  private readonly rule: Exclude<ReturnType<typeof endRule>, { problem: string }>;
  /** Wire bytes before the payload, and after it. */
  private readonly head: number;
  private readonly tail: number;
  private readonly payloadAt: number;
  /** With a length rule: the field's wire offset and size, and the logical bytes it counts besides the payload. */
  private readonly lengthAt: number = 0;
  private readonly lengthWire: number = 0;
  private readonly countedBesides: number = 0;

  constructor(private readonly layout: Layout) {
    const first = layout.elements[0];
    if (first?.kind !== 'fixed') throw new TypeError('a stream layout starts with fixed bytes');
    const rule = endRule(layout);
    if ('problem' in rule) throw new TypeError(rule.problem);
    this.rule = rule;
    this.start = first.bytes;
    this.payloadAt = layout.elements.findIndex((e) => e.kind === 'payload');
    const split = this.payloadAt < 0 ? layout.elements.length : this.payloadAt;
    this.head = sizeOf(layout.elements.slice(0, split));
    this.tail = sizeOf(layout.elements.slice(split + 1));
    const length = layout.elements[rule.kind === 'length' ? rule.at : -1];
    if (rule.kind === 'length' && length?.kind === 'length') {
      this.lengthAt = sizeOf(layout.elements.slice(0, rule.at));
      this.lengthWire = wireSize(length, length.size);
      this.countedBesides = layout.elements
        .slice(length.counts.from, length.counts.to + 1)
        .reduce((sum, e) => sum + (logicalSize(e) ?? 0), 0);
    }
  }

  /** Bytes held while waiting for the rest of a frame. */
  get pending(): number {
    return this.buffer.length;
  }

  /** Feed a chunk; returns the frames and faults it completed, in order. */
  push(chunk: Uint8Array): LayoutEvent[] {
    this.buffer = this.buffer.length === 0 ? Buffer.from(chunk) : Buffer.concat([this.buffer, chunk]);
    const events: LayoutEvent[] = [];
    for (;;) {
      if (!this.alignToStart(events)) break;
      const step = this.tryFrame();
      if (step === 'incomplete') break;
      if ('frame' in step) {
        this.resyncing = false;
        events.push({ frame: step.frame });
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
  private alignToStart(events: LayoutEvent[]): boolean {
    const at = indexOfBytes(this.buffer, this.start);
    const drop = at >= 0 ? at : Math.max(0, this.buffer.length - (this.start.length - 1));
    if (drop > 0) {
      if (!this.resyncing) {
        events.push({
          fault: {
            code: SerialCode.GARBAGE,
            message: `${drop} byte(s) outside a frame dropped`,
            bytes: Uint8Array.from(this.buffer.subarray(0, drop)),
          },
        });
      }
      this.resyncing = true;
      this.buffer = this.buffer.subarray(drop);
    }
    return at >= 0;
  }

  /** With the buffer at a start sequence: a whole frame, a fault, or not enough bytes yet. */
  private tryFrame(): Step {
    const found = this.payloadSize();
    if (found === 'incomplete' || 'fault' in found) return found;
    const total = this.head + found.payloadWire + this.tail;
    if (this.buffer.length < total) return 'incomplete';
    const parsed = parseExact(
      this.layout,
      this.buffer.subarray(0, total),
      found.payloadWire,
      this.rule.kind === 'length',
    );
    if ('fault' in parsed) return this.fault(parsed.fault, total);
    return { frame: parsed, size: total };
  }

  /** The payload's size on the wire, from the length field or the terminator. */
  private payloadSize(): 'incomplete' | { payloadWire: number } | { fault: FrameFault; drop: number } {
    const { maxLength, elements } = this.layout;
    const buf = this.buffer;
    if (this.rule.kind === 'fixed') return { payloadWire: 0 };
    const payload = elements[this.payloadAt]!;
    if (this.rule.kind === 'length') {
      const length = elements[this.rule.at]!;
      if (length.kind !== 'length') return { payloadWire: 0 }; // endRule guarantees a length here
      const at = this.lengthAt;
      const size = this.lengthWire;
      if (buf.length < at + size) return 'incomplete';
      const value = decodeElement(length, buf.subarray(at, at + size));
      if (!value)
        return this.fault(
          { code: SerialCode.BAD_FRAME, message: `the length field at offset ${at} is not hex digits` },
          at + size,
        );
      const counted =
        (length.endian === 'big' ? value.readUIntBE(0, length.size) : value.readUIntLE(0, length.size)) + length.adjust;
      const logical = counted - this.countedBesides;
      const payloadWire = wireSize(payload, Math.max(0, logical));
      const total = this.head + payloadWire + this.tail;
      if (logical < 0 || total > maxLength) {
        return this.fault(
          {
            code: SerialCode.BAD_LENGTH,
            message: `the length field gives a payload of ${logical} bytes (a frame of ${total}, maxLength ${maxLength})`,
          },
          at + size,
        );
      }
      return { payloadWire };
    }
    const terminator = elements[this.rule.at]!;
    if (terminator.kind !== 'fixed') return { payloadWire: 0 };
    const between = sizeOf(elements.slice(this.payloadAt + 1, this.rule.at));
    const endAt = indexOfBytes(buf, terminator.bytes, this.head + between);
    if (endAt < 0) {
      if (buf.length > maxLength) {
        return this.fault(
          { code: SerialCode.FRAME_TOO_LONG, message: `no end bytes within maxLength ${maxLength}` },
          buf.length,
          Math.max(1, buf.length - (terminator.bytes.length - 1)),
        );
      }
      return 'incomplete';
    }
    const payloadWire = endAt - between - this.head;
    const total = this.head + payloadWire + this.tail;
    if (total > maxLength)
      return this.fault(
        { code: SerialCode.FRAME_TOO_LONG, message: `a frame of ${total} bytes is over maxLength ${maxLength}` },
        total,
      );
    return { payloadWire };
  }

  private fault(fault: LayoutFault, upTo: number, drop = 1): { fault: FrameFault; drop: number } {
    return {
      fault: { ...fault, bytes: Uint8Array.from(this.buffer.subarray(0, Math.min(upTo, this.buffer.length))) },
      drop,
    };
  }
}
