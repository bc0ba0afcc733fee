/**
 * Types only: the declarations (ESM and CJS) are the package; the JavaScript entries tsup writes
 * beside them are empty modules, so an import of `@weble/api` loads nothing at run time.
 */
import { defineConfig } from 'tsup';

export default defineConfig({
  entry: ['src/index.ts'],
  format: ['esm', 'cjs'],
  dts: true,
  clean: true,
  target: 'node20',
  platform: 'node',
});
