/**
 * What a Modbus point's config says of it, without zod: the registers it spans, whether it can be
 * written. Used by the schemas, the supervisor's hooks and the driver's process (which loads the
 * schemas only when it must validate: docs/memory.md); schemas.ts re-exports them.
 */
import type { ModbusPoint } from './schemas.js';

/** Registers (or bits, for coil/discrete) a point spans. */
export function registerCount(point: Pick<ModbusPoint, 'table' | 'type' | 'length'>): number {
  if (point.table === 'coil' || point.table === 'discrete') return 1;
  switch (point.type) {
    case 'bool':
    case 'int16':
    case 'uint16':
      return 1;
    case 'int32':
    case 'uint32':
    case 'float32':
      return 2;
    case 'int64':
    case 'uint64':
    case 'float64':
      return 4;
    case 'string':
      return Math.ceil((point.length ?? 2) / 2);
  }
}

/** Whether a point can be written (coils and holding registers). */
export function isWritable(point: Pick<ModbusPoint, 'table'>): boolean {
  return point.table === 'coil' || point.table === 'holding';
}
