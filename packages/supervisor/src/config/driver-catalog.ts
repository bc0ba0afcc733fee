/**
 * Where driver types come from. A gateway of type `modbus` is run by the package
 * `@weble/driver-modbus` (or `weble-driver-modbus`, or the gateway's `package:`), found from the
 * site's directory first, then from the supervisor (driver-resolution.ts). The supervisor loads
 * only the package's `./schema` subpath (schemas, `describe`, read periods; never the protocol
 * library; its ES module build when it has one, schema-module.ts) and starts its package.json `bin` as the driver's process.
 */
import { readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { refreshPeriod, type PointInfo } from '@weble/driver-kit';
import type { z } from 'zod';
import { ConfigCode, ConfigError } from './errors.js';
import {
  installedTypes,
  isDriverType,
  isPackageName,
  locateDriver,
  placesTried,
  resolutionBase,
  type FoundPackage,
} from './driver-resolution.js';
import { loadSchemaModule } from './schema-module.js';

/** What the supervisor needs of a driver type. */
export interface DriverInfo {
  readonly type: string;
  /** The package that provides it (`@weble/driver-modbus`, `@acme/weble-driver-plc`). */
  readonly package?: string;
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
  /**
   * `<package>@<version>` of the package whose `./schema` validated its gateways: sent to the driver
   * as `validatedBy`, so that a driver bundled from that same package uses its config as sent,
   * without loading its own schemas (driver-kit's runBundledDriver, docs/memory.md).
   */
  readonly schemaId?: string;
}

/** The driver types a site can use. */
export interface DriverCatalog {
  /**
   * The driver of `type` (run by package `pkg` when the gateway names one), or undefined when there
   * is none. May throw a `ConfigError` when a package exists but is broken.
   */
  get(type: string, pkg?: string): DriverInfo | undefined;
  /** Every known type, sorted (for messages). */
  types(): string[];
  /** Where `get(type, pkg)` looks, in order (for messages). */
  searched?(type: string, pkg?: string): string[];
}

/** A catalog of fixed drivers (tests, embedding). */
export function staticDriverCatalog(drivers: Iterable<DriverInfo>): DriverCatalog {
  const byType = new Map<string, DriverInfo>();
  for (const driver of drivers) byType.set(driver.type, driver);
  return {
    get: (type, pkg) => (pkg === undefined || byType.get(type)?.package === pkg ? byType.get(type) : undefined),
    types: () => [...byType.keys()].sort(),
  };
}

/** This module's file, in the ESM and the CJS build alike. */
function thisFile(): string {
  return typeof __filename === 'string' ? __filename : fileURLToPath(import.meta.url);
}

interface PackageJson {
  name?: unknown;
  version?: unknown;
  bin?: unknown;
}

function readPackageJson(file: string): PackageJson {
  return JSON.parse(readFileSync(file, 'utf8')) as PackageJson;
}

/** The bin script named in package.json: a string, `weble-driver-<type>`, or the only entry. */
function binOf(pkg: PackageJson, packageFile: string, name: string, type: string): string {
  const bin = pkg.bin;
  let relative: unknown = bin;
  if (bin !== null && typeof bin === 'object') {
    const entries = Object.entries(bin as Record<string, unknown>);
    relative =
      (bin as Record<string, unknown>)[`weble-driver-${type}`] ?? (entries.length === 1 ? entries[0]?.[1] : undefined);
  }
  if (typeof relative !== 'string' || relative === '') {
    throw new ConfigError(
      ConfigCode.DRIVER_INVALID,
      `${name}: package.json has no bin (expected "bin": "./dist/bin.js" or { "weble-driver-${type}": ... })`,
    );
  }
  return resolve(dirname(packageFile), relative);
}

function hasSafeParse(value: unknown): value is z.ZodType {
  return (
    value !== null && typeof value === 'object' && typeof (value as { safeParse?: unknown }).safeParse === 'function'
  );
}

/** The `schema` export of `<package>/schema` (only that subpath: it does not load the protocol library). */
function loadSchema(
  found: FoundPackage,
  type: string,
): Record<string, unknown> & { configSchema: z.ZodType; pointSchema: z.ZodType } {
  const { name, base } = found;
  let file: string;
  try {
    file = base.require.resolve(`${name}/schema`);
  } catch {
    throw new ConfigError(
      ConfigCode.DRIVER_INVALID,
      `${name} (${found.dir}) has no "./schema" export: a driver package exports its schema on the ./schema subpath (docs/driver-contract.md)`,
    );
  }
  let exported: { schema?: unknown; default?: { schema?: unknown } };
  try {
    // Synchronous on purpose (the catalog is): the ES module build where require(esm) runs it, else the `require` build.
    exported = loadSchemaModule(base.require, found.dir, file) as typeof exported;
  } catch (error) {
    throw new ConfigError(ConfigCode.DRIVER_LOAD_FAILED, `${name} failed to load: ${(error as Error).message}`, {
      cause: error,
    });
  }
  const schema = (exported.schema ?? exported.default?.schema) as
    { type?: unknown; configSchema?: unknown; pointSchema?: unknown } | undefined;
  if (!schema || schema.type !== type || !hasSafeParse(schema.configSchema) || !hasSafeParse(schema.pointSchema)) {
    throw new ConfigError(
      ConfigCode.DRIVER_INVALID,
      `${name}/schema does not export a \`schema\` of type "${type}" with configSchema and pointSchema`,
    );
  }
  return schema as Record<string, unknown> & { configSchema: z.ZodType; pointSchema: z.ZodType };
}

/** The driver in package `found`: its schema subpath and its bin. */
function loadDriver(found: FoundPackage, type: string): DriverInfo {
  const schema = loadSchema(found, type);
  const packageFile = join(found.dir, 'package.json');
  const packageJson = readPackageJson(packageFile);
  const bin = binOf(packageJson, packageFile, found.name, type);
  const describe =
    typeof schema.describe === 'function' ? (schema.describe.bind(schema) as (point: unknown) => PointInfo) : undefined;
  return {
    type,
    package: found.name,
    configSchema: schema.configSchema,
    pointSchema: schema.pointSchema,
    bin,
    refreshMs: refreshOf(schema),
    ...(describe ? { describe } : {}),
    ...(typeof packageJson.version === 'string' ? { schemaId: `${found.name}@${packageJson.version}` } : {}),
  };
}

/** The hooks of a definition that decide a point's read period (what {@link refreshPeriod} reads). */
type PeriodHooks = Parameters<typeof refreshPeriod>[0];

/** The definition's read period of a point (driver-kit's {@link refreshPeriod}); a broken hook gives none. */
function refreshOf(definition: Record<string, unknown>): (point: unknown, config: unknown) => number | undefined {
  // An unchecked package's hooks: whatever they return is checked below (a number > 0 or no period).
  const hook = (name: keyof PeriodHooks): ((...args: unknown[]) => unknown) | undefined => {
    const method = definition[name];
    return typeof method === 'function' ? (method as (...args: unknown[]) => unknown).bind(definition) : undefined;
  };
  const periods = {
    refreshMs: hook('refreshMs'),
    poll: hook('poll'),
    pollMs: hook('pollMs'),
    isPolled: hook('isPolled'),
  } as PeriodHooks;
  return (point, config) => {
    try {
      const ms = refreshPeriod(periods, point, config);
      return typeof ms === 'number' && Number.isFinite(ms) && ms > 0 ? ms : undefined;
    } catch {
      return undefined;
    }
  };
}

/**
 * Drivers resolved as packages: from `fromDir` (the site directory) first, then from the supervisor
 * package (driver-resolution.ts). Each (type, package) is loaded once. `get` throws
 * `CONFIG_DRIVER_LOAD_FAILED` or `CONFIG_DRIVER_INVALID` for a broken package.
 */
export function defaultDriverCatalog(fromDir?: string): DriverCatalog {
  const bases = [
    ...(fromDir === undefined ? [] : [resolutionBase(fromDir, 'the site directory')]),
    resolutionBase(dirname(thisFile()), 'the supervisor'),
  ];
  const loaded = new Map<string, { info: DriverInfo | undefined } | { error: unknown }>();
  return {
    get(type, pkg) {
      if (!isDriverType(type) || (pkg !== undefined && !isPackageName(pkg))) return undefined;
      const cacheKey = `${type}\0${pkg ?? ''}`;
      let entry = loaded.get(cacheKey);
      if (!entry) {
        try {
          const found = locateDriver(bases, type, pkg);
          entry = { info: found ? loadDriver(found, type) : undefined };
        } catch (error) {
          entry = { error };
        }
        loaded.set(cacheKey, entry);
      }
      if ('error' in entry) throw entry.error;
      return entry.info;
    },
    types: () => [...new Set(bases.flatMap((base) => installedTypes(base.dir)))].sort(),
    searched: (type, pkg) => placesTried(bases, type, pkg),
  };
}

/**
 * The driver of `type` (and `pkg`, a gateway's `package:`), or a `CONFIG_DRIVER_NOT_FOUND` error
 * naming every place the catalog looked and the types it knows.
 */
export function requireDriver(catalog: DriverCatalog, type: string, pkg?: string): DriverInfo {
  const driver = catalog.get(type, pkg);
  if (driver) return driver;
  const tried = catalog.searched?.(type, pkg) ?? [pkg ?? `@weble/driver-${type}`];
  const types = catalog.types();
  const known = types.length > 0 ? `known types: ${types.join(', ')}` : 'no driver packages are installed';
  throw new ConfigError(
    ConfigCode.DRIVER_NOT_FOUND,
    `unknown driver type "${type}": no driver package found; tried ${tried.join('; then ')} (${known})`,
  );
}
