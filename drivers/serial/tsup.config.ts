import { defineConfig } from 'tsup';

export default defineConfig({
  // index: the definition and schemas (ESM + CJS + types); bin: `weble-driver-serial` (a shebang file).
  entry: ['src/index.ts', 'src/bin.ts'],
  format: ['esm', 'cjs'],
  dts: { entry: 'src/index.ts' },
  sourcemap: true,
  clean: true,
  target: 'node20',
  platform: 'node',
});
