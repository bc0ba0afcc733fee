/**
 * The options of `driver.discover`, checked without zod: the method runs in the driver's process,
 * which loads zod only when it must validate a configuration or a value (docs/memory.md). The
 * same rules as `discoverOptionsSchema` (schemas.ts, for other code; test/discover-options.test.ts
 * compares them): a strict object, instances 0..MAX_INSTANCE, `waitMs` 50..30 000 (default 2 000),
 * `objects` a boolean (default false); no options at all is `{}`.
 */
import { MAX_INSTANCE } from './object-refs.js';

/** Options of `driver.discover`, checked. */
export interface DiscoverOptions {
  /** Only this device (Who-Is with low = high limit). */
  instance?: number;
  lowLimit?: number;
  highLimit?: number;
  /** How long to listen for I-Am, ms. */
  waitMs: number;
  /** Also read each device's name and object list with the objects' names. */
  objects: boolean;
}

const INTEGERS = {
  instance: [0, MAX_INSTANCE],
  lowLimit: [0, MAX_INSTANCE],
  highLimit: [0, MAX_INSTANCE],
  waitMs: [50, 30_000],
} as const;

function integerProblem(value: unknown, [min, max]: readonly [number, number]): string | undefined {
  if (typeof value !== 'number' || Number.isNaN(value))
    return `expected number, received ${value === null ? 'null' : typeof value}`;
  if (!Number.isInteger(value)) return 'expected int, received number';
  if (value < min) return `Too small: expected number to be >=${min}`;
  if (value > max) return `Too big: expected number to be <=${max}`;
  return undefined;
}

/** The checked options, or a TypeError naming every problem (`driver.discover options: waitMs: ...`). */
export function parseDiscoverOptions(options: unknown): DiscoverOptions {
  const input = options === undefined ? {} : options;
  const problems: string[] = [];
  const parsed: DiscoverOptions = { waitMs: 2_000, objects: false };
  if (input === null || typeof input !== 'object' || Array.isArray(input)) {
    problems.push(
      `options: expected object, received ${input === null ? 'null' : Array.isArray(input) ? 'array' : typeof input}`,
    );
  } else {
    for (const [key, value] of Object.entries(input)) {
      if (value === undefined) continue;
      if (key in INTEGERS) {
        const problem = integerProblem(value, INTEGERS[key as keyof typeof INTEGERS]);
        if (problem) problems.push(`${key}: ${problem}`);
        else parsed[key as keyof typeof INTEGERS] = value as number;
      } else if (key === 'objects') {
        if (typeof value === 'boolean') parsed.objects = value;
        else problems.push(`objects: expected boolean, received ${value === null ? 'null' : typeof value}`);
      } else problems.push(`options: Unrecognized key: "${key}"`);
    }
  }
  if (problems.length > 0) throw new TypeError(`driver.discover options: ${problems.join('; ')}`);
  return parsed;
}
