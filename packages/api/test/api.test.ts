/**
 * @weble/api is types only: the built entries export nothing at run time (importing it loads no
 * code), and its declarations type callers and servers of the core modules, ESM and CommonJS.
 */
import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const require = createRequire(import.meta.url);

describe('@weble/api', () => {
  it('exports nothing at run time, from import and from require', async () => {
    expect(Object.keys(await import('@weble/api'))).toEqual([]);
    expect(Object.keys(require('@weble/api') as object)).toEqual([]);
  });

  it('types a caller and a server of the core modules against dist/ (ESM and CJS)', () => {
    const project = fileURLToPath(new URL('./types/tsconfig.json', import.meta.url));
    const run = spawnSync(process.execPath, [require.resolve('typescript/bin/tsc'), '-p', project], {
      encoding: 'utf8',
    });
    expect({ output: run.stdout + run.stderr, status: run.status }).toEqual({ output: '', status: 0 });
  }, 60_000);
});
