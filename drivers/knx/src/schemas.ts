/**
 * The KNX gateway config and point schemas (zod 4, strict: unknown fields are errors). Group
 * addresses and datapoint types are checked here and come out canonical (`dpt: "DPST-9-1"` ->
 * `"9.001"`), so a site.yaml typo is a validation problem with its path, not a runtime error.
 */
import * as z from 'zod';
import { formatDpt, parseDpt, tryParseDpt, isSupportedDpt } from './dpt/dpt-id.js';
import { tryParseGroupAddress } from './group-address.js';
import { DEFAULT_HEARTBEAT } from './link/heartbeat.js';

/** The KNXnet/IP port. */
export const KNX_PORT = 3671;
/** The KNXnet/IP routing multicast group. */
export const KNX_MULTICAST = '224.0.23.12';

const ipv4 = z.string().regex(/^\d{1,3}(\.\d{1,3}){3}$/, 'expected an IPv4 address "a.b.c.d"');

/** A group address in any of its three forms. */
export const groupAddressSchema = z
  .string()
  .refine(
    (text) => tryParseGroupAddress(text) !== undefined,
    'expected a group address: main/middle/sub (0-31/0-7/0-255), main/sub (0-31/0-2047) or 0-65535',
  );

/** A datapoint type id -> canonical `main.sub` (or `main`). */
export const dptSchema = z.union([z.string(), z.number()]).transform((spec, ctx) => {
  const dpt = tryParseDpt(String(spec));
  if (!dpt || !isSupportedDpt(dpt)) {
    try {
      parseDpt(String(spec));
    } catch (error) {
      ctx.addIssue({ code: 'custom', message: (error as Error).message.replace(/ \(KNX_[A-Z_]+\)$/, '') });
    }
    return z.NEVER;
  }
  return formatDpt(dpt);
});

/** `gateway.config` of a KNX gateway. */
export const configSchema = z
  .strictObject({
    /**
     * `tunnel-udp` (default) or `routing` (multicast). No `tunnel-tcp`: knxultimate 5.4 tunnels
     * over TCP only inside a KNX Secure session, which this driver does not offer.
     */
    transport: z.enum(['tunnel-udp', 'routing']).default('tunnel-udp'),
    /** The tunnelling server; for routing the multicast group (default 224.0.23.12). */
    host: ipv4.optional(),
    /** Server (or routing) port. Default 3671. */
    port: z.number().int().min(1).max(65_535).default(KNX_PORT),
    /** Local address to bind / the interface that joins the routing group. */
    localAddress: ipv4.optional(),
    /** Individual address this gateway sends with when routing (`1.1.250`). */
    individualAddress: z
      .string()
      .regex(/^\d{1,2}\.\d{1,2}\.\d{1,3}$/, 'expected an individual address "area.line.device"')
      .optional(),
    /** Telegrams per second the driver sends at most (reads and writes). Default 20. */
    rateLimit: z.number().positive().max(1_000).default(20),
    /** Telegrams that may wait for the rate limit; more are refused (`KNX_QUEUE_FULL`). Default 10 000. */
    maxQueue: z.number().int().positive().default(10_000),
    /** Time for a GroupValue_Response to a read, ms. Default 2 000. */
    readTimeoutMs: z.number().int().positive().default(2_000),
    /** Read every readable point when the connection comes up. Default true. */
    readOnStart: z.boolean().default(true),
    /** Connect timeout, ms. Default 6 000 (the library waits 2 s before its CONNECT_REQUEST). */
    connectTimeoutMs: z.number().int().positive().default(6_000),
    /** Our tunnel heartbeat (CONNECTIONSTATE_REQUEST): interval, answer timeout, repeats. */
    heartbeat: z
      .strictObject({
        intervalMs: z.number().int().min(100).default(DEFAULT_HEARTBEAT.intervalMs),
        timeoutMs: z.number().int().min(50).default(DEFAULT_HEARTBEAT.timeoutMs),
        retries: z.number().int().min(0).max(10).default(DEFAULT_HEARTBEAT.retries),
      })
      .prefault({}),
  })
  .superRefine((config, ctx) => {
    if (config.transport !== 'routing' && config.host === undefined) {
      ctx.addIssue({
        code: 'custom',
        path: ['host'],
        message: `required for ${config.transport}: the KNXnet/IP server's address`,
      });
    }
  });

/** A parsed KNX gateway config. */
export type KnxConfig = z.output<typeof configSchema>;

/** `addresses[].point` of a KNX gateway. */
export const pointSchema = z.strictObject({
  /** The group address; default: the address key itself (`key: "4/7/25"`). */
  ga: groupAddressSchema.optional(),
  /** Datapoint type: `1.001`, `9.001`, `DPST-5-1`, `232.600`... */
  dpt: dptSchema,
  /** Another group address whose telegrams carry this point's state (a status / feedback object). */
  status: groupAddressSchema.optional(),
  /** Read the point when the connection comes up (overrides the gateway's `readOnStart`). */
  readOnStart: z.boolean().optional(),
  /** Whether `write` may send to it. Default true. */
  writable: z.boolean().default(true),
});

/** A parsed KNX point. */
export type KnxPoint = z.output<typeof pointSchema>;
