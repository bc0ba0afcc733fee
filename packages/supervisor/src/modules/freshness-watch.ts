/**
 * Stale when not refreshed: the hub's check that each periodically read point was read recently.
 * Drivers report values by exception, so a steady value says nothing on the mesh; when an
 * address's deadline passes (its last value or read + {@link staleAfterMs} of its read period)
 * the hub asks its driver `driver.refreshed(keys)`. An address read too long ago, or whose driver
 * does not answer within that time (a wedged process), turns `stale` at once; it is `good` again
 * with its next value, or when its driver says it was read after it turned stale.
 */
import type { Quality } from './value-quality.js';

/** An address is stale when it was not read for this many of its read periods... */
export const STALE_PERIODS = 3;
/** ...and at least this long, ms (a loaded machine is not a stuck device). */
export const MIN_STALE_MS = 1_000;

/** How long an address read every `periodMs` may go unread before it is stale, ms. */
export function staleAfterMs(periodMs: number): number {
  return Math.max(STALE_PERIODS * periodMs, MIN_STALE_MS);
}

/** The reason given with `stale` when an address was not refreshed. */
export function notRefreshedReason(periodMs: number): string {
  return `not refreshed within ${staleAfterMs(periodMs)} ms (read every ${periodMs} ms)`;
}

/** What the watch needs of the hub. */
export interface FreshnessHub {
  /** When the driver of `gateway` last read each key (ms; null: never); rejects when it cannot answer. */
  ask(gateway: string, keys: string[]): Promise<Array<number | null>>;
  /** The quality of the address's last value now, undefined before its first value. */
  quality(key: string): { quality: Quality; reason?: string | undefined } | undefined;
  /** Mark the address (an event, history): `stale` with the reason, or `good` again. */
  setQuality(key: string, quality: 'stale' | 'good', reason?: string): void;
  /** A driver did not answer in time (logged by the hub). */
  unanswered(gateway: string, keys: string[]): void;
  now?: () => number;
}

interface Watched {
  gateway: string;
  periodMs: number;
  limitMs: number;
  /** Last time the address is known to have been read, ms. */
  freshAt: number;
  /** When the watch marked it stale (undefined: it did not). */
  agedAt?: number | undefined;
}

export class FreshnessWatch {
  private readonly watched = new Map<string, Watched>();
  /** Gateways with a question in flight (one at a time each). */
  private readonly asking = new Set<string>();
  private timer: ReturnType<typeof setTimeout> | undefined;
  private timerAt = Number.POSITIVE_INFINITY;
  private readonly now: () => number;

  constructor(private readonly hub: FreshnessHub) {
    this.now = hub.now ?? Date.now;
  }

  /** Watch `key` of `gateway`, read every `periodMs` (undefined: not read periodically, not watched). */
  watch(key: string, gateway: string, periodMs: number | undefined): void {
    if (periodMs === undefined) return this.unwatch(key);
    const old = this.watched.get(key);
    const w: Watched = { gateway, periodMs, limitMs: staleAfterMs(periodMs), freshAt: old?.freshAt ?? this.now() };
    this.watched.set(key, w);
    this.armAt(this.dueAt(w));
  }

  unwatch(key: string): void {
    this.watched.delete(key);
  }

  /** A value of `key` read at `at` arrived. */
  fresh(key: string, at: number): void {
    const w = this.watched.get(key);
    if (!w) return;
    // The hot path: no re-arming (a deadline only moves later; the timer finds out when it fires).
    w.freshAt = Math.max(w.freshAt, Math.min(at, this.now()));
    if (w.agedAt !== undefined && at > w.agedAt) w.agedAt = undefined;
  }

  close(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    this.watched.clear();
  }

  /** The next moment something is due: a deadline, or the recheck of an address the watch made stale. */
  private dueAt(w: Watched): number {
    return w.agedAt !== undefined ? this.now() + w.periodMs : w.freshAt + w.limitMs;
  }

  /** Set the timer to the earliest moment something is due. */
  private arm(): void {
    let next = Number.POSITIVE_INFINITY;
    for (const w of this.watched.values()) if (!this.asking.has(w.gateway)) next = Math.min(next, this.dueAt(w));
    this.armAt(next);
  }

  /** Fire at `next` unless the timer fires earlier already. */
  private armAt(next: number): void {
    if (next >= this.timerAt && this.timer) return;
    clearTimeout(this.timer);
    this.timer = undefined;
    this.timerAt = next;
    if (next === Number.POSITIVE_INFINITY) return;
    this.timer = setTimeout(
      () => {
        this.timer = undefined;
        this.timerAt = Number.POSITIVE_INFINITY;
        this.check();
      },
      Math.max(0, next - this.now()),
    );
    this.timer.unref?.();
  }

  private check(): void {
    const now = this.now();
    const due = new Map<string, string[]>();
    for (const [key, w] of this.watched) {
      if (this.asking.has(w.gateway)) continue;
      const state = this.hub.quality(key);
      const aged =
        w.agedAt !== undefined && state?.quality === 'stale' && state.reason === notRefreshedReason(w.periodMs);
      if (!aged) w.agedAt = undefined;
      // No value yet, or not good for another reason (gateway offline, bad reads): the driver tells; a full window after.
      if (!aged && state?.quality !== 'good') {
        w.freshAt = Math.max(w.freshAt, now);
        continue;
      }
      if (aged || now >= w.freshAt + w.limitMs) due.set(w.gateway, [...(due.get(w.gateway) ?? []), key]);
    }
    for (const [gateway, keys] of due) this.ask(gateway, keys);
    this.arm();
  }

  private ask(gateway: string, keys: string[]): void {
    this.asking.add(gateway);
    let settled = false;
    const limit = Math.min(...keys.map((k) => this.watched.get(k)?.limitMs ?? MIN_STALE_MS));
    // A driver that does not answer is as good as one that does not read: its addresses go stale.
    const silence = setTimeout(() => {
      this.hub.unanswered(gateway, keys);
      for (const key of keys) this.judge(key, null);
    }, limit);
    const done = (times: Array<number | null> | undefined): void => {
      if (settled) return;
      settled = true;
      clearTimeout(silence);
      this.asking.delete(gateway);
      if (times) keys.forEach((key, i) => this.judge(key, times[i] ?? null));
      // Refused (a driver without `refreshed`, a link going down): ask again a window later, not at once.
      else for (const key of keys) this.postpone(key);
      this.arm();
    };
    this.hub.ask(gateway, keys).then(done, () => done(undefined));
  }

  /** No answer to go by: the next question about `key` a whole window from now. */
  private postpone(key: string): void {
    const w = this.watched.get(key);
    if (w && w.agedAt === undefined) w.freshAt = Math.max(w.freshAt, this.now());
  }

  /** Decide about `key` now that its driver said when it read it last (null: no answer or never). */
  private judge(key: string, readAt: number | null): void {
    const w = this.watched.get(key);
    if (!w) return;
    const now = this.now();
    if (readAt !== null) w.freshAt = Math.max(w.freshAt, Math.min(readAt, now));
    const state = this.hub.quality(key);
    if (w.agedAt !== undefined) {
      if (
        readAt !== null &&
        readAt > w.agedAt &&
        state?.quality === 'stale' &&
        state.reason === notRefreshedReason(w.periodMs)
      ) {
        w.agedAt = undefined;
        this.hub.setQuality(key, 'good');
      }
      return;
    }
    if (state?.quality === 'good' && now - w.freshAt >= w.limitMs) {
      w.agedAt = now;
      this.hub.setQuality(key, 'stale', notRefreshedReason(w.periodMs));
    }
  }
}
