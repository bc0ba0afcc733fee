/**
 * `@weble/driver-modbus/schema`: what the supervisor validates site.yaml with (schemas, what a
 * point says of itself, read periods), without modbus-serial: only the driver's process loads that.
 */
import { defineDriverSchema } from '@weble/driver-kit';
import { configSchema, isWritable, pointSchema } from './schemas.js';
import { valueSchemaOf } from './value-schema.js';

export const schema = defineDriverSchema({
  type: 'modbus',
  configSchema,
  pointSchema,
  valueSchema: (point) => valueSchemaOf(point),
  describe: (point) => ({ writable: isWritable(point) }),
  // Every point is polled at its own `pollMs`, else the gateway's (the hub's staleness check).
  refreshMs: (point, config) => point.pollMs ?? config.pollMs,
});
