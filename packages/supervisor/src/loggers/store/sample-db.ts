/**
 * The history database: one SQLite file in WAL mode, opened by the store process alone (one
 * writer). A file that is not a database or fails its quick check is moved aside and a fresh one
 * started; a directory that cannot be written is reported as {@link StoreUnavailable} (the store
 * pauses and tries again).
 */
import { existsSync, mkdirSync, renameSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { CodedError } from '@weble/peers-core/core';

/** The database of a store. */
export type SampleDatabase = Database.Database;

/** The file name of the database inside the store directory. */
export const DATABASE_FILE = 'history.sqlite';

/**
 * Bucket widths of the summaries kept beside the raw samples, ms: 10 minutes and 6 hours. A
 * 1,000-point chart of a week or more reads the first, of half a year or more the second; shorter
 * ranges read raw samples. (Minute summaries would double the file for minute-sampled data.)
 */
export const ROLLUP_LEVELS = [600_000, 21_600_000] as const;

const SCHEMA = `
CREATE TABLE IF NOT EXISTS series (id INTEGER PRIMARY KEY, logger TEXT NOT NULL, key TEXT NOT NULL, UNIQUE (logger, key));
CREATE INDEX IF NOT EXISTS series_key ON series (key);
CREATE TABLE IF NOT EXISTS samples (
  series INTEGER NOT NULL, ts INTEGER NOT NULL, value REAL, text TEXT, quality INTEGER NOT NULL,
  PRIMARY KEY (series, ts)) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS rollups (
  level INTEGER NOT NULL, series INTEGER NOT NULL, bucket INTEGER NOT NULL, n INTEGER NOT NULL, sum REAL NOT NULL,
  min REAL NOT NULL, min_ts INTEGER NOT NULL, max REAL NOT NULL, max_ts INTEGER NOT NULL, last REAL NOT NULL, last_ts INTEGER NOT NULL,
  PRIMARY KEY (level, series, bucket)) WITHOUT ROWID;
`;

/** The code of a database file that cannot be written now (packages/supervisor/README.md). */
export const STORE_UNWRITABLE = 'STORE_UNWRITABLE';

/**
 * The directory or file cannot be used now (read-only, full, permission): the store pauses.
 * `reason` is the system's or SQLite's code (`EROFS`, `SQLITE_FULL`).
 */
export class StoreUnavailable extends CodedError<typeof STORE_UNWRITABLE> {
  override name = 'StoreUnavailable';
  constructor(
    readonly reason: string,
    message: string,
    options?: ErrorOptions,
  ) {
    super(STORE_UNWRITABLE, message, options);
  }
}

const CORRUPT = new Set(['SQLITE_CORRUPT', 'SQLITE_NOTADB', 'SQLITE_CORRUPT_VTAB', 'SQLITE_CORRUPT_SEQUENCE']);

/** Whether an error of better-sqlite3 says the file is not a sound database. */
export function isCorruption(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' && CORRUPT.has(code);
}

/** The short reason of an I/O error (`SQLITE_READONLY`, `EROFS`, ...), or undefined for other errors. */
export function unavailableReason(error: unknown): string | undefined {
  const code = (error as { code?: unknown } | null)?.code;
  if (typeof code !== 'string') return undefined;
  if (/^SQLITE_(READONLY|FULL|IOERR|CANTOPEN|PERM|BUSY)/.test(code)) return code;
  if (/^(EROFS|ENOSPC|EACCES|EPERM|EDQUOT|EIO)$/.test(code)) return code;
  return undefined;
}

/** What {@link openSampleDatabase} opened. */
export interface Opened {
  db: SampleDatabase;
  file: string;
  /** Where an unusable file was moved, when it was. */
  movedAside?: string;
}

function tryOpen(file: string, schema: string): SampleDatabase {
  const db = new Database(file);
  try {
    db.pragma('journal_mode = WAL');
    // FULL: each committed batch is on disk before the hub is told (a batch per window, so one
    // fsync per window, not per value).
    db.pragma('synchronous = FULL');
    db.pragma('busy_timeout = 2000');
    const check = db.pragma('quick_check', { simple: true });
    if (check !== 'ok') throw Object.assign(new Error(`quick_check: ${String(check)}`), { code: 'SQLITE_CORRUPT' });
    db.exec(schema);
    return db;
  } catch (error) {
    db.close();
    throw error;
  }
}

function moveAside(file: string, now: Date): string {
  const aside = `${file}.corrupt-${now.toISOString().replace(/[:.]/g, '-')}`;
  renameSync(file, aside);
  for (const suffix of ['-wal', '-shm']) if (existsSync(file + suffix)) renameSync(file + suffix, aside + suffix);
  return aside;
}

/**
 * Open (or create) the database in `dir`. A corrupt file is moved aside to
 * `history.sqlite.corrupt-<time>` and a fresh database started. Throws {@link StoreUnavailable}
 * when the directory or file cannot be written.
 */
export function openSampleDatabase(dir: string, now: () => Date = () => new Date()): Opened {
  return openDatabaseFile(dir, DATABASE_FILE, SCHEMA, 'history', now);
}

/**
 * Open (or create) the SQLite file `name` in `dir` (WAL, synchronous FULL, quick check) with
 * `schema`; a corrupt file is moved aside (`<name>.corrupt-<time>`) and a fresh one started.
 * Throws {@link StoreUnavailable} when the directory or file cannot be written (`what` names the
 * database in the message). Shared by the loggers' store and the alarm history.
 */
export function openDatabaseFile(
  dir: string,
  name: string,
  schema: string,
  what: string,
  now: () => Date = () => new Date(),
): Opened {
  const file = join(dir, name);
  try {
    mkdirSync(dir, { recursive: true });
    try {
      return { db: tryOpen(file, schema), file };
    } catch (error) {
      if (!isCorruption(error)) throw error;
      const movedAside = moveAside(file, now());
      return { db: tryOpen(file, schema), file, movedAside };
    }
  } catch (error) {
    const reason = unavailableReason(error);
    if (reason === undefined) throw error;
    throw new StoreUnavailable(
      reason,
      `cannot write the ${what} database ${file}: ${(error as Error).message} (${reason})`,
      { cause: error },
    );
  }
}
