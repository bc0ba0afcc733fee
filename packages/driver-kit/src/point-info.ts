/**
 * What is known of a point besides its value: whether it can be written, its limits, unit and
 * state texts, and whether a write can be released (BACnet relinquish). A driver says what its
 * point config implies ({@link DriverDefinition.describe}) and what it learnt from the device
 * (`ctx.describePoint`); site.yaml can say more. The supervisor merges them for `listAddresses`,
 * the UI, and its checks of writes.
 */
import type { PointInfo } from '@weble/api';

/** Metadata of a point (declared once in `@weble/api`, the core modules' API). */
export type { PointInfo };

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
