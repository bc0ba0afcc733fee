/**
 * Length-prefixed framing for byte streams: each frame is a 4-byte big-endian payload length
 * followed by the payload. Pure: no I/O, no timers.
 */
import { Code, PeersError } from './errors.js';

/** Bytes in the length prefix. */
export const HEADER_BYTES = 4;
/** Default largest accepted payload: 16 MiB. */
export const DEFAULT_MAX_FRAME_BYTES = 16 * 1024 * 1024;

/** Prefix one payload with its length. */
export function frameHeader(payloadLength: number): Buffer {
  const header = Buffer.allocUnsafe(HEADER_BYTES);
  header.writeUInt32BE(payloadLength, 0);
  return header;
}

/**
 * Splits a byte stream into frames. `push` returns the frames completed by a chunk (as views into
 * the chunk where possible, so no copy is made for whole frames). After an error the decoder is
 * unusable: the stream has lost sync and the link must close.
 */
export class FrameDecoder {
  private pending: Buffer[] = [];
  private pendingBytes = 0;
  private failed: PeersError | undefined;

  constructor(private readonly maxFrameBytes = DEFAULT_MAX_FRAME_BYTES) {}

  /** Bytes held that do not yet form a whole frame. */
  get bufferedBytes(): number {
    return this.pendingBytes;
  }

  /** Feed bytes; returns the complete frames they finish. Throws PeersError on a bad length. */
  push(chunk: Uint8Array): Buffer[] {
    if (this.failed) throw this.failed;
    let buf = Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
    if (this.pendingBytes > 0) {
      this.pending.push(buf);
      this.pendingBytes += buf.length;
      if (this.pendingBytes < HEADER_BYTES) return [];
      const needed = this.peekLength();
      if (this.pendingBytes < HEADER_BYTES + needed) return [];
      buf = Buffer.concat(this.pending, this.pendingBytes);
      this.pending = [];
      this.pendingBytes = 0;
    }
    const frames: Buffer[] = [];
    let offset = 0;
    while (buf.length - offset >= HEADER_BYTES) {
      const length = buf.readUInt32BE(offset);
      this.check(length);
      const end = offset + HEADER_BYTES + length;
      if (end > buf.length) break;
      frames.push(buf.subarray(offset + HEADER_BYTES, end));
      offset = end;
    }
    if (offset < buf.length) {
      const rest = buf.subarray(offset);
      this.pending.push(rest);
      this.pendingBytes = rest.length;
    }
    return frames;
  }

  /** Call at end of stream: throws a TRUNCATED_FRAME error if a partial frame is left. */
  end(): void {
    if (this.failed || this.pendingBytes === 0) return;
    const held = this.pendingBytes;
    this.pending = [];
    this.pendingBytes = 0;
    throw new PeersError(Code.TRUNCATED_FRAME, `stream ended inside a frame (${held} bytes of an unfinished frame)`);
  }

  private peekLength(): number {
    const head = this.pending[0]!.length >= HEADER_BYTES ? this.pending[0]! : Buffer.concat(this.pending, this.pendingBytes);
    const length = head.readUInt32BE(0);
    this.check(length);
    return length;
  }

  private check(length: number): void {
    if (length <= this.maxFrameBytes) return;
    this.pending = [];
    this.pendingBytes = 0;
    this.failed = new PeersError(
      Code.FRAME_TOO_LARGE,
      `frame of ${length} bytes is over the limit of ${this.maxFrameBytes} bytes (maxFrameBytes)`,
    );
    throw this.failed;
  }
}
