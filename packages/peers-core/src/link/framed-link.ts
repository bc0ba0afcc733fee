/**
 * The one link class: length-prefixed frames over any {@link ByteChannel}. It queues the frames
 * sent during one turn and writes them as one batch, closes a link whose other side does not read
 * (`PEERS_SLOW_CONSUMER`), decodes what arrives into frames, counts unfinished frames in the
 * peer's budget, and closes exactly once.
 *
 * Where the two channels once differed, this is decided (docs/protocol.md, "Framing"):
 * - batches are flushed in `process.nextTick` (a microtask in a browser bundle's process shim): in
 *   Node.js a sequential round trip measured faster than with `queueMicrotask`;
 * - a slow consumer is aborted: what is queued is dropped, not flushed into a peer that does not read;
 * - a batch never exceeds the channel's `maxWriteBytes`: a message socket gets whole frames in
 *   messages of at most `maxFrameBytes + 4` bytes; a stream has no such limit.
 */
import { Code, PeersError } from '../errors.js';
import { DEFAULT_MAX_FRAME_BYTES, FrameDecoder, type FrameHandler } from '../codec/frame-decoder.js';
import type { ByteChannel, ChannelEvents } from './byte-channel.js';
import type { BudgetShare } from './frame-budget.js';
import { DEFAULT_MAX_BUFFERED_BYTES, type Link, type LinkKind, type LinkLimits } from './link.js';

const noop = (): void => {};

export class FramedLink implements Link {
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
    private readonly channel: ByteChannel,
    limits: LinkLimits = {},
  ) {
    this.decoder = new FrameDecoder(limits.maxFrameBytes ?? DEFAULT_MAX_FRAME_BYTES);
    this.maxBufferedBytes = limits.maxBufferedBytes ?? DEFAULT_MAX_BUFFERED_BYTES;
    this.share = channel.countsUnfinishedBytes ? limits.budget?.share(channel.remote) : undefined;
    const events: ChannelEvents = {
      data: (bytes) => this.receive(bytes),
      arriving: () => this.account(),
      broken: (error) => this.fail(error),
      ended: () => this.ended(),
      failed: (error) => this.finish(error),
      closed: (error) => {
        this.finish(error);
        this.resolveClosed();
      },
    };
    channel.start(events);
  }

  get kind(): LinkKind {
    return this.channel.kind;
  }

  get remote(): string {
    return this.channel.remote;
  }

  get closed(): boolean {
    return this.isClosed;
  }

  exportKeyingMaterial(length: number, label: string): Buffer | undefined {
    return this.channel.exportKeyingMaterial?.(length, label);
  }

  send(prefix: Buffer, body?: Buffer): void {
    if (this.isClosed) return;
    const size = prefix.length + (body ? body.length : 0);
    const unsent = this.channel.unsentBytes;
    if (this.queuedBytes + size + unsent > this.maxBufferedBytes) {
      this.close(
        new PeersError(
          Code.SLOW_CONSUMER,
          `${this.remote} is not reading: ${unsent + this.queuedBytes} bytes unsent, over maxBufferedBytes ${this.maxBufferedBytes}`,
        ),
        true,
      );
      return;
    }
    if (this.queuedBytes > 0 && this.queuedBytes + size > this.channel.maxWriteBytes) this.flush();
    this.queue.push(prefix);
    if (body && body.length > 0) this.queue.push(body);
    this.queuedBytes += size;
    if (!this.flushScheduled) {
      this.flushScheduled = true;
      process.nextTick(this.flush);
    }
  }

  /** Close the link: what is queued goes out first, unless `abort` (a peer that does not read). */
  close(error?: Error, abort = false): void {
    if (this.isClosed) return;
    if (abort) {
      this.queue = [];
      this.queuedBytes = 0;
      this.finish(error);
      this.channel.abort();
      return;
    }
    this.flush();
    this.finish(error);
    this.channel.end();
  }

  private readonly flush = (): void => {
    this.flushScheduled = false;
    if (this.queue.length === 0 || !this.channel.writable) return;
    const data = this.queue.length === 1 ? this.queue[0]! : Buffer.concat(this.queue, this.queuedBytes);
    this.queue = [];
    this.queuedBytes = 0;
    this.lastSent = Date.now();
    this.channel.write(data);
  };

  private receive(bytes: Buffer): void {
    if (this.isClosed || this.broken) return;
    this.lastReceived = Date.now();
    const { wholeFrames } = this.channel;
    if (wholeFrames) this.account();
    try {
      this.decoder.feed(bytes, this.deliver);
      if (wholeFrames && !this.broken) this.decoder.end();
    } catch (error) {
      if (wholeFrames && error instanceof PeersError && error.code === Code.TRUNCATED_FRAME) {
        error.message = `${this.remote} sent a message that ends inside a frame: ${error.message}`;
      }
      this.fail(error as PeersError);
      return;
    }
    if (!wholeFrames) this.account();
  }

  /** Hold in the budget what is unfinished now: a partial frame in the decoder, a message still arriving. */
  private account(): void {
    if (!this.share || this.isClosed || this.broken) return;
    const held = this.decoder.bufferedBytes + this.channel.arrivingBytes;
    if (this.share.held === held) return;
    const over = this.share.hold(held);
    if (over) this.fail(over);
  }

  private fail(error: PeersError): void {
    if (this.broken || this.isClosed) return;
    this.broken = true;
    this.onerror(error);
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
    this.channel.end();
  }

  private finish(error?: Error): void {
    if (this.isClosed) return;
    this.isClosed = true;
    this.share?.release();
    this.onclose(error);
  }
}
