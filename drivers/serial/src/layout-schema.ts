/**
 * The zod schema of a frame layout as written in site.yaml: a list of elements, each one of
 * `payload`, `{ fixed }`, `{ field }`, `{ length }`, `{ checksum }`. The whole list is compiled
 * (`compileLayout`) to check names, ranges and order; problems carry their path in the list.
 */
import * as z from 'zod';
import { bytesSchema } from './config-parts.js';
import { CHECKSUM_TYPES } from './checksum.js';
import { compileLayout, endRule, type ElementConfig, type Layout } from './layout.js';

const endian = z.enum(['big', 'little']);
const fieldSize = z.union([z.literal(1), z.literal(2), z.literal(4)]);
const elementName = z.string().regex(/^[A-Za-z_][A-Za-z0-9_-]*$/, 'a name of letters, digits, _ and -');
const hex = z.boolean().optional();

/** One element of a layout. */
export const elementSchema = z.union([
  /** The payload: what commands fill and points read. */
  z.literal('payload'),
  z.strictObject({ payload: z.literal(true), hex }),
  /** Fixed bytes (hex or byte numbers): a start or end sequence, a separator. */
  z.strictObject({ fixed: bytesSchema, name: elementName.optional() }),
  /** A header field: an unsigned integer (address, command, status...). */
  z.strictObject({
    field: elementName,
    size: fieldSize.default(1),
    endian: endian.default('big'),
    hex,
    /** The value requests carry when the point does not give one. */
    value: z.number().int().min(0).max(0xffffffff).optional(),
    /** Replies carry the request's value (an address, a command echo): another value is not the answer. */
    echo: z.boolean().default(false),
  }),
  /** The length field: it counts `payload` (default) or the elements `from`..`to`; counted bytes = value + adjust. */
  z.strictObject({
    length: z.strictObject({
      size: fieldSize.default(1),
      endian: endian.default('big'),
      hex,
      adjust: z.number().int().default(0),
      counts: z
        .union([z.literal('payload'), z.strictObject({ from: elementName, to: elementName })])
        .default('payload'),
    }),
  }),
  /** The checksum over the elements `from`..`to` (default: after the first fixed bytes, up to the checksum). */
  z.strictObject({
    checksum: z.strictObject({
      type: z.enum(CHECKSUM_TYPES),
      endian: endian.optional(),
      hex,
      from: elementName.optional(),
      to: elementName.optional(),
    }),
  }),
]);

/** A layout: at least one element. */
export const layoutSchema = z.array(elementSchema).min(1);

type RefineCtx = z.RefinementCtx;

/**
 * Compile `elements` and report every problem under `path` (e.g. `['layout']`). With `stream`,
 * also check that frames can be cut from a byte stream (the `frame` framing). Returns the layout
 * when it is valid.
 */
export function checkLayout(
  elements: readonly ElementConfig[],
  options: { hex: boolean; maxLength: number; stream: boolean },
  ctx: RefineCtx,
  path: Array<string | number>,
): Layout | undefined {
  const layout = compileLayout(elements, options);
  if ('problems' in layout) {
    for (const problem of layout.problems)
      ctx.addIssue({ code: 'custom', path: [...path, ...problem.path], message: problem.message });
    return undefined;
  }
  if (!options.stream) return layout;
  if (layout.elements[0]?.kind !== 'fixed') {
    ctx.addIssue({
      code: 'custom',
      path: [...path, 0],
      message: "a frame framing's layout starts with fixed bytes (the start sequence the decoder looks for)",
    });
    return undefined;
  }
  const rule = endRule(layout);
  if ('problem' in rule) {
    ctx.addIssue({ code: 'custom', path, message: rule.problem });
    return undefined;
  }
  return layout;
}
