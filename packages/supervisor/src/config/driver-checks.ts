/**
 * Each gateway's `config` checked by its driver's `configSchema`, each address's `point` by the
 * `pointSchema` of its gateway's driver. Runs on the raw document (see raw.ts) and keeps what the
 * driver schemas output (their defaults filled in) for the validated site.
 */
import type { DriverCatalog, DriverInfo } from './driver-catalog.js';
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

function known(catalog: DriverCatalog): string {
  const types = catalog.types();
  return types.length > 0 ? `known types: ${types.join(', ')}` : 'no driver packages @weble/driver-* are installed';
}

/** Look a type up once; a missing or broken driver is a problem at `path`. */
function lookup(catalog: DriverCatalog, type: string, cache: Map<string, DriverInfo | string>): DriverInfo | string {
  let found = cache.get(type);
  if (found === undefined) {
    try {
      found = catalog.get(type) ?? `unknown driver type "${type}": no package @weble/driver-${type} found (${known(catalog)})`;
    } catch (error) {
      found = `driver type "${type}" cannot be used: ${(error as Error).message}`;
    }
    cache.set(type, found);
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
    const driver = lookup(catalog, type, cache);
    if (typeof driver === 'string') {
      result.problems.push({ path: ['gateways', index, 'type'], message: driver });
      continue;
    }
    result.drivers.set(type, driver);
    const id = idKey(gateway.id);
    if (id !== undefined && !gatewayDrivers.has(id)) gatewayDrivers.set(id, driver);
    if (!isRecord(gateway.config)) continue;
    const parsed = driver.configSchema.safeParse(gateway.config);
    if (parsed.success) result.configs.set(index, parsed.data as Record<string, unknown>);
    else result.problems.push(...issuesToProblems(parsed.error.issues, { schema: driver.configSchema, data: gateway.config, prefix: ['gateways', index, 'config'] }));
  }

  for (const [index, address] of entries(document, 'addresses')) {
    const id = idKey(address.gateway);
    const driver = id === undefined ? undefined : gatewayDrivers.get(id);
    if (!driver || !isRecord(address.point)) continue;
    const parsed = driver.pointSchema.safeParse(address.point);
    if (parsed.success) result.points.set(index, parsed.data as Record<string, unknown>);
    else result.problems.push(...issuesToProblems(parsed.error.issues, { schema: driver.pointSchema, data: address.point, prefix: ['addresses', index, 'point'] }));
  }
  return result;
}
