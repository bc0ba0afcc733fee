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
export function recordDecision(onChange: LoggerDefinition['onChange'], last: Recorded | undefined, value: unknown, t: number): RecordDecision {
  if (onChange === false) return { action: 'skip' };
  if (!last) return { action: 'record' };
  if (typeof value === 'number' && typeof last.value === 'number') {
    const moved = Math.abs(value - last.value);
    if (onChange.deadband !== undefined && moved < onChange.deadband) return { action: 'skip' };
    if (onChange.deadbandPercent !== undefined && moved < (Math.abs(last.value) * onChange.deadbandPercent) / 100) return { action: 'skip' };
  }
  const interval = onChange.minIntervalMs ?? 0;
  if (interval > 0 && t - last.t < interval) return { action: 'defer', at: last.t + interval };
  return { action: 'record' };
}
