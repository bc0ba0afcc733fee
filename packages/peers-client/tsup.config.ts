import { defineConfig } from 'tsup';

// The package main (readConnectSource); the bundle itself is built by scripts/build-connect.mjs.
export default defineConfig({
  entry: { index: 'src/index.ts' },
  format: ['esm', 'cjs'],
  dts: true,
  sourcemap: true,
  clean: true,
  shims: true,
  target: 'node20',
  platform: 'node',
});
