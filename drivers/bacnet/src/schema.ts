/**
 * `@weble/driver-bacnet/schema`: what the supervisor validates site.yaml with (schemas, what a
 * point says of itself, read periods), without the BACnet stack: names and classes of objects come
 * from enums.ts; only the driver's process loads @bacnet-js/client.
 */
import { defineDriverSchema } from '@weble/driver-kit';
import { hooks } from './hooks.js';
import { configSchema, pointSchema, valueSchemaOf } from './schemas.js';

export const schema = defineDriverSchema({
  ...hooks,
  configSchema,
  pointSchema,
  valueSchema: (point) => valueSchemaOf(point),
});
