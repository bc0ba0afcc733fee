/**
 * A link is one connection of any transport carrying frames. Nothing above it knows whether it is
 * a UNIX socket, TCP, TLS or a WebSocket. The one implementation is framed-link.ts (over a byte
 * channel); federation's border link wraps one.
 */
import type { PeersError } from '../errors.js';
import type { FrameBudget } from './frame-budget.js';
import type { FrameHandler } from '../codec/frame-decoder.js';

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
  /** Queue one frame: `prefix` (length + header) then `body`. The frames of one turn are written as one batch. */
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
