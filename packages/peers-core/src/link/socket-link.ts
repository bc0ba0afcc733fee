/**
 * A peers link over a WHATWG-style WebSocket: a browser's, the `ws` package's, or the peers
 * client's minimal Node.js one.
 * The wire is SocketLink's (docs/protocol.md, "Framing"): binary messages of whole length-prefixed
 * frames; the writes of one tick go out as one message; a frame never spans two messages; a text
 * message, or a message ending inside a frame, breaks the framing.
 */
import { Code, PeersError } from '../errors.js';
import { DEFAULT_MAX_FRAME_BYTES, FrameDecoder, HEADER_BYTES, type FrameHandler } from '../codec/frame-decoder.js';
import type { BudgetShare } from './frame-budget.js';
import { DEFAULT_MAX_BUFFERED_BYTES, type Link, type LinkLimits } from './link.js';

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

const noop = (): void => {};

/** The byte stream under a WebSocket (its net.Socket), watched to count a message still arriving. */
export interface RawStream {
  on(event: 'data', listener: (chunk: Buffer) => void): unknown;
}

/** Largest message for frames of at most `maxFrameBytes`: one whole frame. */
export function maxPayloadFor(limits: LinkLimits): number {
  return (limits.maxFrameBytes ?? DEFAULT_MAX_FRAME_BYTES) + HEADER_BYTES;
}

/** One link over an open {@link SocketLike}. */
export class SocketLink implements Link {
  readonly kind = 'ws' as const;
  onframe: FrameHandler = noop;
  onclose: (error?: Error) => void = noop;
  onerror: (error: PeersError) => void = (error) => this.close(error);
  lastReceived = Date.now();
  lastSent = Date.now();
  private readonly decoder: FrameDecoder;
  private readonly maxBufferedBytes: number;
  private readonly maxMessageBytes: number;
  /** This link's part of the budget: the bytes of a message still arriving (when the raw stream is known). */
  private readonly share: BudgetShare | undefined;
  private queue: Buffer[] = [];
  private queuedBytes = 0;
  private flushScheduled = false;
  private isClosed = false;
  private broken = false;
  private resolveClosed!: () => void;
  readonly whenClosed = new Promise<void>((resolve) => {
    this.resolveClosed = resolve;
  });

  constructor(
    private readonly socket: SocketLike,
    readonly remote: string,
    limits: LinkLimits = {},
    raw?: RawStream,
  ) {
    this.decoder = new FrameDecoder(limits.maxFrameBytes ?? DEFAULT_MAX_FRAME_BYTES);
    // The WebSocket library holds a message until it is whole: count the bytes under it, reset
    // at each message (the count runs at most one read ahead of the message boundary).
    this.share = raw ? limits.budget?.share(remote) : undefined;
    if (this.share && raw) raw.on('data', (chunk: Buffer) => this.account(this.share!.held + chunk.length));
    this.maxBufferedBytes = limits.maxBufferedBytes ?? DEFAULT_MAX_BUFFERED_BYTES;
    this.maxMessageBytes = maxPayloadFor(limits);
    socket.binaryType = 'arraybuffer';
    socket.onmessage = (event) => this.receive(event.data);
    // Browsers give error events no detail; the close event that follows carries the code.
    socket.onerror = (event) => {
      // The ws package refuses a message over maxPayload before reading it (then closes with 1009).
      const cause = (event as { error?: Error & { code?: string } } | null)?.error;
      if (cause?.code === 'WS_ERR_UNSUPPORTED_MESSAGE_LENGTH') {
        this.fail(new PeersError(Code.FRAME_TOO_LARGE, `${remote} sent a message over the limit of ${this.maxMessageBytes} bytes (maxFrameBytes + ${HEADER_BYTES})`, { cause }));
        return;
      }
      this.finish(new PeersError(Code.CLOSED, `${remote}: WebSocket error${cause?.message ? `: ${cause.message}` : ''}`));
    };
    socket.onclose = (event) => {
      this.finish(event.code === 1009 ? new PeersError(Code.FRAME_TOO_LARGE, `${remote} refused a message over its size limit (close code 1009)`) : undefined);
      this.resolveClosed();
    };
    if (socket.readyState !== OPEN) {
      this.finish(new PeersError(Code.CLOSED, `${remote}: the WebSocket is not open`));
      if (socket.readyState === CLOSED) this.resolveClosed();
      else socket.close();
    }
  }

