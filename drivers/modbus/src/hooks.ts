/**
 * What the Modbus driver says of its points without zod: its type, which points can be written,
 * how often each is read. Shared by `./schema` (the supervisor) and the driver's body (its
 * process, which loads the schemas only when it must validate: docs/memory.md).
 */
import type { DriverSchema } from '@weble/driver-kit';
import { isWritable } from './point-facts.js';
import type { ModbusConfig, ModbusPoint } from './schemas.js';

export const hooks = {
  type: 'modbus',
  describe: (point) => ({ writable: isWritable(point) }),
  // Every point is polled at its own `pollMs`, else the gateway's (the hub's staleness check).
  refreshMs: (point, config) => point.pollMs ?? config.pollMs,
} as const satisfies Pick<DriverSchema<ModbusConfig, ModbusPoint>, 'type' | 'describe' | 'refreshMs'>;
