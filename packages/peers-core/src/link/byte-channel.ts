/**
 * A byte channel: what a {@link FramedLink} needs of a connection, whatever carries it. Two
 * adapters exist: a stream socket (UNIX, TCP, TLS: stream-channel.ts) and a message socket (a
 * WebSocket: message-channel.ts). The framed link owns queueing, batching, the slow-consumer
 * limit, framing and lifecycle; a channel only moves bytes and reports what happens to them.
 */
import type { PeersError } from '../errors.js';
import type { LinkKind } from './link.js';

/** What a channel tells its link. Each is called only after `start`. */
export interface ChannelEvents {
  /** Bytes arrived: a chunk of the stream, or one whole message (`wholeFrames`). */
  data(bytes: Buffer): void;
  /** `arrivingBytes` changed: more of a message that is not yet whole arrived. */
  arriving(): void;
  /** The bytes broke the framing below the frames (a text message, a message over the size limit). */
  broken(error: PeersError): void;
  /** The other side sends nothing more (a stream's end): an unfinished frame is an error. */
  ended(): void;
  /** The connection failed, or was closed (`error` undefined when cleanly). */
  failed(error?: Error): void;
  /** The connection is fully closed: nothing more will happen. */
  closed(error?: Error): void;
}

export interface ByteChannel {
  readonly kind: LinkKind;
  /** Where the other end is, for logs and errors. */
  readonly remote: string;
  /** Each `data` call holds whole frames (a message socket); a stream cuts frames anywhere. */
  readonly wholeFrames: boolean;
  /** Largest single write; the link splits its batches at frame boundaries to stay under it. */
  readonly maxWriteBytes: number;
  /** Whether this link's unfinished bytes count in the peer's budget (frame-budget.ts). */
  readonly countsUnfinishedBytes: boolean;
  /** Bytes of a message still arriving, held below the channel (counted in the budget). */
  readonly arrivingBytes: number;
  /** Bytes written and not yet sent by the connection. */
  readonly unsentBytes: number;
  /** Whether writes can still go out. */
  readonly writable: boolean;
  /** Start reporting to `events`. */
  start(events: ChannelEvents): void;
  write(bytes: Buffer): void;
  /** Close after what was written; a stream that does not finish within a second is destroyed. */
  end(): void;
  /** Close at once; what was written and not sent may be lost. */
  abort(): void;
  /** TLS only: keying material exported from the session (RFC 5705). */
  exportKeyingMaterial?(length: number, label: string): Buffer | undefined;
}
