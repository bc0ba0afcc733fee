import { defineConfig } from 'tsup';
import { driverBinConfig, driverLibConfig } from '../../scripts/build/driver-bin.tsup.mjs';

/**
 * serialport's JavaScript is bundled into the bin; only the file of @serialport/bindings-cpp that
 * loads the native binding (node-gyp-build finds the prebuild from that file's own folder) stays
 * a file of node_modules, required at run time. Importing serialport unbundled cost the idle
 * driver about 12 MiB (CommonJS files loaded one by one through the ES module loader).
 */
const nativeBindingLoader = {
  name: 'serialport-native-binding-loader',
  setup(build: { onResolve(options: { filter: RegExp }, callback: (args: { importer: string }) => { path: string; external: boolean } | undefined): void }) {
    build.onResolve({ filter: /^\.\/serialport-bindings$/ }, ({ importer }) =>
      /[\\/]@serialport[\\/]bindings-cpp[\\/]/.test(importer) ? { path: '@serialport/bindings-cpp/dist/serialport-bindings.js', external: true } : undefined,
    );
  },
};

export default defineConfig([
  // schema: the `./schema` subpath the supervisor loads (no protocol library); index: the definition and schemas (ESM + CJS + types).
  driverLibConfig(),
  // bin: `weble-driver-serial` (a shebang file), bundled into one file with serialport's JavaScript (see nativeBindingLoader).
  { ...driverBinConfig(), esbuildPlugins: [nativeBindingLoader] },
]);
