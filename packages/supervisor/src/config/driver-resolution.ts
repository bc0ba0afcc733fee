/**
 * Which package runs a gateway `type`, and where it is looked for: the site's own directory first
 * (the directory of site.yaml, as Node resolves from there: its node_modules and its parents'),
 * then the supervisor's own resolution. Without `package:` the names tried are
 * `@weble/driver-<type>`, then `weble-driver-<type>`; with `package:` (any scope) only that one.
 */
import { existsSync, readdirSync, realpathSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, parse, resolve } from 'node:path';

/** A place packages are resolved from: a directory and what it is, for messages. */
export interface ResolutionBase {
  readonly dir: string;
  readonly label: string;
  readonly require: NodeJS.Require;
}

/** A package found: its name, its directory and the require it was found with. */
export interface FoundPackage {
  readonly name: string;
  readonly dir: string;
  readonly base: ResolutionBase;
}

const SCOPE = '@weble';
const PREFIX = 'driver-';
const UNSCOPED_PREFIX = 'weble-driver-';
/** `@weble/driver-kit` is the kit, not a driver. */
const RESERVED = new Set(['kit']);

/**
 * An npm package name, scoped or not (`@acme/weble-driver-plc`, `weble-driver-x`): never a path,
 * so a gateway's `package:` cannot load a file from elsewhere on disk.
 */
export const PACKAGE_NAME = /^(?:@[a-z0-9][a-z0-9._~-]*\/)?[a-z0-9][a-z0-9._~-]*$/;

/** Whether `name` is a package name (see {@link PACKAGE_NAME}), at most 214 characters as npm allows. */
export function isPackageName(name: string): boolean {
  return name.length <= 214 && PACKAGE_NAME.test(name);
}

/** A resolution base rooted at `dir`. */
export function resolutionBase(dir: string, label: string): ResolutionBase {
  const absolute = resolve(dir);
  return { dir: absolute, label, require: createRequire(join(absolute, 'noop.js')) };
}

/** Whether `type` can name a driver at all (site.yaml's type pattern; not the kit). */
export function isDriverType(type: string): boolean {
  return !RESERVED.has(type) && /^[a-z0-9][a-z0-9._-]*$/.test(type);
}

/** The package names a gateway of `type` may be run by, in the order they are tried. */
export function candidateNames(type: string, pkg?: string): string[] {
  return pkg !== undefined ? [pkg] : [`${SCOPE}/${PREFIX}${type}`, `${UNSCOPED_PREFIX}${type}`];
}

/** The (real) directory of package `name` as `base` would resolve it (its package.json there), or undefined. */
export function findPackage(base: ResolutionBase, name: string): FoundPackage | undefined {
  for (const modules of base.require.resolve.paths(name) ?? []) {
    const dir = join(modules, name);
    if (existsSync(join(dir, 'package.json'))) return { name, dir: realpathSync(dir), base };
  }
  return undefined;
}

/** The first candidate found, base by base (the site's directory first). */
export function locateDriver(bases: readonly ResolutionBase[], type: string, pkg?: string): FoundPackage | undefined {
  for (const base of bases) {
    for (const name of candidateNames(type, pkg)) {
      const found = findPackage(base, name);
      if (found) return found;
    }
  }
  return undefined;
}

/** Where {@link locateDriver} looked, one line per base: `@weble/driver-x, weble-driver-x from /srv/site (the site directory)`. */
export function placesTried(bases: readonly ResolutionBase[], type: string, pkg?: string): string[] {
  const names = candidateNames(type, pkg).join(', ');
  return bases.map((base) => `${names} from ${base.dir} (${base.label})`);
}

/** Driver types installed as `@weble/driver-<type>` or `weble-driver-<type>` in `node_modules` of `dir` and its parents. */
export function installedTypes(dir: string): string[] {
  const types: string[] = [];
  const add = (entries: string[], prefix: string): void => {
    for (const entry of entries) {
      const type = entry.startsWith(prefix) ? entry.slice(prefix.length) : '';
      if (type !== '' && isDriverType(type)) types.push(type);
    }
  };
  for (let current = resolve(dir); ; current = dirname(current)) {
    add(readdirOrEmpty(join(current, 'node_modules', SCOPE)), PREFIX);
    add(readdirOrEmpty(join(current, 'node_modules')), UNSCOPED_PREFIX);
    if (current === parse(current).root) return types;
  }
}

function readdirOrEmpty(dir: string): string[] {
  try {
    return readdirSync(dir);
  } catch {
    return [];
  }
}
