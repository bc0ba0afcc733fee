import { defineConfig } from 'tsup';
import { driverBinConfig } from '../../scripts/build/driver-bin.tsup.mjs';

export default defineConfig([
  {
    // index: the definition and schemas (ESM + CJS + types).
    entry: ['src/index.ts'],
    format: ['esm', 'cjs'],
    dts: { entry: 'src/index.ts' },
    sourcemap: true,
    clean: true,
    target: 'node20',
    platform: 'node',
  },
  // bin: `weble-driver-modbus` (a shebang file), bundled into one file. modbus-serial stays external: it finds its optional serialport (RTU) from its own folder.
  driverBinConfig({ external: ['modbus-serial'] }),
]);
