/**
 * Loading a driver package's `./schema` subpath in the module system the supervisor runs in.
 * `weble-supervisor` runs as ES modules: had it `require`d the package's `require` build, that build
 * would bring its own CommonJS copy of zod, driver-kit, peers-core and msgpackr (1.6 MB of source,
 * about 6 MiB of RSS for a site of virtual drivers, docs/memory.md) next to the ES modules already
 * loaded. So the ES module build runs it: the `import` target of the subpath, still synchronously
 * (require(esm), Node >= 20.19; older Nodes and the CommonJS build of the supervisor load the
 * `require` target as before).
 */
import { readFileSync } from 'node:fs';
import { join, resolve, sep } from 'node:path';

/** The conditions an ES module import of a package matches, in Node's order of preference. */
const IMPORT_CONDITIONS = new Set(['node', 'import', 'module-sync', 'default']);

/**
 * Whether this module runs as an ES module: not from the CommonJS build (`.cjs`; tsup's shims give
 * both builds `__filename` and `import.meta.url`).
 */
function runsAsEsm(): boolean {
  return !import.meta.url.endsWith('.cjs');
}

/** The target an ES module import matches in an `exports` entry (a string, conditions, or a list), or undefined. */
export function importTarget(entry: unknown): string | undefined {
  if (typeof entry === 'string') return entry;
  if (Array.isArray(entry)) {
    for (const item of entry) {
      const target = importTarget(item);
      if (target !== undefined) return target;
    }
    return undefined;
  }
  if (entry === null || typeof entry !== 'object') return undefined;
  for (const [condition, value] of Object.entries(entry)) {
    if (!IMPORT_CONDITIONS.has(condition)) continue;
    const target = importTarget(value);
    if (target !== undefined) return target;
  }
  return undefined;
}

/**
 * The file an ES module import of `<package>/schema` loads, when the package's `exports` name one
 * inside the package (`./...`), and this supervisor can `require` an ES module; else undefined.
 */
export function esmSchemaFile(packageDir: string): string | undefined {
  if (!runsAsEsm() || process.features.require_module !== true) return undefined;
  let exports: unknown;
  try {
    exports = (JSON.parse(readFileSync(join(packageDir, 'package.json'), 'utf8')) as { exports?: unknown }).exports;
  } catch {
    return undefined;
  }
  if (exports === null || typeof exports !== 'object' || Array.isArray(exports)) return undefined;
  const target = importTarget((exports as Record<string, unknown>)['./schema']);
  if (target === undefined || !target.startsWith('./')) return undefined;
  const file = resolve(packageDir, target);
  return file.startsWith(packageDir + sep) ? file : undefined;
}

/**
 * The `./schema` module of the package in `packageDir`: its ES module build when there is one
 * (sharing the supervisor's zod and driver-kit), else `requireFile` (the `require` target).
 */
export function loadSchemaModule(require: NodeJS.Require, packageDir: string, requireFile: string): unknown {
  const esm = esmSchemaFile(packageDir);
  if (esm !== undefined && esm !== requireFile) {
    try {
      return require(esm);
    } catch (error) {
      // An ES module require cannot run (top-level await): the `require` build still can.
      const code = (error as { code?: unknown }).code;
      if (code !== 'ERR_REQUIRE_ASYNC_MODULE' && code !== 'ERR_REQUIRE_ESM') throw error;
    }
  }
  return require(requireFile);
}
