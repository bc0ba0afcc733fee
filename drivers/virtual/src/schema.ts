/**
 * `@weble/driver-virtual/schema`: what the supervisor validates site.yaml with (schemas, what a
 * point says of itself, which points move by themselves and how often).
 */
import { defineDriverSchema } from '@weble/driver-kit';
import { configSchema, pointSchema, valueSchemaOf } from './schemas.js';

export const schema = defineDriverSchema({
  type: 'virtual',
  configSchema,
  pointSchema,
  valueSchema: (point) => valueSchemaOf(point),
  // Simulated points move by themselves: they cannot be written.
  describe: (point) => ({
    writable: !((point.type === 'number' || point.type === 'boolean') && point.simulate !== undefined),
  }),
  pollMs: (config) => config.tickMs,
  isPolled: (point) => (point.type === 'number' || point.type === 'boolean') && point.simulate !== undefined,
});
