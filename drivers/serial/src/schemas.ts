/**
 * Schemas of the serial driver: the gateway config (port settings, framing, timing) and the
 * points (how a value is found in a frame, polled, written). Objects are strict, so a misspelt
 * field is reported. Regular expressions and templates are checked here, with a message naming
 * the problem; the parsed config stays plain data (strings, numbers, byte arrays).
 */
import { z } from '@weble/driver-kit';
import { BINARY_TYPES } from './binary-types.js';
import { parseHex, unescape } from './bytes.js';
import { CHECKSUM_TYPES } from './checksum.js';
import { regexProblem, regexGroups } from './regex.js';
import { parseTemplate } from './template.js';

const ENCODINGS = ['utf8', 'latin1', 'ascii'] as const;

/** Bytes written as hex (`"02"`, `"0d 0a"`) or as an array of byte numbers; output: an array of numbers. */
export const bytesSchema = z.unknown().transform((input, ctx): number[] => {
  if (typeof input === 'string') {
    const bytes = parseHex(input);
    if (bytes) return Array.from(bytes);
    ctx.addIssue({ code: 'custom', message: `expected hex bytes like "02" or "0d 0a", got ${JSON.stringify(input)}` });
    return z.NEVER;
  }
  if (Array.isArray(input) && input.length > 0 && input.every((b) => Number.isInteger(b) && b >= 0 && b <= 255)) return input as number[];
  ctx.addIssue({ code: 'custom', message: 'expected hex bytes like "02" or "0d 0a", or an array of byte numbers (0-255)' });
  return z.NEVER;
});

/** Text with escapes (`\r`, `\n`, `\xHH`...), checked. */
const escapedText = z.string().min(1).superRefine((text, ctx) => {
  const result = unescape(text);
  if ('error' in result) ctx.addIssue({ code: 'custom', message: result.error });
});

/** A regular expression source, compiled to check it; `flags` from `imsu`. */
const regexSource = z.string().min(1).superRefine((source, ctx) => {
  const problem = regexProblem(source);
  if (problem) ctx.addIssue({ code: 'custom', message: problem });
});
const regexFlags = z.string().regex(/^[imsu]*$/, 'flags: only i, m, s, u').optional();

const maxLength = z.number().int().min(1).max(1_048_576).default(1024);

/** How the byte stream is cut into frames. */
export const framingSchema = z.discriminatedUnion('type', [
  /** Frames end with `delimiter` (text with escapes; default `\n`; a trailing `\r` is stripped from text frames). */
  z.strictObject({ type: z.literal('delimiter'), delimiter: escapedText.default('\\n'), maxLength }),
  /** Frames of exactly `length` bytes. */
  z.strictObject({ type: z.literal('length'), length: z.number().int().min(1).max(65_536) }),
  /** A frame ends after `idleMs` of silence (inter-byte timeout), or at `maxLength` bytes. */
  z.strictObject({ type: z.literal('idle'), idleMs: z.number().int().min(1).max(60_000), maxLength }),
  /** Text split where `regex` matches (the matches are dropped). */
  z
    .strictObject({ type: z.literal('regex'), regex: regexSource, flags: regexFlags, maxLength })
    .superRefine((f, ctx) => {
      const problem = f.flags && !regexProblem(f.regex) ? regexProblem(f.regex, f.flags) : undefined;
      if (problem) ctx.addIssue({ code: 'custom', path: ['flags'], message: `with flags "${f.flags}": ${problem}` });
    }),
  /** Binary frames: start bytes, optional length field, payload, optional checksum, optional end bytes. */
  z
    .strictObject({
      type: z.literal('frame'),
      start: bytesSchema,
      end: bytesSchema.optional(),
      length: z
        .strictObject({ size: z.union([z.literal(1), z.literal(2)]).default(1), endian: z.enum(['big', 'little']).default('big'), adjust: z.number().int().default(0) })
        .optional(),
      checksum: z
        .strictObject({
          type: z.enum(CHECKSUM_TYPES),
          endian: z.enum(['big', 'little']).optional(),
          covers: z.enum(['payload', 'after-start', 'all']).default('after-start'),
          position: z.enum(['before-end', 'after-end']).default('before-end'),
        })
        .optional(),
      maxLength,
    })
    .superRefine((frame, ctx) => {
      if (!frame.length && !frame.end) ctx.addIssue({ code: 'custom', message: 'a frame needs a length field or end bytes to know where it stops' });
      if (frame.checksum?.position === 'after-end' && !frame.end) ctx.addIssue({ code: 'custom', path: ['checksum', 'position'], message: '"after-end" needs end bytes' });
    }),
]);

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
    /** Binary frames: only frames whose payload starts with these bytes. */
    prefix: bytesSchema.optional(),
    /** Binary frames: the field holding the value. */
    field: z.strictObject({ offset: z.number().int().min(0), type: z.enum(BINARY_TYPES), endian: z.enum(['big', 'little']).default('big') }).optional(),
    /** Numbers: `raw * scale + add`. */
    scale: z.number().refine((n) => n !== 0, 'must not be 0').default(1),
    add: z.number().default(0),
    /** Text (or number as text) mapped to a value: `{ "ON": true, "OFF": false }`. */
    map: z.record(z.string(), z.union([z.number(), z.boolean(), z.string()])).optional(),
  })
  .superRefine((m, ctx) => {
    if (m.regex === undefined && m.prefix === undefined && m.field === undefined) {
      ctx.addIssue({ code: 'custom', message: 'give a regex (text frames), or a prefix and/or field (binary frames)' });
    }
    if (m.regex !== undefined && m.field !== undefined) ctx.addIssue({ code: 'custom', path: ['field'], message: 'use either regex or field, not both' });
    if (m.regex !== undefined && m.flags && !regexProblem(m.regex)) {
      const problem = regexProblem(m.regex, m.flags);
      if (problem) ctx.addIssue({ code: 'custom', path: ['flags'], message: `with flags "${m.flags}": ${problem}` });
    }
    if (m.group !== undefined && m.regex !== undefined && !regexProblem(m.regex)) {
      const groups = regexGroups(m.regex);
      if (!groups.includes(m.group)) {
        ctx.addIssue({ code: 'custom', path: ['group'], message: `the regex has no group named "${m.group}" (named groups: ${groups.join(', ') || 'none'})` });
      }
    }
    if (m.group !== undefined && m.regex === undefined) ctx.addIssue({ code: 'custom', path: ['group'], message: 'group needs a regex' });
  });

