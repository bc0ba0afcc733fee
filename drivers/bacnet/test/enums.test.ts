/**
 * src/enums.ts (what the schema subpath uses instead of the BACnet stack) is the library's
 * enumerations: regenerate it with `node scripts/write-enums.mjs` when this fails.
 */
import { describe, expect, it } from 'vitest';
import * as enums from '../src/enums.js';
// @ts-expect-error: a plain .mjs script without types
import { ENUMS, library, plain } from '../scripts/write-enums.mjs';

describe('BACnet enums copied from @bacnet-js/client', () => {
  it('has every enumeration the library has, with the same names and numbers', () => {
    const lib = library();
    for (const name of ENUMS as string[])
      expect((enums as Record<string, unknown>)[name], name).toEqual(plain(lib[name]));
  });
});
