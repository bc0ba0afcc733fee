/**
 * The zod schema of site.yaml. Objects are strict: an unknown (misspelt) key is an error, never
 * ignored. This schema checks the shape only; a gateway's `config` and an address's `point` are
 * checked by the schemas of the gateway's driver, and references between sections (ids, keys,
 * names) by the cross checks, both in `validateSite`. Paths stay as written here; `validateSite`
 * resolves them against the directory of site.yaml.
 */
import { addressKeySchema, gatewayIdSchema } from '@weble/driver-kit';
import { NAME_PATTERN } from '@weble/peers-core';
import { z } from 'zod';
import { httpSchema, tlsFilesSchema, userSchema } from '@weble/web/site';
import { isPackageName } from './driver-resolution.js';
import { federationSchema } from './federation.js';
import { northboundSchema } from '@weble/northbound/site';
import { loggerSchema } from '../loggers/schema.js';
import { alarmSchema } from '../alarms/schema.js';
import { defaultHistoryDir, defaultHubSocket, defaultLogsDir } from '../service/service-dirs.js';

/** A file or directory path; relative ones are resolved against the directory of site.yaml. */
const pathSchema = z.string().min(1, 'expected a path');
/** A duration in ms. */
const msSchema = z.number().int().positive();

/** A list section: may be left empty in YAML (`routes:` with nothing under it). */
function list<T extends z.ZodType>(item: T) {
  return z
    .array(item)
    .nullish()
    .transform((items) => items ?? []);
}

export { httpSchema, tlsFilesSchema, userSchema };

/** `hub`: where the hub peer `supervision` listens. */
export const hubSchema = z.strictObject({
  /** UNIX socket path (created with mode 0600). Default `$RUNTIME_DIRECTORY/supervision.sock` under systemd, else `./run/supervision.sock`. */
  socket: pathSchema.default(defaultHubSocket),
});

/** `http.tls` given as files. */

/** A driver type: the package is `@weble/driver-<type>` (or `weble-driver-<type>`, or `package:`), the peer `driver_<type>_<id>`. */
export const driverTypeSchema = z
  .string()
  .regex(/^[a-z0-9][a-z0-9-]{0,49}$/, 'expected a driver type: 1-50 lowercase letters, digits and -, like "modbus"');

/** A gateway's `package:`: an npm package name, never a path. */
export const driverPackageSchema = z
  .string()
  .refine(
    isPackageName,
    'expected an npm package name like "@acme/weble-driver-plc" (no path: the package is resolved from the site directory)',
  );

/** `gateways[]`: one driver process each. `config` is checked by the driver's own schema. */
export const gatewaySchema = z.strictObject({
  /** A non-negative integer, or 1-64 letters, digits, `_` and `-`. Unique (1 and "1" are the same id). */
  id: gatewayIdSchema,
  type: driverTypeSchema,
  /** The npm package that runs this type when it is not `@weble/driver-<type>` or `weble-driver-<type>` (any scope). */
  package: driverPackageSchema.optional(),
  name: z.string().min(1).optional(),
  /** Default true. A disabled gateway is validated but not started. */
  enabled: z.boolean().default(true),
  config: z.looseObject({}),
});

/** What site.yaml says of an address besides its key, gateway and point (names, unit, write limits, state texts). */
export const addressFieldsSchema = z.strictObject({
  name: z.string().min(1).optional(),
  alias: z.string().min(1).optional(),
  /** Engineering unit shown next to values (`°C`). */
  unit: z.string().optional(),
  /** Whether the UI offers writes and the gateway takes them (default: what the driver says). */
  writable: z.boolean().optional(),
  /** Smallest value a write may set (over the device's own limit). */
  min: z.number().optional(),
  /** Largest value a write may set. */
  max: z.number().optional(),
  /** Step of the values the UI offers (`0.5`). */
  step: z.number().positive().optional(),
  /** Texts of the states by value (`{ "1": Off, "2": Heat }`, `{ "false": Closed, "true": Open }`), over the device's. */
  states: z.record(z.string(), z.string()).optional(),
});

/** min <= max where both are given. */
export function limitsInOrder(a: { min?: number | undefined; max?: number | undefined }): boolean {
  return a.min === undefined || a.max === undefined || a.min <= a.max;
}

const LIMITS = { message: 'min is above max', path: ['min'] };

/** `addresses[]`: a value of a gateway. `point` is checked by the schema of the gateway's driver. */
export const addressSchema = z
  .strictObject({
    /** The address key on the mesh (`4/7/25`). */
    key: addressKeySchema,
    /** Id of the gateway the address belongs to. */
    gateway: gatewayIdSchema,
    ...addressFieldsSchema.shape,
    point: z.looseObject({}),
  })
  .refine(limitsInOrder, LIMITS);

/** The fields of an address given at run time (insertAddress / updateAddress). */
export const runtimeAddressFieldsSchema = addressFieldsSchema.refine(limitsInOrder, LIMITS);

/** A route id: like a gateway id. */
export const routeIdSchema = gatewayIdSchema;

/** A value in a route's `map`. */
const mappedValueSchema = z.union([z.string(), z.number(), z.boolean(), z.null()]);

/** `routes[]`: on a new value of `from`, write `value * scale + offset` (or `map[value]`) to `to`. */
export const routeSchema = z.strictObject({
  id: routeIdSchema,
  /** Key, name or alias of the source address. */
  from: addressKeySchema,
  /** Key, name or alias of the destination address. */
  to: addressKeySchema,
  /** Default 1. */
  scale: z.number().default(1),
  /** Default 0. */
  offset: z.number().default(0),
  /** Value -> value table (YAML keys are strings: `"1": on`); used instead of scale/offset when the value is in it. */
  map: z.record(z.string(), mappedValueSchema).optional(),
});

