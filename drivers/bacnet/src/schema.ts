/**
 * `@weble/driver-bacnet/schema`: what the supervisor validates site.yaml with (schemas, what a
 * point says of itself, read periods), without the BACnet stack: names and classes of objects come
 * from enums.ts; only the driver's process loads @bacnet-js/client.
 */
import { defineDriverSchema } from '@weble/driver-kit';
import { wantsCov } from './cov-policy.js';
import { describePoint } from './point-info.js';
import { configSchema, pointSchema, valueSchemaOf } from './schemas.js';

export const schema = defineDriverSchema({
  type: 'bacnet',
  configSchema,
  pointSchema,
  valueSchema: (point) => valueSchemaOf(point),
  describe: (point) => describePoint(point),
  // Polled points every `intervalMs` (default `pollMs`); points served by COV only change on events.
  refreshMs: (point, config) => (wantsCov(point, config.cov.enabled) ? undefined : (point.intervalMs ?? config.pollMs)),
});
