/**
 * The alarm history database (`alarms.sqlite` in the site's history directory), used by the store
 * worker alone: every raise, clear and acknowledgement as a row, and the current state of each
 * alarm (restored when the hub starts again). Queries filter by time, address, alarm, severity,
 * state and event, newest first, bounded by a limit.
 */
import type Database from 'better-sqlite3';
import { openDatabaseFile, type Opened } from '../../loggers/store/sample-db.js';
import type { AlarmRecord, AlarmStatus } from '../contract.js';
import type { StatusChange, StoreItem } from './worker-protocol.js';

/** The file name of the database inside the history directory. */
export const ALARMS_DATABASE_FILE = 'alarms.sqlite';

const SCHEMA = `
CREATE TABLE IF NOT EXISTS alarm_events (
  seq INTEGER PRIMARY KEY, at INTEGER NOT NULL, id TEXT NOT NULL, event TEXT NOT NULL, state TEXT NOT NULL,
  address TEXT NOT NULL, severity TEXT NOT NULL, message TEXT NOT NULL, value TEXT, by TEXT, peer TEXT, comment TEXT);
CREATE INDEX IF NOT EXISTS alarm_events_at ON alarm_events (at);
CREATE TABLE IF NOT EXISTS alarm_status (id TEXT PRIMARY KEY, status TEXT NOT NULL);
`;

/** A history query as the store runs it (validated, the address resolved to its key). */
export interface StoreQuery {
  from: number;
  to: number;
  address?: string | undefined;
  id?: string | undefined;
  severity?: string[] | undefined;
  state?: string[] | undefined;
  event?: string[] | undefined;
  limit: number;
}

interface Row {
  at: number;
  id: string;
  event: string;
  state: string;
  address: string;
  severity: string;
  message: string;
  value: string | null;
  by: string | null;
  peer: string | null;
  comment: string | null;
}

/** A value as stored: JSON text (a value JSON cannot hold is kept as its string). */
function valueText(value: unknown): string | null {
  if (value === undefined) return null;
  try {
    return JSON.stringify(value) ?? null;
  } catch {
    return JSON.stringify(String(value));
  }
}

function toRecord(row: Row): AlarmRecord {
  const record: AlarmRecord = {
    id: row.id,
    event: row.event as AlarmRecord['event'],
    state: row.state as AlarmRecord['state'],
    at: row.at,
    address: row.address,
    severity: row.severity as AlarmRecord['severity'],
    message: row.message,
  };
  if (row.value !== null) record.value = JSON.parse(row.value) as unknown;
  if (row.by !== null) record.by = row.by;
  if (row.peer !== null) record.peer = row.peer;
  if (row.comment !== null) record.comment = row.comment;
  return record;
}

/** The open alarm database. */
export class AlarmDatabase {
  private readonly insert: Database.Statement;
  private readonly putStatus: Database.Statement;
  private readonly dropStatus: Database.Statement;
  private readonly trim: Database.Statement;
  private writes = 0;

  private constructor(
    private readonly opened: Opened,
    private readonly maxRecords: number,
  ) {
    const db = opened.db;
    this.insert = db.prepare(
      'INSERT INTO alarm_events (at, id, event, state, address, severity, message, value, by, peer, comment) ' +
        'VALUES (@at, @id, @event, @state, @address, @severity, @message, @value, @by, @peer, @comment)',
    );
    this.putStatus = db.prepare(
      'INSERT INTO alarm_status (id, status) VALUES (?, ?) ON CONFLICT (id) DO UPDATE SET status = excluded.status',
    );
    this.dropStatus = db.prepare('DELETE FROM alarm_status WHERE id = ?');
    this.trim = db.prepare('DELETE FROM alarm_events WHERE seq <= (SELECT max(seq) FROM alarm_events) - ?');
  }

  /** Open (or create) `alarms.sqlite` in `dir`; keep at most `maxRecords` records (the oldest go). Throws StoreUnavailable. */
  static open(dir: string, maxRecords: number): AlarmDatabase {
    return new AlarmDatabase(openDatabaseFile(dir, ALARMS_DATABASE_FILE, SCHEMA, 'alarm history'), maxRecords);
  }

  get file(): string {
    return this.opened.file;
  }

  get movedAside(): string | undefined {
    return this.opened.movedAside;
  }

  /** The kept state of every alarm. */
  states(): StatusChange[] {
    const rows = this.opened.db.prepare('SELECT id, status FROM alarm_status').all() as Array<{
      id: string;
      status: string;
    }>;
    return rows.map((r) => [r.id, JSON.parse(r.status) as AlarmStatus]);
  }

  /** Write records and states in one transaction (all or nothing). */
  write(items: readonly StoreItem[]): void {
    this.opened.db.transaction(() => {
      for (const { record, status } of items) {
        if (record) {
          this.insert.run({
            ...record,
            value: valueText(record.value),
            by: record.by ?? null,
            peer: record.peer ?? null,
            comment: record.comment ?? null,
          });
        }
        if (status) {
          if (status[1] === null) this.dropStatus.run(status[0]);
          else this.putStatus.run(status[0], JSON.stringify(status[1]));
        }
      }
      this.writes += items.length;
      if (this.writes >= 1000) {
        this.writes = 0;
        this.trim.run(this.maxRecords);
      }
    })();
  }

  /** Records matching `query`, newest first. */
  query(query: StoreQuery): AlarmRecord[] {
    const where = ['at >= @from', 'at <= @to'];
    const params: Record<string, unknown> = { from: query.from, to: query.to, limit: query.limit };
    if (query.address !== undefined) {
      where.push('address = @address');
      params.address = query.address;
    }
    if (query.id !== undefined) {
      where.push('id = @id');
      params.id = query.id;
    }
    for (const field of ['severity', 'state', 'event'] as const) {
      const list = query[field];
      if (!list) continue;
      where.push(`${field} IN (${list.map((_, i) => `@${field}${i}`).join(', ')})`);
      list.forEach((v, i) => (params[`${field}${i}`] = v));
    }
    const sql =
      'SELECT at, id, event, state, address, severity, message, value, by, peer, comment FROM alarm_events ' +
      `WHERE ${where.join(' AND ')} ORDER BY at DESC, seq DESC LIMIT @limit`;
    return (this.opened.db.prepare(sql).all(params) as Row[]).map(toRecord);
  }

  close(): void {
    this.opened.db.close();
  }
}

/** Whether `record` matches `query` (the same filter as {@link AlarmDatabase.query}, for records not yet written). */
export function matchesQuery(record: AlarmRecord, query: StoreQuery): boolean {
  return (
    record.at >= query.from &&
    record.at <= query.to &&
    (query.address === undefined || record.address === query.address) &&
    (query.id === undefined || record.id === query.id) &&
    (query.severity === undefined || query.severity.includes(record.severity)) &&
    (query.state === undefined || query.state.includes(record.state)) &&
    (query.event === undefined || query.event.includes(record.event))
  );
}
