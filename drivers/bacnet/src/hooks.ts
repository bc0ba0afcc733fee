/**
 * What the BACnet driver says of its points without zod: its type, what a point's config says of
 * it, how often it is read. Shared by `./schema` (the supervisor) and the driver's body (its
 * process, which loads the schemas only when it must validate: docs/memory.md).
 */
import type { DriverSchema } from '@weble/driver-kit';
import { wantsCov } from './cov-policy.js';
import { describePoint } from './point-info.js';
import type { BacnetConfig, BacnetPoint } from './schemas.js';

export const hooks = {
  type: 'bacnet',
  describe: (point) => describePoint(point),
  // Polled points every `intervalMs` (default `pollMs`); points served by COV only change on events.
  refreshMs: (point, config) => (wantsCov(point, config.cov.enabled) ? undefined : (point.intervalMs ?? config.pollMs)),
} as const satisfies Pick<DriverSchema<BacnetConfig, BacnetPoint>, 'type' | 'describe' | 'refreshMs'>;
