import { defineConfig } from 'tsup';
import { driverBinConfig, driverLibConfig } from '../../scripts/build/driver-bin.tsup.mjs';

/**
 * serialport's JavaScript is bundled into the bin, with node-gyp-build; the file of
 * @serialport/bindings-cpp that loads the native binding (node-gyp-build from its own folder) is
 * replaced by the same call given that package's folder, found at run time (the package is a
 * dependency of this driver for that). Importing serialport unbundled cost the idle driver about
 * 5 MiB (CommonJS files loaded one by one through the ES module loader), and resolving its files
 * in pnpm's deep folders ran node's path code hot enough for V8's optimising compiler: 4 MiB more.
 */
const nativeBindingLoader = {
  name: 'serialport-native-binding-loader',
  setup(build: {
    onResolve(
      options: { filter: RegExp },
      callback: (args: {
        importer: string;
        resolveDir: string;
      }) => { path: string; namespace: string; pluginData: string } | undefined,
    ): void;
    onLoad(
      options: { filter: RegExp; namespace: string },
      callback: (args: { pluginData: string }) => { contents: string; resolveDir: string; loader: 'js' },
    ): void;
  }) {
    build.onResolve({ filter: /^\.\/serialport-bindings$/ }, ({ importer, resolveDir }) =>
      /[\\/]@serialport[\\/]bindings-cpp[\\/]/.test(importer)
        ? { path: 'serialport-bindings', namespace: 'serialport-native', pluginData: resolveDir }
        : undefined,
    );
    build.onLoad({ filter: /.*/, namespace: 'serialport-native' }, ({ pluginData }) => ({
      contents:
        "exports.binding = require('node-gyp-build')(require('node:path').dirname(require.resolve('@serialport/bindings-cpp/package.json')));",
      resolveDir: pluginData,
      loader: 'js',
    }));
  },
};

export default defineConfig([
  // schema: the `./schema` subpath the supervisor loads (no protocol library); index: the definition and schemas (ESM + CJS + types).
  driverLibConfig(),
  // bin: `weble-driver-serial` (a shebang file, the loader in scripts/build/driver-bin-loader.cjs) and the driver bundled into one file, `bin-main` with serialport's JavaScript (see nativeBindingLoader).
  ...driverBinConfig({ esbuildPlugins: [nativeBindingLoader] }),
]);
