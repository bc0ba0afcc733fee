/**
 * The quality published with a value: the gateway's own, which `newValue` carries after the
 * seed's four arguments (and `listAddresses` in `last.quality`); `good` when a value has none.
 */

/** Qualities a value can have (docs/architecture.md, "Data that lasts"). */
export type Quality = 'good' | 'stale' | 'bad' | 'uncertain';

/** The quality of a value reported by `newValue` (its extra arguments, when the mesh carries one). */
export function qualityOf(extra: readonly unknown[]): Quality {
  const quality = extra[0];
  return typeof quality === 'string' && QUALITIES.has(quality) ? (quality as Quality) : 'good';
}

const QUALITIES: ReadonlySet<string> = new Set<Quality>(['good', 'stale', 'bad', 'uncertain']);
