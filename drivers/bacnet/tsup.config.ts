import { defineConfig } from 'tsup';
import { driverBinConfig, driverLibConfig } from '../../scripts/build/driver-bin.tsup.mjs';

/**
 * @bacnet-js/client's `debug` loggers, made by `debug` (with its `tty`, `os` and supports-color)
 * only when `DEBUG` is set when the driver starts; otherwise they are functions that do nothing.
 * The real `debug` stays in the bin, run on first use. 0.3 MiB of every BACnet driver (docs/memory.md).
 */
const lazyDebug = {
  name: 'bacnet-lazy-debug',
  setup(build: {
    onResolve(
      options: { filter: RegExp },
      callback: (args: {
        resolveDir: string;
        pluginData?: unknown;
      }) => { path: string; namespace: string; pluginData: string } | undefined,
    ): void;
    onLoad(
      options: { filter: RegExp; namespace: string },
      callback: (args: { pluginData: string }) => {
        contents: string;
        resolveDir: string;
        loader: 'js';
        pluginData: string;
      },
    ): void;
  }) {
    build.onResolve({ filter: /^debug$/ }, ({ resolveDir, pluginData }) =>
      pluginData === 'real debug' ? undefined : { path: 'debug', namespace: 'lazy-debug', pluginData: resolveDir },
    );
    build.onLoad({ filter: /.*/, namespace: 'lazy-debug' }, ({ pluginData }) => ({
      contents: [
        'const off = Object.assign(() => {}, { enabled: false, extend: () => off });',
        "module.exports = (namespace) => (process.env.DEBUG ? require('debug')(namespace) : off);",
        'module.exports.default = module.exports;',
      ].join('\n'),
      resolveDir: pluginData,
      loader: 'js',
      pluginData: 'real debug',
    }));
  },
};

export default defineConfig([
  // schema: the `./schema` subpath the supervisor loads (no protocol library); index: the definition and schemas (ESM + CJS + types); sim: the simulated device's command line
  // (`node dist/sim.js`); testing: the simulated device as a library for tests and the demo.
  driverLibConfig({ entries: { testing: 'src/sim/device.ts' }, programs: { sim: 'src/sim/cli.ts' } }),
  // bin: `weble-driver-bacnet` (a shebang file, the loader in scripts/build/driver-bin-loader.cjs) and the driver bundled into one file, `bin-main`. iconv-lite stays external (a dependency of this package for that):
  // it loads its encodings and their tables (500 KB) on the first character string decoded, which bundled would be in every driver's memory.
  ...driverBinConfig({ external: ['iconv-lite'], esbuildPlugins: [lazyDebug] }),
]);
