/**
 * Two bundles, each on its own (no chunks shared between them): the main entry (`@weble/peers-core`,
 * with the Node transports) and `/core` (no transports: browser bundles bring their own).
 * `/federation` re-exports part of the main bundle (scripts/federation-entry.mjs). `/testing`: the
 * waiting helpers of the packages' tests (no import of the rest). The build script empties dist/
 * before the three configs build into it side by side (so none of them cleans it).
 */
import { defineConfig } from 'tsup';
import { packageConfig } from '../../scripts/build/package.tsup.mjs';

export default defineConfig([
  packageConfig({ index: 'src/index.ts' }, { clean: false }),
  packageConfig({ core: 'src/core.ts' }, { clean: false }),
  packageConfig({ testing: 'src/testing.ts' }, { clean: false }),
]);
