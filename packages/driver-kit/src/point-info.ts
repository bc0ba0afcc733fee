/**
 * What is known of a point besides its value: whether it can be written, its limits, unit and
 * state texts, and whether a write can be released (BACnet relinquish). A driver says what its
 * point config implies ({@link DriverDefinition.describe}) and what it learnt from the device
 * (`ctx.describePoint`); site.yaml can say more. The supervisor merges them for `listAddresses`,
 * the UI, and its checks of writes.
 */

/** Metadata of a point. Every field is optional: absent means "not known". */
export interface PointInfo {
  /** Whether the point accepts writes (default true when nobody says otherwise). */
  writable?: boolean | undefined;
  /** Smallest value a write may set. */
  min?: number | undefined;
  /** Largest value a write may set. */
  max?: number | undefined;
  /** Step of the values a write may set (the UI's input step). */
  step?: number | undefined;
  /** Engineering unit (`°C`). */
  unit?: string | undefined;
  /**
   * Texts of the point's states by value: `{ "1": "Off", "2": "Heat" }` for a multi-state point,
   * `{ "false": "Stopped", "true": "Running" }` for a binary one.
   */
  states?: Record<string, string> | undefined;
  /** Writing `null` releases the point (BACnet: relinquish the write's priority slot). */
  relinquish?: boolean | undefined;
}

/** The event of the `driver` module that carries what the device said of a point: `(address, info)`. */
export const POINT_INFO_EVENT = 'pointInfo';

/** Later sources win, field by field; undefined fields do not erase earlier ones. Pure. */
export function mergePointInfo(...sources: ReadonlyArray<PointInfo | undefined>): PointInfo {
  const merged: PointInfo = {};
  for (const source of sources) {
    if (!source) continue;
    for (const [field, value] of Object.entries(source) as Array<[keyof PointInfo, unknown]>) {
      if (value !== undefined) (merged as Record<string, unknown>)[field] = value;
    }
  }
  return merged;
}
