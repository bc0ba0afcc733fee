/**
 * `@weble/driver-knx/schema`: what the supervisor validates site.yaml with (schemas, the values a
 * datapoint type takes, what a point says of itself), without knxultimate or any socket code:
 * only the driver's process loads those.
 */
import { defineDriverSchema } from '@weble/driver-kit';
import * as z from 'zod';
import { checkValue } from './dpt/dpt-values.js';
import { dptInfo } from './dpt/dpt-info.js';
import { parseDpt } from './dpt/dpt-id.js';
import { configSchema, pointSchema, type KnxPoint } from './schemas.js';

/** Schema of values written to `point`: what its datapoint type takes (1 and 0 are booleans for DPT 1). */
export function valueSchemaOf(point: KnxPoint): z.ZodType<unknown> {
  const dpt = parseDpt(point.dpt);
  return z.unknown().transform((value, ctx) => {
    try {
      return checkValue(dpt, value);
    } catch (error) {
      ctx.addIssue({ code: 'custom', message: (error as Error).message });
      return z.NEVER;
    }
  });
}

export const schema = defineDriverSchema({
  type: 'knx',
  configSchema,
  pointSchema,
  valueSchema: (point) => valueSchemaOf(point),
  describe: (point) => ({ ...dptInfo(parseDpt(point.dpt)), writable: point.writable }),
});
