/**
 * Where driver types come from. A gateway of type `modbus` is run by the package
 * `@weble/driver-modbus`: its main export's `definition` gives the schemas site.yaml is checked
 * with, its package.json `bin` the script the supervisor starts. Drivers bundled with the
 * supervisor are found from this package; third-party drivers from the site directory (an
 * `npm install @weble/driver-x` next to site.yaml).
 */
import { readFileSync, readdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, parse, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { refreshPeriod, type PointInfo } from '@weble/driver-kit';
import type { z } from 'zod';
import { ConfigCode, ConfigError } from './errors.js';

/** What the supervisor needs of a driver type. */
export interface DriverInfo {
  readonly type: string;
  /** Schema of `gateways[].config`. */
  readonly configSchema: z.ZodType;
  /** Schema of `addresses[].point`. */
  readonly pointSchema: z.ZodType;
  /** Absolute path of the driver's bin script (a `.js` run with node). */
  readonly bin: string;
  /** What a point's config says of it (writable, state texts...): the definition's `describe`. */
  readonly describe?: (point: unknown) => PointInfo;
  /** How often the driver reads a point (parsed point and gateway config), ms; undefined: not periodically. */
  readonly refreshMs?: (point: unknown, config: unknown) => number | undefined;
}

/** The driver types a site can use. */
export interface DriverCatalog {
  /** The driver of `type`, or undefined when there is none. May throw a `ConfigError` when a package exists but is broken. */
  get(type: string): DriverInfo | undefined;
  /** Every known type, sorted (for messages). */
  types(): string[];
}

/** A catalog of fixed drivers (tests, embedding). */
export function staticDriverCatalog(drivers: Iterable<DriverInfo>): DriverCatalog {
  const byType = new Map<string, DriverInfo>();
  for (const driver of drivers) byType.set(driver.type, driver);
  return { get: (type) => byType.get(type), types: () => [...byType.keys()].sort() };
}

const SCOPE = '@weble';
const PREFIX = 'driver-';
/** `@weble/driver-kit` is the kit, not a driver. */
const RESERVED = new Set(['kit']);

/** This module's file, in the ESM and the CJS build alike. */
function thisFile(): string {
  return typeof __filename === 'string' ? __filename : fileURLToPath(import.meta.url);
}

interface PackageJson {
  name?: unknown;
  bin?: unknown;
}

function readPackageJson(file: string): PackageJson {
  return JSON.parse(readFileSync(file, 'utf8')) as PackageJson;
}

/** The package.json of `name`: through its exports, else by walking up from its main file. */
function packageJsonOf(req: NodeJS.Require, name: string, main: string): string {
  try {
    return req.resolve(`${name}/package.json`);
  } catch {
    for (let dir = dirname(main); dir !== parse(dir).root; dir = dirname(dir)) {
      const file = join(dir, 'package.json');
      try {
        if (readPackageJson(file).name === name) return file;
      } catch {
        // no package.json here: keep walking up
      }
    }
    throw new ConfigError(ConfigCode.DRIVER_INVALID, `${name}: package.json not found`);
  }
}

/** The bin script named in package.json: a string, `weble-driver-<type>`, or the only entry. */
function binOf(pkg: PackageJson, packageFile: string, name: string, type: string): string {
  const bin = pkg.bin;
  let relative: unknown = bin;
  if (bin !== null && typeof bin === 'object') {
    const entries = Object.entries(bin as Record<string, unknown>);
    relative = (bin as Record<string, unknown>)[`weble-driver-${type}`] ?? (entries.length === 1 ? entries[0]?.[1] : undefined);
  }
  if (typeof relative !== 'string' || relative === '') {
    throw new ConfigError(ConfigCode.DRIVER_INVALID, `${name}: package.json has no bin (expected "bin": "./dist/bin.js" or { "weble-driver-${type}": ... })`);
  }
  return resolve(dirname(packageFile), relative);
}

function hasSafeParse(value: unknown): value is z.ZodType {
  return value !== null && typeof value === 'object' && typeof (value as { safeParse?: unknown }).safeParse === 'function';
}

/** Load `@weble/driver-<type>` through `req`; undefined when `req` cannot find it. */
function loadDriver(req: NodeJS.Require, type: string): DriverInfo | undefined {
  const name = `${SCOPE}/${PREFIX}${type}`;
  let main: string;
  try {
    main = req.resolve(name);
  } catch {
    return undefined;
  }
  let exported: { definition?: unknown; default?: { definition?: unknown } };
  try {
    // Synchronous on purpose (the catalog is): the `require` build of the driver, or require(esm) on Node >= 20.19.
    exported = req(main) as typeof exported;
  } catch (error) {
    throw new ConfigError(ConfigCode.DRIVER_LOAD_FAILED, `${name} failed to load: ${(error as Error).message}`, { cause: error });
  }
  const definition = (exported.definition ?? exported.default?.definition) as
    | { type?: unknown; configSchema?: unknown; pointSchema?: unknown; [hook: string]: unknown }
    | undefined;
  if (!definition || definition.type !== type || !hasSafeParse(definition.configSchema) || !hasSafeParse(definition.pointSchema)) {
    throw new ConfigError(
      ConfigCode.DRIVER_INVALID,
      `${name} does not export a driver definition of type "${type}" with configSchema and pointSchema`,
    );
  }
  const packageFile = packageJsonOf(req, name, main);
  const bin = binOf(readPackageJson(packageFile), packageFile, name, type);
  const describe = typeof definition.describe === 'function' ? (definition.describe.bind(definition) as (point: unknown) => PointInfo) : undefined;
  return { type, configSchema: definition.configSchema, pointSchema: definition.pointSchema, bin, refreshMs: refreshOf(definition), ...(describe ? { describe } : {}) };
}

/** The definition's read period of a point (driver-kit's {@link refreshPeriod}); a broken hook gives none. */
function refreshOf(definition: Record<string, unknown>): (point: unknown, config: unknown) => number | undefined {
  const hook = (name: string): any => (typeof definition[name] === 'function' ? (definition[name] as (...a: unknown[]) => unknown).bind(definition) : undefined); // eslint-disable-line @typescript-eslint/no-explicit-any
  const periods = { refreshMs: hook('refreshMs'), poll: hook('poll'), pollMs: hook('pollMs'), isPolled: hook('isPolled') };
  return (point, config) => {
    try {
      const ms = refreshPeriod(periods, point, config);
      return typeof ms === 'number' && Number.isFinite(ms) && ms > 0 ? ms : undefined;
    } catch {
      return undefined;
    }
  };
}

/** Driver types installed in `node_modules/@weble` of `dir` and its parents. */
function installedTypes(dir: string): string[] {
  const types: string[] = [];
  for (let current = resolve(dir); ; current = dirname(current)) {
    try {
      for (const entry of readdirSync(join(current, 'node_modules', SCOPE))) {
        const type = entry.startsWith(PREFIX) ? entry.slice(PREFIX.length) : '';
        if (type !== '' && !RESERVED.has(type)) types.push(type);
      }
    } catch {
      // no node_modules/@weble here
    }
    if (current === parse(current).root) return types;
  }
}

/**
 * Drivers resolved as packages `@weble/driver-<type>`: first from the supervisor package, then
 * from `fromDir` (the site directory, for third-party drivers). Each type is loaded once.
 * `get` throws `CONFIG_DRIVER_LOAD_FAILED` or `CONFIG_DRIVER_INVALID` for a broken package.
 */
export function defaultDriverCatalog(fromDir?: string): DriverCatalog {
  const bases = [dirname(thisFile()), ...(fromDir === undefined ? [] : [resolve(fromDir)])];
  const requires = bases.map((dir) => createRequire(join(dir, 'noop.js')));
  const loaded = new Map<string, { info: DriverInfo | undefined } | { error: unknown }>();
  const load = (type: string): DriverInfo | undefined => {
    for (const req of requires) {
      const info = loadDriver(req, type);
      if (info) return info;
    }
    return undefined;
  };
  return {
    get(type) {
      if (RESERVED.has(type) || !/^[a-z0-9][a-z0-9._-]*$/.test(type)) return undefined;
      let entry = loaded.get(type);
      if (!entry) {
        try {
          entry = { info: load(type) };
        } catch (error) {
          entry = { error };
        }
        loaded.set(type, entry);
      }
      if ('error' in entry) throw entry.error;
      return entry.info;
    },
    types: () => [...new Set(bases.flatMap(installedTypes))].sort(),
  };
}
