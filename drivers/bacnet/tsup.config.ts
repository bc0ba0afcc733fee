import { defineConfig } from 'tsup';
import { driverBinConfig, driverLibConfig } from '../../scripts/build/driver-bin.tsup.mjs';

export default defineConfig([
  // schema: the `./schema` subpath the supervisor loads (no protocol library); index: the definition and schemas (ESM + CJS + types); sim: the simulated device's command line
  // (`node dist/sim.js`); testing: the simulated device as a library for tests and the demo.
  driverLibConfig({ entries: { testing: 'src/sim/device.ts' }, programs: { sim: 'src/sim/cli.ts' } }),
  // bin: `weble-driver-bacnet` (a shebang file, the loader in scripts/build/driver-bin-loader.cjs) and the driver bundled into one file, `bin-main`. iconv-lite stays external (a dependency of this package for that):
  // it loads its encodings and their tables (500 KB) on the first character string decoded, which bundled would be in every driver's memory.
  ...driverBinConfig({ external: ['iconv-lite'] }),
]);
