/**
 * The byte stream of the port cut into frames as the gateway's `framing` says. Delimiters, fixed
 * lengths, inter-byte timeouts and regex splits use serialport's parsers (their buffers are capped
 * at `maxLength` here: the parsers themselves grow without bound); start/end frames with length
 * fields and checksums use the pure {@link FrameDecoder}. Outgoing payloads are framed by
 * {@link frameOutgoing}.
 */
import { ByteLengthParser } from '@serialport/parser-byte-length';
import { DelimiterParser } from '@serialport/parser-delimiter';
import { InterByteTimeoutParser } from '@serialport/parser-inter-byte-timeout';
import { RegexParser } from '@serialport/parser-regex';
import type { Transform } from 'node:stream';
import { encodeParts, unescape } from './bytes.js';
import { CHECKSUM_ENDIAN } from './checksum.js';
import { SerialCode } from './errors.js';
import { encodeFrame, FrameDecoder, type FrameFault, type FrameFormat } from './frame-codec.js';
import type { Framing } from './schemas.js';

/** Where frames and faults go. */
export interface FrameSink {
  frame(bytes: Buffer): void;
  fault(fault: FrameFault): void;
}

/** Bytes in, frames out to the sink. */
export interface FrameStream {
  write(chunk: Buffer): void;
  /** Drop pending bytes and timers. */
  close(): void;
}

/** The {@link FrameFormat} of a `frame` framing. */
export function frameFormatOf(framing: Extract<Framing, { type: 'frame' }>): FrameFormat {
  const cs = framing.checksum;
  return {
    start: Uint8Array.from(framing.start),
    end: framing.end ? Uint8Array.from(framing.end) : undefined,
    length: framing.length,
    checksum: cs && { type: cs.type, endian: cs.endian ?? CHECKSUM_ENDIAN[cs.type], covers: cs.covers, position: cs.position },
    maxLength: framing.maxLength,
  };
}

/** The delimiter bytes of a `delimiter` framing (escapes applied). */
export function delimiterBytes(delimiter: string, encoding: BufferEncoding): Buffer {
  const parts = unescape(delimiter);
  if ('error' in parts) throw new TypeError(`delimiter: ${parts.error}`); // the schema already refused it
  return encodeParts(parts.parts, encoding);
}

/** What goes on the wire for a rendered command: framed for `frame` framings, as is otherwise. */
export function frameOutgoing(framing: Framing, payload: Buffer): Buffer {
  return framing.type === 'frame' ? encodeFrame(frameFormatOf(framing), payload) : payload;
}

/** A stream for `framing`, delivering to `sink`. */
export function createFrameStream(framing: Framing, encoding: BufferEncoding, sink: FrameSink): FrameStream {
  if (framing.type === 'frame') {
    const decoder = new FrameDecoder(frameFormatOf(framing));
    return {
      write(chunk) {
        for (const event of decoder.push(chunk)) 'payload' in event ? sink.frame(event.payload) : sink.fault(event.fault);
      },
      close() {},
    };
  }
  switch (framing.type) {
    case 'delimiter': {
      const make = (): DelimiterParser => new DelimiterParser({ delimiter: delimiterBytes(framing.delimiter, encoding) });
      return parserStream(make, sink, framing.maxLength, (p) => p.buffer.length, (p) => void (p.buffer = Buffer.alloc(0)));
    }
    case 'length':
      return parserStream(() => new ByteLengthParser({ length: framing.length }), sink);
    case 'idle':
      return parserStream(() => new InterByteTimeoutParser({ interval: framing.idleMs, maxBufferSize: framing.maxLength }), sink);
    case 'regex': {
      const make = (): RegexParser => new RegexParser({ regex: new RegExp(framing.regex, framing.flags ?? ''), encoding });
      return parserStream(make, sink, framing.maxLength, (p) => Buffer.byteLength(p.data, encoding), (p) => void (p.data = ''));
    }
  }
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
    if (bytes.length > 0) sink.frame(bytes);
  });
  parser.on('error', () => undefined); // parsers do not fail on input; a destroy after close is harmless
  return {
    write(chunk) {
      parser.write(chunk);
      if (maxLength === undefined || !pending || !reset) return;
      const held = pending(parser);
      if (held > maxLength) {
        reset(parser);
        sink.fault({ code: SerialCode.FRAME_TOO_LONG, message: `no frame end within maxLength ${maxLength} (${held} bytes dropped)`, bytes: new Uint8Array(0) });
      }
    },
    close() {
      parser.removeAllListeners('data');
      parser.destroy();
    },
  };
}
