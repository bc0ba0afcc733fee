/**
 * The BACnet gateway config and point schemas (zod 4, strict: unknown fields are errors).
 * Objects and properties are written as names (`analog-input:1`, `present-value`) or numbers
 * (`{ type: 130, instance: 1 }`, `property: 512` for proprietary ones) and come out canonical
 * (`analog-input:1`, `present-value`), so `driver.addresses()` shows them readable.
 */
import * as z from 'zod';
import { objectTypes, properties } from './bacnet-names.js';
import { MAX_INSTANCE, parseObject } from './object-refs.js';
import { BACNET_PORT } from './udp-transport.js';
import { WRITE_TAGS, isAnalogObject, isBinaryObject, isMultiStateObject } from './values.js';

export { MAX_INSTANCE, parseObject, parsePropertyId } from './object-refs.js';

const instanceSchema = z.number().int().min(0).max(MAX_INSTANCE);

/** `ip` or `ip:port` (IPv4). */
export const addressStringSchema = z
  .string()
  .regex(/^\d{1,3}(\.\d{1,3}){3}(:\d{1,5})?$/, 'expected "a.b.c.d" or "a.b.c.d:port"')
  .refine((text) => {
    const [ip, port] = text.split(':');
    return (
      (ip ?? '').split('.').every((part) => Number(part) <= 255) &&
      (port === undefined || (Number(port) >= 1 && Number(port) <= 65535))
    );
  }, 'address out of range');

function objectTypeNumber(type: string | number, ctx: z.RefinementCtx): number {
  if (typeof type === 'number') return type;
  const found = objectTypes.number(type);
  if (found === undefined) {
    ctx.addIssue({
      code: 'custom',
      message: `unknown object type "${type}" (e.g. analog-input, binary-output, multi-state-value, or a number)`,
    });
    return z.NEVER;
  }
  return found;
}

/** `analog-input:1`, `{ type: 'analog-input', instance: 1 }` or `{ type: 0, instance: 1 }` -> `analog-input:1`. */
export const objectSchema = z
  .union([
    z.string().regex(/^[A-Za-z0-9_-]+:\d+$/, 'expected "<object-type>:<instance>", e.g. "analog-input:1"'),
    z.strictObject({ type: z.union([z.string(), z.number().int().min(0).max(1023)]), instance: instanceSchema }),
  ])
  .transform((spec, ctx) => {
    const [type, instance] =
      typeof spec === 'string'
        ? [spec.slice(0, spec.lastIndexOf(':')), Number(spec.slice(spec.lastIndexOf(':') + 1))]
        : [spec.type, spec.instance];
    const typeNumber = objectTypeNumber(/^\d+$/.test(String(type)) ? Number(type) : type, ctx);
    if (instance > MAX_INSTANCE) {
      ctx.addIssue({ code: 'custom', message: `instance ${instance} is out of range (0 .. ${MAX_INSTANCE})` });
      return z.NEVER;
    }
    return `${objectTypes.name(typeNumber)}:${instance}`;
  });

/** `present-value`, `PRESENT_VALUE` or 85 -> `present-value`. */
export const propertySchema = z.union([z.string(), z.number().int().min(0).max(4_194_303)]).transform((spec, ctx) => {
  if (typeof spec === 'number') return properties.name(spec);
  const found = /^\d+$/.test(spec) ? Number(spec) : properties.number(spec);
  if (found === undefined) {
    ctx.addIssue({
      code: 'custom',
      message: `unknown property "${spec}" (e.g. present-value, status-flags, or a number)`,
    });
    return z.NEVER;
  }
  return properties.name(found);
});

const deviceSchema = z.strictObject({
  /** Device object instance (the device id). */
  instance: instanceSchema,
  /** Fixed `ip[:port]`; without it the device is found by Who-Is / I-Am. */
  address: addressStringSchema.optional(),
  name: z.string().max(200).optional(),
  /** Largest APDU the device takes (overrides its I-Am), bytes. */
  maxApdu: z.number().int().min(50).max(1476).optional(),
});

