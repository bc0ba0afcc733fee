/**
 * The `northbound` section of site.yaml: one entry per broker target, each run as the supervised
 * peer `northbound_<id>`. The supervisor's site schema includes {@link northboundSchema}; the bridge
 * validates its configuration message with {@link bridgeConfigSchema}. Objects are strict: a
 * misspelt key is an error. Relative paths are relative to site.yaml.
 */
import { z } from 'zod';
import { NORTHBOUND_CONFIG_TYPE } from '../contract.js';

const pathSchema = z.string().min(1, 'expected a path');

/** A list: may be left empty in YAML. */
function list<T extends z.ZodType>(item: T) {
  return z
    .array(item)
    .nullish()
    .transform((items) => items ?? []);
}

const BROKER_PROTOCOLS = ['mqtt:', 'mqtts:', 'ws:', 'wss:'];

function isBrokerUrl(value: string): boolean {
  try {
    const url = new URL(value);
    return BROKER_PROTOCOLS.includes(url.protocol) && url.hostname !== '';
  } catch {
    return false;
  }
}

/** A topic template: `<site>`, `<gateway>`, `<key>` (and `<id>`) are replaced. */
const templateSchema = z
  .string()
  .min(1)
  .refine((t) => !/[+#\0]/.test(t), 'a topic template cannot hold the wildcards + or # (or NUL)');

/** `northbound[].tls`: PEM files. */
export const northboundTlsSchema = z
  .strictObject({
    /** CA certificate(s) that signed the broker's certificate. Default: the system's CAs. */
    ca: pathSchema.optional(),
    /** Client certificate, with `key`, for brokers that authenticate clients by certificate. */
    cert: pathSchema.optional(),
    key: pathSchema.optional(),
    /** Check the broker's certificate and name. Default true. */
    rejectUnauthorized: z.boolean().default(true),
  })
  .refine((tls) => (tls.cert === undefined) === (tls.key === undefined), {
    message: 'cert and key go together',
    path: ['key'],
  });

/** `northbound[].publish`: which values, when. */
export const publishSchema = z
  .strictObject({
    /** Address keys, names or aliases; `*` matches any run of characters. Default every address. */
    addresses: list(z.string().min(1)).transform((a) => (a.length === 0 ? ['*'] : a)),
    /** Only addresses of these gateway ids. Default every gateway. */
    gateways: list(z.union([z.number().int().nonnegative(), z.string().min(1)])),
    /** Publish every change (beyond `deadband`). Default true. */
    onChange: z.boolean().default(true),
    /** A number must move by at least this much (absolute) to count as a change. Default 0. */
    deadband: z.number().nonnegative().default(0),
    /** Republish every value this often, ms (also unchanged ones). Default: never. */
    periodMs: z.number().int().min(100).optional(),
  })
  .refine((p) => p.onChange || p.periodMs !== undefined, {
    message: 'with onChange: false, give periodMs',
    path: ['periodMs'],
  });

/** `northbound[].topics`: plain mode topic templates. */
export const topicsSchema = z.strictObject({
  /** Value topic. Default `weble/<site>/<gateway>/<key>`; writes arrive on `<topic>/set`. */
  value: templateSchema.default('weble/<site>/<gateway>/<key>'),
  /** Gateway state topic (retained). Default `weble/<site>/<gateway>/$state`. */
  gatewayState: templateSchema.default('weble/<site>/<gateway>/$state'),
  /** The bridge's online state (retained; the will sets it offline). Default `weble/<site>/$bridge/<id>`. */
  status: templateSchema.default('weble/<site>/$bridge/<id>'),
});

/** `northbound[].buffer`: the store-and-forward buffer on disk. */
export const bufferSchema = z.strictObject({
  /** Largest size on disk, MB; beyond it the oldest values are dropped (counted). Default 64. */
  maxMB: z.number().positive().max(65_536).default(64),
  /** Directory. Default `<hub socket dir>/northbound/<id>`. */
  dir: pathSchema.optional(),
});

const sparkplugIdSchema = z.string().regex(/^[^/+#\0]{1,64}$/, 'expected 1-64 characters without / + # or NUL');

/** `northbound[].sparkplug`: the ids of Sparkplug B mode. */
export const sparkplugSchema = z.strictObject({
  /** Group id. Default `weble`. */
  groupId: sparkplugIdSchema.default('weble'),
  /** Edge node id. Default the site's name. */
  edgeNodeId: sparkplugIdSchema.optional(),
});

/** One `northbound[]` entry. */
export const northboundSchema = z.strictObject({
  /** 1-64 letters, digits, `_` and `-`; the peer is `northbound_<id>`. */
  id: z.string().regex(/^[A-Za-z0-9_-]{1,64}$/, 'expected 1-64 letters, digits, _ or -'),
  /** Default true. A disabled entry is validated but not started. */
  enabled: z.boolean().default(true),
  /** `plain` topics with JSON payloads, or `sparkplug` (Sparkplug B 3.0). Default `plain`. */
  mode: z.enum(['plain', 'sparkplug']).default('plain'),
  sparkplug: sparkplugSchema.prefault({}),
  /** Broker URLs, tried in turn: `mqtt://`, `mqtts://`, `ws://`, `wss://`. */
  brokers: z
    .array(z.string().refine(isBrokerUrl, 'expected a broker URL: mqtt://, mqtts://, ws:// or wss://host[:port]'))
    .min(1, 'expected at least one broker URL'),
  /** 5 (MQTT 5) or 4 (MQTT 3.1.1). Default 5. */
  protocolVersion: z.union([z.literal(5), z.literal(4)]).default(5),
  /** Default `weble-<site>-<id>`. */
  clientId: z.string().min(1).max(128).optional(),
  username: z.string().min(1).optional(),
  password: z.string().optional(),
  tls: northboundTlsSchema.optional(),
  /** Keepalive, s. Default 30. */
  keepaliveS: z.number().int().min(0).max(65_535).default(30),
  /** Delay between reconnect attempts, ms. Default 1000. */
  reconnectMs: z.number().int().min(50).default(1000),
  /** The site's name in topics. Default the federation site name, else `site`. */
  site: z
    .string()
    .regex(/^[^/+#\0]{1,64}$/, 'expected 1-64 characters without / + # or NUL')
    .optional(),
  /** QoS of value messages: 0 or 1. Default 1 (the buffer guarantees delivery only at QoS 1). */
  qos: z.union([z.literal(0), z.literal(1)]).default(1),
  /** Retain value messages. Default true. */
  retain: z.boolean().default(true),
  topics: topicsSchema.prefault({}),
  publish: publishSchema.prefault({}),
  /** Addresses (keys, names, aliases, `*` patterns) that may be written from the broker. Default none. */
  writable: list(z.string().min(1)),
  buffer: bufferSchema.prefault({}),
});

/** A `northbound[]` entry after validation (defaults filled in). */
export type NorthboundConfig = z.output<typeof northboundSchema>;

/** The bridge process's configuration message: the entry, the site name and where its buffer lives. */
export const bridgeConfigSchema = z.strictObject({
  type: z.literal(NORTHBOUND_CONFIG_TYPE),
  northbound: northboundSchema,
  /** The site's name in topics when the entry has no `site`. */
  site: z.string().min(1),
  /** Absolute buffer directory (the supervisor resolves `buffer.dir` or its default). */
  bufferDir: z.string().min(1),
});

/** A parsed bridge configuration message. */
export type BridgeConfig = z.output<typeof bridgeConfigSchema>;
