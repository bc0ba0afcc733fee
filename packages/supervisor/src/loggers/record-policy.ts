/**
 * Whether a new value of an address is recorded by a logger, as a pure function of the logger's
 * `onChange` settings and what it recorded last (time is passed in).
 */
import type { LoggerDefinition } from './schema.js';

/** The last recorded value of an address in a logger. */
export interface Recorded {
  value: unknown;
  t: number;
}

/** `record` now; `defer` until `at` (min interval not over: keep the latest, record it then); `skip`. */
export type RecordDecision = { action: 'record' } | { action: 'defer'; at: number } | { action: 'skip' };

/** Decide for a changed value at time `t` (ms). Non-numbers are recorded on every change. */
export function recordDecision(
  onChange: LoggerDefinition['onChange'],
  last: Recorded | undefined,
  value: unknown,
  t: number,
): RecordDecision {
  if (onChange === false) return { action: 'skip' };
  if (!last) return { action: 'record' };
  if (typeof value === 'number' && typeof last.value === 'number') {
    const moved = Math.abs(value - last.value);
    if (onChange.deadband !== undefined && moved < onChange.deadband) return { action: 'skip' };
    if (onChange.deadbandPercent !== undefined && moved < (Math.abs(last.value) * onChange.deadbandPercent) / 100)
      return { action: 'skip' };
  }
  const interval = onChange.minIntervalMs ?? 0;
  if (interval > 0 && t - last.t < interval) return { action: 'defer', at: last.t + interval };
  return { action: 'record' };
}

/** Sample times recently stored for one address by one logger (the window {@link placeTime} looks in). */
export interface RecentTimes {
  /** The latest time stored. */
  max: number;
  /** The last {@link RECENT_TIMES} times stored, in the order they were stored. */
  order: number[];
  set: Set<number>;
}

/** How many stored times per address and logger {@link placeTime} remembers. */
export const RECENT_TIMES = 64;

/**
 * The time a sample of source time `t` is stored at (one sample per millisecond and address: the
 * time is the key, so a batch sent twice is stored once), and remember it: `t` itself when that
 * millisecond is free, else the next free one after it. A value that arrives late (read before a
 * sample already stored, e.g. before the hub marked its address stale) keeps its own time; one
 * older than every remembered time goes 1 ms after the latest (its millisecond is unknown).
 */
export function placeTime(recent: RecentTimes, t: number): number {
  let at = t;
  if (recent.order.length > 0 && at <= recent.max) {
    if (at < Math.min(...recent.order)) at = recent.max + 1;
    else while (recent.set.has(at)) at++;
  }
  recent.max = Math.max(recent.max, at);
  recent.order.push(at);
  recent.set.add(at);
  if (recent.order.length > RECENT_TIMES) recent.set.delete(recent.order.shift()!);
  return at;
}
