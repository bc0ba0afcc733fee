/**
 * The byte channel of a stream socket (net.Socket, tls.TLSSocket: UNIX, TCP and TLS links).
 * Frames may be cut anywhere by the stream; the other side's end of writing is reported as `ended`.
 */
import type { Duplex } from 'node:stream';
import type { ByteChannel, ChannelEvents } from './byte-channel.js';
import type { LinkKind } from './link.js';

/** What a stream link needs of its socket. */
export type StreamSocket = Duplex & { writableLength: number; setNoDelay?: (noDelay: boolean) => unknown };

/** A peer that never reads must not keep the socket open after we gave up on it. */
const END_TIMEOUT_MS = 1000;

export class StreamChannel implements ByteChannel {
  readonly wholeFrames = false;
  readonly maxWriteBytes = Infinity;
  readonly countsUnfinishedBytes = true;
  readonly arrivingBytes = 0;

  constructor(
    private readonly socket: StreamSocket,
    readonly kind: LinkKind,
    readonly remote: string,
  ) {
    socket.setNoDelay?.(true);
  }

  get unsentBytes(): number {
    return this.socket.writableLength;
  }

  get writable(): boolean {
    return !this.socket.destroyed;
  }

  start(events: ChannelEvents): void {
    this.socket.on('data', (chunk: Buffer) => events.data(chunk));
    this.socket.on('end', () => events.ended());
    this.socket.on('error', (error: Error) => events.failed(error));
    this.socket.on('close', () => events.closed());
  }

  write(bytes: Buffer): void {
    this.socket.write(bytes);
  }

  end(): void {
    this.socket.end();
    setTimeout(() => this.socket.destroy(), END_TIMEOUT_MS).unref();
  }

  abort(): void {
    this.socket.destroy();
  }

  exportKeyingMaterial(length: number, label: string): Buffer | undefined {
    const tlsSocket = this.socket as { exportKeyingMaterial?: (length: number, label: string) => Buffer };
    return typeof tlsSocket.exportKeyingMaterial === 'function'
      ? tlsSocket.exportKeyingMaterial(length, label)
      : undefined;
  }
}
