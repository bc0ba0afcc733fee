/**
 * What the serial driver says of its points without zod: its type, which points can be written,
 * how often each is read. Shared by `./schema` (the supervisor) and the driver's body (its
 * process, which loads the schemas only when it must validate: docs/memory.md).
 */
import type { DriverSchema } from '@weble/driver-kit';
import type { SerialConfig, SerialPoint } from './schemas.js';

export const hooks = {
  type: 'serial',
  describe: (point) => ({ writable: point.write !== undefined }),
  // Points with a `poll` command are asked every `pollMs`; the others come unsolicited.
  refreshMs: (point, config) => (point.poll ? config.pollMs : undefined),
} as const satisfies Pick<DriverSchema<SerialConfig, SerialPoint>, 'type' | 'describe' | 'refreshMs'>;
