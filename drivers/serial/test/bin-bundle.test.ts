/**
 * The serial driver's bin carries serialport's JavaScript (tsup.config.ts, docs/memory.md): the
 * only file it asks node_modules for at run time is bindings-cpp's package.json, to find the
 * native prebuild. serialport imported unbundled, or its binding loader required from pnpm's
 * deep folders, cost each serial driver 5 to 9 MiB. Checked on the built bundle (`dist/bin-main.cjs`,
 * which `dist/bin.cjs` loads).
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

const bin = readFileSync(new URL('../dist/bin-main.cjs', import.meta.url), 'utf8');

describe('the bundled serial driver bin', () => {
  it('imports no serialport package at run time, and resolves only bindings-cpp for its native binding', () => {
    const runtimeImports = [
      ...bin.matchAll(
        /(?:from\s*|require(?:\.resolve)?\()["']((?:@serialport\/|serialport|node-gyp-build)[^"']*)["']/g,
      ),
    ].map((match) => match[1]);
    expect(runtimeImports).toEqual(['@serialport/bindings-cpp/package.json']);
  });
});
