/**
 * The audit trail on disk: `audit.sqlite` (better-sqlite3) in the site's `run/audit/` directory.
 * Append-only: triggers refuse every UPDATE and DELETE. Entries are inserted in the hub, those of
 * one event-loop turn in one transaction (WAL, synchronous NORMAL: no fsync per entry; a logic
 * writing thousands of values a second costs one commit a turn, not one a write), so unlike the
 * loggers' stream they need no process of their own; a query or status writes what waits first. A directory that cannot be written (read-only,
 * full, gone) never reaches the hub's callers: entries wait in memory (at most `maxPending`, the
 * oldest dropped and counted) and are written when the directory works again; `status()` says so.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { CodedError } from '@weble/peers-core';
import type { Logger } from 'pino';
import type { AuditStatus } from '@weble/api';
import { QUERY_DEFAULT_LIMIT, type AnsweredAuditEntry, type AuditEntry, type AuditQuery } from './audit-entry.js';

export const AUDIT_FILE = 'audit.sqlite';
/** SQLite page cache of the audit connection, KiB. */
const AUDIT_CACHE_KIB = 256;

const SCHEMA = `
CREATE TABLE IF NOT EXISTS audit (
  id INTEGER PRIMARY KEY AUTOINCREMENT, at INTEGER NOT NULL, user TEXT NOT NULL, peer TEXT NOT NULL,
  role TEXT, action TEXT NOT NULL, target TEXT NOT NULL, detail TEXT, result TEXT NOT NULL, message TEXT);
CREATE INDEX IF NOT EXISTS audit_at ON audit (at);
CREATE TRIGGER IF NOT EXISTS audit_no_update BEFORE UPDATE ON audit BEGIN SELECT RAISE(ABORT, 'the audit trail is append-only'); END;
CREATE TRIGGER IF NOT EXISTS audit_no_delete BEFORE DELETE ON audit BEGIN SELECT RAISE(ABORT, 'the audit trail is append-only'); END;
`;

/** Whether the trail is written (the API's `AuditStatus`). */
export type AuditStoreStatus = AuditStatus;

/** The codes of an audit store that cannot answer (packages/supervisor/README.md). */
export const AUDIT_STORE_CODES = ['AUDIT_STORE_DOWN'] as const;

/** An audit store that cannot answer a query: `AUDIT_STORE_DOWN`. */
export class AuditUnavailable extends CodedError<(typeof AUDIT_STORE_CODES)[number]> {
  override name = 'AuditUnavailable';
  constructor(message: string, options?: ErrorOptions) {
    super('AUDIT_STORE_DOWN', message, options);
  }
}

interface Row {
  id: number;
  at: number;
  user: string;
  peer: string;
  role: string | null;
  action: AuditEntry['action'];
  target: string;
  detail: string | null;
  result: string;
  message: string | null;
}

export class AuditStore {
  readonly file: string;
  private db: Database.Database | undefined;
  private insert: Database.Statement | undefined;
  private pending: AuditEntry[] = [];
  private flushScheduled = false;
  private dropped = 0;
  private detail: string | undefined;
  private retryTimer: ReturnType<typeof setTimeout> | undefined;

  constructor(
    private readonly dir: string,
    private readonly log: Logger,
    private readonly options: { maxPending?: number; retryMs?: number } = {},
  ) {
    this.file = join(dir, AUDIT_FILE);
  }

  /** Record `entry` (now, or as soon as the directory can be written). Never throws. */
  append(entry: AuditEntry): void {
    this.pending.push(entry);
    const max = this.options.maxPending ?? 10_000;
    if (this.pending.length > max) this.dropped += this.pending.splice(0, this.pending.length - max).length;
    if (this.flushScheduled) return;
    this.flushScheduled = true;
    setImmediate(() => {
      this.flushScheduled = false;
      this.flush();
    });
  }

