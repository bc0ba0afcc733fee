/**
 * Schemas of the virtual driver: the gateway config, the points, and the values each point
 * accepts. Objects are strict, so a misspelt field is reported instead of ignored.
 */
import * as z from 'zod';

/** Gateway config: `{ tickMs?: number }` (ms between two samples of simulated points; default 1000). */
export const configSchema = z.strictObject({
  tickMs: z.number().int().min(5).max(3_600_000).default(1_000),
});

/** Refinement: `max` is above `min`. */
function rangeOrdered(sim: { min: number; max: number }, ctx: z.RefinementCtx): void {
  if (!(sim.max > sim.min))
    ctx.addIssue({ code: 'custom', path: ['max'], message: `must be greater than min (${sim.min})` });
}

const sine = z
  .strictObject({
    kind: z.literal('sine'),
    min: z.number(),
    max: z.number(),
    periodMs: z.number().int().positive(),
    phase: z.number().min(0).max(1).optional(),
  })
  .superRefine(rangeOrdered);

const randomWalk = z
  .strictObject({
    kind: z.literal('random-walk'),
    min: z.number(),
    max: z.number(),
    step: z.number().positive(),
    start: z.number().optional(),
  })
  .superRefine(rangeOrdered);

const toggle = z.strictObject({ kind: z.literal('toggle'), periodMs: z.number().int().positive() });

/** A virtual point: its value type, first value, and optionally a simulation that moves it. */
export const pointSchema = z.discriminatedUnion('type', [
  z.strictObject({
    type: z.literal('number'),
    initial: z.number().optional(),
    simulate: z.discriminatedUnion('kind', [sine, randomWalk]).optional(),
  }),
  z.strictObject({ type: z.literal('boolean'), initial: z.boolean().optional(), simulate: toggle.optional() }),
  z.strictObject({ type: z.literal('string'), initial: z.string().optional() }),
  z.strictObject({ type: z.literal('json'), initial: z.json().optional() }),
]);

/** Gateway config of the virtual driver. */
export type VirtualConfig = z.output<typeof configSchema>;
/** A point of the virtual driver. */
export type VirtualPoint = z.output<typeof pointSchema>;
/** The value types of points. */
export type VirtualType = VirtualPoint['type'];

const valueSchemas = {
  number: z.number(),
  boolean: z.boolean(),
  string: z.string(),
  json: z.json(),
} as const satisfies Record<VirtualType, z.ZodType>;

/** The schema of values a point accepts. */
export function valueSchemaOf(point: VirtualPoint): z.ZodType<unknown> {
  return valueSchemas[point.type];
}

export { initialValue } from './initial-value.js';
