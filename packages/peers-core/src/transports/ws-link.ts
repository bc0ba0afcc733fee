/**
 * A link over a WebSocket (the `ws` package). Each binary message carries whole length-prefixed
 * frames, the same bytes a stream link writes (docs/protocol.md, "Framing"): the writes of one
 * tick go out as one message, a message may hold several frames, and a frame never spans two
 * messages. A text message, or a message ending inside a frame, breaks the framing.
 */
import WebSocket from 'ws';
import { Code, PeersError } from '../errors.js';
import { DEFAULT_MAX_FRAME_BYTES, FrameDecoder, HEADER_BYTES, type FrameHandler } from '../frame-decoder.js';
import { DEFAULT_MAX_BUFFERED_BYTES, type Link, type LinkLimits } from '../link.js';

const noop = (): void => {};

/** Largest WebSocket message for a link whose frames are at most `maxFrameBytes` (one whole frame). */
export function maxPayloadFor(limits: LinkLimits): number {
  return (limits.maxFrameBytes ?? DEFAULT_MAX_FRAME_BYTES) + HEADER_BYTES;
}

/** One link over an open ws `WebSocket`. */
export class WsLink implements Link {
  readonly kind = 'ws' as const;
  onframe: FrameHandler = noop;
  onclose: (error?: Error) => void = noop;
  onerror: (error: PeersError) => void = (error) => this.close(error);
  lastReceived = Date.now();
  lastSent = Date.now();
  private readonly decoder: FrameDecoder;
  private readonly maxBufferedBytes: number;
  private readonly maxMessageBytes: number;
  private queue: Buffer[] = [];
  private queuedBytes = 0;
  private flushScheduled = false;
  private isClosed = false;
  private broken = false;
  private resolveClosed!: () => void;
  readonly whenClosed = new Promise<void>((resolve) => {
    this.resolveClosed = resolve;
  });

  /**
   * @param socket an open WebSocket (a dialed one after `open`, or one a server accepted)
   * @param remote where the other end is, for logs, errors and `hello.remote`
   */
  constructor(
    private readonly socket: WebSocket,
    readonly remote: string,
    limits: LinkLimits = {},
  ) {
    this.decoder = new FrameDecoder(limits.maxFrameBytes ?? DEFAULT_MAX_FRAME_BYTES);
    this.maxBufferedBytes = limits.maxBufferedBytes ?? DEFAULT_MAX_BUFFERED_BYTES;
    this.maxMessageBytes = maxPayloadFor(limits);
    socket.binaryType = 'nodebuffer';
    socket.on('message', (data: Buffer, isBinary: boolean) => this.receive(data, isBinary));
    socket.on('error', (error: Error & { code?: string }) => {
      // ws refuses a message over maxPayload before reading it, and closes with 1009.
      if (error.code === 'WS_ERR_UNSUPPORTED_MESSAGE_LENGTH') {
        this.fail(new PeersError(Code.FRAME_TOO_LARGE, `${remote} sent a message over the limit of ${this.maxMessageBytes} bytes (maxFrameBytes + ${HEADER_BYTES})`, { cause: error }));
      }
      this.finish(error);
    });
    socket.on('close', (code: number) => {
      this.finish(code === 1009 ? new PeersError(Code.FRAME_TOO_LARGE, `${remote} refused a message over its size limit (close code 1009)`) : undefined);
      this.resolveClosed();
    });
    if (socket.readyState !== WebSocket.OPEN) {
      this.finish(new PeersError(Code.CLOSED, `${remote}: the WebSocket is not open`));
      if (socket.readyState === WebSocket.CLOSED) this.resolveClosed();
      else socket.terminate();
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
      ), true);
      return;
    }
    // A frame never spans messages: a batch that would pass the message limit goes out first.
    if (this.queuedBytes > 0 && this.queuedBytes + size > this.maxMessageBytes) this.flush();
    this.queue.push(prefix);
    if (body && body.length > 0) this.queue.push(body);
    this.queuedBytes += size;
    if (!this.flushScheduled) {
      this.flushScheduled = true;
      process.nextTick(() => this.flush());
    }
  }

  close(error?: Error, abort = false): void {
    if (this.isClosed) return;
    if (abort) {
      this.queue = [];
      this.queuedBytes = 0;
      this.finish(error);
      this.socket.terminate();
      return;
    }
    this.flush();
    this.finish(error);
    this.socket.close(error ? 1008 : 1000);
    // A peer that never answers the close must not keep the socket open after we gave up on it.
    setTimeout(() => this.socket.terminate(), 1000).unref();
  }

  private flush(): void {
    this.flushScheduled = false;
    if (this.queue.length === 0 || this.socket.readyState !== WebSocket.OPEN) return;
    const data = this.queue.length === 1 ? this.queue[0]! : Buffer.concat(this.queue, this.queuedBytes);
    this.queue = [];
    this.queuedBytes = 0;
    this.lastSent = Date.now();
    this.socket.send(data, { binary: true });
  }

  private receive(data: Buffer, isBinary: boolean): void {
    if (this.isClosed || this.broken) return;
    this.lastReceived = Date.now();
    if (!isBinary) {
      this.fail(new PeersError(Code.BAD_FRAME, `${this.remote} sent a text message (${data.length} bytes); peers messages are binary`));
      return;
    }
    try {
      this.decoder.feed(data, this.deliver);
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
    this.onclose(error);
  }
}
