import { defineConfig } from 'tsup';
import { driverBinConfig, driverLibConfig } from '../../scripts/build/driver-bin.tsup.mjs';

export default defineConfig([
  // schema: the `./schema` subpath the supervisor loads (no protocol library); index: the definition and schemas (ESM + CJS + types).
  driverLibConfig(),
  // bin: `weble-driver-modbus` (a shebang file, the loader in scripts/build/driver-bin-loader.cjs) and the driver bundled into one file, `bin-main` with modbus-serial. serialport stays external (native binding; a
  // dependency of this package so that the bundled modbus-serial finds it): patched modbus-serial loads it only for a serial line (RTU).
  ...driverBinConfig({ external: ['serialport', '@serialport/*'] }),
]);
