/**
 * The counters behind a bridge's status: published (with a per-second rate), refused, writes,
 * the last error. Time is injectable for tests.
 */
import type { BridgeError } from './contract.js';

export class BridgeCounters {
  /** Values put into the buffer. */
  received = 0;
  published = 0;
  refused = 0;
  writesOk = 0;
  writesFailed = 0;
  lastError: BridgeError | null = null;
  private second = 0;
  private inSecond = 0;
  private lastSecond = 0;

  constructor(private readonly now: () => number = Date.now) {}

  /** `count` values acknowledged now. */
  addPublished(count: number): void {
    this.roll();
    this.published += count;
    this.inSecond += count;
  }

  /** Values published in the last full second. */
  perSecond(): number {
    this.roll();
    return this.lastSecond;
  }

  /** Remember an error (code and message) as the last one. */
  setError(error: { code: string; message: string }): void {
    this.lastError = { code: error.code, message: error.message, at: this.now() };
  }

  private roll(): void {
    const second = Math.floor(this.now() / 1000);
    if (second === this.second) return;
    this.lastSecond = second === this.second + 1 ? this.inSecond : 0;
    this.second = second;
    this.inSecond = 0;
  }
}
