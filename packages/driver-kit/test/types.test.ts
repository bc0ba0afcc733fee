/** Driver authors get full types from the built package, in ESM and in CommonJS (test/types/). */
import { execFileSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

describe('published types', () => {
  it('type-check ESM and CJS driver code against dist/, library types included', () => {
    const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');
    const project = fileURLToPath(new URL('./types/tsconfig.json', import.meta.url));
    let output = '';
    try {
      execFileSync(process.execPath, [tsc, '-p', project, '--skipLibCheck', 'false'], { encoding: 'utf8' });
    } catch (error) {
      output = String((error as { stdout?: string }).stdout ?? error);
    }
    expect(output).toBe('');
  }, 60_000);
});
