/**
 * The byte stream of the port cut into frames as the gateway's `framing` says. Delimiters, fixed
 * lengths, inter-byte timeouts and regex splits use serialport's parsers (their buffers are capped
 * at `maxLength` here: the parsers themselves grow without bound), then each frame is checked
 * against the framing's layout when it has one (fields, length, checksum); `frame` framings are cut
 * by the pure {@link LayoutDecoder}. Outgoing payloads are framed by {@link frameOutgoing}.
 */
import { ByteLengthParser } from '@serialport/parser-byte-length';
import { DelimiterParser } from '@serialport/parser-delimiter';
import { InterByteTimeoutParser } from '@serialport/parser-inter-byte-timeout';
import { RegexParser } from '@serialport/parser-regex';
import type { Transform } from 'node:stream';
import { encodeParts, unescape } from './bytes.js';
import { CHECKSUM_ENDIAN } from './checksum.js';
import { SerialCode } from './errors.js';
import { layoutOfFormat, type FrameFormat } from './frame-codec.js';
import type { Framing } from './framing-schema.js';
import { compileLayout, type Layout } from './layout.js';
import { buildFrame, parseFrame, type FrameFields } from './layout-codec.js';
import { LayoutDecoder, type FrameFault } from './layout-decoder.js';

/** A frame cut from the stream: its payload (the whole frame without a layout) and header fields. */
export interface CutFrame {
  bytes: Buffer;
  fields?: FrameFields | undefined;
}

/** Where frames and faults go. */
export interface FrameSink {
  frame(frame: CutFrame): void;
  fault(fault: FrameFault): void;
}

/** Bytes in, frames out to the sink. */
export interface FrameStream {
  write(chunk: Buffer): void;
  /** Drop pending bytes and timers. */
  close(): void;
}

/** The {@link FrameFormat} of a `frame` framing written with the shorthand (start/length/checksum/end). */
export function frameFormatOf(framing: Extract<Framing, { type: 'frame' }>): FrameFormat {
  const cs = framing.checksum;
  return {
    start: Uint8Array.from(framing.start ?? []),
    end: framing.end ? Uint8Array.from(framing.end) : undefined,
    length: framing.length,
    checksum: cs && {
      type: cs.type,
      endian: cs.endian ?? CHECKSUM_ENDIAN[cs.type],
      covers: cs.covers,
      position: cs.position,
    },
    maxLength: framing.maxLength,
  };
}

/** The delimiter bytes of a `delimiter` framing (escapes applied). */
export function delimiterBytes(delimiter: string, encoding: BufferEncoding): Buffer {
  const parts = unescape(delimiter);
  if ('error' in parts) throw new TypeError(`delimiter: ${parts.error}`); // the schema already refused it
  return encodeParts(parts.parts, encoding);
}

/** The layout frames of `framing` must fit: its `layout`, the shorthand of a `frame` framing, or none. */
export function layoutOf(framing: Framing): Layout | undefined {
  if (framing.layout) {
    const maxLength = framing.type === 'length' ? framing.length : framing.maxLength;
    const layout = compileLayout(framing.layout, { hex: framing.hex ?? false, maxLength });
    if ('problems' in layout) throw new TypeError(`layout: ${layout.problems.map((p) => p.message).join('; ')}`); // the schema refused it already
    return layout;
  }
  return framing.type === 'frame' ? layoutOfFormat(frameFormatOf(framing)) : undefined;
}

/**
 * What goes on the wire for a rendered command: with a layout, the frame built around it (header
 * `fields`, length, checksum; a `delimiter` framing's delimiter after it); without one, as is.
 * Throws a RangeError when it does not fit.
 */
export function frameOutgoing(
  framing: Framing,
  payload: Buffer,
  fields: FrameFields = {},
  encoding: BufferEncoding = 'utf8',
  layout = layoutOf(framing),
): Buffer {
  if (!layout) return payload;
  const frame = buildFrame(layout, fields, payload);
  return framing.type === 'delimiter' ? Buffer.concat([frame, delimiterBytes(framing.delimiter, encoding)]) : frame;
}

/** A stream for `framing`, delivering to `sink`. */
export function createFrameStream(
  framing: Framing,
  encoding: BufferEncoding,
  sink: FrameSink,
  layout = layoutOf(framing),
): FrameStream {
  if (framing.type === 'frame' && layout) {
    const decoder = new LayoutDecoder(layout);
    return {
      write(chunk) {
        for (const event of decoder.push(chunk))
          'frame' in event
            ? sink.frame({ bytes: event.frame.payload, fields: event.frame.fields })
            : sink.fault(event.fault);
      },
      close() {},
    };
  }
  if (layout) sink = checkedSink(layout, sink);
  switch (framing.type) {
    case 'delimiter': {
      const make = (): DelimiterParser =>
        new DelimiterParser({ delimiter: delimiterBytes(framing.delimiter, encoding) });
      return parserStream(
        make,
        sink,
        framing.maxLength,
        (p) => p.buffer.length,
        (p) => void (p.buffer = Buffer.alloc(0)),
      );
    }
    case 'length':
      return parserStream(() => new ByteLengthParser({ length: framing.length }), sink);
    case 'idle':
      return parserStream(
        () => new InterByteTimeoutParser({ interval: framing.idleMs, maxBufferSize: framing.maxLength }),
        sink,
      );
    case 'regex': {
      const make = (): RegexParser =>
        new RegexParser({ regex: new RegExp(framing.regex, framing.flags ?? ''), encoding });
      return parserStream(
        make,
        sink,
        framing.maxLength,
        (p) => Buffer.byteLength(p.data, encoding),
        (p) => void (p.data = ''),
      );
    }
    case 'frame':
      throw new TypeError('a frame framing needs a layout'); // layoutOf always gives one
  }
}

/** Frames of another framing checked against `layout`: fitting ones go on as payload and fields, the rest as faults. */
function checkedSink(layout: Layout, sink: FrameSink): FrameSink {
  return {
    frame({ bytes }) {
      const parsed = parseFrame(layout, bytes);
      if ('fault' in parsed) return sink.fault({ ...parsed.fault, bytes: Uint8Array.from(bytes.subarray(0, 256)) });
      sink.frame({ bytes: parsed.payload, fields: parsed.fields });
    },
    fault: (fault) => sink.fault(fault),
  };
}

/** A serialport parser as a {@link FrameStream}; with `pending`, its buffer is capped at `maxLength`. */
function parserStream<P extends Transform>(
  make: () => P,
  sink: FrameSink,
  maxLength?: number,
  pending?: (parser: P) => number,
  reset?: (parser: P) => void,
): FrameStream {
  const parser = make();
  const encoding = (parser as { readableEncoding?: BufferEncoding | null }).readableEncoding ?? undefined;
  parser.on('data', (data: Buffer | string) => {
    const bytes = typeof data === 'string' ? Buffer.from(data, encoding) : data;
    if (bytes.length > 0) sink.frame({ bytes });
  });
  parser.on('error', () => undefined); // parsers do not fail on input; a destroy after close is harmless
  return {
    write(chunk) {
      parser.write(chunk);
      if (maxLength === undefined || !pending || !reset) return;
      const held = pending(parser);
      if (held > maxLength) {
        reset(parser);
        sink.fault({
          code: SerialCode.FRAME_TOO_LONG,
          message: `no frame end within maxLength ${maxLength} (${held} bytes dropped)`,
          bytes: new Uint8Array(0),
        });
      }
    },
    close() {
      parser.removeAllListeners('data');
      parser.destroy();
    },
  };
}
