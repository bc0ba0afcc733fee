import { defineConfig } from 'tsup';

export default defineConfig({
  // schema: the `./schema` subpath the supervisor loads (no protocol library);
  // index: the definition, schemas, codec and ETS import (ESM + CJS + types); bin: `weble-driver-knx`;
  // testing: knxd and knxtool as test counterparts (tests, cross-package tests, the benchmark).
  entry: { index: 'src/index.ts', bin: 'src/bin.ts', schema: 'src/schema.ts', testing: 'src/testing/index.ts' },
  format: ['esm', 'cjs'],
  dts: { entry: { index: 'src/index.ts', schema: 'src/schema.ts', testing: 'src/testing/index.ts' } },
  sourcemap: true,
  clean: true,
  target: 'node20',
  platform: 'node',
});
