import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { DriverCode } from '../src/errors.js';

describe('error codes', () => {
  it('every code is documented in the package README and in docs/driver-contract.md', () => {
    for (const file of ['../README.md', '../../../docs/driver-contract.md']) {
      const text = readFileSync(new URL(file, import.meta.url), 'utf8');
      const missing = Object.values(DriverCode).filter((code) => !text.includes(`\`${code}\``));
      expect({ file, missing }).toEqual({ file, missing: [] });
    }
  });
});
