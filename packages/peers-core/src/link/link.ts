/**
 * A link is one connection of any transport carrying frames. Nothing above it knows whether it is
 * a UNIX socket, TCP, TLS or a WebSocket.
 */
import type { Duplex } from 'node:stream';
import { Code, PeersError } from '../errors.js';
import type { BudgetShare, FrameBudget } from './frame-budget.js';
import { DEFAULT_MAX_FRAME_BYTES, FrameDecoder, type FrameHandler } from '../codec/frame-decoder.js';

/** Limits of one link. */
export interface LinkLimits {
  /** Largest frame accepted or sent, in bytes. Default 16 MiB. */
  maxFrameBytes?: number;
  /** Largest amount of unsent data before the other side counts as a slow consumer. Default 8 MiB. */
  maxBufferedBytes?: number;
  /** The budget shared by the unfinished frames of all links of one peer (frame-budget.ts). */
  budget?: FrameBudget;
}

export const DEFAULT_MAX_BUFFERED_BYTES = 8 * 1024 * 1024;

export type LinkKind = 'unix' | 'tcp' | 'tls' | 'ws';

/** One connection, any transport. */
export interface Link {
  readonly kind: LinkKind;
  /** Where the other end is, for logs and errors (`unix:/run/x.sock`, `tcp:127.0.0.1:5000`). */
  readonly remote: string;
  readonly closed: boolean;
  /** Milliseconds timestamp of the last bytes received. */
  readonly lastReceived: number;
  /** Milliseconds timestamp of the last bytes queued for sending. */
  readonly lastSent: number;
  /** Queue one frame: `prefix` (length + header) then `body`. Writes are batched per tick. */
  send(prefix: Buffer, body?: Buffer): void;
  /** Called with each complete frame: the payload is `buf[start..end)`, its length prefix right before. */
  onframe: FrameHandler;
  /** Called once when the link is closed, with the reason unless it was a clean close. */
  onclose: (error?: Error) => void;
  /**
   * Called when the byte stream breaks the framing (oversized length, garbage). The link has
   * stopped reading; the owner may send a last notice, then must close it.
   */
  onerror: (error: PeersError) => void;
  /** Close the link; pending writes are flushed first unless `error` is fatal to the stream. */
  close(error?: Error): void;
  /** Resolves once the underlying connection is fully closed (after `onclose`). */
  readonly whenClosed: Promise<void>;
  /**
   * TLS links: keying material exported from the session (RFC 5705), the same on both ends and
   * unknown to anyone relaying the bytes; binds a site handshake's proofs to this connection.
   */
  exportKeyingMaterial?(length: number, label: string): Buffer | undefined;
}

const noop = (): void => {};

/** A link over a byte stream (net.Socket or tls.TLSSocket) with length-prefixed frames. */
export class StreamLink implements Link {
  onframe: FrameHandler = noop;
  onclose: (error?: Error) => void = noop;
  onerror: (error: PeersError) => void = (error) => this.close(error);
  lastReceived = Date.now();
  lastSent = Date.now();
  private readonly decoder: FrameDecoder;
  private readonly maxBufferedBytes: number;
  /** This link's part of the budget for unfinished frames. */
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
    private readonly socket: Duplex & { writableLength: number; setNoDelay?: (v: boolean) => unknown },
    readonly kind: LinkKind,
    readonly remote: string,
    limits: LinkLimits = {},
  ) {
    this.decoder = new FrameDecoder(limits.maxFrameBytes ?? DEFAULT_MAX_FRAME_BYTES);
    this.maxBufferedBytes = limits.maxBufferedBytes ?? DEFAULT_MAX_BUFFERED_BYTES;
    this.share = limits.budget?.share(remote);
    socket.setNoDelay?.(true);
    socket.on('data', (chunk: Buffer) => this.receive(chunk));
    socket.on('end', () => this.ended());
    socket.on('error', (error: Error) => this.finish(error));
    socket.on('close', () => {
      this.finish();
      this.resolveClosed();
    });
  }

  get closed(): boolean {
    return this.isClosed;
  }

  exportKeyingMaterial(length: number, label: string): Buffer | undefined {
    const tlsSocket = this.socket as { exportKeyingMaterial?: (length: number, label: string) => Buffer };
    return typeof tlsSocket.exportKeyingMaterial === 'function' ? tlsSocket.exportKeyingMaterial(length, label) : undefined;
  }

  send(prefix: Buffer, body?: Buffer): void {
    if (this.isClosed) return;
    const size = prefix.length + (body ? body.length : 0);
    if (this.queuedBytes + size + this.socket.writableLength > this.maxBufferedBytes) {
      this.close(new PeersError(
        Code.SLOW_CONSUMER,
        `${this.remote} is not reading: ${this.socket.writableLength + this.queuedBytes} bytes unsent, over maxBufferedBytes ${this.maxBufferedBytes}`,
      ), true);
      return;
    }
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
      this.socket.destroy();
      return;
    }
    this.flush();
    this.finish(error);
    this.socket.end();
    // A peer that never reads must not keep the socket open after we gave up on it.
    setTimeout(() => this.socket.destroy(), 1000).unref();
  }

  private flush(): void {
    this.flushScheduled = false;
    if (this.queue.length === 0 || this.socket.destroyed) return;
    const data = this.queue.length === 1 ? this.queue[0]! : Buffer.concat(this.queue, this.queuedBytes);
    this.queue = [];
    this.queuedBytes = 0;
    this.lastSent = Date.now();
    this.socket.write(data);
  }

  private receive(chunk: Buffer): void {
    if (this.isClosed || this.broken) return;
    this.lastReceived = Date.now();
    try {
      this.decoder.feed(chunk, this.deliver);
    } catch (error) {
      this.broken = true;
      this.onerror(error as PeersError);
      return;
    }
    if (!this.share || this.share.held === this.decoder.bufferedBytes) return;
    const over = this.share.hold(this.decoder.bufferedBytes);
    if (!over || this.broken || this.isClosed) return;
    this.broken = true;
    this.onerror(over);
  }

  private readonly deliver: FrameHandler = (buf, start, end) => {
    if (!this.isClosed && !this.broken) this.onframe(buf, start, end);
  };

  private ended(): void {
    try {
      this.decoder.end();
      this.finish();
    } catch (error) {
      this.finish(error as Error);
    }
    this.socket.end();
  }

  private finish(error?: Error): void {
    if (this.isClosed) return;
    this.isClosed = true;
    this.share?.release();
    this.onclose(error);
  }
}
