/**
 * `runBundledDriver(body, schemaFile)`: what a driver's bundled bin runs (scripts/build/driver-bin.tsup.mjs).
 * The driver's schemas, and zod with them, are in `schemaFile` (`dist/bin-schema.cjs`), required
 * only when something must be validated: a configuration the supervisor did not validate with this
 * package's own schemas (a file, WEBLE_CONFIG, another parent, another version), or a written
 * value. An idle driver under the supervisor never loads them (docs/memory.md, "Schemas on first need").
 */
import type { DriverBody } from './definition.js';
import { bundledDriverPackage, configValidatedByParent, lazyDefinition, withSchemas } from './lazy-schemas.js';
import { createLineLogger } from './line-logger.js';
import { runDriverProcess, type RunDriverOptions } from './run-driver.js';

/**
 * Run the driver process of `body`, its schemas in `schemaFile` loaded on first need. Never
 * rejects. `schemaId` (default: the package the bin was bundled from) is the `validatedBy` a
 * parent's configuration must carry to be used as sent; undefined: always validated.
 */
export function runBundledDriver<Config, Point, Device, Value>(
  body: DriverBody<Config, Point, Device, Value>,
  schemaFile: string,
  options: RunDriverOptions & { schemaId?: string | undefined } = {},
): Promise<void> {
  const id = 'schemaId' in options ? options.schemaId : bundledDriverPackage();
  const definition = lazyDefinition(body, schemaFile, id);
  const env = options.env ?? process.env;
  const log =
    options.log ?? createLineLogger({ name: `driver_${definition.type}`, level: env.WEBLE_LOG_LEVEL ?? 'info' });
  return runDriverProcess(
    definition,
    ({ raw, fromParent }) => {
      const trusted = configValidatedByParent(definition, raw, fromParent);
      if (trusted) {
        log.debug('configuration validated by the parent with these schemas: not loaded');
        return { ok: true, value: trusted };
      }
      const full = withSchemas(definition, log, 'configuration');
      return full.parseDriverConfig(full, raw);
    },
    { ...options, log },
  );
}
