/**
 * The bus's rate limit: telegrams leave at most `ratePerSecond` a second, in order, so a burst
 * of writes never floods a real line (a TP line carries about 50 telegrams a second). Sends
 * wait in a queue of at most `maxQueue`; a full queue refuses with `KNX_QUEUE_FULL`. The
 * spacing policy is a pure function; the clock and timers are injectable.
 */
import { KnxCode, KnxError } from '../errors.js';

/** When the next telegram may leave: `interval` after the previous one, never before now. Pure. */
export function nextSlot(previous: number | undefined, now: number, intervalMs: number): number {
  return previous === undefined ? now : Math.max(now, previous + intervalMs);
}

/** Options of a {@link SendQueue}. */
export interface SendQueueOptions {
  /** Telegrams per second. */
  readonly ratePerSecond: number;
  /** Sends that may wait. */
  readonly maxQueue: number;
  /** Names the gateway in errors (`gateway 1 (knx)`). */
  readonly label: string;
  readonly now?: () => number;
  readonly setTimer?: (callback: () => void, ms: number) => unknown;
  readonly clearTimer?: (handle: unknown) => void;
}

interface Item {
  send: () => void;
  resolve: () => void;
  reject: (error: Error) => void;
}

/** Telegrams waiting for their slot under the rate limit, sent in order. */
export class SendQueue {
  private readonly items: Item[] = [];
  private last: number | undefined;
  private timer: unknown;
  private closedBy: Error | undefined;
  private readonly intervalMs: number;
  private readonly now: () => number;
  private readonly setTimer: (callback: () => void, ms: number) => unknown;
  private readonly clearTimer: (handle: unknown) => void;

  constructor(private readonly options: SendQueueOptions) {
    this.intervalMs = 1000 / options.ratePerSecond;
    this.now = options.now ?? (() => performance.now());
    this.setTimer = options.setTimer ?? ((callback, ms) => setTimeout(callback, ms));
    this.clearTimer = options.clearTimer ?? ((handle) => clearTimeout(handle as NodeJS.Timeout));
  }

  /** Telegrams waiting. */
  get size(): number {
    return this.items.length;
  }

  /** Run `send` in its slot; resolves once it ran (rejects with its error, or when the queue closes). */
  push(what: string, send: () => void): Promise<void> {
    if (this.closedBy) return Promise.reject(this.closedBy);
    if (this.items.length >= this.options.maxQueue) {
      return Promise.reject(
        new KnxError(
          KnxCode.QUEUE_FULL,
          `${what} on ${this.options.label}: ${this.items.length} telegrams already wait for the bus (rate ${this.options.ratePerSecond}/s)`,
        ),
      );
    }
    return new Promise<void>((resolve, reject) => {
      this.items.push({ send, resolve, reject });
      if (this.timer === undefined) this.drain();
    });
  }

  /** Fail every waiting send with `error`; later pushes fail with it too. */
  close(error: Error): void {
    if (this.closedBy) return;
    this.closedBy = error;
    if (this.timer !== undefined) this.clearTimer(this.timer);
    this.timer = undefined;
    for (const item of this.items.splice(0)) item.reject(error);
  }

  private drain(): void {
    this.timer = undefined;
    const item = this.items[0];
    if (!item || this.closedBy) return;
    const now = this.now();
    const at = nextSlot(this.last, now, this.intervalMs);
    if (at > now) {
      this.timer = this.setTimer(() => this.drain(), at - now);
      return;
    }
    this.items.shift();
    this.last = at;
    try {
      item.send();
      item.resolve();
    } catch (error) {
      item.reject(error instanceof Error ? error : new Error(String(error)));
    }
    if (this.items.length > 0) this.timer = this.setTimer(() => this.drain(), this.intervalMs);
  }
}
