import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { KnxCode } from '../src/errors.js';

describe('error codes', () => {
  it('every KnxCode is documented in the README', () => {
    const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8');
    for (const code of Object.values(KnxCode)) expect(readme).toContain(`| \`${code}\` |`);
  });
});
