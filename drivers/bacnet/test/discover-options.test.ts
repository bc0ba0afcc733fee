/**
 * `driver.discover`'s options are checked without zod in the driver's process (discover-options.ts:
 * the bin loads zod only when it must validate a configuration or a value, docs/memory.md). The
 * same rules as the exported `discoverOptionsSchema`: both are run on the same inputs.
 */
import { describe, expect, it } from 'vitest';
import { discoverOptionsSchema } from '../src/schemas.js';
import { parseDiscoverOptions } from '../src/discover-options.js';

const ACCEPTED: unknown[] = [
  undefined,
  {},
  { instance: 7 },
  { lowLimit: 0, highLimit: 4_194_302, waitMs: 50, objects: true },
  { waitMs: 30_000, objects: false },
  { instance: undefined, waitMs: 100 },
];
const REFUSED: Array<[unknown, string]> = [
  [null, 'options: expected object, received null'],
  [[], 'options: expected object, received array'],
  ['all', 'options: expected object, received string'],
  [{ waitMs: 10 }, 'waitMs: Too small: expected number to be >=50'],
  [{ waitMs: 60_000 }, 'waitMs: Too big: expected number to be <=30000'],
  [{ waitMs: 'soon' }, 'waitMs: expected number, received string'],
  [{ instance: 1.5 }, 'instance: expected int, received number'],
  [{ instance: -1 }, 'instance: Too small: expected number to be >=0'],
  [{ highLimit: 4_194_303 }, 'highLimit: Too big: expected number to be <=4194302'],
  [{ objects: 'yes' }, 'objects: expected boolean, received string'],
  [{ everything: true }, 'options: Unrecognized key: "everything"'],
];

describe('driver.discover options', () => {
  it.each(ACCEPTED)('accepts %j as discoverOptionsSchema does, defaults filled in', (options) => {
    expect(parseDiscoverOptions(options)).toEqual(discoverOptionsSchema.parse(options));
  });

  it.each(REFUSED)(
    'refuses %j, as discoverOptionsSchema does, with a TypeError naming the field',
    (options, problem) => {
      expect(discoverOptionsSchema.safeParse(options).success).toBe(false);
      expect(() => parseDiscoverOptions(options)).toThrow(new TypeError(`driver.discover options: ${problem}`));
    },
  );

  it('names every problem at once', () => {
    expect(() => parseDiscoverOptions({ waitMs: 1, objects: 1 })).toThrow(
      'driver.discover options: waitMs: Too small: expected number to be >=50; objects: expected boolean, received number',
    );
  });
});
