/**
 * Schemas on first need: a driver's bin runs a {@link LazyDriverDefinition}, whose zod schemas are
 * in a file it loads only when it must validate something (docs/memory.md). A configuration the
 * supervisor validated with the same driver package's schemas (its message says so, `validatedBy`)
 * is used as sent; anything else is validated as before. No zod here, nor in what this imports.
 */
import { createRequire } from 'node:module';
import type { Logger } from 'pino';
import { VALIDATED_BY_FIELD } from './config-message.js';
import type {
  DriverBody,
  DriverConfig,
  DriverDefinition,
  LazyDriverDefinition,
  RunnableDefinition,
  SchemaModule,
} from './definition.js';

/**
 * The identity of the driver package a bin was bundled from, `<package>@<version>`: the bin preset
 * (scripts/build/driver-bin.tsup.mjs) defines `__WEBLE_DRIVER_PACKAGE__`; unbundled, undefined.
 */
declare const __WEBLE_DRIVER_PACKAGE__: string | undefined;
export function bundledDriverPackage(): string | undefined {
  return typeof __WEBLE_DRIVER_PACKAGE__ === 'string' ? __WEBLE_DRIVER_PACKAGE__ : undefined;
}

/**
 * `body` with the schemas of `schemaFile` (a CommonJS file exporting a {@link SchemaModule}),
 * required once and only when needed. `id` is what the supervisor must name as `validatedBy` for
 * its configuration to be used as sent (undefined: every configuration is validated).
 */
export function lazyDefinition<Config, Point, Device, Value>(
  body: DriverBody<Config, Point, Device, Value>,
  schemaFile: string,
  id: string | undefined,
): LazyDriverDefinition<Config, Point, Device, Value> {
  let loaded: SchemaModule<Config, Point, Value> | undefined;
  const load = (): SchemaModule<Config, Point, Value> =>
    (loaded ??= createRequire(schemaFile)(schemaFile) as SchemaModule<Config, Point, Value>);
  return { ...body, schemas: { id, load } };
}

/** Whether `definition` loads its schemas on first need. */
export function isLazy<C, P, D, V>(
  definition: RunnableDefinition<C, P, D, V>,
): definition is LazyDriverDefinition<C, P, D, V> {
  return 'schemas' in definition && !('configSchema' in definition);
}

const announced = new WeakSet<object>();

/** The whole definition of a lazy one, its schemas loaded (logged once, at debug, with `reason`). */
export function withSchemas<C, P, D, V>(
  definition: LazyDriverDefinition<C, P, D, V>,
  log: Pick<Logger, 'debug'>,
  reason: string,
): DriverDefinition<C, P, D, V> & { parseDriverConfig: SchemaModule<C, P, V>['parseDriverConfig'] } {
  const { schema, parseDriverConfig } = definition.schemas.load();
  if (!announced.has(definition)) {
    announced.add(definition);
    log.debug({ reason }, 'driver schemas loaded');
  }
  return { ...definition, ...schema, parseDriverConfig };
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

/**
 * The configuration in `raw` as sent, when it need not be validated here: it came from the
 * parent (`fromParent`), whose message says it was validated with this very package's schemas
 * (`validatedBy` equal to the definition's schema id), and it has the shape of one. Else undefined:
 * the caller validates it.
 */
export function configValidatedByParent<C, P, D, V>(
  definition: LazyDriverDefinition<C, P, D, V>,
  raw: unknown,
  fromParent: boolean,
): DriverConfig<C, P> | undefined {
  if (!fromParent || definition.schemas.id === undefined || !isRecord(raw)) return undefined;
  if (raw[VALIDATED_BY_FIELD] !== definition.schemas.id) return undefined;
  const { gateway, addresses } = raw;
  if (!isRecord(gateway) || gateway.type !== definition.type || !isRecord(gateway.config) || !Array.isArray(addresses))
    return undefined;
  if (!addresses.every((address) => isRecord(address) && typeof address.key === 'string' && isRecord(address.point)))
    return undefined;
  return { gateway, addresses } as unknown as DriverConfig<C, P>;
}
