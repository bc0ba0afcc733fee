import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { Code } from '../src/errors.js';

describe('error codes', () => {
  it('every code is documented in the package README', () => {
    const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8');
    const missing = Object.values(Code).filter((code) => !readme.includes(`| \`${code}\` |`));
    expect(missing).toEqual([]);
  });
});
