/**
 * The quality published with a value. Values carry no quality on the mesh yet: until they do,
 * every value the gateway reports is `good`. This is the one place that changes when they do.
 */

/** Qualities a value can have (docs/architecture.md, "Data that lasts"). */
export type Quality = 'good' | 'stale' | 'bad' | 'uncertain';

/** The quality of a value reported by `newValue` (its extra arguments, when the mesh carries one). */
export function qualityOf(_extra: readonly unknown[]): Quality {
  return 'good';
}
