/**
 * Length-prefixed framing for byte streams: each frame is a 4-byte big-endian payload length
 * followed by the payload. Pure: no I/O, no timers.
 */
import { Code, PeersError } from '../errors.js';

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

/** Receives one frame: the payload is `buf[start..end)`. */
export type FrameHandler = (buf: Buffer, start: number, end: number) => void;

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

  /**
   * Feed bytes; `onFrame(buf, start, end)` is called for each frame they complete, with the
   * payload at `buf[start..end)` and its length prefix right before `start` (so a hub can forward
   * the frame's bytes as they came). Throws PeersError on a bad length.
   */
  feed(chunk: Uint8Array, onFrame: FrameHandler): void {
    if (this.failed) throw this.failed;
    let buf = Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
    if (this.pendingBytes > 0) {
      this.pending.push(buf);
      this.pendingBytes += buf.length;
      if (this.pendingBytes < HEADER_BYTES) return;
      const needed = this.peekLength();
      if (this.pendingBytes < HEADER_BYTES + needed) return;
      buf = Buffer.concat(this.pending, this.pendingBytes);
      this.pending = [];
      this.pendingBytes = 0;
    }
    let offset = 0;
    const n = buf.length;
    while (n - offset >= HEADER_BYTES) {
      const length =
        ((buf[offset]! << 24) >>> 0) + (buf[offset + 1]! << 16) + (buf[offset + 2]! << 8) + buf[offset + 3]!;
      if (length > this.maxFrameBytes) this.check(length);
      const end = offset + HEADER_BYTES + length;
      if (end > n) break;
      onFrame(buf, offset + HEADER_BYTES, end);
      offset = end;
      if (this.failed) return;
    }
    if (offset < n) {
      const rest = offset === 0 ? buf : buf.subarray(offset);
      this.pending.push(rest);
      this.pendingBytes = rest.length;
    }
  }

  /** Feed bytes; returns the complete frames as views (a convenience over {@link feed}). */
  push(chunk: Uint8Array): Buffer[] {
    const frames: Buffer[] = [];
    this.feed(chunk, (buf, start, end) => frames.push(buf.subarray(start, end)));
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
    const head =
      this.pending[0]!.length >= HEADER_BYTES ? this.pending[0]! : Buffer.concat(this.pending, this.pendingBytes);
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
