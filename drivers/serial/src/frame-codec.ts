/**
 * The `frame` framing's shorthand, `[start][length?][payload][checksum?][end?]` (or the checksum
 * after the end bytes), as a {@link Layout}; and the encoder/decoder of that shape. The layout
 * codec does the work (`layout-codec.ts`, `layout-decoder.ts`); this keeps the shorthand's types.
 */
import type { ChecksumType } from './checksum.js';
import { compileLayout, type ElementConfig, type Layout } from './layout.js';
import { buildFrame } from './layout-codec.js';
import { LayoutDecoder, type FrameFault } from './layout-decoder.js';

export type { FrameFault } from './layout-decoder.js';

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

/** What the decoder found in a chunk, in order. */
export type FrameEvent = { payload: Buffer } | { fault: FrameFault };

/** The element list of a shorthand format (names: `start`, `length`, `payload`, `checksum`, `end`). */
export function shorthandElements(format: Omit<FrameFormat, 'maxLength'>): ElementConfig[] {
  const elements: ElementConfig[] = [{ fixed: Array.from(format.start), name: 'start' }];
  if (format.length) elements.push({ length: { ...format.length, counts: 'payload' } });
  elements.push('payload');
  const end: ElementConfig[] = format.end ? [{ fixed: Array.from(format.end), name: 'end' }] : [];
  const cs = format.checksum;
  if (!cs) return [...elements, ...end];
  if (cs.position === 'after-end') elements.push(...end);
  const to = nameAt(elements.at(-1)!);
  const from = cs.covers === 'payload' ? 'payload' : cs.covers === 'all' ? 'start' : nameAt(elements[1]!);
  elements.push({ checksum: { type: cs.type, endian: cs.endian, from, to: cs.covers === 'payload' ? 'payload' : to } });
  return cs.position === 'after-end' ? elements : [...elements, ...end];
}

function nameAt(element: ElementConfig): string {
  if (element === 'payload' || 'payload' in element) return 'payload';
  if ('fixed' in element) return element.name ?? 'fixed';
  if ('field' in element) return element.field;
  return 'length' in element ? 'length' : 'checksum';
}

/** The {@link Layout} of a shorthand format. Throws a TypeError when it cannot be decoded. */
export function layoutOfFormat(format: FrameFormat): Layout {
  if (!format.length && !format.end) throw new TypeError('a frame format needs a length field or end bytes');
  const layout = compileLayout(shorthandElements(format), { hex: false, maxLength: format.maxLength });
  if ('problems' in layout) throw new TypeError(layout.problems.map((p) => p.message).join('; '));
  return layout;
}

/** Encode `payload` as a frame of `format` (for requests and writes). Throws when it does not fit. */
export function encodeFrame(format: FrameFormat, payload: Uint8Array): Buffer {
  return buildFrame(layoutOfFormat(format), {}, payload);
}

/** Incremental decoder of {@link FrameFormat} frames: payloads and faults. */
export class FrameDecoder {
  private readonly decoder: LayoutDecoder;

  constructor(format: FrameFormat) {
    this.decoder = new LayoutDecoder(layoutOfFormat(format));
  }

  /** Bytes held while waiting for the rest of a frame. */
  get pending(): number {
    return this.decoder.pending;
  }

  /** Feed a chunk; returns the payloads and faults it completed, in order. */
  push(chunk: Uint8Array): FrameEvent[] {
    return this.decoder.push(chunk).map((e) => ('frame' in e ? { payload: e.frame.payload } : e));
  }
}
