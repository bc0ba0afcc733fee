/**
 * The `audit` core module on `supervision` and the hub's recorder behind it. `query(filter)` and
 * `exportCsv(filter)` answer entries (admins only, policy.ts); `reportLogin` is how the web
 * server reports logins and refused passwords (only the `webserver` peer may); `status()` says
 * whether the trail is written. The hub records writes, process control and configuration changes
 * itself (audited.ts), and alarm acknowledgements from the `alarms` module's events.
 */
import { CodedError } from '@weble/peers-core';
import type { EventEmitter } from 'node:events';
import type { AuditApi, ReplyOf, ServedAudit } from '@weble/api';
import { formatIssues } from '@weble/driver-kit';
import type { UserDirectory } from '../access/callers.js';
import {
  auditQuerySchema,
  loginReportSchema,
  QUERY_MAX_LIMIT,
  type AuditEntry,
  type AuditQuery,
} from './audit-entry.js';
import { auditCsv } from './audit-csv.js';
import type { AuditStore } from './audit-store.js';

/** The callback of method `K` of the API. */
type Reply<K extends keyof AuditApi> = ReplyOf<AuditApi, K>;

/** The codes of the `audit` module's errors (packages/supervisor/README.md). */
export const AUDIT_CODES = ['AUDIT_BAD_REQUEST'] as const;

/** A coded error of the `audit` module. */
export class AuditError extends CodedError<(typeof AUDIT_CODES)[number]> {
  override name = 'AuditError';
}

/** Who did it, as an entry names them: the user and role of a web session, else the peer name. */
export type Who = Pick<AuditEntry, 'user' | 'peer' | 'role'>;

export class AuditTrail {
  constructor(
    private readonly store: AuditStore,
    private readonly users: UserDirectory,
    private readonly now: () => number = Date.now,
  ) {}

  /** The caller `peer` as an entry names it. */
  who(peer: string): Who {
    const caller = this.users.identify(peer);
    return caller.kind === 'web'
      ? { user: caller.user, peer, role: caller.role ?? null }
      : { user: peer, peer, role: null };
  }

  record(entry: Omit<AuditEntry, 'at' | 'id'> & { at?: number }): void {
    this.store.append({ ...entry, at: entry.at ?? this.now() });
  }

  /** `alarmAcknowledged {id, by, comment, at}` of the `alarms` module. */
  alarmAcknowledged(ack: { id?: unknown; by?: unknown; comment?: unknown; at?: unknown }): void {
    const by = typeof ack.by === 'string' ? ack.by : 'unknown';
    const at = typeof ack.at === 'number' ? ack.at : typeof ack.at === 'string' ? Date.parse(ack.at) : NaN;
    this.record({
      ...this.who(by),
      action: 'alarm-ack',
      target: String(ack.id),
      detail: { comment: ack.comment ?? null },
      result: 'ok',
      ...(Number.isFinite(at) ? { at } : {}),
    });
  }

  /** Listen to `alarmAcknowledged` of `alarms` (the module's emitter on the hub); returns the stop. */
  followAlarms(alarms: EventEmitter): () => void {
    const listener = (ack: Parameters<AuditTrail['alarmAcknowledged']>[0]): void => this.alarmAcknowledged(ack ?? {});
    alarms.on('alarmAcknowledged', listener);
    return () => void alarms.removeListener('alarmAcknowledged', listener);
  }

  /** The module shared as `audit` (the API's, `@weble/api`). */
  module(): ServedAudit {
    const parse = (filter: unknown, cb: (error: Error) => void): AuditQuery | undefined => {
      const parsed = auditQuerySchema.safeParse(filter);
      if (parsed.success) return parsed.data;
      cb(
        new AuditError('AUDIT_BAD_REQUEST', `audit filter: ${formatIssues(parsed.error.issues, 'filter').join('; ')}`),
      );
      return undefined;
    };
    const answer = <T>(cb: (error: Error | null, result?: T) => void, fn: () => T): void => {
      let result: T;
      try {
        result = fn();
      } catch (error) {
        return cb(error as Error);
      }
      cb(null, result);
    };
    return {
      query: (filter: unknown, cb: Reply<'query'>): void => {
        const query = parse(filter, cb);
        if (query) answer(cb, () => this.store.query(query));
      },
      exportCsv: (filter: unknown, cb: Reply<'exportCsv'>): void => {
        const query = parse(filter, cb);
        // An export is the whole selection (up to the largest limit), not a page of it.
        if (query) answer(cb, () => auditCsv(this.store.query({ ...query, limit: query.limit ?? QUERY_MAX_LIMIT })));
      },
      status: (cb: Reply<'status'>): void => cb(null, this.store.status()),
      reportLogin: (report: unknown, cb: Reply<'reportLogin'>): void => {
        const parsed = loginReportSchema.safeParse(report);
        if (!parsed.success)
          return cb(
            new AuditError(
              'AUDIT_BAD_REQUEST',
              `reportLogin: ${formatIssues(parsed.error.issues, 'report').join('; ')}`,
            ),
          );
        const { username, address, ok, peer } = parsed.data;
        const role = this.users.identify(peer ?? '');
        this.record({
          user: username,
          peer: address,
          role: role.kind === 'web' ? (role.role ?? null) : null,
          action: 'login',
          target: peer ?? username,
          result: ok ? 'ok' : 'failed',
        });
        cb(null);
      },
    };
  }
}