  /** Entries matching `query`, newest first. */
  query(query: AuditQuery): AnsweredAuditEntry[] {
    this.flush();
    const db = this.open();
    if (!db) throw new AuditUnavailable(`the audit trail cannot be read (${this.file}): ${this.detail}`);
    const where: string[] = [];
    const args: Record<string, unknown> = { limit: query.limit ?? QUERY_DEFAULT_LIMIT };
    if (query.from !== undefined) {
      where.push('at >= @from');
      args.from = query.from;
    }
    if (query.to !== undefined) {
      where.push('at <= @to');
      args.to = query.to;
    }
    if (query.user !== undefined) {
      where.push('user = @user');
      args.user = query.user;
    }
    if (query.action !== undefined) {
      where.push('action = @action');
      args.action = query.action;
    }
    const sql = `SELECT * FROM audit ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY id DESC LIMIT @limit`;
    try {
      return (db.prepare(sql).all(args) as Row[]).map(fromRow);
    } catch (error) {
      throw new AuditUnavailable(`the audit trail cannot be read (${this.file}): ${describe(error)}`);
    }
  }

  status(): AuditStoreStatus {
    this.flush();
    return {
      state: this.detail === undefined ? 'ok' : 'failing',
      file: this.file,
      pending: this.pending.length,
      dropped: this.dropped,
      ...(this.detail ? { detail: this.detail } : {}),
    };
  }

  close(): void {
    clearTimeout(this.retryTimer);
    this.flush();
    this.db?.close();
    this.db = undefined;
    this.insert = undefined;
  }

  private flush(): void {
    if (this.pending.length === 0) return;
    const db = this.open();
    if (!db) return this.retryLater();
    try {
      const insert = (this.insert ??= db.prepare(
        'INSERT INTO audit (at, user, peer, role, action, target, detail, result, message) ' +
          'VALUES (@at, @user, @peer, @role, @action, @target, @detail, @result, @message)',
      ));
      db.transaction((entries: AuditEntry[]) => {
        for (const e of entries)
          insert.run({
            ...e,
            detail: e.detail === undefined ? null : JSON.stringify(e.detail),
            message: e.message ?? null,
          });
      })(this.pending);
      this.pending = [];
      if (this.detail !== undefined) this.log.info({ file: this.file }, 'the audit trail is written again');
      this.detail = undefined;
    } catch (error) {
      this.failed(error);
      // A write that failed may have left the connection unusable (read-only now): open afresh next time.
      this.db?.close();
      this.db = undefined;
      this.insert = undefined;
      this.retryLater();
    }
  }

  private open(): Database.Database | undefined {
    if (this.db) return this.db;
    try {
      mkdirSync(this.dir, { recursive: true, mode: 0o700 });
      const db = new Database(this.file);
      db.pragma('journal_mode = WAL');
      db.pragma('synchronous = NORMAL');
      // Appends and newest-first queries on an index need few pages: better-sqlite3's default
      // page cache (16 MB) would grow inside the long-lived supervisor for nothing (docs/memory.md).
      db.pragma(`cache_size = -${AUDIT_CACHE_KIB}`);
      db.exec(SCHEMA);
      this.db = db;
      return db;
    } catch (error) {
      this.failed(error);
      return undefined;
    }
  }

  private failed(error: unknown): void {
    const detail = describe(error);
    if (detail !== this.detail)
      this.log.error(
        { file: this.file, err: error, pending: this.pending.length },
        `the audit trail cannot be written: ${detail}`,
      );
    this.detail = detail;
  }

  private retryLater(): void {
    if (this.retryTimer !== undefined) return;
    this.retryTimer = setTimeout(() => {
      this.retryTimer = undefined;
      this.flush();
    }, this.options.retryMs ?? 2_000);
    this.retryTimer.unref();
  }
}

function describe(error: unknown): string {
  const code = (error as { code?: unknown })?.code;
  const message = (error as Error)?.message ?? String(error);
  return typeof code === 'string' && !message.startsWith(code) ? `${code}: ${message}` : message;
}

function fromRow(row: Row): AnsweredAuditEntry {
  return {
    id: row.id,
    at: row.at,
    user: row.user,
    peer: row.peer,
    role: row.role,
    action: row.action,
    target: row.target,
    ...(row.detail === null ? {} : { detail: JSON.parse(row.detail) as unknown }),
    result: row.result,
    ...(row.message === null ? {} : { message: row.message }),
  };
}
