/**
 * The byte channel of a message socket: a WHATWG-style WebSocket (a browser's, the `ws`
 * package's, or the peers client's minimal Node.js one). The wire (docs/protocol.md, "Framing"):
 * binary messages of whole length-prefixed frames; a frame never spans two messages; a text
 * message, or a message ending inside a frame, breaks the framing.
 */
import { Code, PeersError } from '../errors.js';
import { DEFAULT_MAX_FRAME_BYTES, HEADER_BYTES } from '../codec/frame-decoder.js';
import type { ByteChannel, ChannelEvents } from './byte-channel.js';
import { FramedLink } from './framed-link.js';
import type { LinkLimits } from './link.js';

/** WebSocket ready states. */
export const CONNECTING = 0;
export const OPEN = 1;
export const CLOSED = 3;

/**
 * The part of the WHATWG `WebSocket` interface a link needs: browsers' WebSocket, the `ws`
 * package's, and the peers client's minimal Node.js one all have it.
 */
export interface SocketLike {
  binaryType: string;
  /** 0 connecting, 1 open, 2 closing, 3 closed. */
  readonly readyState: number;
  /** Bytes queued by `send` and not yet written. */
  readonly bufferedAmount: number;
  onopen: ((event: unknown) => void) | null;
  onmessage: ((event: { data: unknown }) => void) | null;
  onclose: ((event: { code: number; reason?: string }) => void) | null;
  onerror: ((event: unknown) => void) | null;
  send(data: Uint8Array): void;
  close(code?: number, reason?: string): void;
}

/** The byte stream under a WebSocket (its net.Socket), watched to count a message still arriving. */
export interface RawStream {
  on(event: 'data', listener: (chunk: Buffer) => void): unknown;
}

/** Largest message for frames of at most `maxFrameBytes`: one whole frame. */
export function maxPayloadFor(limits: LinkLimits): number {
  return (limits.maxFrameBytes ?? DEFAULT_MAX_FRAME_BYTES) + HEADER_BYTES;
}

/** The WebSocket close code of a message over the receiver's size limit. */
const MESSAGE_TOO_BIG = 1009;

export class MessageChannel implements ByteChannel {
  readonly kind = 'ws' as const;
  readonly wholeFrames = true;
  readonly maxWriteBytes: number;
  /** The WebSocket library holds a message until it is whole: its bytes count when the raw stream is known. */
  readonly countsUnfinishedBytes: boolean;
  arrivingBytes = 0;

  constructor(
    private readonly socket: SocketLike,
    readonly remote: string,
    limits: LinkLimits,
    private readonly raw?: RawStream,
  ) {
    this.maxWriteBytes = maxPayloadFor(limits);
    this.countsUnfinishedBytes = raw !== undefined && limits.budget !== undefined;
  }

  get unsentBytes(): number {
    return this.socket.bufferedAmount;
  }

  get writable(): boolean {
    return this.socket.readyState === OPEN;
  }

  start(events: ChannelEvents): void {
    const { socket, remote } = this;
    // Count the bytes under a message, reset at each message (the count runs at most one read
    // ahead of the message boundary).
    if (this.countsUnfinishedBytes) {
      this.raw!.on('data', (chunk: Buffer) => {
        this.arrivingBytes += chunk.length;
        events.arriving();
      });
    }
    socket.binaryType = 'arraybuffer';
    socket.onmessage = (event) => {
      this.arrivingBytes = 0;
      const bytes = this.bytesOf(event.data);
      if (bytes instanceof PeersError) events.broken(bytes);
      else events.data(bytes);
    };
    // Browsers give error events no detail; the close event that follows carries the code.
    socket.onerror = (event) => {
      // The ws package refuses a message over maxPayload before reading it (then closes with 1009).
      const cause = (event as { error?: Error & { code?: string } } | null)?.error;
      if (cause?.code === 'WS_ERR_UNSUPPORTED_MESSAGE_LENGTH') {
        events.broken(
          new PeersError(
            Code.FRAME_TOO_LARGE,
            `${remote} sent a message over the limit of ${this.maxWriteBytes} bytes (maxFrameBytes + ${HEADER_BYTES})`,
            { cause },
          ),
        );
        return;
      }
      events.failed(
        new PeersError(Code.CLOSED, `${remote}: WebSocket error${cause?.message ? `: ${cause.message}` : ''}`),
      );
    };
    socket.onclose = (event) => {
      events.closed(
        event.code === MESSAGE_TOO_BIG
          ? new PeersError(Code.FRAME_TOO_LARGE, `${remote} refused a message over its size limit (close code 1009)`)
          : undefined,
      );
    };
    if (socket.readyState !== OPEN) {
      const notOpen = new PeersError(Code.CLOSED, `${remote}: the WebSocket is not open`);
      if (socket.readyState === CLOSED) {
        events.closed(notOpen);
      } else {
        events.failed(notOpen);
        socket.close();
      }
    }
  }

  write(bytes: Buffer): void {
    this.socket.send(bytes);
  }

  /** Browsers only let scripts send close codes 1000 and 3000-4999. */
  end(): void {
    this.socket.close(1000);
  }

  /**
   * Drop the connection: the `ws` package's `terminate()` where there is one (a peer that does not
   * read would never answer a close handshake); a browser's WebSocket can only close.
   */
  abort(): void {
    const { terminate } = this.socket as { terminate?: () => void };
    if (typeof terminate === 'function') terminate.call(this.socket);
    else this.socket.close(1000);
  }

  /** A message's bytes, or the error when it is not binary. */
  private bytesOf(data: unknown): Buffer | PeersError {
    if (typeof data === 'string') {
      return new PeersError(
        Code.BAD_FRAME,
        `${this.remote} sent a text message (${data.length} characters); peers messages are binary`,
      );
    }
    // Tag check rather than instanceof: the ArrayBuffer may come from another realm (an iframe's).
    if (Object.prototype.toString.call(data) === '[object ArrayBuffer]') return Buffer.from(data as ArrayBuffer);
    if (ArrayBuffer.isView(data)) return Buffer.from(data.buffer, data.byteOffset, data.byteLength);
    return new PeersError(Code.BAD_FRAME, `${this.remote} sent a message that is not binary data`);
  }
}

/** A framed link over an open {@link SocketLike} (the name `@weble/peers-core/core` exports). */
export class SocketLink extends FramedLink {
  constructor(socket: SocketLike, remote: string, limits: LinkLimits = {}, raw?: RawStream) {
    super(new MessageChannel(socket, remote, limits, raw), limits);
  }
}
