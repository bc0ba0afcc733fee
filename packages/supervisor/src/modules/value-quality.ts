/**
 * Value quality on the hub: the four qualities, the `valueQuality <key|name|alias>` event the
 * `gateways` module emits when an address's quality changes, and the reason texts. The type is
 * the API's (`@weble/api`); the loggers import the list from here (through the package's exports).
 */

import type { Quality } from '@weble/api';
import { everyOf } from './every-of.js';

export type { Quality };

/** Every {@link Quality} (the API's type): `good`, `stale`, `bad`, `uncertain`. */
export const QUALITIES = everyOf<Quality>()(['good', 'stale', 'bad', 'uncertain']);

/** Whether `value` is one of {@link QUALITIES}. */
export function isQuality(value: unknown): value is Quality {
  return typeof value === 'string' && (QUALITIES as readonly string[]).includes(value);
}

/** Events of the `gateways` module about values (also on the hub's own emitter). */
export const ValueEvents = {
  /** `newValue <id>` with `(address, value, value_string, value_date, quality)`; seed code reads the first four. */
  newValue: (id: string): string => `newValue ${id}`,
  /** `valueQuality <id>` with `(address, quality, reason, value_date)`: the quality of an address changed. */
  valueQuality: (id: string): string => `valueQuality ${id}`,
} as const;

/** Why a gateway's values are stale: `gateway 1 (boiler) offline: driver process stopped`. */
export function staleReason(
  gateway: { id: unknown; name?: string | undefined },
  state: string,
  detail?: string,
): string {
  return `gateway ${String(gateway.id)}${gateway.name ? ` (${gateway.name})` : ''} ${state}${detail ? `: ${detail}` : ''}`;
}
