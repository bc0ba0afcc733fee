/**
 * The four states of an alarm and how raise, clear and acknowledge move between them (pure):
 *
 * ```
 * cleared --raise--> active-unacknowledged --ack--> active-acknowledged
 *    ^                    |  ^ raise                     |
 *    |                  clear |                        clear
 *    |                    v  |                           |
 *    +--ack-- cleared-unacknowledged        cleared <----+
 * ```
 * A raise while cleared-unacknowledged is a new occurrence (still unacknowledged).
 */
import type { AlarmState } from './contract.js';

/** Whether the alarm's condition is active in `state`. */
export function isActive(state: AlarmState): boolean {
  return state === 'active-unacknowledged' || state === 'active-acknowledged';
}

/** Whether `state` waits for an acknowledgement. */
export function needsAck(state: AlarmState): boolean {
  return state === 'active-unacknowledged' || state === 'cleared-unacknowledged';
}

/** The state after a raise (undefined: no change, it is active already). */
export function raised(state: AlarmState): AlarmState | undefined {
  return isActive(state) ? undefined : 'active-unacknowledged';
}

/** The state after a clear (undefined: no change, it is not active). */
export function cleared(state: AlarmState): AlarmState | undefined {
  if (state === 'active-unacknowledged') return 'cleared-unacknowledged';
  if (state === 'active-acknowledged') return 'cleared';
  return undefined;
}

/** The state after an acknowledgement (undefined: nothing to acknowledge). */
export function acknowledged(state: AlarmState): AlarmState | undefined {
  if (state === 'active-unacknowledged') return 'active-acknowledged';
  if (state === 'cleared-unacknowledged') return 'cleared';
  return undefined;
}
