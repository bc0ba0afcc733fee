/**
 * Each gateway's `config` checked by its driver's `configSchema`, each address's `point` by the
 * `pointSchema` of its gateway's driver. Runs on the raw document (see raw.ts) and keeps what the
 * driver schemas output (their defaults filled in) for the validated site.
 */
import { requireDriver, type DriverCatalog, type DriverInfo } from './driver-catalog.js';
import { isPackageName } from './driver-resolution.js';
import { ConfigCode, isConfigError } from './errors.js';
import { issuesToProblems, type Problem } from './problems.js';
import { entries, idKey, isRecord, stringField } from './raw.js';
import { driverTypeSchema } from './schema.js';

/** Result of {@link checkDrivers}. */
export interface DriverCheck {
  problems: Problem[];
  /** The driver of each type used, by type. */
  drivers: Map<string, DriverInfo>;
  /** Driver-parsed `config` by gateway index. */
  configs: Map<number, Record<string, unknown>>;
  /** Driver-parsed `point` by address index. */
  points: Map<number, Record<string, unknown>>;
}

/** Look a type (and package) up once; a missing or broken driver is a problem at `path`. */
function lookup(
  catalog: DriverCatalog,
  type: string,
  pkg: string | undefined,
  cache: Map<string, DriverInfo | string>,
): DriverInfo | string {
  const cacheKey = `${type}\0${pkg ?? ''}`;
  let found = cache.get(cacheKey);
  if (found === undefined) {
    try {
      found = requireDriver(catalog, type, pkg);
    } catch (error) {
      found = isConfigError(error, ConfigCode.DRIVER_NOT_FOUND)
        ? error.message
        : `driver type "${type}" cannot be used: ${(error as Error).message}`;
    }
    cache.set(cacheKey, found);
  }
  return found;
}

/** Check every gateway config and address point against its driver's schemas. */
export function checkDrivers(document: unknown, catalog: DriverCatalog): DriverCheck {
  const result: DriverCheck = { problems: [], drivers: new Map(), configs: new Map(), points: new Map() };
  const cache = new Map<string, DriverInfo | string>();
  const gatewayDrivers = new Map<string, DriverInfo>();

  for (const [index, gateway] of entries(document, 'gateways')) {
    const type = stringField(gateway, 'type');
    if (type === undefined || !driverTypeSchema.safeParse(type).success) continue;
    const pkg = stringField(gateway, 'package');
    if (gateway.package !== undefined && (pkg === undefined || !isPackageName(pkg))) continue; // the schema reports it
    const driver = lookup(catalog, type, pkg, cache);
    if (typeof driver === 'string') {
      result.problems.push({ path: ['gateways', index, pkg === undefined ? 'type' : 'package'], message: driver });
      continue;
    }
    const other = result.drivers.get(type);
    if (other && other.bin !== driver.bin) {
      result.problems.push({
        path: ['gateways', index, 'package'],
        message: `type "${type}" is already run by ${other.package ?? other.bin} in this site: one package per type`,
      });
      continue;
    }
    result.drivers.set(type, driver);
    const id = idKey(gateway.id);
    if (id !== undefined && !gatewayDrivers.has(id)) gatewayDrivers.set(id, driver);
    if (!isRecord(gateway.config)) continue;
    const parsed = driver.configSchema.safeParse(gateway.config);
    if (parsed.success) result.configs.set(index, parsed.data as Record<string, unknown>);
    else
      result.problems.push(
        ...issuesToProblems(parsed.error.issues, {
          schema: driver.configSchema,
          data: gateway.config,
          prefix: ['gateways', index, 'config'],
        }),
      );
  }

  for (const [index, address] of entries(document, 'addresses')) {
    const id = idKey(address.gateway);
    const driver = id === undefined ? undefined : gatewayDrivers.get(id);
    if (!driver || !isRecord(address.point)) continue;
    const parsed = driver.pointSchema.safeParse(address.point);
    if (parsed.success) result.points.set(index, parsed.data as Record<string, unknown>);
    else
      result.problems.push(
        ...issuesToProblems(parsed.error.issues, {
          schema: driver.pointSchema,
          data: address.point,
          prefix: ['addresses', index, 'point'],
        }),
      );
  }
  return result;
}
