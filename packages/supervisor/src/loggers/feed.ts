/**
 * The hub's side of the store: values to record wait in memory and go to the store process in
 * batches (one `append` call, one transaction, at most every `flushMs`), at most two batches in
 * flight (the next is encoded and sent while the store writes one). A batch is dropped only once the store answered that it is on disk; when the store is
 * killed or paused, the batch goes back to the front of the queue and is sent again when the store
 * is back, so a store crash loses nothing. Only the hub's own death loses what waits here: at most
 * one batch window. The queue is capped (oldest dropped, counted and logged).
 */
import type { Logger } from 'pino';
import type { SampleRow } from './contract.js';

/** Settings of a {@link SampleFeed}. */
export interface FeedSettings {
  /** Longest wait before a batch is sent, ms. Default 250. */
  flushMs: number;
  /** Rows per batch at most. Default 5 000. */
  maxBatch: number;
  /** Rows kept while the store is away at most (the oldest are dropped beyond). Default 1 000 000. */
  maxQueued: number;
  /** Wait before sending again after a failed batch, ms. Default 1 000. */
  retryMs: number;
  /** Batches sent and not yet confirmed, at most. Default 2. */
  maxInflight?: number;
}

/** Default {@link FeedSettings}. */
export const DEFAULT_FEED: FeedSettings = {
  flushMs: 250,
  maxBatch: 5_000,
  maxQueued: 1_000_000,
  retryMs: 1_000,
  maxInflight: 2,
};

/** How the feed reaches the store (the mesh call; injected so the policy is tested alone). */
export interface FeedTarget {
  connected(): boolean;
  append(rows: SampleRow[]): Promise<unknown>;
}

export class SampleFeed {
  private queue: SampleRow[] = [];
  private readonly inflight = new Set<SampleRow[]>();
  private inflightRows = 0;
  private timer: ReturnType<typeof setTimeout> | undefined;
  private closed = false;
  /** Rows dropped because the queue was full. */
  dropped = 0;
  /** Rows the store confirmed. */
  written = 0;

  constructor(
    private readonly target: FeedTarget,
    private readonly settings: FeedSettings,
    private readonly log: Logger,
  ) {}

  /** Rows waiting (queued and in flight). */
  get pending(): number {
    return this.queue.length + this.inflightRows;
  }

  push(row: SampleRow): void {
    if (this.closed) return;
    this.queue.push(row);
    if (this.queue.length > this.settings.maxQueued) {
      const over = this.queue.length - this.settings.maxQueued;
      this.queue.splice(0, over);
      if (this.dropped === 0 || this.dropped % 10_000 < over)
        this.log.warn({ dropped: this.dropped + over }, 'history queue full: oldest values dropped');
      this.dropped += over;
    }
    if (this.queue.length >= this.settings.maxBatch) this.flush();
    else this.schedule(this.settings.flushMs);
  }

  /** Send now if possible (also called when the store joins). */
  flush(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    if (!this.target.connected() && this.queue.length > 0) return this.schedule(this.settings.retryMs);
    while (!this.closed && this.queue.length > 0 && this.inflight.size < (this.settings.maxInflight ?? 2))
      this.send(this.queue.splice(0, this.settings.maxBatch));
  }

  private send(batch: SampleRow[]): void {
    this.inflight.add(batch);
    this.inflightRows += batch.length;
    const settle = (): void => {
      this.inflight.delete(batch);
      this.inflightRows -= batch.length;
    };
    this.target.append(batch).then(
      () => {
        settle();
        this.written += batch.length;
        if (this.queue.length >= this.settings.maxBatch) this.flush();
        else if (this.queue.length > 0) this.schedule(this.settings.flushMs);
      },
      (error: Error) => {
        settle();
        // Back to the front (stored by time, so the order of resent batches does not matter).
        this.queue = batch.concat(this.queue);
        this.log.debug({ err: error, rows: batch.length }, 'history batch not stored; sending again');
        this.schedule(this.settings.retryMs);
      },
    );
  }

  close(): void {
    this.closed = true;
    clearTimeout(this.timer);
  }

  private schedule(ms: number): void {
    if (this.timer || this.closed) return;
    this.timer = setTimeout(() => this.flush(), ms);
  }
}
