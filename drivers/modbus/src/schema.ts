/**
 * `@weble/driver-modbus/schema`: what the supervisor validates site.yaml with (schemas, what a
 * point says of itself, read periods), without modbus-serial: only the driver's process loads that.
 */
import { defineDriverSchema } from '@weble/driver-kit';
import { hooks } from './hooks.js';
import { configSchema, pointSchema } from './schemas.js';
import { valueSchemaOf } from './value-schema.js';

export const schema = defineDriverSchema({
  ...hooks,
  configSchema,
  pointSchema,
  valueSchema: (point) => valueSchemaOf(point),
});
