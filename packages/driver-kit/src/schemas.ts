/**
 * Zod schemas of the shapes every driver shares: the gateway, an address, the whole driver
 * configuration and the `weble:config` IPC message; and the environment of a driver process.
 * The supervisor uses these with a driver package's exported definition to validate site.yaml
 * without starting the driver.
 */
import * as z from 'zod';
import { CONFIG_MESSAGE_TYPE, PEER_NAME_PATTERN } from './config-message.js';
import type { DriverConfig, DriverDefinition } from './definition.js';
import type { ParseResult } from './driver-env.js';
import { formatIssues } from './issues.js';

export { CONFIG_MESSAGE_TYPE, PEER_NAME_PATTERN } from './config-message.js';
export { parseDriverEnv, type ParseResult } from './driver-env.js';

/** A gateway id: a non-negative integer, or 1-64 letters, digits, `_` and `-` (it goes into a peer name). */
export const gatewayIdSchema = /* @__PURE__ */ (() =>
  z.union([
    z.number().int().nonnegative(),
    z.string().regex(/^[A-Za-z0-9_-]{1,64}$/, 'expected 1-64 letters, digits, _ or -'),
  ]))();

/** An address key (`4/7/25`, `boiler.supply`): 1-256 characters. */
export const addressKeySchema = /* @__PURE__ */ (() => z.string().min(1).max(256))();

/** A gateway whose `config` follows `config`; with `type`, `gateway.type` must be that literal. */
export function gatewaySchema<C extends z.ZodType>(config: C, type?: string) {
  return z.object({
    id: gatewayIdSchema,
    type: type === undefined ? z.string().min(1) : z.literal(type),
    name: z.string().optional(),
    config,
  });
}

/** An address whose `point` follows `point`. */
export function addressSchema<P extends z.ZodType>(point: P) {
  return z.object({
    key: addressKeySchema,
    name: z.string().min(1).optional(),
    alias: z.string().min(1).optional(),
    point,
  });
}

/**
 * Refinement: every address key appears once. It also runs when other addresses are invalid
 * (`when` below), so every problem is reported at once; hence the defensive look at each item.
 */
function uniqueKeys(addresses: readonly unknown[], ctx: z.RefinementCtx): void {
  const first = new Map<string, number>();
  addresses.forEach((address, index) => {
    const key = (address as { key?: unknown } | null)?.key;
    if (typeof key !== 'string') return;
    const seen = first.get(key);
    if (seen === undefined) first.set(key, index);
    else
      ctx.addIssue({
        code: 'custom',
        path: [index, 'key'],
        message: `duplicate key ${JSON.stringify(key)} (first at addresses[${seen}])`,
      });
  });
}

/** `{ gateway, addresses }` for `definition`: its config and point schemas, its type, unique keys. */
export function driverConfigSchema<C, P>(
  definition: Pick<DriverDefinition<C, P, unknown, unknown>, 'type' | 'configSchema' | 'pointSchema'>,
) {
  return z.object({
    gateway: gatewaySchema(definition.configSchema, definition.type),
    addresses: z
      .array(addressSchema(definition.pointSchema))
      .superRefine(uniqueKeys, { when: (payload) => Array.isArray(payload.value) }),
  });
}

/** The IPC message `{ type: 'weble:config', gateway, addresses }`. */
export function configMessageSchema<C, P>(
  definition: Pick<DriverDefinition<C, P, unknown, unknown>, 'type' | 'configSchema' | 'pointSchema'>,
) {
  return driverConfigSchema(definition).extend({ type: z.literal(CONFIG_MESSAGE_TYPE) });
}

/** The environment a driver process needs (a driver checks it without zod: driver-env.ts, the same rules). */
export const driverEnvSchema = /* @__PURE__ */ (() =>
  z.object({
    /** The hub's endpoint (a UNIX socket path, or `tcp://host:port`). */
    WEBLE_HUB: z.string().min(1, 'required: the endpoint of the hub (e.g. /run/weble/supervision.sock)'),
    /** The peer name; default `driver_<type>_<id>`. */
    WEBLE_PEER_NAME: z.string().regex(PEER_NAME_PATTERN).optional(),
  }))();

/** Validate a configuration (with or without the message `type`); problems as `path: problem` lines. */
export function parseDriverConfig<C, P>(
  definition: Pick<DriverDefinition<C, P, unknown, unknown>, 'type' | 'configSchema' | 'pointSchema'>,
  raw: unknown,
): ParseResult<DriverConfig<C, P>> {
  const document =
    raw !== null && typeof raw === 'object' && 'type' in raw
      ? (({ type: _type, ...rest }) => rest)(raw as Record<string, unknown>)
      : raw;
  const result = driverConfigSchema(definition).safeParse(document);
  if (result.success) return { ok: true, value: result.data as DriverConfig<C, P> };
  return { ok: false, problems: formatIssues(result.error.issues) };
}
