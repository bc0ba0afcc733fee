/**
 * The bundles: the main entry (`@weble/peers-core`, with the Node transports) and `/core` (no
 * transports: browser bundles bring their own) are built together, so that their ES module files
 * share chunks: a process that loads both (the supervisor: the main entry, and driver-kit's `/core`)
 * holds one copy of the core, not two (docs/memory.md). Their declarations are built one entry at
 * a time (scripts/cjs-factory.mjs reads dist/index.d.cts whole). `/errors` (the coded errors, no
 * imports: what a browser bundle may take without the mesh) is built with them, so its ES module
 * is the chunk the other two import: one `CodedError` class. `/federation` re-exports part of
 * the main bundle (scripts/federation-entry.mjs). `/testing`: the waiting helpers of the packages'
 * tests (no import of the rest). The build script empties dist/ before the configs build into it
 * side by side (so none of them cleans it).
 */
import { defineConfig } from 'tsup';
import { packageConfig } from '../../scripts/build/package.tsup.mjs';

const declarationsOnly = (entries: Record<string, string>) => ({
  ...packageConfig(entries, { clean: false }),
  dts: { entry: entries, only: true },
});

export default defineConfig([
  {
    ...packageConfig({ index: 'src/index.ts', core: 'src/core.ts', errors: 'src/errors.ts' }, { clean: false }),
    dts: false,
  },
  declarationsOnly({ index: 'src/index.ts' }),
  declarationsOnly({ core: 'src/core.ts' }),
  declarationsOnly({ errors: 'src/errors.ts' }),
  packageConfig({ testing: 'src/testing.ts' }, { clean: false }),
]);
