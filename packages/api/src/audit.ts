/**
 * The `audit` core module on `supervision` (docs/roles.md, "Audit trail"): the append-only
 * record of writes, process control, configuration changes, logins and acknowledgements;
 * queried and exported by admins, reported to by the web server (logins).
 */
import type { Method, Remote, Served } from './module-api.js';

/** What an entry records. */
export type AuditAction = 'write' | 'process' | 'config' | 'login' | 'alarm-ack';

/** One entry as `query` answers it. */
export interface AuditEntry {
  id: number;
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

/** The filter of `query` and `exportCsv`: every key optional; times are epoch ms or ISO dates. */
export interface AuditFilter {
  from?: number | string | undefined;
  to?: number | string | undefined;
  user?: string | undefined;
  action?: AuditAction | undefined;
  /** Default 500 (an export: every match up to 100,000). */
  limit?: number | undefined;
}

/** What the web server reports of a login. */
export interface LoginReport {
  username: string;
  /** The client's address. */
  address: string;
  ok: boolean;
  /** The session's peer name, when it succeeded. */
  peer?: string | undefined;
}

/** Whether the trail is written. */
export interface AuditStatus {
  state: 'ok' | 'failing';
  file: string;
  /** Entries waiting in memory for the directory to work again. */
  pending: number;
  /** Entries dropped because too many waited. */
  dropped: number;
  /** Why the last write or open failed (`SQLITE_READONLY: ...`). */
  detail?: string;
}

/** The methods of the `audit` module (admins only; `reportLogin`: the `webserver` peer only). */
export interface AuditApi {
  /** Entries matching the filter, newest first. */
  query: Method<[filter?: AuditFilter | null], [entries: AuditEntry[]]>;
  /** The same selection as CSV text. */
  exportCsv: Method<[filter?: AuditFilter | null], [csv: string]>;
  status: Method<[], [status: AuditStatus]>;
  reportLogin: Method<[report: LoginReport]>;
}

/** What the supervisor's `audit` module implements. */
export type ServedAudit = Served<AuditApi>;

/** `await peers('supervision').require('audit')`, typed. */
export type RemoteAudit = Remote<AuditApi>;
