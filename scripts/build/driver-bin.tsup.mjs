/**
 * The tsup configs of a driver (its library entries below, driverLibConfig) and of its bin (`dist/bin.js`, what the supervisor starts): one ES module
 * file with the driver, @weble/driver-kit, peers-core and their libraries bundled and tree-shaken,
 * so a driver process parses one file and loads only the code it uses (docs/memory.md has the
 * measurements). Packages with native bindings or files of their own stay external (`external`):
 * they are loaded from node_modules at run time through the `require` the banner defines.
 * Identifiers are kept (error types in log lines, stack traces); whitespace and syntax are minified.
 */
export function driverBinConfig({ external = [] } = {}) {
  // msgpackr's optional native string extractor: loaded from node_modules when it resolves there, else msgpackr decodes in JS.
  const externals = ['msgpackr-extract', ...external];
  // tsup bundles what `noExternal` matches before it looks at `external`: match all but these.
  const names = externals.map((name) => name.replace(/[.+?^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '[^/]+')).join('|');
  const bundled = new RegExp(`^(?!(?:${names})(?:/|$))`);
  return {
    entry: { bin: 'src/bin.ts' },
    format: ['esm'],
    target: 'node20',
    platform: 'node',
    sourcemap: true,
    clean: false,
    splitting: false,
    dts: false,
    noExternal: [bundled],
    external: externals,
    banner: { js: "import { createRequire as __webleCreateRequire } from 'node:module'; const require = __webleCreateRequire(import.meta.url);" },
    esbuildOptions(options) {
      options.minifyWhitespace = true;
      options.minifySyntax = true;
    },
  };
}

/**
 * The tsup config of a driver's library entries (ESM + CJS + types): `index` (the definition) and
 * `schema` (the `./schema` subpath the supervisor loads, without the protocol library), plus
 * `extra` entries (a simulator, test helpers) and which of them get types (`extraTypes`).
 */
export function driverLibConfig({ extra = {}, extraTypes = [] } = {}) {
  const entry = { index: 'src/index.ts', schema: 'src/schema.ts', ...extra };
  const typed = Object.fromEntries(Object.entries(entry).filter(([name]) => name === 'index' || name === 'schema' || extraTypes.includes(name)));
  return { entry, format: ['esm', 'cjs'], dts: { entry: typed }, sourcemap: true, clean: true, target: 'node20', platform: 'node' };
}
