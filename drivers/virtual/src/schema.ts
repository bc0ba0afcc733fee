/**
 * `@weble/driver-virtual/schema`: what the supervisor validates site.yaml with (schemas, what a
 * point says of itself, which points move by themselves and how often).
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
