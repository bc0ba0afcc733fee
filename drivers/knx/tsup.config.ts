import { defineConfig } from 'tsup';
import { driverBinConfig, driverLibConfig } from '../../scripts/build/driver-bin.tsup.mjs';

export default defineConfig([
  // schema: the `./schema` subpath the supervisor loads (no protocol library); index: the definition, schemas, codec and ETS import (ESM + CJS + types); testing: knxd and
  // knxtool as test counterparts (tests, cross-package tests, the benchmark).
  driverLibConfig({ entries: { testing: 'src/testing/index.ts' } }),
  // bin: `weble-driver-knx` (a shebang file, the loader in scripts/build/driver-bin-loader.cjs) and the driver bundled into one file, `bin-main`. knxultimate stays external (it loads serialport's native binding and winston).
  ...driverBinConfig({ external: ['knxultimate'] }),
]);
