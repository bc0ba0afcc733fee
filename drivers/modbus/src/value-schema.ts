/** The values a point accepts on write: checked before anything goes on the line (`DRIVER_BAD_VALUE`). */
import * as z from 'zod';
import type { ModbusPoint, ModbusValue } from './schemas.js';
import { toRaw } from './value-codec.js';

/** booleans for coils and register bits, Latin-1 text up to `length` for strings, numbers that fit the type after scale/offset. */
export function valueSchemaOf(point: ModbusPoint): z.ZodType<ModbusValue> {
  if (point.type === 'bool') return z.boolean();
  if (point.type === 'string') {
    return z
      .string()
      .max(point.length ?? 0)
      .refine((text) => /^[\x00-\xff]*$/.test(text), 'only Latin-1 characters fit in registers');
  }
  return z
    .number()
    .finite()
    .superRefine((value, ctx) => {
      const result = toRaw(point, value);
      if (!result.ok) ctx.addIssue({ code: 'custom', message: result.problem });
    });
}
