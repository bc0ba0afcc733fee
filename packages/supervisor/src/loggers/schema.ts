/**
 * A logger's definition, the same in site.yaml `loggers:` and in `insertLogger`/`updateLogger`,
 * and the options of `history`. Objects are strict: a misspelt key is an error, never ignored.
 */
import { z } from 'zod';
import { AGGREGATES, MAX_POINTS } from './contract.js';

/** A logger name: 1-64 letters, digits, `_` and `-`. */
export const loggerNameSchema = z.string().regex(/^[A-Za-z0-9_-]{1,64}$/, 'expected 1-64 letters, digits, _ and -');

/** Record on change: every change, or only beyond a deadband, at most once per `minIntervalMs`. */
export const onChangeSchema = z.strictObject({
  /** Record only when the value moved at least this much from the last recorded value. */
  deadband: z.number().nonnegative().optional(),
  /** Record only when the value moved at least this percentage of the last recorded value. */
  deadbandPercent: z.number().nonnegative().max(1000).optional(),
  /** At most one record per this many ms (the latest change wins at the end of the interval). */
  minIntervalMs: z.number().int().nonnegative().optional(),
});

/** How long history is kept: days and/or megabytes (whichever is reached first). */
export const retentionSchema = z.strictObject({
  days: z.number().positive('must be positive (days of history to keep)').optional(),
  megabytes: z.number().positive('must be positive (megabytes of history to keep)').optional(),
});

/** `loggers[]`: a set of addresses recorded on change and/or by periodic sample. */
export const loggerSchema = z
  .strictObject({
    name: loggerNameSchema,
    /** Keys, names, aliases, or patterns with `*` and `?` (`boiler/*`). */
    addresses: z
      .array(z.string().min(1, 'expected an address key, name, alias or pattern'))
      .min(1, 'expected at least one address'),
    /** Default: every change. `false`: periodic samples only. */
    onChange: z.union([z.literal(false), onChangeSchema]).default({}),
    /** Also record the last value of each address this often, ms. */
    sampleMs: z.number().int().min(100).optional(),
    /** Default: 365 days. */
    retention: retentionSchema.default({ days: 365 }),
    /** Default true. A disabled logger records nothing; its history stays queryable. */
    enabled: z.boolean().default(true),
  })
  .refine((logger) => logger.onChange !== false || logger.sampleMs !== undefined, {
    path: ['sampleMs'],
    message: 'onChange is false and there is no sampleMs: the logger would record nothing',
  });

/** A logger after {@link loggerSchema}: defaults filled in. */
export type LoggerDefinition = z.output<typeof loggerSchema>;
/** A logger as written (defaults optional). */
export type LoggerInput = z.input<typeof loggerSchema>;

/** `history` options. Times are Dates or epoch ms; `to` defaults to now, `from` to one hour before `to`. */
export const historyOptionsSchema = z
  .strictObject({
    from: z.union([z.date(), z.number()]).optional(),
    to: z.union([z.date(), z.number()]).optional(),
    maxPoints: z.number().int().min(2).max(MAX_POINTS).optional(),
    aggregate: z.enum(AGGREGATES).default('raw'),
  })
  .transform((o, ctx) => {
    const to = o.to === undefined ? Date.now() : +o.to;
    const from = o.from === undefined ? to - 3_600_000 : +o.from;
    if (!Number.isFinite(from) || !Number.isFinite(to))
      ctx.addIssue({ code: 'custom', path: ['from'], message: 'expected valid times' });
    else if (from > to)
      ctx.addIssue({
        code: 'custom',
        path: ['from'],
        message: `${new Date(from).toISOString()} is after to (${new Date(to).toISOString()})`,
      });
    return { from, to, maxPoints: o.maxPoints, aggregate: o.aggregate };
  });

/** `history` options after {@link historyOptionsSchema}. */
export type HistoryOptions = z.output<typeof historyOptionsSchema>;
