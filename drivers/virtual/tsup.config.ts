import { defineConfig } from 'tsup';

export default defineConfig({
  // schema: the `./schema` subpath the supervisor loads (no protocol library);
  // index: the definition and schemas (ESM + CJS + types); bin: `weble-driver-virtual` (a shebang file).
  entry: { index: 'src/index.ts', bin: 'src/bin.ts', schema: 'src/schema.ts' },
  format: ['esm', 'cjs'],
  dts: { entry: { index: 'src/index.ts', schema: 'src/schema.ts' } },
  sourcemap: true,
  clean: true,
  target: 'node20',
  platform: 'node',
});
