/** The first value of a virtual point, without zod (the driver's body uses it; schemas.ts re-exports it). */
import type { VirtualPoint } from './schemas.js';

/** The value of a point before anything is written: `initial`, else 0, false, '' or null. */
export function initialValue(point: VirtualPoint): unknown {
  if (point.initial !== undefined) return structuredClone(point.initial);
  return { number: 0, boolean: false, string: '', json: null }[point.type];
}
