/**
 * `@weble/driver-serial/schema`: what the supervisor validates site.yaml with (schemas, what a
 * point says of itself, read periods), without serialport: only the driver's process loads that.
 */
import { defineDriverSchema } from '@weble/driver-kit';
import { configSchema, pointSchema, valueSchemaOf } from './schemas.js';

export const schema = defineDriverSchema({
  type: 'serial',
  configSchema,
  pointSchema,
  describe: (point) => ({ writable: point.write !== undefined }),
  valueSchema: (point) => valueSchemaOf(point),
  // Points with a `poll` command are asked every `pollMs`; the others come unsolicited.
  refreshMs: (point, config) => (point.poll ? config.pollMs : undefined),
});
