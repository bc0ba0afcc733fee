/**
 * Tunnelled telegrams waiting for their TUNNELLING_ACK, by sequence number, so that a write
 * resolves when the server took it (not when it was handed to the library). knxultimate numbers
 * each TUNNELLING_REQUEST when it is queued and reports each ack with its number; a duplicate
 * ack (after a repeat) finds nothing and is ignored. No I/O; the timer is injectable.
 */
import { KnxCode, KnxError } from '../errors.js';

interface Waiting {
  resolve(): void;
  reject(error: Error): void;
  timer: unknown;
}

/** Options of an {@link AckTracker}. */
export interface AckTrackerOptions {
  /** Time for an ack before the telegram fails with `KNX_NO_ACK`, ms (the library repeats within it). */
  readonly timeoutMs: number;
  /** Names the tunnel in errors (`tunnel to 10.0.0.5:3671`). */
  readonly peer: string;
  readonly setTimer?: (callback: () => void, ms: number) => unknown;
  readonly clearTimer?: (handle: unknown) => void;
}

/** Telegrams waiting for their TUNNELLING_ACK. */
export class AckTracker {
  private readonly waiting = new Map<number, Waiting>();
  private readonly setTimer: (callback: () => void, ms: number) => unknown;
  private readonly clearTimer: (handle: unknown) => void;

  constructor(private readonly options: AckTrackerOptions) {
    this.setTimer = options.setTimer ?? ((callback, ms) => setTimeout(callback, ms).unref());
    this.clearTimer = options.clearTimer ?? ((handle) => clearTimeout(handle as NodeJS.Timeout));
  }

  /** Telegrams waiting. */
  get size(): number {
    return this.waiting.size;
  }

  /** Resolves when the ack of sequence number `seq` arrives; `what` names the telegram in errors. */
  expect(seq: number, what: string): Promise<void> {
    this.fail(
      seq,
      new KnxError(
        KnxCode.NO_ACK,
        `${what}: ${this.options.peer} reused sequence number ${seq} before acknowledging it`,
      ),
    );
    return new Promise<void>((resolve, reject) => {
      const timer = this.setTimer(() => {
        this.waiting.delete(seq);
        reject(
          new KnxError(
            KnxCode.NO_ACK,
            `${what}: no TUNNELLING_ACK from ${this.options.peer} within ${this.options.timeoutMs} ms`,
          ),
        );
      }, this.options.timeoutMs);
      this.waiting.set(seq, { resolve, reject, timer });
    });
  }

  /** The ack of `seq` arrived. */
  acked(seq: number): void {
    const waiting = this.waiting.get(seq);
    if (!waiting) return;
    this.waiting.delete(seq);
    this.clearTimer(waiting.timer);
    waiting.resolve();
  }

  /** Fail every waiting telegram (the connection ended). */
  failAll(error: Error): void {
    for (const seq of [...this.waiting.keys()]) this.fail(seq, error);
  }

  private fail(seq: number, error: Error): void {
    const waiting = this.waiting.get(seq);
    if (!waiting) return;
    this.waiting.delete(seq);
    this.clearTimer(waiting.timer);
    waiting.reject(error);
  }
}
