/**
 * The schema of a gateway's `framing`: how the byte stream is cut into frames (`delimiter`,
 * `length`, `idle`, `regex`, `frame`), and the `layout` each frame must fit (header fields, a
 * length, the payload, a checksum), available in every framing. With `frame`, either the layout or
 * the shorthand `start`/`length`/`checksum`/`end`.
 */
import * as z from 'zod';
import { CHECKSUM_TYPES } from './checksum.js';
import { bytesSchema, escapedText, regexFlags, regexSource } from './config-parts.js';
import type { ElementConfig } from './layout.js';
import { checkLayout, layoutSchema } from './layout-schema.js';
import { regexProblem } from './regex.js';

const maxLength = z.number().int().min(1).max(1_048_576).default(1024);

/** What every framing may add: the layout of its frames, and whether its non-fixed elements are hex digits. */
const layoutFields = {
  /** The frame element by element; frames that do not fit it (or fail its checksum) are never values. */
  layout: layoutSchema.optional(),
  /** Header fields, length, payload and checksum as two ASCII hex digits per byte (Modbus ASCII). */
  hex: z.boolean().optional(),
};

/** Check a framing's layout (`stream`: frames are cut by the layout itself). */
function refineLayout(
  framing: { layout?: ElementConfig[] | undefined; hex?: boolean | undefined },
  maxBytes: number,
  stream: boolean,
  ctx: z.RefinementCtx,
): void {
  if (framing.layout)
    checkLayout(framing.layout, { hex: framing.hex ?? false, maxLength: maxBytes, stream }, ctx, ['layout']);
  else if (framing.hex !== undefined) ctx.addIssue({ code: 'custom', path: ['hex'], message: 'hex needs a layout' });
}

/** The `frame` framing's shorthand fields. */
const shorthand = {
  start: bytesSchema.optional(),
  end: bytesSchema.optional(),
  length: z
    .strictObject({
      size: z.union([z.literal(1), z.literal(2)]).default(1),
      endian: z.enum(['big', 'little']).default('big'),
      adjust: z.number().int().default(0),
    })
    .optional(),
  checksum: z
    .strictObject({
      type: z.enum(CHECKSUM_TYPES),
      endian: z.enum(['big', 'little']).optional(),
      covers: z.enum(['payload', 'after-start', 'all']).default('after-start'),
      position: z.enum(['before-end', 'after-end']).default('before-end'),
    })
    .optional(),
};

/** How the byte stream is cut into frames. */
export const framingSchema = z.discriminatedUnion('type', [
  /** Frames end with `delimiter` (text with escapes; default `\n`; a trailing `\r` is stripped from text frames). */
  z
    .strictObject({ type: z.literal('delimiter'), delimiter: escapedText.default('\\n'), maxLength, ...layoutFields })
    .superRefine((f, ctx) => refineLayout(f, f.maxLength, false, ctx)),
  /** Frames of exactly `length` bytes. */
  z
    .strictObject({ type: z.literal('length'), length: z.number().int().min(1).max(65_536), ...layoutFields })
    .superRefine((f, ctx) => refineLayout(f, f.length, false, ctx)),
  /** A frame ends after `idleMs` of silence (inter-byte timeout), or at `maxLength` bytes. */
  z
    .strictObject({ type: z.literal('idle'), idleMs: z.number().int().min(1).max(60_000), maxLength, ...layoutFields })
    .superRefine((f, ctx) => refineLayout(f, f.maxLength, false, ctx)),
  /** Text split where `regex` matches (the matches are dropped). */
  z
    .strictObject({ type: z.literal('regex'), regex: regexSource, flags: regexFlags, maxLength, ...layoutFields })
    .superRefine((f, ctx) => {
      const problem = f.flags && !regexProblem(f.regex) ? regexProblem(f.regex, f.flags) : undefined;
      if (problem) ctx.addIssue({ code: 'custom', path: ['flags'], message: `with flags "${f.flags}": ${problem}` });
      refineLayout(f, f.maxLength, false, ctx);
    }),
  /** Binary frames cut by their own layout: `layout`, or the shorthand start/length/checksum/end. */
  z.strictObject({ type: z.literal('frame'), ...shorthand, maxLength, ...layoutFields }).superRefine((frame, ctx) => {
    if (frame.layout) {
      const mixed = (['start', 'end', 'length', 'checksum'] as const).filter((key) => frame[key] !== undefined);
      for (const key of mixed)
        ctx.addIssue({
          code: 'custom',
          path: [key],
          message: `use either layout or the shorthand start/end/length/checksum, not both (${key} is in the layout's place)`,
        });
      return refineLayout(frame, frame.maxLength, true, ctx);
    }
    if (frame.hex !== undefined) ctx.addIssue({ code: 'custom', path: ['hex'], message: 'hex needs a layout' });
    if (!frame.start)
      return ctx.addIssue({ code: 'custom', path: ['start'], message: 'a frame needs start bytes (or a layout)' });
    if (!frame.length && !frame.end)
      ctx.addIssue({ code: 'custom', message: 'a frame needs a length field or end bytes to know where it stops' });
    if (frame.checksum?.position === 'after-end' && !frame.end)
      ctx.addIssue({ code: 'custom', path: ['checksum', 'position'], message: '"after-end" needs end bytes' });
  }),
]);

/** How a serial gateway frames its bytes. */
export type Framing = z.output<typeof framingSchema>;
