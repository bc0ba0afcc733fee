// The tsup presets of a driver: its bin (driverBinConfig) and its library entries (driverLibConfig,
// on the packages' preset in package.tsup.mjs).
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { packageConfig } from './package.tsup.mjs';

/** `<name>@<version>` of the driver package being built (tsup runs in its folder). */
function driverPackage() {
  const { name, version } = JSON.parse(readFileSync(join(process.cwd(), 'package.json'), 'utf8'));
  return `${name}@${version}`;
}

/**
 * The tsup configs of a driver's bin: `dist/bin.cjs`, what the supervisor starts, built from
 * driver-bin-loader.cjs (it sets V8 flags for a small long-lived process and reads the bundle in
 * pieces, docs/memory.md), and `dist/bin-main.cjs`, the driver itself: one CommonJS file with the
 * driver, @weble/driver-kit, peers-core and their libraries bundled and tree-shaken, so a driver
 * process parses one file and loads only the code it uses (docs/memory.md has the measurements: an
 * idle driver is 1.3 MiB smaller run from a CommonJS file than from the same bundle as an ES
 * module, which starts Node's ES module loader). Packages with native bindings or files of their
 * own stay external (`external`): they are required from node_modules at run time. Identifiers are
 * kept (error types in log lines, stack traces); whitespace and syntax are minified.
 * `import()` becomes `require` (esbuild's `dynamic-import` unsupported): the loader runs the bundle
 * as a `vm.Script` with V8's code cache, which cannot run an `import()` without a flag.
 * `esbuildPlugins` are given to the bundle's build. A driver with a `src/bin-schema.ts` (its
 * `schema` and driver-kit's `parseDriverConfig`) gets it bundled apart too, `dist/bin-schema.cjs`:
 * the bin loads it only when it must validate (`runBundledDriver`). `__WEBLE_DRIVER_PACKAGE__` is the package's
 * `<name>@<version>`: the identity driver-kit's `runBundledDriver` compares with the `validatedBy`
 * of the supervisor's config message (docs/memory.md, "Schemas on first need").
 *
 * @returns {import('tsup').Options[]} spread them into the driver's `defineConfig([...])`
 */
export function driverBinConfig({ external = [], esbuildPlugins = [] } = {}) {
  // msgpackr's optional native string extractor: loaded from node_modules when it resolves there, else msgpackr decodes in JS.
  const externals = ['msgpackr-extract', ...external];
  // tsup bundles what `noExternal` matches before it looks at `external`: match all but these.
  const names = externals.map((name) => name.replace(/[.+?^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '[^/]+')).join('|');
  const bundled = new RegExp(`^(?!(?:${names})(?:/|$))`);
  const common = { format: ['cjs'], target: 'node20', platform: 'node', clean: false, splitting: false, dts: false };
  const bundle = (entry) => ({
    ...common,
    entry,
    sourcemap: true,
    noExternal: [bundled],
    external: externals,
    esbuildPlugins,
    esbuildOptions(options) {
      options.minifyWhitespace = true;
      options.minifySyntax = true;
      options.supported = { ...options.supported, 'dynamic-import': false };
      options.define = { ...options.define, __WEBLE_DRIVER_PACKAGE__: JSON.stringify(driverPackage()) };
    },
  });
  return [
    { ...common, entry: { bin: fileURLToPath(new URL('./driver-bin-loader.cjs', import.meta.url)) } },
    bundle({ 'bin-main': 'src/bin.ts' }),
    // The driver's schemas with zod, apart: required on first need (driver-kit's runBundledDriver).
    ...(existsSync(join(process.cwd(), 'src/bin-schema.ts')) ? [bundle({ 'bin-schema': 'src/bin-schema.ts' })] : []),
  ];
}

/**
 * The tsup config of a driver's library entries, the packages' preset (package.tsup.mjs): `index`
 * (the definition) and `schema` (the `./schema` subpath the supervisor loads, without the protocol
 * library), plus the driver's other exported `entries` (test helpers: with types) and `programs`
 * (a simulator's command line: without types).
 */
export function driverLibConfig({ entries = {}, programs = {} } = {}) {
  return packageConfig({ index: 'src/index.ts', schema: 'src/schema.ts', ...entries }, { programs });
}
