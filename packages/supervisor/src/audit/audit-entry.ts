/**
 * The shape of the audit trail (docs/roles.md, "Audit trail"): entries, queries and their checks.
 * The types are the `audit` module's API (`@weble/api`).
 */
import { z } from 'zod';
import type { AuditAction, AuditEntry as AnsweredAuditEntry, AuditFilter, LoginReport } from '@weble/api';
import { everyOf } from '../modules/every-of.js';

export type { AuditAction, AnsweredAuditEntry };

/** What an entry records: every {@link AuditAction} of the API. */
export const AUDIT_ACTIONS = everyOf<AuditAction>()(['write', 'process', 'config', 'login', 'alarm-ack']);

/** One entry as recorded (the store gives it its id) and answered (the API's `AuditEntry`, with its id). */
export type AuditEntry = Omit<AnsweredAuditEntry, 'id'> & { id?: number };

/** Default and largest number of entries a query answers. */
export const QUERY_DEFAULT_LIMIT = 500;
export const QUERY_MAX_LIMIT = 100_000;

const time = z.union([z.number().finite(), z.string().min(1)]).transform((value, ctx) => {
  const ms = typeof value === 'number' ? value : Date.parse(value);
  if (Number.isNaN(ms))
    ctx.addIssue({
      code: 'custom',
      message: `expected ms since the epoch or an ISO date, got ${JSON.stringify(value)}`,
    });
  return ms;
});

/** `query`/`exportCsv` filters: every key optional. */
export const auditQuerySchema = z
  .strictObject({
    from: time.optional(),
    to: time.optional(),
    user: z.string().min(1).max(200).optional(),
    action: z.enum(AUDIT_ACTIONS).optional(),
    limit: z.number().int().min(1).max(QUERY_MAX_LIMIT).optional(),
  })
  .nullish()
  .transform((q) => q ?? {}) satisfies z.ZodType<unknown, AuditFilter | null | undefined>;
export type AuditQuery = z.output<typeof auditQuerySchema>;

/** What the web server reports of a login (`audit.reportLogin`). */
export const loginReportSchema = z.strictObject({
  username: z.string().max(1000),
  address: z.string().max(200),
  ok: z.boolean(),
  peer: z.string().max(200).optional(),
}) satisfies z.ZodType<LoginReport, LoginReport>;
