/**
 * What the virtual driver says of its points without zod: its type, which points can be written,
 * which move by themselves and how often. Shared by `./schema` (the supervisor) and the driver's
 * body (its process, which loads the schemas only when it must validate: docs/memory.md).
 */
import type { DriverSchema } from '@weble/driver-kit';
import type { VirtualConfig, VirtualPoint } from './schemas.js';

/** A point that moves by itself (a simulation): polled every tick, never written. */
function isSimulated(point: VirtualPoint): boolean {
  return (point.type === 'number' || point.type === 'boolean') && point.simulate !== undefined;
}

export const hooks = {
  type: 'virtual',
  // Simulated points move by themselves: they cannot be written.
  describe: (point) => ({ writable: !isSimulated(point) }),
  pollMs: (config) => config.tickMs,
  isPolled: (point) => isSimulated(point),
} as const satisfies Pick<DriverSchema<VirtualConfig, VirtualPoint>, 'type' | 'describe' | 'pollMs' | 'isPolled'>;
