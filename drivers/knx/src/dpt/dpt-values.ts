/**
 * What each datapoint type takes as a value, checked before encoding: numbers in range and
 * integral where the type is, booleans (also 0 and 1 for DPT 1, so `writeValue('4/7/25', 1)`
 * works), objects with their fields. A value outside is `KNX_BAD_VALUE`. Pure.
 */
import { KnxCode, KnxError, describeValueShort } from './dpt-errors.js';
import { DPT9_MAX, DPT9_MIN } from './dpt-float.js';
import { formatDpt, type DptId } from './dpt-id.js';

/** A decoded datapoint value. */
export type DptValue =
  | boolean
  | number
  | string
  | { control: boolean; value: boolean }
  | { increase: boolean; step: number }
  | { learn: boolean; scene: number }
  | { red: number; green: number; blue: number };

/** Integer ranges of the plain integer types. */
const INTEGER_RANGES: Readonly<Record<number, readonly [number, number]>> = {
  5: [0, 255],
  6: [-128, 127],
  7: [0, 65_535],
  8: [-32_768, 32_767],
  12: [0, 4_294_967_295],
  13: [-2_147_483_648, 2_147_483_647],
  17: [0, 63],
  20: [0, 255],
};

function fail(dpt: DptId, expected: string, value: unknown): never {
  throw new KnxError(KnxCode.BAD_VALUE, `DPT ${formatDpt(dpt)} expects ${expected}, got ${describeValueShort(value)}`);
}

function number(dpt: DptId, value: unknown, min: number, max: number, integer: boolean, what: string): number {
  if (
    typeof value !== 'number' ||
    !Number.isFinite(value) ||
    value < min ||
    value > max ||
    (integer && !Number.isInteger(value))
  ) {
    return fail(dpt, `${integer ? 'an integer' : 'a number'} ${min}..${max} (${what})`, value);
  }
  return value;
}

function record(dpt: DptId, value: unknown, fields: readonly string[], expected: string): Record<string, unknown> {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return fail(dpt, expected, value);
  const object = value as Record<string, unknown>;
  const extra = Object.keys(object).filter((key) => !fields.includes(key));
  if (extra.length > 0 || fields.some((field) => !(field in object))) return fail(dpt, expected, value);
  return object;
}

function flag(dpt: DptId, value: unknown, expected: string): boolean {
  return typeof value === 'boolean' ? value : fail(dpt, expected, value);
}

/** `input` as a value of `dpt` (canonical: 1 -> true for DPT 1), or `KNX_BAD_VALUE`. */
export function checkValue(dpt: DptId, input: unknown): DptValue {
  switch (dpt.main) {
    case 1:
      if (typeof input === 'boolean') return input;
      if (input === 0 || input === 1) return input === 1;
      return fail(dpt, 'a boolean (or 0/1)', input);
    case 2: {
      const expected = '{ control: boolean, value: boolean }';
      const v = record(dpt, input, ['control', 'value'], expected);
      return { control: flag(dpt, v.control, expected), value: flag(dpt, v.value, expected) };
    }
    case 3: {
      const expected = '{ increase: boolean, step: 0..7 } (step 0 stops)';
      const v = record(dpt, input, ['increase', 'step'], expected);
      return { increase: flag(dpt, v.increase, expected), step: number(dpt, v.step, 0, 7, true, 'step') };
    }
    case 5:
      if (dpt.sub === 1) return number(dpt, input, 0, 100, false, 'percent');
      if (dpt.sub === 3) return number(dpt, input, 0, 360, false, 'degrees');
      return number(dpt, input, 0, 255, true, 'unsigned byte');
    case 9:
      return number(dpt, input, DPT9_MIN, DPT9_MAX, false, '2-byte float');
    case 14:
      // ±3.4028235e38: the shortest decimal of the largest float32 (what decode gives back), a hair above it
      return number(dpt, input, -3.4028235e38, 3.4028235e38, false, 'float32');
    case 16: {
      if (typeof input !== 'string' || input.length > 14 || input.includes('\0'))
        return fail(dpt, 'a string of at most 14 characters', input);
      const ascii = dpt.sub !== 1;
      if ([...input].some((c) => c.charCodeAt(0) > (ascii ? 0x7f : 0xff)))
        return fail(dpt, ascii ? 'ASCII text (16.000)' : 'ISO 8859-1 text (16.001)', input);
      return input;
    }
    case 18: {
      const expected = '{ learn: boolean, scene: 0..63 }';
      const v = record(dpt, input, ['learn', 'scene'], expected);
      return { learn: flag(dpt, v.learn, expected), scene: number(dpt, v.scene, 0, 63, true, 'scene') };
    }
    case 232: {
      const expected = '{ red, green, blue } each 0..255';
      const v = record(dpt, input, ['red', 'green', 'blue'], expected);
      return {
        red: number(dpt, v.red, 0, 255, true, 'red'),
        green: number(dpt, v.green, 0, 255, true, 'green'),
        blue: number(dpt, v.blue, 0, 255, true, 'blue'),
      };
    }
    default: {
      const range = INTEGER_RANGES[dpt.main];
      if (!range) throw new KnxError(KnxCode.UNSUPPORTED_DPT, `datapoint type ${formatDpt(dpt)} is not supported`);
      return number(dpt, input, range[0], range[1], true, 'integer');
    }
  }
}
