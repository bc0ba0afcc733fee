/**
 * Failed-login rate limiting: a sliding window of failure times per key (a username, a client
 * address). A key with `maxFailures` failures inside the last `windowMs` is blocked until the
 * oldest of them leaves the window. Memory is bounded by `maxKeys` keys of `maxFailures` times.
 */

/** Options of {@link LoginLimiter}. */
export interface LoginLimiterOptions {
  /** Failures allowed in the window before a key is blocked. Default 5. */
  maxFailures?: number;
  /** Window length, ms. Default 15 min. */
  windowMs?: number;
  /** Most keys tracked; when full, stale keys are swept, then the oldest is forgotten. Default 10 000. */
  maxKeys?: number;
  /** Clock, ms since the epoch. Default `Date.now`. */
  now?: () => number;
}

/** Per-key sliding-window counter of failed logins. */
export class LoginLimiter {
  private readonly failures = new Map<string, number[]>();
  private readonly maxFailures: number;
  private readonly windowMs: number;
  private readonly maxKeys: number;
  private readonly now: () => number;

  constructor(options: LoginLimiterOptions = {}) {
    this.maxFailures = options.maxFailures ?? 5;
    this.windowMs = options.windowMs ?? 15 * 60 * 1000;
    this.maxKeys = options.maxKeys ?? 10_000;
    this.now = options.now ?? Date.now;
  }

  /** Ms until `key` may try again, or 0 when it is not blocked. */
  retryAfterMs(key: string): number {
    const times = this.recent(key);
    if (times.length < this.maxFailures) return 0;
    const oldest = times[times.length - this.maxFailures] ?? this.now();
    return Math.max(1, oldest + this.windowMs - this.now());
  }

  /** Count one failure of `key`. */
  fail(key: string): void {
    const times = this.recent(key);
    times.push(this.now());
    if (times.length > this.maxFailures) times.splice(0, times.length - this.maxFailures);
    this.failures.delete(key); // re-insert: the Map's order is then least recently failed first
    if (this.failures.size >= this.maxKeys) this.sweep();
    while (this.failures.size >= this.maxKeys) {
      const oldest = this.failures.keys().next().value;
      if (oldest === undefined) break;
      this.failures.delete(oldest);
    }
    this.failures.set(key, times);
  }

  /** Forget the failures of `key` (after a successful login). */
  reset(key: string): void {
    this.failures.delete(key);
  }

  /** Drop keys with no failure inside the window. */
  sweep(): void {
    for (const key of [...this.failures.keys()]) if (this.recent(key).length === 0) this.failures.delete(key);
  }

  /** Keys tracked. */
  get size(): number {
    return this.failures.size;
  }

  private recent(key: string): number[] {
    const times = this.failures.get(key);
    if (!times) return [];
    const since = this.now() - this.windowMs;
    while (times.length > 0 && (times[0] ?? 0) <= since) times.shift();
    if (times.length === 0) this.failures.delete(key);
    return times;
  }
}
