/**
 * The tsup config every package under packages/ builds with (drivers add their bin on top of it,
 * driver-bin.tsup.mjs): ES module and CommonJS files with source maps for Node 20, and type
 * declarations (`.d.ts` and `.d.cts`) for the entries a package exports. `programs` are entries
 * that are run, not imported (a CLI, a worker thread's file): built the same way, without types.
 * `import.meta.url` and `__dirname` work in both formats (tsup's shims; a file that uses neither is
 * built as without them). `clean: false` for a package that builds several configs into one dist/
 * (it empties dist/ itself first).
 *
 * @param {Record<string, string>} entries output name -> source file, e.g. `{ index: 'src/index.ts' }`
 * @param {{ programs?: Record<string, string>, clean?: boolean }} [options]
 * @returns {import('tsup').Options}
 */
export function packageConfig(entries, { programs = {}, clean = true } = {}) {
  return {
    entry: { ...entries, ...programs },
    format: ['esm', 'cjs'],
    dts: { entry: entries },
    sourcemap: true,
    clean,
    target: 'node20',
    platform: 'node',
    shims: true,
  };
}
