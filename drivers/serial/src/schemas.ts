/**
 * Schemas of the serial driver: the gateway config (port settings, framing, timing) and the
 * points (how a value is found in a frame, polled, written). Objects are strict, so a misspelt
 * field is reported. Regular expressions and templates are checked here, with a message naming
 * the problem; the parsed config stays plain data (strings, numbers, byte arrays).
 */
import * as z from 'zod';
import { BINARY_TYPES } from './binary-types.js';
import { bytesSchema, regexFlags, regexSource } from './config-parts.js';
import { framingSchema } from './framing-schema.js';
import { regexGroups, regexProblem } from './regex.js';
import { parseTemplate } from './template.js';

export { bytesSchema } from './config-parts.js';
export { framingSchema, type Framing } from './framing-schema.js';

const ENCODINGS = ['utf8', 'latin1', 'ascii'] as const;

/** Gateway config: the port, its settings, the framing and the request timing. */
export const configSchema = z.strictObject({
  /** Device path (`/dev/ttyUSB0`, `/dev/serial/by-id/...`). */
  path: z.string().min(1),
  baudRate: z.number().int().positive().default(9600),
  dataBits: z.union([z.literal(5), z.literal(6), z.literal(7), z.literal(8)]).default(8),
  stopBits: z.union([z.literal(1), z.literal(1.5), z.literal(2)]).default(1),
  parity: z.enum(['none', 'even', 'odd', 'mark', 'space']).default('none'),
  flowControl: z.enum(['none', 'rtscts', 'xonxoff']).default('none'),
  /** Text encoding of frames and templates. */
  encoding: z.enum(ENCODINGS).default('utf8'),
  framing: framingSchema.default({ type: 'delimiter', delimiter: '\\n', maxLength: 1024 }),
  /** Period of polled points, ms. */
  pollMs: z.number().int().min(10).max(86_400_000).default(1000),
  /** Time for an answer to a request, ms. */
  timeoutMs: z.number().int().min(1).max(60_000).default(1000),
  /** Extra attempts of a request that got no answer. */
  retries: z.number().int().min(0).max(10).default(2),
  /** Report the device offline after this long without any frame (ms); off by default. */
  silenceMs: z.number().int().min(10).optional(),
});

/** Where a value is in a frame: a regex (text) or a binary field; then scaled and mapped. */
export const matchSchema = z
  .strictObject({
    /** Text frames: the value is the named group `group` (default `value`, else the first group, else the match). */
    regex: regexSource.optional(),
    flags: regexFlags,
    group: z.string().min(1).optional(),
    /** Frames with a layout: only frames whose header fields have these values (`{ address: 1 }`). */
    fields: z.record(z.string(), z.number().int().min(0)).optional(),
    /** Binary frames: only frames whose payload starts with these bytes. */
    prefix: bytesSchema.optional(),
    /** Binary frames: the field holding the value. */
    field: z
      .strictObject({
        offset: z.number().int().min(0),
        type: z.enum(BINARY_TYPES),
        endian: z.enum(['big', 'little']).default('big'),
      })
      .optional(),
    /** Numbers: `raw * scale + add`. */
    scale: z
      .number()
      .refine((n) => n !== 0, 'must not be 0')
      .default(1),
    add: z.number().default(0),
    /** Text (or number as text) mapped to a value: `{ "ON": true, "OFF": false }`. */
    map: z.record(z.string(), z.union([z.number(), z.boolean(), z.string()])).optional(),
  })
  .superRefine((m, ctx) => {
    if (m.regex === undefined && m.prefix === undefined && m.field === undefined && m.fields === undefined) {
      ctx.addIssue({
        code: 'custom',
        message: 'give a regex (text frames), or a prefix and/or field (binary frames), or header fields',
      });
    }
    if (m.regex !== undefined && m.field !== undefined)
      ctx.addIssue({ code: 'custom', path: ['field'], message: 'use either regex or field, not both' });
    if (m.regex !== undefined && m.flags && !regexProblem(m.regex)) {
      const problem = regexProblem(m.regex, m.flags);
      if (problem) ctx.addIssue({ code: 'custom', path: ['flags'], message: `with flags "${m.flags}": ${problem}` });
    }
    if (m.group !== undefined && m.regex !== undefined && !regexProblem(m.regex)) {
      const groups = regexGroups(m.regex);
      if (!groups.includes(m.group)) {
        ctx.addIssue({
          code: 'custom',
          path: ['group'],
          message: `the regex has no group named "${m.group}" (named groups: ${groups.join(', ') || 'none'})`,
        });
      }
    }
    if (m.group !== undefined && m.regex === undefined)
      ctx.addIssue({ code: 'custom', path: ['group'], message: 'group needs a regex' });
  });

/** A command template (`"SET ${value}\r\n"`), checked. */
const templateSchema = z
  .string()
  .min(1)
  .superRefine((source, ctx) => {
    const parsed = parseTemplate(source);
    if ('error' in parsed) ctx.addIssue({ code: 'custom', message: parsed.error });
  });

/** Header field values of a request's frame (`{ address: 1, command: 3 }`), over the layout's `value`s. */
const requestFields = z.record(z.string(), z.number().int().min(0).max(0xffffffff)).optional();

/** A serial point: its value type and how it is read (unsolicited frames, polling) and written. */
export const pointSchema = z
  .strictObject({
    type: z.enum(['number', 'boolean', 'string']),
    /** Unsolicited frames this point takes its value from. */
    read: matchSchema.optional(),
    /** Request/response: `command` sent every `pollMs` (or on `driver.read`), the answer matched by `reply`. */
    poll: z
      .strictObject({
        command: templateSchema.optional(),
        fields: requestFields,
        reply: matchSchema,
        timeoutMs: z.number().int().min(1).max(60_000).optional(),
        retries: z.number().int().min(0).max(10).optional(),
      })
      .optional(),
    /** Writes: `command` with `${value}`; optionally wait for `reply`, fail on `reject`. */
    write: z
      .strictObject({
        command: templateSchema.optional(),
        fields: requestFields,
        /** Numbers: the command gets `value / scale` (e.g. 0.1 sends 23.5 as 235). */
        scale: z
          .number()
          .refine((n) => n !== 0, 'must not be 0')
          .optional(),
        reply: matchSchema.optional(),
        reject: matchSchema.optional(),
        timeoutMs: z.number().int().min(1).max(60_000).optional(),
        retries: z.number().int().min(0).max(10).optional(),
      })
      .optional(),
  })
  .superRefine((p, ctx) => {
    if (!p.read && !p.poll && !p.write) ctx.addIssue({ code: 'custom', message: 'a point needs read, poll or write' });
    for (const key of ['poll', 'write'] as const) {
      const request = p[key];
      if (request && request.command === undefined && request.fields === undefined)
        ctx.addIssue({
          code: 'custom',
          path: [key, 'command'],
          message: 'a request needs a command, or header fields (with a layout)',
        });
    }
    if (p.write?.reject && !p.write.reply)
      ctx.addIssue({ code: 'custom', path: ['write', 'reject'], message: 'reject needs a reply pattern' });
  });

/** Gateway config of the serial driver. */
export type SerialConfig = z.output<typeof configSchema>;
/** A point of the serial driver. */
export type SerialPoint = z.output<typeof pointSchema>;
/** Where a value is found in a frame. */
export type Match = z.output<typeof matchSchema>;

const valueSchemas = { number: z.number(), boolean: z.boolean(), string: z.string() } as const;

/** The schema of values a point accepts. */
export function valueSchemaOf(point: SerialPoint): z.ZodType<unknown> {
  return valueSchemas[point.type];
}