/** `logics[]`: one process each, the peer `logic_<name>`. */
export const logicSchema = z.strictObject({
  name: z
    .string()
    .refine(
      (name) => NAME_PATTERN.test(`logic_${name}`),
      'expected a name for the peer logic_<name>: 1-122 letters, digits and _ - . : ~',
    ),
  file: pathSchema,
  /** Default true. */
  enabled: z.boolean().default(true),
});

/** `supervision.restart`: backoff and restart intensity. Durations in ms. */
export const restartSchema = z
  .strictObject({
    /** Restart delay of a child that never came up, and the second in a row of one that did (its first is at once). Default 500. */
    initialMs: msSchema.default(500),
    /** Longest restart delay. Default 30 000. */
    maxMs: msSchema.default(30_000),
    /** Up this long, a process's backoff resets. Default 60 000. */
    stableMs: msSchema.default(60_000),
    /** More than this many restarts within `withinMs` -> `failed`. Default 5. */
    maxRestarts: z.number().int().positive().default(5),
    /** Default 60 000. */
    withinMs: msSchema.default(60_000),
    /** A `failed` process is tried again after this long. Default 300 000. */
    failedRetryMs: msSchema.default(300_000),
  })
  .refine((restart) => restart.maxMs >= restart.initialMs, { path: ['maxMs'], message: 'must be at least initialMs' });

/** `supervision.logs`: per-process log files with rotation. */
export const logsSchema = z.strictObject({
  /** Default `$LOGS_DIRECTORY` under systemd, else `./run/logs`. */
  dir: pathSchema.default(defaultLogsDir),
  /** A log file is rotated when it reaches this size, bytes. Default 1 MiB. */
  maxBytes: z.number().int().min(1024).default(1_048_576),
  /** Rotated files kept per process. Default 3. */
  keep: z.number().int().min(0).max(100).default(3),
});

/** `supervision`: every key optional. */
export const supervisionSchema = z.strictObject({
  /** A child must join the mesh within this long, ms. Default 10 000. */
  startTimeoutMs: msSchema.default(10_000),
  /** SIGTERM, then SIGKILL after this long, ms. Default 5 000. */
  stopTimeoutMs: msSchema.default(5_000),
  restart: restartSchema.prefault({}),
  logs: logsSchema.prefault({}),
});

/** `history`: where and how the loggers' store keeps its database (every key optional). */
export const historySchema = z.strictObject({
  /** Directory of `history.sqlite` (and of the alarm history `alarms.sqlite`). Default `$STATE_DIRECTORY/history` under systemd, else `./run/history`. */
  dir: pathSchema.default(defaultHistoryDir),
  /** Longest time a value waits on the hub before its batch is written, ms (the most a hub crash can lose). Default 250. */
  flushMs: z.number().int().min(10).max(1_000).default(250),
  /** Rows per batch (one transaction) at most. Default 5 000. */
  maxBatch: z.number().int().min(1).max(100_000).default(5_000),
  /** Rows kept on the hub while the store is away or paused, at most. Default 1 000 000. */
  maxQueued: z.number().int().min(1_000).default(1_000_000),
  /** Rows deleted per retention step (one short transaction each). Default 5 000. */
  retentionStepRows: z.number().int().min(1).max(1_000_000).default(5_000),
  /** Time between two retention passes, ms. Default 600 000. */
  retentionEveryMs: msSchema.default(600_000),
  /** While paused (disk read-only or full), try again this often, ms. Default 1 000. */
  retryMs: msSchema.default(1_000),
});

/** The whole site.yaml (shape only: see the module comment). */
export const siteSchema = z.strictObject({
  hub: hubSchema.prefault({}),
  http: httpSchema.optional(),
  users: list(userSchema),
  gateways: list(gatewaySchema),
  addresses: list(addressSchema),
  routes: list(routeSchema),
  logics: list(logicSchema),
  /** History loggers (docs/configuration.md#loggers). */
  loggers: list(loggerSchema),
  history: historySchema.prefault({}),
  /** Alarms on addresses (docs/alarms.md); their history is `alarms.sqlite` in `history.dir`. */
  alarms: list(alarmSchema),
  supervision: supervisionSchema.prefault({}),
  /** Links to other sites (docs/federation.md). */
  federation: federationSchema.optional(),
  /** Bridges to MQTT brokers, one `northbound_<id>` process each (docs/northbound.md). */
  northbound: list(northboundSchema),
});

/** site.yaml after {@link siteSchema}: defaults filled in. */
export type SiteDocument = z.output<typeof siteSchema>;
export type HubConfig = SiteDocument['hub'];
export type HttpConfig = NonNullable<SiteDocument['http']>;
export type UserConfig = SiteDocument['users'][number];
export type GatewayConfig = SiteDocument['gateways'][number];
export type AddressConfig = SiteDocument['addresses'][number];
export type RouteConfig = SiteDocument['routes'][number];
export type LogicConfig = SiteDocument['logics'][number];
export type LoggerConfig = SiteDocument['loggers'][number];
export type AlarmConfig = SiteDocument['alarms'][number];
export type HistoryConfig = SiteDocument['history'];
export type SupervisionConfig = SiteDocument['supervision'];
export type { FederationConfig } from './federation.js';
export type NorthboundEntry = SiteDocument['northbound'][number];
