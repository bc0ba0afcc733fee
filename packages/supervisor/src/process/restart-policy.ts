/**
 * When to restart a child that exited: at once when it had come up and this is its first exit
 * since its backoff was last reset (a driver that crashed once is back as fast as a process can
 * start, its points live again), then exponential backoff with jitter, reset after a stable
 * period, and a restart intensity limit (Erlang/OTP's "N restarts in T seconds") that turns a
 * crash loop into the `failed` state, retried only slowly. Pure: time is passed in.
 */
import { exponentialBackoff, type Backoff } from '@weble/peers-core';

/** Restart settings (site.yaml `supervision.restart`). */
export interface RestartSettings {
  /** Delay of the first restart of a child that never came up, and of the second of one that did, ms. */
  initialMs: number;
  /** Largest restart delay, ms. */
  maxMs: number;
  /** Up this long without exiting resets the backoff, ms. */
  stableMs: number;
  /** More than this many restarts within `withinMs` means `failed`. */
  maxRestarts: number;
  withinMs: number;
  /** A failed child is tried again after this long (or at once on request), ms. */
  failedRetryMs: number;
}

export const DEFAULT_RESTART: RestartSettings = {
  initialMs: 500,
  maxMs: 30_000,
  stableMs: 60_000,
  maxRestarts: 5,
  withinMs: 60_000,
  failedRetryMs: 300_000,
};

/** The decision after an exit: restart after `delayMs`, or give up for now (`failed`). */
export type RestartDecision =
  { action: 'restart'; delayMs: number; attempt: number } | { action: 'fail'; retryInMs: number; restarts: number };

/** Per-child restart bookkeeping. */
export class RestartPolicy {
  private attempt = 0;
  private restartedAtOnce = false;
  private restarts: number[] = [];
  private readonly backoff: Backoff;

  constructor(
    private readonly settings: RestartSettings,
    private readonly random: () => number = Math.random,
  ) {
    this.backoff = exponentialBackoff({ initialMs: settings.initialMs, maxMs: settings.maxMs, factor: 2, jitter: 0.3 });
  }

  /**
   * The child exited at `now` after being up since `upSince` (undefined when it never came up).
   * Returns whether and when to restart it.
   */
  onExit(now: number, upSince: number | undefined): RestartDecision {
    if (upSince !== undefined && now - upSince >= this.settings.stableMs) {
      this.attempt = 0;
      this.restartedAtOnce = false;
    }
    this.restarts = this.restarts.filter((t) => now - t < this.settings.withinMs);
    if (this.restarts.length >= this.settings.maxRestarts) {
      return { action: 'fail', retryInMs: this.settings.failedRetryMs, restarts: this.restarts.length };
    }
    this.restarts.push(now);
    if (this.attempt === 0 && !this.restartedAtOnce && upSince !== undefined) {
      this.restartedAtOnce = true;
      return { action: 'restart', delayMs: 0, attempt: 0 };
    }
    const delayMs = this.backoff(this.attempt, this.random);
    this.attempt++;
    return { action: 'restart', delayMs, attempt: this.attempt };
  }

  /** Forget the history (a restart on request, or a retry after `failed`). */
  reset(): void {
    this.attempt = 0;
    this.restartedAtOnce = false;
    this.restarts = [];
  }
}