  get closed(): boolean {
    return this.isClosed;
  }

  send(prefix: Buffer, body?: Buffer): void {
    if (this.isClosed) return;
    const size = prefix.length + (body ? body.length : 0);
    const unsent = this.socket.bufferedAmount;
    if (this.queuedBytes + size + unsent > this.maxBufferedBytes) {
      this.close(new PeersError(
        Code.SLOW_CONSUMER,
        `${this.remote} is not reading: ${unsent + this.queuedBytes} bytes unsent, over maxBufferedBytes ${this.maxBufferedBytes}`,
      ));
      return;
    }
    if (this.queuedBytes > 0 && this.queuedBytes + size > this.maxMessageBytes) this.flush();
    this.queue.push(prefix);
    if (body && body.length > 0) this.queue.push(body);
    this.queuedBytes += size;
    if (!this.flushScheduled) {
      this.flushScheduled = true;
      queueMicrotask(() => this.flush());
    }
  }

  close(error?: Error): void {
    if (this.isClosed) return;
    this.flush();
    this.finish(error);
    // Browsers only let scripts send close codes 1000 and 3000-4999.
    this.socket.close(1000);
  }

  private flush(): void {
    this.flushScheduled = false;
    if (this.queue.length === 0 || this.socket.readyState !== OPEN) return;
    const data = this.queue.length === 1 ? this.queue[0]! : Buffer.concat(this.queue, this.queuedBytes);
    this.queue = [];
    this.queuedBytes = 0;
    this.lastSent = Date.now();
    this.socket.send(data);
  }

  private account(held: number): void {
    if (this.isClosed || this.broken) return;
    const over = this.share!.hold(held);
    if (over) this.fail(over);
  }

  private receive(data: unknown): void {
    if (this.isClosed || this.broken) return;
    if (this.share && this.share.held > 0) this.account(0);
    this.lastReceived = Date.now();
    if (typeof data === 'string') {
      this.fail(new PeersError(Code.BAD_FRAME, `${this.remote} sent a text message (${data.length} characters); peers messages are binary`));
      return;
    }
    // Tag check rather than instanceof: the ArrayBuffer may come from another realm (an iframe's).
    const buf = Object.prototype.toString.call(data) === '[object ArrayBuffer]'
      ? Buffer.from(data as ArrayBuffer)
      : ArrayBuffer.isView(data)
        ? Buffer.from(data.buffer, data.byteOffset, data.byteLength)
        : undefined;
    if (!buf) {
      this.fail(new PeersError(Code.BAD_FRAME, `${this.remote} sent a message that is not binary data`));
      return;
    }
    try {
      this.decoder.feed(buf, this.deliver);
      if (!this.broken) this.decoder.end();
    } catch (error) {
      if (error instanceof PeersError && error.code === Code.TRUNCATED_FRAME) {
        error.message = `${this.remote} sent a message that ends inside a frame: ${error.message}`;
      }
      this.fail(error as PeersError);
    }
  }

  private fail(error: PeersError): void {
    if (this.broken || this.isClosed) return;
    this.broken = true;
    this.onerror(error);
  }

  private readonly deliver: FrameHandler = (buf, start, end) => {
    if (!this.isClosed && !this.broken) this.onframe(buf, start, end);
  };

  private finish(error?: Error): void {
    if (this.isClosed) return;
    this.isClosed = true;
    this.share?.release();
    this.onclose(error);
  }
}