/** The gateway config. */
export const configSchema = z
  .strictObject({
    /** Local UDP port; 0 lets the OS choose. */
    port: z.number().int().min(0).max(65535).default(BACNET_PORT),
    /** Local address to bind. */
    interface: z.string().default('0.0.0.0'),
    /** Where Who-Is goes: `ip[:port]` (e.g. `192.168.1.255`, `127.255.255.255:47809`). */
    broadcastAddress: addressStringSchema.default(`255.255.255.255:${BACNET_PORT}`),
    /** Time for one request, ms. */
    apduTimeoutMs: z.number().int().min(50).max(60_000).default(3_000),
    /** Tries after a timeout (not after an error answer). */
    retries: z.number().int().min(0).max(10).default(2),
    /** Write priority when the point names none (1 highest .. 16 lowest). */
    priority: z.number().int().min(1).max(16).default(16),
    /** Default poll period of points, ms (points not served by COV). */
    pollMs: z.number().int().min(100).max(86_400_000).default(10_000),
    /** COV subscriptions. */
    cov: z
      .strictObject({
        enabled: z.boolean().default(true),
        /** Subscription lifetime, s (renewed before it ends). */
        lifetimeS: z.number().int().min(10).max(86_400).default(300),
        /** Ask for confirmed notifications. */
        confirmed: z.boolean().default(false),
      })
      .default({ enabled: true, lifetimeS: 300, confirmed: false }),
    /** Who-Is at start for every device without an address. */
    discoverAtStart: z.boolean().default(true),
    devices: z.array(deviceSchema).default([]),
  })
  .superRefine((config, ctx) => {
    const seen = new Map<number, number>();
    config.devices.forEach((device, index) => {
      const first = seen.get(device.instance);
      if (first !== undefined)
        ctx.addIssue({
          code: 'custom',
          path: ['devices', index, 'instance'],
          message: `duplicate device ${device.instance} (first at devices[${first}])`,
        });
      else seen.set(device.instance, index);
    });
  });

/** One point: a property of an object of a device. */
export const pointSchema = z.strictObject({
  /** Device instance. */
  device: instanceSchema,
  object: objectSchema,
  property: propertySchema.default('present-value'),
  /** Array index (e.g. one slot of priority-array). */
  index: z.number().int().min(0).max(4_294_967_294).optional(),
  /** Poll period of this point, ms (default the gateway's `pollMs`). */
  intervalMs: z.number().int().min(100).max(86_400_000).optional(),
  /** Subscribe to COV (default: yes for present-value when the gateway's `cov.enabled`). */
  cov: z.boolean().optional(),
  /** Write priority (default the gateway's `priority`). */
  priority: z.number().int().min(1).max(16).optional(),
  /** Report `{ value, flags }` with the object's status-flags instead of the bare value. */
  status: z.boolean().default(false),
  /** Application tag of writes (default from the object type: analog real, binary enumerated, multi-state unsigned). */
  writeTag: z.enum(Object.keys(WRITE_TAGS) as [keyof typeof WRITE_TAGS, ...Array<keyof typeof WRITE_TAGS>]).optional(),
});

export type BacnetConfig = z.output<typeof configSchema>;
export type BacnetPoint = z.output<typeof pointSchema>;
export type BacnetDeviceConfig = z.output<typeof deviceSchema>;

const number = z.number().refine(Number.isFinite, 'expected a finite number');

/** Values written to a point; null relinquishes the point's priority slot. */
export function valueSchemaOf(point: BacnetPoint): z.ZodType<unknown> {
  const object = parseObject(point.object);
  if (point.property === 'present-value' && point.writeTag === undefined) {
    if (isAnalogObject(object.type)) return number.nullable();
    if (isBinaryObject(object.type)) return z.union([z.boolean(), z.literal(0), z.literal(1)]).nullable();
    if (isMultiStateObject(object.type)) return z.number().int().min(1).nullable();
  }
  return z.union([number, z.boolean(), z.string(), z.null()]);
}

/** Options of `driver.discover` (the driver checks them without zod: discover-options.ts, the same rules). */
export const discoverOptionsSchema = z
  .strictObject({
    /** Only this device (Who-Is with low = high limit). */
    instance: z.number().int().min(0).max(MAX_INSTANCE).optional(),
    lowLimit: z.number().int().min(0).max(MAX_INSTANCE).optional(),
    highLimit: z.number().int().min(0).max(MAX_INSTANCE).optional(),
    /** How long to listen for I-Am, ms. */
    waitMs: z.number().int().min(50).max(30_000).default(2_000),
    /** Also read each device's name and object list with the objects' names. */
    objects: z.boolean().default(false),
  })
  .default({ waitMs: 2_000, objects: false });
