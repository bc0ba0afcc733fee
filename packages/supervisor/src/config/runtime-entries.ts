/**
 * Gateways and addresses given at run time (`gateways.insertGateway`, `insertAddress`, their
 * updates): checked against the driver's own schemas as site.yaml is at start, with a readable
 * error (code BAD_REQUEST) naming the field.
 */
import { formatIssues } from '@weble/driver-kit';
import type { AddressEntry } from '../modules/address-book.js';
import type { GatewayEntry } from '../modules/gateways-module.js';
import { isPackageName, requireDriver, type DriverCatalog, type DriverInfo } from './index.js';
import { runtimeAddressFieldsSchema } from './schema.js';

/** Check an address given at run time against its gateway's driver (throws a readable error). */
export function checkAddress(catalog: DriverCatalog, input: AddressEntry, gateway: GatewayEntry): AddressEntry {
  const driver = catalog.get(gateway.type, gateway.package);
  if (!driver)
    throw Object.assign(new Error(`gateway ${gateway.id} has the unknown driver type "${gateway.type}"`), {
      code: 'BAD_REQUEST',
    });
  const parsed = driver.pointSchema.safeParse(input.point);
  if (!parsed.success)
    throw Object.assign(new Error(formatIssues(parsed.error.issues, 'address.point').join('; ')), {
      code: 'BAD_REQUEST',
    });
  const out: AddressEntry = { key: input.key, gateway: gateway.id, point: parsed.data };
  // `last` and `info` are what listAddresses adds: an address read, edited and given back keeps them.
  const {
    key: _key,
    gateway: _gateway,
    point: _point,
    last: _last,
    info: _info,
    ...fields
  } = input as AddressEntry & { last?: unknown; info?: unknown };
  const site = runtimeAddressFieldsSchema.safeParse(fields);
  if (!site.success)
    throw Object.assign(new Error(formatIssues(site.error.issues, 'address').join('; ')), { code: 'BAD_REQUEST' });
  return { ...out, ...site.data };
}

/** Check a gateway given at run time against its driver's schema (throws a readable error). */
export function validateGateway(catalog: DriverCatalog, input: unknown): GatewayEntry {
  const g = input as Partial<GatewayEntry> | null;
  if (
    !g ||
    typeof g !== 'object' ||
    (typeof g.id !== 'number' && typeof g.id !== 'string') ||
    typeof g.type !== 'string'
  ) {
    throw Object.assign(new Error('gateway: expected {id, type, config}'), { code: 'BAD_REQUEST' });
  }
  if (g.package !== undefined && (typeof g.package !== 'string' || !isPackageName(g.package))) {
    throw Object.assign(new Error('gateway.package: expected an npm package name like "@acme/weble-driver-plc"'), {
      code: 'BAD_REQUEST',
    });
  }
  let driver: DriverInfo;
  try {
    driver = requireDriver(catalog, g.type, g.package);
  } catch (error) {
    throw Object.assign(new Error(`gateway.type: ${(error as Error).message}`), { code: 'BAD_REQUEST' });
  }
  const parsed = driver.configSchema.safeParse(g.config ?? {});
  if (!parsed.success)
    throw Object.assign(new Error(formatIssues(parsed.error.issues, 'gateway.config').join('; ')), {
      code: 'BAD_REQUEST',
    });
  return {
    id: g.id,
    type: g.type,
    ...(g.package === undefined ? {} : { package: g.package }),
    name: g.name,
    enabled: g.enabled ?? true,
    config: parsed.data,
  };
}
