/**
 * The driver's bin is one bundled file (scripts/build/driver-bin.tsup.mjs) that carries only what a
 * driver process uses (docs/memory.md): importing peers-core's main entry anywhere on the kit's
 * path (instead of `@weble/peers-core/core`) would bring pino, the WebSocket server and federation
 * back into every driver, about 4 MiB of RSS each; any zod schema on the bin's static import path
 * (a schema built at a module's top level, a runtime helper imported from a schemas file) puts zod
 * back into it (3 MiB); importing zod's `z` through a re-export (driver-kit's `export { z }`)
 * instead of `import * as z from 'zod'` keeps all of zod with its 64 locales (about 450 KB). The bin that is started, `dist/bin.cjs`, is the loader of that file
 * (scripts/build/driver-bin-loader.cjs): V8's young generation kept small, the bundle read in pieces
 * under glibc's mmap threshold (2.5 MiB of a BACnet or serial driver), compiled with V8's code cache
 * when there is one (code-cache.test.ts). Checked on the built files.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

const bin = readFileSync(new URL('../dist/bin-main.cjs', import.meta.url), 'utf8');
const schemaBundle = readFileSync(new URL('../dist/bin-schema.cjs', import.meta.url), 'utf8');
const loader = readFileSync(new URL('../dist/bin.cjs', import.meta.url), 'utf8');

describe('the bundled driver bin', () => {
  it('has no pino, no WebSocket server and no federation in it', () => {
    const found = ['sonic-boom', 'pino-std-serializers', 'WebSocketServer', 'FederationServices'].filter((marker) =>
      bin.includes(marker),
    );
    expect(found).toEqual([]);
  });

  it('has no zod: the schemas are in bin-schema.cjs, required on first need (schemas-on-first-need.test.ts)', () => {
    const found = ['ZodType', '_zod', 'ZodObject'].filter((marker) => bin.includes(marker));
    expect(found).toEqual([]);
    expect(bin).toContain('bin-schema.cjs');
    expect(bin).toContain('"@weble/driver-virtual@'); // its identity (__WEBLE_DRIVER_PACKAGE__), for validatedBy
  });

  it('bundles zod apart with its English messages only, not its other locales (imported as a namespace, tree-shaken)', () => {
    expect(schemaBundle).toContain('ZodType');
    expect(schemaBundle).toContain('Invalid input');
    const locales = ['Ungültige Eingabe', 'Entrada inválida', 'Entrée invalide'].filter((marker) =>
      schemaBundle.includes(marker),
    );
    expect(locales).toEqual([]);
  });

  it('is one CommonJS file: no import or require of @weble packages at run time, no ES module syntax', () => {
    expect(bin).toMatch(/^#!\/usr\/bin\/env node\n"use strict";/);
    expect(bin).not.toMatch(/^import\s|^export\s/m);
    expect(bin).not.toMatch(/(?:from\s*|require\(\s*)["']@weble\//);
  });

  it('is started through its loader: the young-generation and compaction flags set first, then bin-main.cjs read in 64 KiB pieces and run as the main module', () => {
    expect(loader).toMatch(/^#!\/usr\/bin\/env node\n/);
    expect(loader.indexOf('--semi-space-growth-factor=1')).toBeGreaterThan(0);
    expect(loader.indexOf('--semi-space-growth-factor=1')).toBeLessThan(loader.indexOf('bin-main.cjs'));
    expect(loader).toMatch(/setFlagsFromString\(["']--compact-on-every-full-gc["']\)/);
    expect(loader.indexOf('--compact-on-every-full-gc')).toBeLessThan(loader.indexOf('bin-main.cjs'));
    expect(loader).toContain('64 * 1024');
    // Compiled as a vm.Script (with V8's code cache when WEBLE_CODE_CACHE_DIR is set), run with this module's require and module.
    expect(loader).toMatch(/new Script\(/);
    expect(loader).toMatch(/runInThisContext\(\)\.call\(module\.exports, module\.exports, require, module,/);
    expect(loader).not.toMatch(/readFileSync\([^)]*bin-main|require\(["'][^"']*bin-main/);
  });
});
