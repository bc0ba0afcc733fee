/**
 * Two bundles, each on its own (no chunks shared between them): the main entry (`@weble/peers-core`,
 * with the Node transports) and `/core` (no transports: browser bundles bring their own).
 * `/federation` re-exports part of the main bundle (scripts/federation-entry.mjs). `/testing`: the
 * waiting helpers of the packages' tests (no import of the rest).
 */
import { defineConfig, type Options } from 'tsup';

const common: Options = { format: ['esm', 'cjs'], dts: true, sourcemap: true, target: 'node20', platform: 'node' };

export default defineConfig([
  { ...common, entry: { index: 'src/index.ts' } },
  { ...common, entry: { core: 'src/core.ts' } },
  { ...common, entry: { testing: 'src/testing.ts' } },
]);
