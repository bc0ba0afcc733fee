/**
 * The `weble:config` IPC message and the names a driver process checks, without zod: a driver's
 * bin reads these on its start, before it knows whether it needs its schemas (docs/memory.md,
 * "Schemas on first need").
 */

/**
 * A peer name, as peers-core's `NAME_PATTERN` (test/schemas.test.ts checks they are the same). A
 * copy: importing it from `@weble/peers-core` would put every transport of peers-core (WebSocket,
 * pino, federation) into the bundled driver bins, which only need `@weble/peers-core/core`.
 */
export const PEER_NAME_PATTERN = /^[A-Za-z0-9_][A-Za-z0-9_.:~-]{0,127}$/;

/** The `type` of the IPC message that carries the configuration. */
export const CONFIG_MESSAGE_TYPE = 'weble:config';

/**
 * The field of the `weble:config` message by which the supervisor says it validated the
 * configuration with the driver's own schemas: `<package>@<version>` of the driver package whose
 * `./schema` it loaded. A driver whose bin carries the same identity uses the configuration as
 * sent (the schemas' output, defaults filled in) without loading its schemas; any other value,
 * or a configuration from a file or WEBLE_CONFIG, is validated by the driver.
 */
export const VALIDATED_BY_FIELD = 'validatedBy';
