/**
 * Whether an alarm's condition holds for a value (pure, on the value hot path: a few comparisons,
 * no allocation). High and low limits have hysteresis: once engaged (active, or waiting out its
 * on-delay) a high alarm holds until the value is at or below `limit - hysteresis`.
 */
import type { Quality } from '../modules/value-quality.js';
import type { AlarmDefinition } from './schema.js';

/** `true`: the condition holds; `false`: it does not; `undefined`: this value says nothing (not a number for a limit). */
export type Verdict = boolean | undefined;

/** Whether `value` equals the alarm state `state` (booleans: numbers count as non-zero = true). */
export function matchesState(value: unknown, state: boolean | number | string): boolean {
  if (typeof state === 'boolean') {
    if (typeof value === 'boolean') return value === state;
    if (typeof value === 'number') return (value !== 0) === state;
    if (typeof value === 'string') return value === String(state);
    return false;
  }
  if (typeof state === 'number') return typeof value === 'number' ? value === state : String(value) === String(state);
  return String(value) === state;
}

/** The verdict of `alarm` on `value` with `quality`; `engaged` when it is active or waiting out its delay. */
export function evaluate(alarm: AlarmDefinition, value: unknown, quality: Quality, engaged: boolean): Verdict {
  switch (alarm.kind) {
    case 'commLoss':
      return quality !== 'good';
    case 'state':
      return matchesState(value, alarm.equals ?? true);
    case 'high': {
      if (typeof value !== 'number' || !Number.isFinite(value)) return undefined;
      return engaged ? value > alarm.limit! - (alarm.hysteresis ?? 0) : value > alarm.limit!;
    }
    case 'low': {
      if (typeof value !== 'number' || !Number.isFinite(value)) return undefined;
      return engaged ? value < alarm.limit! + (alarm.hysteresis ?? 0) : value < alarm.limit!;
    }
  }
}

/** The message of an alarm: its own, or one made from the address and the condition. */
export function messageOf(alarm: AlarmDefinition): string {
  if (alarm.message) return alarm.message;
  switch (alarm.kind) {
    case 'high':
      return `${alarm.address} above ${alarm.limit}`;
    case 'low':
      return `${alarm.address} below ${alarm.limit}`;
    case 'state':
      return `${alarm.address} is ${String(alarm.equals ?? true)}`;
    case 'commLoss':
      return `${alarm.address}: communication lost`;
  }
}
