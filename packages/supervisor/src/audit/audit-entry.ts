/** The shape of the audit trail (docs/roles.md, "Audit trail"): entries, queries and their checks. */
import { z } from 'zod';

/** What an entry records. */
export const AUDIT_ACTIONS = ['write', 'process', 'config', 'login', 'alarm-ack'] as const;
export type AuditAction = (typeof AUDIT_ACTIONS)[number];

/** One entry as stored and answered. */
export interface AuditEntry {
  id?: number;
  /** ms since the epoch. */
  at: number;
  /** The username (web sessions, logins) or the peer name (the site's processes, other sites). */
  user: string;
  /** The calling peer (`web_<user>_<hex>`, `logic_x`, `cli_...`, `name@site`), or the client address of a login. */
  peer: string;
  /** The user's role at the time, or null for non-web callers. */
  role: string | null;
  action: AuditAction;
  /** The address key, process name, `module.method` of a configuration change, or alarm id. */
  target: string;
  /** Details: `{previous, value}` of a write, the arguments of a change, an acknowledgement's comment. */
  detail?: unknown;
  /** `ok`, `failed`, or the error code of what was refused or failed. */
  result: string;
  /** The error's message when it failed. */
  message?: string;
}

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
  .transform((q) => q ?? {});
export type AuditQuery = z.output<typeof auditQuerySchema>;

/** What the web server reports of a login (`audit.reportLogin`). */
export const loginReportSchema = z.strictObject({
  username: z.string().max(1000),
  address: z.string().max(200),
  ok: z.boolean(),
  peer: z.string().max(200).optional(),
});
