import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { NorthboundCode } from '../src/errors.js';

describe('error codes', () => {
  it('every code is documented in the package README and in docs/northbound.md', () => {
    for (const file of ['../README.md', '../../../docs/northbound.md']) {
      const text = readFileSync(new URL(file, import.meta.url), 'utf8');
      const missing = Object.values(NorthboundCode).filter((code) => !text.includes(`\`${code}\``));
      expect({ file, missing }).toEqual({ file, missing: [] });
    }
  });
});
