/**
 * An alarm's definition, the same in site.yaml `alarms:` and in `insertAlarm`/`updateAlarm`, the
 * comment of `ack` and the query of `history`. Objects are strict: a misspelt key is an error,
 * never ignored.
 */
import { z } from 'zod';
import {
  ALARM_HAPPENINGS,
  ALARM_KINDS,
  ALARM_STATES,
  HISTORY_DEFAULT_LIMIT,
  HISTORY_MAX_LIMIT,
  SEVERITIES,
} from './contract.js';

/** An alarm id: 1-64 letters, digits, `_`, `-` and `.`. */
export const alarmIdSchema = z.string().regex(/^[A-Za-z0-9_.-]{1,64}$/, 'expected 1-64 letters, digits, _ - and .');

/** `alarms[]`: one condition on one address. */
export const alarmSchema = z
  .strictObject({
    id: alarmIdSchema,
    /** Key, name or alias of the address watched. */
    address: z.string().min(1, 'expected an address key, name or alias'),
    /** `high` (value above `limit`), `low` (below `limit`), `state` (value equals `equals`), `commLoss` (quality not good). */
    kind: z.enum(ALARM_KINDS),
    /** high/low: the limit (active when the value is strictly beyond it). */
    limit: z.number().optional(),
    /** high/low: the value must come back this far inside the limit to clear. Default 0. */
    hysteresis: z.number().nonnegative().optional(),
    /** state: the value that is the alarm. Default true (a boolean point; numbers: non-zero is true). */
    equals: z.union([z.boolean(), z.number(), z.string()]).optional(),
    /** The condition must hold this long before the alarm is raised, ms. Default 0. */
    delayMs: z.number().int().min(0).max(86_400_000).default(0),
    /** Default `major`. */
    severity: z.enum(SEVERITIES).default('major'),
    /** What the operator reads. Default: made from the address and the condition. */
    message: z.string().min(1).max(500).optional(),
    /** Default true. A disabled alarm is never raised (an active one clears). */
    enabled: z.boolean().default(true),
  })
  .superRefine((alarm, ctx) => {
    const limited = alarm.kind === 'high' || alarm.kind === 'low';
    if (limited && alarm.limit === undefined)
      ctx.addIssue({ code: 'custom', path: ['limit'], message: `a ${alarm.kind} alarm needs a limit (a number)` });
    if (!limited && alarm.limit !== undefined)
      ctx.addIssue({
        code: 'custom',
        path: ['limit'],
        message: `a ${alarm.kind} alarm has no limit (only high and low alarms do)`,
      });
    if (!limited && alarm.hysteresis !== undefined)
      ctx.addIssue({
        code: 'custom',
        path: ['hysteresis'],
        message: `a ${alarm.kind} alarm has no hysteresis (only high and low alarms do)`,
      });
    if (alarm.kind !== 'state' && alarm.equals !== undefined)
      ctx.addIssue({
        code: 'custom',
        path: ['equals'],
        message: `a ${alarm.kind} alarm has no equals (only state alarms do)`,
      });
  });

/** An alarm after {@link alarmSchema}: defaults filled in. */
export type AlarmDefinition = z.output<typeof alarmSchema>;
/** An alarm as written (defaults optional). */
export type AlarmInput = z.input<typeof alarmSchema>;

/** The comment of `ack`: optional text. */
export const ackCommentSchema = z.string().max(1000, 'at most 1000 characters').optional();

const oneOrMany = <T extends z.ZodType>(item: T) =>
  z.union([item, z.array(item).min(1)]).transform((v) => (Array.isArray(v) ? v : [v]) as z.output<T>[]);

/** `history(query)`: every key optional; times are Dates or epoch ms; newest records first. */
export const historyQuerySchema = z
  .strictObject({
    from: z.union([z.date(), z.number()]).optional(),
    to: z.union([z.date(), z.number()]).optional(),
    /** Key, name or alias (an address deleted since: its key). */
    address: z.string().min(1).optional(),
    /** One alarm id. */
    id: alarmIdSchema.optional(),
    severity: oneOrMany(z.enum(SEVERITIES)).optional(),
    /** The state after the event. */
    state: oneOrMany(z.enum(ALARM_STATES)).optional(),
    event: oneOrMany(z.enum(ALARM_HAPPENINGS)).optional(),
    limit: z.number().int().min(1).max(HISTORY_MAX_LIMIT).default(HISTORY_DEFAULT_LIMIT),
  })
  .transform((q, ctx) => {
    const to = q.to === undefined ? Number.MAX_SAFE_INTEGER : +q.to;
    const from = q.from === undefined ? 0 : +q.from;
    if (!Number.isFinite(from) || !Number.isFinite(to))
      ctx.addIssue({ code: 'custom', path: ['from'], message: 'expected valid times' });
    else if (from > to)
      ctx.addIssue({
        code: 'custom',
        path: ['from'],
        message: `${new Date(from).toISOString()} is after to (${new Date(to).toISOString()})`,
      });
    return { ...q, from, to };
  });

/** A history query after {@link historyQuerySchema} (the address is resolved to its key by the module). */
export type AlarmHistoryQuery = z.output<typeof historyQuerySchema>;
