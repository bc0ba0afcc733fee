import { defineConfig } from 'tsup';

export default defineConfig({
  // index: the definition, schemas, codec and ETS import (ESM + CJS + types); bin: `weble-driver-knx`.
  entry: { index: 'src/index.ts', bin: 'src/bin.ts' },
  format: ['esm', 'cjs'],
  dts: { entry: { index: 'src/index.ts' } },
  sourcemap: true,
  clean: true,
  target: 'node20',
  platform: 'node',
});