/** A command template (`"SET ${value}\r\n"`), checked. */
const templateSchema = z.string().min(1).superRefine((source, ctx) => {
  const parsed = parseTemplate(source);
  if ('error' in parsed) ctx.addIssue({ code: 'custom', message: parsed.error });
});

/** A serial point: its value type and how it is read (unsolicited frames, polling) and written. */
export const pointSchema = z
  .strictObject({
    type: z.enum(['number', 'boolean', 'string']),
    /** Unsolicited frames this point takes its value from. */
    read: matchSchema.optional(),
    /** Request/response: `command` sent every `pollMs` (or on `driver.read`), the answer matched by `reply`. */
    poll: z.strictObject({ command: templateSchema, reply: matchSchema, timeoutMs: z.number().int().min(1).max(60_000).optional(), retries: z.number().int().min(0).max(10).optional() }).optional(),
    /** Writes: `command` with `${value}`; optionally wait for `reply`, fail on `reject`. */
    write: z
      .strictObject({
        command: templateSchema,
        /** Numbers: the command gets `value / scale` (e.g. 0.1 sends 23.5 as 235). */
        scale: z.number().refine((n) => n !== 0, 'must not be 0').optional(),
        reply: matchSchema.optional(),
        reject: matchSchema.optional(),
        timeoutMs: z.number().int().min(1).max(60_000).optional(),
        retries: z.number().int().min(0).max(10).optional(),
      })
      .optional(),
  })
  .superRefine((p, ctx) => {
    if (!p.read && !p.poll && !p.write) ctx.addIssue({ code: 'custom', message: 'a point needs read, poll or write' });
    if (p.write?.reject && !p.write.reply) ctx.addIssue({ code: 'custom', path: ['write', 'reject'], message: 'reject needs a reply pattern' });
  });

/** Gateway config of the serial driver. */
export type SerialConfig = z.output<typeof configSchema>;
/** How a serial gateway frames its bytes. */
export type Framing = z.output<typeof framingSchema>;
/** A point of the serial driver. */
export type SerialPoint = z.output<typeof pointSchema>;
/** Where a value is found in a frame. */
export type Match = z.output<typeof matchSchema>;

const valueSchemas = { number: z.number(), boolean: z.boolean(), string: z.string() } as const;

/** The schema of values a point accepts. */
export function valueSchemaOf(point: SerialPoint): z.ZodType<unknown> {
  return valueSchemas[point.type];
}
